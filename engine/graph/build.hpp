// Edges -> CSR in parallel (counting sort by source, as in GAP's BuilderBase): count degrees,
// prefix-sum, scatter, then sort and deduplicate each row. The edges come from an EdgeSource that
// can replay any block: generators compute edges as pure functions of (seed, block), so the build
// runs them twice (count, scatter) and never holds an edge list. Peak memory: the final arrays
// plus 4 bytes per node. The scatter order inside a row varies with scheduling; sorting the rows
// makes the result identical for every thread count.
#pragma once
#include <atomic>
#include <concepts>
#include <cstddef>
#include <cstdint>

#include "core/array.hpp"
#include "core/types.hpp"
#include "graph/csr.hpp"

namespace gossip {

struct BuildOptions {
  bool directed = false;
  bool keep_self_loops = false;
  bool keep_duplicates = false;
};

// A replayable edge stream: block(b, emit) calls emit(u, v) for the edges of block b, the same
// edges in the same order every time; u, v < num_nodes(). A source with per-arc latencies
// declares `static constexpr bool weighted = true` and calls emit(u, v, latency) instead: the
// CSR then carries them (CsrGraph::latency), sorted with the neighbors; of duplicate arcs the
// one kept has the smallest latency, and an undirected edge's two arcs get its latency.
template <class S>
concept EdgeSource = requires(const S& s, std::size_t b, void (*emit)(NodeId, NodeId)) {
  { s.num_nodes() } -> std::convertible_to<NodeId>;
  { s.num_blocks() } -> std::convertible_to<std::size_t>;
  s.block(b, emit);
};

template <class S>
concept WeightedSource = requires { requires S::weighted; };
template <class S>
inline constexpr bool is_weighted_source = WeightedSource<S>;

// Bytes build_csr needs for a graph of n nodes and `arcs` stored arcs (before dropping).
inline std::uint64_t csr_build_bytes(std::uint64_t n, std::uint64_t arcs) {
  return 8 * (n + 1) + 4 * arcs + 4 * n;
}

namespace detail {
// Sorts and deduplicates each row in place, compacts, and fixes offsets. Defined in build.cpp.
// With latencies (parallel to neighbors; `weighted`), each row sorts by (neighbor, latency).
CsrGraph finish_csr(Array<EdgeIdx> offsets, Array<NodeId> neighbors, const BuildOptions& opt,
                    std::uint64_t self_loops_dropped, Array<Latency> latencies = {}, bool weighted = false);
// Turns counted degrees into row starts; throws when a degree exceeds 2^32 - 1.
std::uint64_t degrees_to_offsets(Array<EdgeIdx>& offsets);
void zero_fill(Array<EdgeIdx>& a);
// After the scatter each cursor sits at the next row's start: shift right by one.
void cursors_to_offsets(Array<EdgeIdx>& offsets);
[[noreturn]] void throw_bad_endpoint(NodeId u, NodeId v, NodeId n);
}  // namespace detail

template <EdgeSource Source>
CsrGraph build_csr(const Source& src, const BuildOptions& opt);

}  // namespace gossip

#include "graph/build_impl.hpp"
