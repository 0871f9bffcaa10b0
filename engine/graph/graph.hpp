// Graph: what a generator or loader hands to the engine. Kernels are templates over the concrete
// type, chosen once with visit(); no virtual call in a hot loop.
#pragma once
#include <variant>

#include "graph/complete.hpp"
#include "graph/csr.hpp"

namespace gossip {

using Graph = std::variant<CsrGraph, CompleteGraph>;

// What a kernel may use beyond degree(v), neighbor(v, i) and neighbors(v): `rows`, the CSR arrays
// offsets() and adjacency() (to prefetch a row or read a slot directly); `implicit_complete`,
// every node adjacent to every other, nothing stored (a uniform degree, no rows to load).
template <class G>
struct GraphTraits;
template <>
struct GraphTraits<CsrGraph> {
  static constexpr bool rows = true;
  static constexpr bool implicit_complete = false;
};
template <>
struct GraphTraits<CompleteGraph> {
  static constexpr bool rows = false;
  static constexpr bool implicit_complete = true;
};
template <class G>
inline constexpr bool has_rows = GraphTraits<G>::rows;
template <class G>
inline constexpr bool is_implicit_complete = GraphTraits<G>::implicit_complete;

// The capabilities of a graph that the step chooser reads (sim/step.hpp).
struct GraphCaps {
  bool implicit_complete = false;
  bool directed = false;
  template <class G>
  static GraphCaps of(const G& g) {
    return {is_implicit_complete<G>, g.directed()};
  }
};

template <class F>
decltype(auto) visit_graph(const Graph& g, F&& f) {
  return std::visit(std::forward<F>(f), g);
}

}  // namespace gossip
