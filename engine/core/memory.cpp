#include "core/memory.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "core/error.hpp"

namespace gossip {
namespace {

// First "Key: value kB" line of a /proc file, in bytes.
std::uint64_t proc_kb_field(const char* path, const std::string& key) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key + ":", 0) == 0) {
      std::istringstream s(line.substr(key.size() + 1));
      std::uint64_t kb = 0;
      if (s >> kb) return kb * 1024;
    }
  }
  return 0;
}

// A number from a cgroup file; UINT64_MAX for "max", absent or unreadable files.
std::uint64_t read_limit(const char* path) {
  std::ifstream in(path);
  std::string word;
  if (!(in >> word) || word == "max") return UINT64_MAX;
  try {
    return std::stoull(word);
  } catch (...) {
    return UINT64_MAX;
  }
}

std::uint64_t cgroup_headroom() {
  std::uint64_t limit = read_limit("/sys/fs/cgroup/memory.max");  // cgroup v2
  std::uint64_t usage = read_limit("/sys/fs/cgroup/memory.current");
  if (limit == UINT64_MAX) {  // cgroup v1
    limit = read_limit("/sys/fs/cgroup/memory/memory.limit_in_bytes");
    usage = read_limit("/sys/fs/cgroup/memory/memory.usage_in_bytes");
    if (limit >= (std::uint64_t{1} << 60)) limit = UINT64_MAX;  // v1's "unlimited"
  }
  if (limit == UINT64_MAX) return UINT64_MAX;
  if (usage == UINT64_MAX) usage = 0;
  return limit > usage ? limit - usage : 0;
}

}  // namespace

std::uint64_t available_memory_bytes() {
  std::uint64_t avail = proc_kb_field("/proc/meminfo", "MemAvailable");
  if (avail == 0) avail = UINT64_MAX;
  return std::min(avail, cgroup_headroom());
}

std::uint64_t peak_rss_bytes() { return proc_kb_field("/proc/self/status", "VmHWM"); }

std::string format_gib(std::uint64_t bytes) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f GiB", static_cast<double>(bytes) / (1024.0 * 1024 * 1024));
  return buf;
}

void require_memory(std::uint64_t bytes, const std::string& what) {
  const std::uint64_t avail = available_memory_bytes();
  if (bytes > avail)
    throw ResourceError("not enough memory for " + what + ": needs " + format_gib(bytes) + ", " +
                        format_gib(avail) + " available");
}

}  // namespace gossip
