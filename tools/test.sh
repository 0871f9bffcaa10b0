#!/usr/bin/env bash
# Install what is missing, build, run every test through ctest. Exits non-zero on any failure.
#   --quick        skip the slow statistical tests (ctest label 'slow')
#   --preset P     build and test another preset (debug, asan, tsan); default release
source "$(dirname "$0")/common.sh"
preset=release; ctest_args=()
while [ $# -gt 0 ]; do
  case $1 in
    --quick) ctest_args+=(-LE slow); shift ;;
    --preset) preset=$2; shift 2 ;;
    *) echo "usage: tools/test.sh [--quick] [--preset release|debug|asan|tsan]" >&2; exit 2 ;;
  esac
done
gs_install_deps
gs_build "$preset"
cd "$GOSSIPSIM_ROOT"
ctest --preset "$preset" "${ctest_args[@]}"
