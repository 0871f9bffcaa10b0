// gossipsim's binary CSR (".gcsr"), little-endian, memory-mapped on load:
//   offset 0   char[8]  magic "GOSSCSR\0"
//          8   u32      version (1, or 2 when bit 2 of flags is set; both are read)
//         12   u32      flags: bit 0 directed, bit 1 original ids present, bit 2 latencies present
//         16   u64      n (nodes, <= 2^32 - 2)
//         24   u64      arcs (stored neighbor entries)
//         32   u64 x 3  self_loops_dropped, duplicates_dropped, self_loops (kept): BuildCounts
//         56   u32      id width in bytes (4); u32 reserved (0)
//         64   u64[n+1] offsets (offsets[0] = 0, non-decreasing, offsets[n] = arcs)
//              u32[arcs] neighbors (< n, each row non-decreasing); zero padding to 8 bytes
//              u32[arcs] latencies (flag bit 2; <= 2^31 - 2, parallel to neighbors); zero padding to 8
//              u64[n]   original ids (flag bit 1; strictly ascending)
// The writer writes version 1 for a graph without latencies (older readers take it) and 2 with.
// The file length must be exactly this. load_gcsr validates everything in one parallel O(arcs)
// pass and hands back a CsrGraph whose arrays are views of the mapping (no copy). Not checked:
// that an undirected graph's rows are symmetric (the writer guarantees it).
#pragma once
#include <memory>
#include <string>
#include <string_view>

#include "graph/csr.hpp"

namespace gossip::io {

inline constexpr char kGcsrMagic[8] = {'G', 'O', 'S', 'S', 'C', 'S', 'R', '\0'};
inline constexpr std::uint32_t kGcsrVersion = 2;  // the newest version read and written

// Writes g atomically (io/atomic_output.hpp). Throws ResourceError on I/O failure.
void write_gcsr(const CsrGraph& g, const std::string& path);

// Maps and validates; InputError "path: at byte B: expected ..., found ..." on any violation.
CsrGraph load_gcsr(const std::string& path);

// The same from bytes in memory; `owner` keeps them alive (the graph's arrays point into them).
CsrGraph gcsr_from_bytes(std::string_view bytes, const std::string& path, std::shared_ptr<const void> owner);

}  // namespace gossip::io
