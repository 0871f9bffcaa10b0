// How much memory this process may still use, what a run plans to allocate (its parts, each
// naming what controls it), and a guard that refuses a plan that cannot fit: one clear
// ResourceError before anything is allocated instead of the kernel's OOM killer.
// The memory available is the least of MemAvailable (/proc/meminfo), the cgroup's limit less its
// usage (v2 memory.max - memory.current, or v1's limit_in_bytes - usage_in_bytes) and, when the
// environment sets GOSSIPSIM_MEMORY_LIMIT (a size: 4GiB, 512M, 1e9), that limit less this
// process's resident set (a limit for one job, as a scheduler's cgroup would set it).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gossip {

inline constexpr const char* kMemoryLimitEnv = "GOSSIPSIM_MEMORY_LIMIT";

// The least of the three above; UINT64_MAX when nothing can be read. Throws UsageError when
// GOSSIPSIM_MEMORY_LIMIT is set to something that is not a size.
std::uint64_t available_memory_bytes();

// Peak resident set size of this process so far (VmHWM), in bytes; 0 when unknown.
std::uint64_t peak_rss_bytes();

// A size in bytes: a count (1e9, 2^30, 1_000_000) with an optional unit K, M, G, T (powers of
// 1024; KiB, MiB, GiB, TiB and KB, MB, GB, TB the same) or B; nothing for anything else.
std::optional<std::uint64_t> parse_size(std::string_view text);

// Throws ResourceError "not enough memory for WHAT: needs X GiB, Y GiB available".
void require_memory(std::uint64_t bytes, const std::string& what);

// What a run will allocate, part by part (parts of 0 bytes are left out).
struct MemoryPart {
  std::string name;  // a short identifier (the key of the JSON summary's "memory" object)
  std::string what;  // what it is, naming the key or flag that controls it where one does
  std::uint64_t bytes = 0;
  bool transient = false;  // allocated for a moment and freed, never while another transient part is
};
struct MemoryPlan {
  std::vector<MemoryPart> parts;
  void add(std::string name, std::string what, std::uint64_t bytes, bool transient = false);
  void add(const MemoryPlan& other);
  // The peak: every part that stays, and the largest transient one.
  std::uint64_t total() const;
  // The k largest parts, largest first: "what 1.2 GiB, what 0.50 GiB".
  std::string largest(std::size_t k) const;
};

// Throws ResourceError "not enough memory for WHAT: needs X GiB, Y GiB available; largest parts:
// ..." when the plan's total exceeds what is available.
void require_memory(const MemoryPlan& plan, const std::string& what);

// "1.2 GiB" (two decimals below 10 GiB).
std::string format_gib(std::uint64_t bytes);

}  // namespace gossip
