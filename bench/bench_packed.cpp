// 64 flood trials on er:n=1e6,d=8 with forward probability 0.5 (and 1), packed in one pass
// (run.packed) against one by one, at 1 and 2 threads; both give bit-identical results
// (tests/test_packed.cpp). Counters: trials per second and arcs per second (the arcs the trials
// would traverse one by one, sum over trials of their messages). The sink skips informed_at, as
// the CLI's does; the "_informed_at" variant asks for it for every trial (bit planes + rebuild).
// The "sir" pair floods with recovery (forward probability 0.2, recovery 0.3: senders keep
// sending for 1 / 0.3 rounds on average, R0 = 3.6).
// Run: build/release/bench/bench_packed [--benchmark_filter=...]
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

struct Totals : Sink {
  bool want = false;
  double messages = 0, rounds = 0, coverage = 0;
  bool wants_informed_at(std::uint32_t) const override { return want; }
  void on_trial_end(const TrialSummary& s, std::span<const Round>, std::span<const std::uint16_t>) override {
    messages += static_cast<double>(s.messages);
    rounds += s.rounds;
    coverage += s.coverage;
  }
};

void trials64(benchmark::State& state, const std::string& spec, double p, bool packed, bool want, double recovery = 1.0) {
  const int threads = static_cast<int>(state.range(0));
  par::set_threads(threads);
  const Graph& g = cached_graph(spec);
  const ProtocolSpec proto{.mode = Mode::flood, .fanout = 1, .no_repeat = false, .forward_prob = p, .ttl = 0,
                           .stop = StopRule::none, .k = 1, .sources = 1, .source_nodes = {}, .loss = 0.0,
                           .recovery_prob = recovery};
  Totals sink;
  sink.want = want;
  constexpr std::uint64_t kTrials = 64;
  for (auto _ : state) simulate(g, proto, {1, kTrials, 0, 100000, packed ? Packing::on : Packing::off}, sink);
  const double runs = static_cast<double>(state.iterations());
  state.counters["threads"] = threads;
  state.counters["trials_per_s"] = benchmark::Counter(kTrials * runs, benchmark::Counter::kIsRate);
  state.counters["arcs_per_s"] = benchmark::Counter(sink.messages, benchmark::Counter::kIsRate);
  state.counters["mean_rounds"] = sink.rounds / (kTrials * runs);
  state.counters["mean_coverage"] = sink.coverage / (kTrials * runs);
}

void args(benchmark::internal::Benchmark* b) { b->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1); }

const std::string kEr6 = "er:n=1e6,d=8";

}  // namespace

BENCHMARK_CAPTURE(trials64, packed_p05_er_1e6, kEr6, 0.5, true, false)->Apply(args);
BENCHMARK_CAPTURE(trials64, one_by_one_p05_er_1e6, kEr6, 0.5, false, false)->Apply(args);
BENCHMARK_CAPTURE(trials64, packed_p05_er_1e6_informed_at, kEr6, 0.5, true, true)->Apply(args);
BENCHMARK_CAPTURE(trials64, packed_p1_er_1e6, kEr6, 1.0, true, false)->Apply(args);
BENCHMARK_CAPTURE(trials64, one_by_one_p1_er_1e6, kEr6, 1.0, false, false)->Apply(args);
BENCHMARK_CAPTURE(trials64, packed_sir_er_1e6, kEr6, 0.2, true, false, 0.3)->Apply(args);
BENCHMARK_CAPTURE(trials64, one_by_one_sir_er_1e6, kEr6, 0.2, false, false, 0.3)->Apply(args);
BENCHMARK_CAPTURE(trials64, packed_p05_er_1e7, std::string("er:n=1e7,d=8"), 0.5, true, false)->Apply(args);

BENCHMARK_MAIN();
