// CompleteGraph: K_n held implicitly (no adjacency stored), behind the same small interface as
// CsrGraph (degree, i-th neighbor, uniform random neighbor), so complete:n=1e9 costs nothing
// beyond per-node state. Row v is 0..n-1 without v, in ascending order.
#pragma once
#include <cstdint>

#include "core/types.hpp"
#include "graph/csr.hpp"

namespace gossip {

class CompleteGraph {
 public:
  explicit CompleteGraph(NodeId n) : n_(n) {}

  NodeId num_nodes() const { return n_; }
  EdgeIdx num_arcs() const { return EdgeIdx{n_} * (n_ ? n_ - 1 : 0); }
  EdgeIdx num_edges() const { return num_arcs() / 2; }
  bool directed() const { return false; }
  BuildCounts counts() const { return {}; }

  NodeId degree(NodeId) const { return n_ ? n_ - 1 : 0; }
  NodeId neighbor(NodeId v, NodeId i) const { return i < v ? i : i + 1; }
  template <class Stream>
  NodeId random_neighbor(NodeId v, Stream& s) const {
    return neighbor(v, s.below(n_ - 1));
  }
  std::uint64_t memory_bytes() const { return 0; }

 private:
  NodeId n_;
};

}  // namespace gossip
