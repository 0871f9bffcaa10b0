// Deterministic families: ring, path, star, grid (optionally a torus) and hypercube. Each is an
// EdgeSource whose blocks are ranges of nodes; node u emits its edges to larger-or-wrapped ids.
#include <algorithm>

#include "gen/common.hpp"
#include "gen/families.hpp"

namespace gossip::gen {
namespace {

constexpr std::uint64_t kNodesPerBlock = 1 << 16;

// Emits, for each node u of a block, the edges make(u, emit) produces.
template <class Make>
struct PerNode {
  NodeId n;
  Make make;
  NodeId num_nodes() const { return n; }
  std::size_t num_blocks() const { return Blocks{n, kNodesPerBlock}.count(); }
  template <class Emit>
  void block(std::size_t b, Emit&& emit) const {
    const Blocks blocks{n, kNodesPerBlock};
    for (std::uint64_t u = blocks.lo(b); u < blocks.hi(b); ++u) make(static_cast<NodeId>(u), emit);
  }
};
template <class Make>
PerNode(NodeId, Make) -> PerNode<Make>;

template <class Make>
Graph build(const GenSpec& spec, const GenOptions& opt, NodeId n, std::uint64_t arcs, Make make) {
  return build_checked(PerNode{n, make}, arcs, spec, opt, false);
}

}  // namespace

Graph make_ring(const GenSpec& spec, const GenOptions& opt) {
  const Params p(spec, {"n"});
  const NodeId n = p.nodes("n", 3);
  return build(spec, opt, n, 2ull * n, [n](NodeId u, auto& emit) { emit(u, u + 1 == n ? 0 : u + 1); });
}

Graph make_path(const GenSpec& spec, const GenOptions& opt) {
  const Params p(spec, {"n"});
  const NodeId n = p.nodes("n");
  return build(spec, opt, n, 2ull * n, [n](NodeId u, auto& emit) {
    if (u + 1 < n) emit(u, u + 1);
  });
}

Graph make_star(const GenSpec& spec, const GenOptions& opt) {
  const Params p(spec, {"n"});
  const NodeId n = p.nodes("n");
  return build(spec, opt, n, 2ull * n, [](NodeId u, auto& emit) {
    if (u > 0) emit(0, u);
  });
}

Graph make_grid(const GenSpec& spec, const GenOptions& opt) {
  const Params p(spec, {"rows", "cols", "torus"});
  const std::uint64_t rows = p.count("rows"), cols = p.count("cols");
  const bool torus = p.flag_or("torus", false);
  if (rows < 1) p.fail_value("rows", "at least 1");
  if (cols < 1) p.fail_value("cols", "at least 1");
  if (torus && rows < 3) p.fail_value("rows", "at least 3 for a torus");
  if (torus && cols < 3) p.fail_value("cols", "at least 3 for a torus");
  if (rows > kMaxNodes / cols)
    p.fail("rows * cols = " + std::to_string(rows * cols) + " exceeds the node limit 4294967294");
  const auto n = static_cast<NodeId>(rows * cols);
  const auto c = static_cast<NodeId>(cols);
  return build(spec, opt, n, 4ull * n, [=](NodeId u, auto& emit) {
    const NodeId row = u / c, col = u % c;
    if (col + 1 < c) emit(u, u + 1);
    else if (torus) emit(u, u + 1 - c);
    if (row + 1 < rows) emit(u, u + c);
    else if (torus) emit(u, col);
  });
}

Graph make_hypercube(const GenSpec& spec, const GenOptions& opt) {
  const Params p(spec, {"dim"});
  const std::uint64_t dim = p.count("dim");
  if (dim > 31) p.fail_value("dim", "at most 31 (2^dim nodes, below 2^32 - 1)");
  const auto n = static_cast<NodeId>(std::uint64_t{1} << dim);
  return build(spec, opt, n, std::uint64_t{n} * std::max<std::uint64_t>(dim, 1),
               [dim](NodeId u, auto& emit) {
                 for (std::uint64_t bit = 0; bit < dim; ++bit)
                   if (!(u >> bit & 1)) emit(u, u | (NodeId{1} << bit));
               });
}

}  // namespace gossip::gen
