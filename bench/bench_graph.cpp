// Graph construction: generation + CSR build (edges per second) at 1 and 2 threads: er:n=1e7,d=8,
// the GAP comparison graph er:n=2^24,d=16 (uniform random, 2^24 nodes, mean degree 16), and a
// lattice for comparison. vs_scatter: arcs per second over the random scatter rate bench/limits
// measures in the same process (a counting-sort build scatters every arc once).
// Run: build/release/bench/bench_graph
#include <benchmark/benchmark.h>

#include <string>

#include "core/parallel.hpp"
#include "gen/generate.hpp"
#include "limits.hpp"

namespace {

void build_graph(benchmark::State& state, const std::string& spec) {
  const int threads = static_cast<int>(state.range(0));
  const gossip::bench::Limits& lim = gossip::bench::limits_at(threads);
  gossip::par::set_threads(threads);
  const gossip::GenSpec parsed = gossip::parse_spec(spec);
  std::uint64_t arcs = 0;
  for (auto _ : state) {
    const gossip::Graph g = gossip::generate(parsed, {});
    arcs = std::get<gossip::CsrGraph>(g).num_arcs();
    benchmark::DoNotOptimize(arcs);
  }
  const double a = static_cast<double>(arcs);
  state.counters["threads"] = threads;
  state.counters["edges_per_s"] = benchmark::Counter(a / 2, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["arcs"] = a;
  state.counters["vs_scatter"] = benchmark::Counter(a / lim.scatter_per_s, benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace

BENCHMARK_CAPTURE(build_graph, er_1e7_d8, std::string("er:n=1e7,d=8"))->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK_CAPTURE(build_graph, er_2p24_d16, std::string("er:n=2^24,d=16"))->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);
BENCHMARK_CAPTURE(build_graph, torus_3162, std::string("grid:rows=3162,cols=3162,torus=1"))->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(10);

BENCHMARK_MAIN();
