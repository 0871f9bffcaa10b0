// Many posts in one run against the same posts one by one (issue 26's benchmark): the social
// scenario at scale as data/social/social_scale.toml has it, ba:n=1e6,m=8 with 1,024 posts
// created over 100 rounds, each alive 50 rounds, flood with forward probability 1/2 and Bernoulli
// churn, whole runs of simulate() (no output). `many` runs the
// 1,024 posts in one run; `alone` runs `range(1)` of them, each in a run of its own (the post
// renumbered to a lane of word 0, so a run holds one word per node, as a one-post run should,
// and created in round 0, so no empty rounds precede it),
// and reports the time per post. Counters: rounds per second, the posts state's bytes per
// user-post (run_memory's parts), and for `alone` the extrapolation to all 1,024.
// Run: build/release/bench/bench_posts [--benchmark_filter=...]
#include <benchmark/benchmark.h>

#include <chrono>
#include <string>

#include "core/parallel.hpp"
#include "graph_cache.hpp"
#include "protocol/fault_spec.hpp"
#include "sim/posts.hpp"
#include "sim/simulate.hpp"

namespace {

using namespace gossip;
using bench::cached_graph;

constexpr std::uint64_t kPosts = 1024;
const char* const kGraph = "ba:n=1e6,m=8";

struct Rounds : Sink {
  Round last = 0;
  void on_round(std::uint32_t, Round r, const RoundStats&) override { last = r; }
};

ProtocolSpec scenario(const Graph& g) {
  ProtocolSpec p{.mode = Mode::flood, .fanout = 1, .no_repeat = false, .forward_prob = 0.5, .ttl = 0,
                 .stop = StopRule::none, .k = 1, .sources = 1, .source_nodes = {}, .loss = 0.0,
                 .recovery_prob = 1.0};
  std::string why;
  p.faults.churn = *parse_churn("bernoulli:fail=0.01,recover=0.1", why);
  const NodeId n = visit_graph(g, [](const auto& x) { return x.num_nodes(); });
  p.posts.list = generate_posts(n, kPosts, 10.24, 1, JoinSpec{});
  p.posts.lifetime = 50;
  return p;
}

double run_once(const Graph& g, const ProtocolSpec& p, Round& rounds) {
  Rounds sink;
  const RunParams rp{.seed = 1, .trials = 1, .trial_offset = 0, .max_rounds = 100000};
  const auto t0 = std::chrono::steady_clock::now();
  simulate(g, p, rp, sink);
  rounds = sink.last;
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void many(benchmark::State& state) {
  par::set_threads(static_cast<int>(state.range(0)));
  const Graph& g = cached_graph(kGraph);
  const ProtocolSpec p = scenario(g);
  Round rounds = 0;
  double seconds = 0;
  for (auto _ : state) seconds += run_once(g, p, rounds);
  const NodeId n = visit_graph(g, [](const auto& x) { return x.num_nodes(); });
  MemoryPlan m;
  posts_memory(m, g, p, RunParams{}, par::threads(), false);  // the state: no checkpoint, one round of rows
  state.counters["rounds"] = rounds;
  state.counters["rounds_per_s"] = rounds * static_cast<double>(state.iterations()) / seconds;
  state.counters["bytes_per_user_post"] = static_cast<double>(m.total()) / (static_cast<double>(n) * kPosts);
  state.counters["s_per_post"] = seconds / static_cast<double>(state.iterations()) / kPosts;
}

void alone(benchmark::State& state) {
  par::set_threads(static_cast<int>(state.range(0)));
  const auto sample = static_cast<std::size_t>(state.range(1));
  const Graph& g = cached_graph(kGraph);
  const ProtocolSpec all = scenario(g);
  double seconds = 0;
  Round rounds = 0, total_rounds = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < sample; ++i) {
      ProtocolSpec one = all;
      PostSeed q = all.posts.list[i * (kPosts / sample)];
      q.id %= 64;
      q.created = 0;  // a post run alone starts at once (no empty rounds before it)
      one.posts.list = {q};
      seconds += run_once(g, one, rounds);
      total_rounds += rounds;
    }
  }
  const double per_post = seconds / static_cast<double>(state.iterations()) / static_cast<double>(sample);
  state.counters["s_per_post"] = per_post;
  state.counters["s_all_1024"] = per_post * kPosts;
  state.counters["rounds_mean"] = static_cast<double>(total_rounds) / static_cast<double>(state.iterations() * sample);
}

}  // namespace

BENCHMARK(many)->ArgNames({"threads"})->Args({1})->Args({2})->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();
BENCHMARK(alone)->ArgNames({"threads", "sample"})->Args({2, 32})->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

BENCHMARK_MAIN();
