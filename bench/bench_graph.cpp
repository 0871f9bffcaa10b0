// Graph construction: generation + CSR build of er:n=1e7,d=8 (edges per second) at 1 and 2
// threads, and lattice builds for comparison. Run: build/release/bench/bench_graph
#include <benchmark/benchmark.h>

#include <string>

#include "core/parallel.hpp"
#include "gen/generate.hpp"

namespace {

void build_graph(benchmark::State& state, const std::string& spec) {
  const int threads = static_cast<int>(state.range(0));
  gossip::par::set_threads(threads);
  const gossip::GenSpec parsed = gossip::parse_spec(spec);
  std::uint64_t arcs = 0;
  for (auto _ : state) {
    const gossip::Graph g = gossip::generate(parsed, {});
    arcs = std::get<gossip::CsrGraph>(g).num_arcs();
    benchmark::DoNotOptimize(arcs);
  }
  state.counters["threads"] = threads;
  state.counters["edges_per_s"] = benchmark::Counter(static_cast<double>(arcs / 2), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["arcs"] = static_cast<double>(arcs);
}

}  // namespace

BENCHMARK_CAPTURE(build_graph, er_1e7_d8, std::string("er:n=1e7,d=8"))->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK_CAPTURE(build_graph, torus_3162, std::string("grid:rows=3162,cols=3162,torus=1"))->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

BENCHMARK_MAIN();
