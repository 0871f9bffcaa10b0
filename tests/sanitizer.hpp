// Sanitizer builds (the asan and tsan presets, tools/fuzz.sh, or -DGOSSIPSIM_SANITIZER=1) run the
// engine many times slower than release. Tests whose matrix is large read kSanitizer to run a
// smaller one there: fewer trials, thread counts or repeated sizings, never a code path less (each
// test that shrinks says what it keeps). Release and debug builds run the full matrix.
#pragma once

#include <initializer_list>

namespace gossip::test {

#if defined(GOSSIPSIM_SANITIZER) || defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(undefined_behavior_sanitizer)
inline constexpr bool kSanitizer = true;
#else
inline constexpr bool kSanitizer = false;
#endif
#else
inline constexpr bool kSanitizer = false;
#endif

}  // namespace gossip::test
