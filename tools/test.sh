#!/usr/bin/env bash
# Install what is missing, build, run every test through ctest. Exits non-zero on any failure.
#   --quick        skip the slow statistical tests (ctest label 'slow')
#   --preset P     build and test another preset (debug, asan, tsan, release-tbb); default release
# With the default preset it also builds the oneTBB backend and runs the backend-sensitive tests
# there (golden checksums, engine = reference, packed = one by one), proving OpenMP and oneTBB
# results bit-identical.
source "$(dirname "$0")/common.sh"
preset=release; ctest_args=()
while [ $# -gt 0 ]; do
  case $1 in
    --quick) ctest_args+=(-LE slow); shift ;;
    --preset) preset=$2; shift 2 ;;
    *) echo "usage: tools/test.sh [--quick] [--preset release|debug|asan|tsan|release-tbb]" >&2; exit 2 ;;
  esac
done
gs_install_deps
gs_build "$preset"
cd "$GOSSIPSIM_ROOT"
status=0
if [ "$preset" = release ]; then
  gs_log "oneTBB backend: building the backend-sensitive tests"
  cmake --preset release-tbb >/dev/null
  cmake --build --preset release-tbb -j "$(nproc)" --target test_golden test_engine_reference test_packed
  ctest --preset release-tbb -R 'test_golden|test_engine_reference|test_packed' || status=1
fi
ctest --preset "$preset" "${ctest_args[@]}" || status=1
exit $status
