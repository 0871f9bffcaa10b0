// What this binary is: version, git sha, compiler, build type, parallel backend and library
// versions (printed by --version, stored in output provenance).
#pragma once
#include <string>

namespace gossip {

struct BuildInfo {
  std::string version;
  std::string git_sha;
  std::string compiler;
  std::string build_type;
  std::string backend;
  std::string tbb_version;
};

BuildInfo build_info();

}  // namespace gossip
