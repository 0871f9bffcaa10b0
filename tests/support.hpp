// Test helpers: literal edge lists as an EdgeSource, CSR comparison, running under a thread cap.
#pragma once
#include <doctest/doctest.h>

#include <cmath>
#include <initializer_list>
#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "gen/generate.hpp"
#include "graph/build.hpp"

namespace gossip::test {

// A literal edge list, one block per `per_block` edges (several blocks exercise the parallel path).
struct EdgeList {
  NodeId n;
  std::vector<Edge> edges;
  std::size_t per_block = 2;
  NodeId num_nodes() const { return n; }
  std::size_t num_blocks() const { return (edges.size() + per_block - 1) / per_block; }
  template <class Emit>
  void block(std::size_t b, Emit&& emit) const {
    for (std::size_t i = b * per_block; i < std::min(edges.size(), (b + 1) * per_block); ++i)
      emit(edges[i].u, edges[i].v);
  }
};

inline CsrGraph build(NodeId n, std::vector<Edge> edges, BuildOptions opt = {}) {
  return build_csr(EdgeList{n, std::move(edges)}, opt);
}

// A literal weighted edge list (u, v, latency), 64 edges a block.
struct WeightedEdges {
  static constexpr bool weighted = true;
  NodeId n;
  std::vector<std::tuple<NodeId, NodeId, Latency>> edges;
  NodeId num_nodes() const { return n; }
  std::size_t num_blocks() const { return (edges.size() + 63) / 64; }
  template <class Emit>
  void block(std::size_t b, Emit&& emit) const {
    for (std::size_t i = 64 * b; i < std::min(edges.size(), 64 * (b + 1)); ++i)
      emit(std::get<0>(edges[i]), std::get<1>(edges[i]), std::get<2>(edges[i]));
  }
};

// An er-like graph of m random edges with a latency each (0 .. 6 rounds), built through the CSR
// build as a weighted edge list would be: undirected (both arcs share the latency) or directed.
inline Graph weighted_graph(NodeId n, std::size_t m, bool directed, std::uint32_t seed) {
  WeightedEdges list{n, {}};
  std::mt19937 rng(seed);
  for (std::size_t k = 0; k < m; ++k)
    list.edges.emplace_back(static_cast<NodeId>(rng() % n), static_cast<NodeId>(rng() % n), static_cast<Latency>(rng() % 7));
  return build_csr(list, {.directed = directed});
}

// The message of the InputError that load() throws, or "no error".
template <class Load>
std::string input_error(Load&& load) {
  try {
    (void)load();
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

template <class T>
std::vector<T> to_vector(std::span<const T> s) {
  return {s.begin(), s.end()};
}

inline void check_same(const CsrGraph& a, const CsrGraph& b) {
  REQUIRE(a.num_nodes() == b.num_nodes());
  CHECK(a.directed() == b.directed());
  CHECK(to_vector(a.offsets()) == to_vector(b.offsets()));
  CHECK(to_vector(a.adjacency()) == to_vector(b.adjacency()));
  CHECK(a.counts().self_loops_dropped == b.counts().self_loops_dropped);
  CHECK(a.counts().duplicates_dropped == b.counts().duplicates_dropped);
}

// (x - E) / sd for x ~ Binomial(trials, p).
inline double z_score(double x, double trials, double p) {
  return (x - trials * p) / std::sqrt(trials * p * (1.0 - p));
}

// Runs f with the backend capped at `threads` workers, then restores the previous cap.
template <class F>
decltype(auto) with_threads(int threads, F&& f) {
  const int before = par::threads();
  par::set_threads(threads);
  struct Restore {
    int n;
    ~Restore() { par::set_threads(n); }
  } restore{before};
  return f();
}

// Generates a spec as a CSR graph (fails the test when the family returns another type).
inline CsrGraph gen_csr(const char* spec, std::uint64_t seed = 1, int threads = 2) {
  return with_threads(threads, [&] {
    Graph g = generate(parse_spec(spec), {seed});
    REQUIRE(std::holds_alternative<CsrGraph>(g));
    return std::get<CsrGraph>(std::move(g));
  });
}

// Same CSR for 1 and 2 threads (and 4: more workers than cores still changes the schedule).
inline void check_thread_invariant(const char* spec, std::uint64_t seed = 7) {
  const CsrGraph one = gen_csr(spec, seed, 1);
  check_same(one, gen_csr(spec, seed, 2));
  check_same(one, gen_csr(spec, seed, 4));
}

}  // namespace gossip::test
