// Aggregation rounds (push-sum, averaging, pairwise) on er:n=1e5 .. 1e7,d=8 and complete:n=1e5 ..
// 1e8 at 1 and 2 threads: exchanges per second (averaging, pairwise: initiated exchanges, n per
// round; push-sum: shares sent, n per round at fanout 1), a round alone and with its
// observables; cpu_per_wall: the process's user + system CPU time over the wall time of the
// timed rounds (about the threads' count on a quiet machine, less where other work shares it).
// Run: build/release/bench/bench_aggregate [--benchmark_filter=...]
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <chrono>
#include <string>

#include "core/parallel.hpp"
#include "graph_cache.hpp"
#include "sim/aggregate.hpp"

namespace {

using namespace gossip;

using bench::cached_graph;

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         1e-6 * static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

void rounds(benchmark::State& state, const std::string& spec, Mode mode, StepKind kind) {
  const int threads = static_cast<int>(state.range(0));
  const bool observe_too = state.range(1) != 0;
  par::set_threads(threads);
  const Graph& g = cached_graph(spec);
  ProtocolSpec p{.mode = mode, .fanout = 1, .no_repeat = false, .forward_prob = 1.0, .ttl = 0,
                 .stop = StopRule::none, .k = 1, .sources = 1, .source_nodes = {}, .loss = 0.0,
                 .recovery_prob = 1.0};
  p.aggregate = {.init = "uniform:0,1", .target = "average", .eps = 1e-6};
  std::string why;
  const AggregateParams a = *parse_aggregate(p.aggregate, why);
  const NodeId n = visit_graph(g, [](const auto& x) { return x.num_nodes(); });
  AggregateState st;
  AggregateScratch scratch;
  aggregate_init(n, mode, a, 1, 0, st);
  const double truth = aggregate_truth(n, mode, a, st);
  Round r = 0;
  double exchanges = 0;
  aggregate_round(kind, g, p, 1, 0, ++r, st, scratch);  // scratch sized
  const double cpu0 = cpu_seconds();
  const auto wall0 = std::chrono::steady_clock::now();
  for (auto _ : state) {
    const AggregateCounts c = aggregate_round(kind, g, p, 1, 0, ++r, st, scratch);
    if (observe_too) benchmark::DoNotOptimize(observe(mode, a, st, truth, nullptr, nullptr));
    exchanges += static_cast<double>(mode == Mode::push_sum ? c.messages : c.messages / 2);
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  state.counters["cpu_per_wall"] = (cpu_seconds() - cpu0) / wall;
  state.counters["threads"] = threads;
  state.counters["exchanges_per_s"] = benchmark::Counter(exchanges, benchmark::Counter::kIsRate);
}

void args(benchmark::internal::Benchmark* b) {
  b->Args({1, 0})->Args({2, 0})->Args({1, 1})->Args({2, 1})->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);
}

}  // namespace

BENCHMARK_CAPTURE(rounds, pushsum_er_1e5, std::string("er:n=1e5,d=8"), Mode::push_sum, StepKind::push_sum)->Apply(args);
BENCHMARK_CAPTURE(rounds, averaging_er_1e5, std::string("er:n=1e5,d=8"), Mode::averaging, StepKind::averaging)->Apply(args);
BENCHMARK_CAPTURE(rounds, pairwise_er_1e5, std::string("er:n=1e5,d=8"), Mode::pairwise, StepKind::pairwise)->Apply(args);
BENCHMARK_CAPTURE(rounds, pushsum_er_1e6, std::string("er:n=1e6,d=8"), Mode::push_sum, StepKind::push_sum)->Apply(args);
BENCHMARK_CAPTURE(rounds, averaging_er_1e6, std::string("er:n=1e6,d=8"), Mode::averaging, StepKind::averaging)->Apply(args);
BENCHMARK_CAPTURE(rounds, pairwise_er_1e6, std::string("er:n=1e6,d=8"), Mode::pairwise, StepKind::pairwise)->Apply(args);
BENCHMARK_CAPTURE(rounds, pushsum_er_1e7, std::string("er:n=1e7,d=8"), Mode::push_sum, StepKind::push_sum)->Apply(args);
BENCHMARK_CAPTURE(rounds, averaging_er_1e7, std::string("er:n=1e7,d=8"), Mode::averaging, StepKind::averaging)->Apply(args);
BENCHMARK_CAPTURE(rounds, pairwise_er_1e7, std::string("er:n=1e7,d=8"), Mode::pairwise, StepKind::pairwise)->Apply(args);
BENCHMARK_CAPTURE(rounds, pushsum_complete_1e5, std::string("complete:n=1e5"), Mode::push_sum, StepKind::push_sum)->Apply(args);
BENCHMARK_CAPTURE(rounds, averaging_complete_1e5, std::string("complete:n=1e5"), Mode::averaging, StepKind::averaging)->Apply(args);
BENCHMARK_CAPTURE(rounds, pairwise_complete_1e5, std::string("complete:n=1e5"), Mode::pairwise, StepKind::pairwise)->Apply(args);
BENCHMARK_CAPTURE(rounds, pushsum_complete_1e6, std::string("complete:n=1e6"), Mode::push_sum, StepKind::push_sum)->Apply(args);
BENCHMARK_CAPTURE(rounds, averaging_complete_1e6, std::string("complete:n=1e6"), Mode::averaging, StepKind::averaging)->Apply(args);
BENCHMARK_CAPTURE(rounds, pairwise_complete_1e6, std::string("complete:n=1e6"), Mode::pairwise, StepKind::pairwise)->Apply(args);
BENCHMARK_CAPTURE(rounds, pushsum_complete_1e7, std::string("complete:n=1e7"), Mode::push_sum, StepKind::push_sum)->Apply(args);
BENCHMARK_CAPTURE(rounds, averaging_complete_1e7, std::string("complete:n=1e7"), Mode::averaging, StepKind::averaging)->Apply(args);
BENCHMARK_CAPTURE(rounds, pairwise_complete_1e7, std::string("complete:n=1e7"), Mode::pairwise, StepKind::pairwise)->Apply(args);
BENCHMARK_CAPTURE(rounds, pushsum_complete_1e8, std::string("complete:n=1e8"), Mode::push_sum, StepKind::push_sum)->Apply(args);
BENCHMARK_CAPTURE(rounds, averaging_complete_1e8, std::string("complete:n=1e8"), Mode::averaging, StepKind::averaging)->Apply(args);

BENCHMARK_MAIN();
