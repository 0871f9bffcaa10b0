// Whole trials of push, pull, push-pull and flood on er:n=1e7,d=8 and complete:n=1e7 / 1e8 at 1
// and 2 threads: rounds per second and node-rounds per second (n * rounds / seconds).
// Run: build/release/bench/bench_rounds [--benchmark_filter=...]
#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <string>

#include "core/parallel.hpp"
#include "gen/generate.hpp"
#include "graph_cache.hpp"
#include "sim/simulate.hpp"

namespace {

using namespace gossip;

using bench::cached_graph;

void trial(benchmark::State& state, const std::string& spec, Mode mode) {
  const int threads = static_cast<int>(state.range(0));
  par::set_threads(threads);
  const Graph& g = cached_graph(spec);
  const ProtocolSpec p{.mode = mode, .fanout = 1, .no_repeat = false, .forward_prob = 1.0, .ttl = 0,
                       .stop = StopRule::none, .k = 1, .sources = 1, .source_nodes = {}, .loss = 0.0,
                       .recovery_prob = 1.0};
  Sink sink;
  std::uint32_t t = 0;
  double rounds = 0;
  for (auto _ : state) rounds += run_trial(g, p, {1, t++, 100000}, sink).rounds;
  const double n = visit_graph(g, [](const auto& x) { return static_cast<double>(x.num_nodes()); });
  state.counters["threads"] = threads;
  state.counters["rounds"] = rounds / static_cast<double>(state.iterations());
  state.counters["rounds_per_s"] = benchmark::Counter(rounds, benchmark::Counter::kIsRate);
  state.counters["node_rounds_per_s"] = benchmark::Counter(rounds * n, benchmark::Counter::kIsRate);
}

void args(benchmark::internal::Benchmark* b) { b->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1); }

}  // namespace

BENCHMARK_CAPTURE(trial, push_er_1e7, std::string("er:n=1e7,d=8"), Mode::push)->Apply(args);
BENCHMARK_CAPTURE(trial, pull_er_1e7, std::string("er:n=1e7,d=8"), Mode::pull)->Apply(args);
BENCHMARK_CAPTURE(trial, pushpull_er_1e7, std::string("er:n=1e7,d=8"), Mode::push_pull)->Apply(args);
BENCHMARK_CAPTURE(trial, flood_er_1e7, std::string("er:n=1e7,d=8"), Mode::flood)->Apply(args);
BENCHMARK_CAPTURE(trial, push_complete_1e8, std::string("complete:n=1e8"), Mode::push)->Apply(args);
BENCHMARK_CAPTURE(trial, pull_complete_1e8, std::string("complete:n=1e8"), Mode::pull)->Apply(args);
BENCHMARK_CAPTURE(trial, pushpull_complete_1e8, std::string("complete:n=1e8"), Mode::push_pull)->Apply(args);
BENCHMARK_CAPTURE(trial, push_complete_1e7, std::string("complete:n=1e7"), Mode::push)->Apply(args);
BENCHMARK_CAPTURE(trial, pull_complete_1e7, std::string("complete:n=1e7"), Mode::pull)->Apply(args);
BENCHMARK_CAPTURE(trial, pushpull_complete_1e7, std::string("complete:n=1e7"), Mode::push_pull)->Apply(args);
BENCHMARK_CAPTURE(trial, flood_complete_1e4, std::string("complete:n=1e4"), Mode::flood)->Apply(args);

BENCHMARK_MAIN();
