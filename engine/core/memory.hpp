// How much memory this process may still use, and a guard that refuses an allocation plan that
// cannot fit (one clear ResourceError instead of the kernel's OOM killer).
#pragma once
#include <cstdint>
#include <string>

namespace gossip {

// min(MemAvailable, cgroup limit - cgroup usage); UINT64_MAX when nothing can be read.
std::uint64_t available_memory_bytes();

// Peak resident set size of this process so far (VmHWM), in bytes; 0 when unknown.
std::uint64_t peak_rss_bytes();

// Throws ResourceError "not enough memory for WHAT: needs X GiB, Y GiB available".
void require_memory(std::uint64_t bytes, const std::string& what);

std::string format_gib(std::uint64_t bytes);

}  // namespace gossip
