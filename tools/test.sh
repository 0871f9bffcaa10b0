#!/usr/bin/env bash
# Install what is missing, build, run every test through ctest. Exits non-zero on any failure.
#   --quick        skip the slow statistical tests (ctest label 'slow')
#   --preset P     build and test another preset (debug, asan, tsan, release-tbb); default release
#   --sanitize     then also build the unit tests (doctest executables) under the asan preset
#                  (ASan + UBSan) and run them, less the 'slow' ones and the Python CLI tests (CI)
# With the default preset it also builds the oneTBB backend and runs the backend-sensitive tests
# there (golden checksums, engine = reference, packed = one by one, delays' timing wheel and the
# aggregation reservations), proving OpenMP and oneTBB
# results bit-identical.
source "$(dirname "$0")/common.sh"
preset=release; ctest_args=(); sanitize=0
while [ $# -gt 0 ]; do
  case $1 in
    --quick) ctest_args+=(-LE slow); shift ;;
    --preset) preset=$2; shift 2 ;;
    --sanitize) sanitize=1; shift ;;
    *) echo "usage: tools/test.sh [--quick] [--preset release|debug|asan|tsan|release-tbb] [--sanitize]" >&2; exit 2 ;;
  esac
done
gs_install_deps
gs_build "$preset"
cd "$GOSSIPSIM_ROOT"
status=0
if [ "$preset" = release ]; then
  gs_log "oneTBB backend: building the backend-sensitive tests"
  cmake --preset release-tbb >/dev/null
  cmake --build --preset release-tbb -j "$(nproc)" --target test_golden test_engine_reference test_packed \
    test_reference_delays test_aggregate test_posts
  # GOSSIPSIM_TEST_SMALL: test_engine_reference's smaller matrix (every path, one thread count a
  # comparison), as under sanitizers; the release run below has the full one.
  GOSSIPSIM_TEST_SMALL=1 OMP_WAIT_POLICY=passive ctest --preset release-tbb -j "$(nproc)" \
    -R 'test_golden|test_engine_reference|test_packed|test_reference_delays|test_aggregate$|test_posts$' || status=1
fi
# Two tests at a time on two cores: each waits passively at its barriers, so that one test's
# spinning threads do not take the other's time slices (results do not depend on it).
OMP_WAIT_POLICY=passive ctest --preset "$preset" -j "$(nproc)" "${ctest_args[@]}" || status=1
if [ $sanitize = 1 ]; then
  # The engine's unit tests under ASan + UBSan (build/asan; tests/sanitizer.hpp sizes the large
  # ones). Left out: the 'slow' statistical tests (thousands of trials through the engine paths
  # the unit tests already run: minutes under ASan) and the Python CLI tests (cli*: they need the
  # gossipsim binary built too; tools/test.sh --preset asan runs them).
  gs_log "sanitizer pass: unit tests under the asan preset"
  cmake --preset asan >/dev/null
  cmake --build --preset asan -j "$(nproc)" --target unit_tests_fast
  ctest --preset asan -j "$(nproc)" -LE slow -E '^cli' || status=1
fi
exit $status
