#include "core/version.hpp"

#include "core/parallel.hpp"

namespace gossip {

BuildInfo build_info() {
  BuildInfo b;
  b.version = GOSSIPSIM_VERSION;
  b.git_sha = GOSSIPSIM_GIT_SHA;
#if defined(__clang__)
  b.compiler = "clang " __clang_version__;
#elif defined(__GNUC__)
  b.compiler = "g++ " __VERSION__;
#else
  b.compiler = "unknown";
#endif
  b.build_type = GOSSIPSIM_BUILD_TYPE;
  b.backend = par::backend_name();
  b.tbb_version = par::tbb_version();
  return b;
}

}  // namespace gossip
