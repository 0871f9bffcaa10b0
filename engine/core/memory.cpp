#include "core/memory.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "core/error.hpp"
#include "core/numbers.hpp"

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

// GOSSIPSIM_MEMORY_LIMIT less this process's resident set; UINT64_MAX when it is not set.
std::uint64_t env_headroom() {
  const char* text = std::getenv(kMemoryLimitEnv);
  if (!text || !*text) return UINT64_MAX;
  const std::optional<std::uint64_t> limit = parse_size(text);
  if (!limit)
    throw UsageError(fmt::format("{}: expected a size (4GiB, 512M, 1e9 bytes), found '{}'", kMemoryLimitEnv, text));
  const std::uint64_t rss = proc_kb_field("/proc/self/status", "VmRSS");
  return *limit > rss ? *limit - rss : 0;
}

}  // namespace

std::optional<std::uint64_t> parse_size(std::string_view text) {
  std::size_t end = text.size();
  while (end > 0 && std::isalpha(static_cast<unsigned char>(text[end - 1]))) --end;
  std::string unit(text.substr(end));
  for (char& c : unit) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (unit.size() == 3 && unit[1] == 'I' && unit[2] == 'B') unit = unit.substr(0, 1);
  else if (unit.size() == 2 && unit[1] == 'B') unit = unit.substr(0, 1);
  unsigned shift = 0;
  if (unit == "K") shift = 10;
  else if (unit == "M") shift = 20;
  else if (unit == "G") shift = 30;
  else if (unit == "T") shift = 40;
  else if (!unit.empty() && unit != "B") return std::nullopt;
  std::string_view number = text.substr(0, end);
  while (!number.empty() && number.back() == ' ') number.remove_suffix(1);
  const std::optional<std::uint64_t> count = parse_count(number);
  if (!count || (shift && *count > (UINT64_MAX >> shift))) return std::nullopt;
  return *count << shift;
}

std::uint64_t available_memory_bytes() {
  std::uint64_t avail = proc_kb_field("/proc/meminfo", "MemAvailable");
  if (avail == 0) avail = UINT64_MAX;
  return std::min({avail, cgroup_headroom(), env_headroom()});
}

std::uint64_t peak_rss_bytes() { return proc_kb_field("/proc/self/status", "VmHWM"); }

std::string format_gib(std::uint64_t bytes) {
  char buf[64];
  const double gib = static_cast<double>(bytes) / (1024.0 * 1024 * 1024);
  std::snprintf(buf, sizeof buf, gib < 10 ? "%.2f GiB" : "%.1f GiB", gib);
  return buf;
}

void MemoryPlan::add(std::string name, std::string what, std::uint64_t bytes, bool transient) {
  if (bytes) parts.push_back({std::move(name), std::move(what), bytes, transient});
}

void MemoryPlan::add(const MemoryPlan& other) {
  for (const MemoryPart& p : other.parts) add(p.name, p.what, p.bytes, p.transient);
}

std::uint64_t MemoryPlan::total() const {
  std::uint64_t t = 0, moment = 0;
  for (const MemoryPart& p : parts) {
    if (p.transient) moment = std::max(moment, p.bytes);
    else t += p.bytes;
  }
  return t + moment;
}

std::string MemoryPlan::largest(std::size_t k) const {
  std::vector<MemoryPart> sorted = parts;
  std::stable_sort(sorted.begin(), sorted.end(), [](const MemoryPart& a, const MemoryPart& b) { return a.bytes > b.bytes; });
  std::string out;
  for (std::size_t i = 0; i < std::min(k, sorted.size()); ++i)
    out += (i ? ", " : "") + sorted[i].what + " " + format_gib(sorted[i].bytes);
  return out;
}

void require_memory(const MemoryPlan& plan, const std::string& what) {
  const std::uint64_t bytes = plan.total(), avail = available_memory_bytes();
  if (bytes > avail)
    throw ResourceError("not enough memory for " + what + ": needs " + format_gib(bytes) + ", " + format_gib(avail) +
                        " available; largest parts: " + plan.largest(3));
}

void require_memory(std::uint64_t bytes, const std::string& what) {
  const std::uint64_t avail = available_memory_bytes();
  if (bytes > avail)
    throw ResourceError("not enough memory for " + what + ": needs " + format_gib(bytes) + ", " +
                        format_gib(avail) + " available");
}

}  // namespace gossip
