// Graph: what a generator or loader hands to the engine. Kernels are templates over the concrete
// type, chosen once with visit(); no virtual call in a hot loop.
#pragma once
#include <variant>

#include "graph/complete.hpp"
#include "graph/csr.hpp"

namespace gossip {

using Graph = std::variant<CsrGraph, CompleteGraph>;

template <class F>
decltype(auto) visit_graph(const Graph& g, F&& f) {
  return std::visit(std::forward<F>(f), g);
}

}  // namespace gossip
