// One round of push, pull, push-pull and flood (the engine's own step_dense / step_sparse) on
// er:n=1e7,d=8, complete:n=1e8 and rmat:scale=24,ef=16, from a prepared state, and the RNG draws
// of a contact. Frontiers: `all` (every node informed: every node pushes), `half` (a random half
// informed at round 0: push-pull then has every node active), `sparse` (1 % of the nodes act,
// through the sparse step). Counters: actors_per_s (acting nodes per second), msgs_per_s (copies
// sent), node_rounds_per_s (n per round time), and their ratio to the random scatter rate that
// bench/limits measures in the same process at the same thread count (vs_scatter).
// Run: [GOSSIPSIM_BENCH_THREADS=1,2,4,8,16] build/release/bench/bench_kernels [--benchmark_filter=...]
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>

#include "core/parallel.hpp"
#include "core/threads.hpp"
#include "gen/generate.hpp"
#include "limits.hpp"
#include "sim/round.hpp"

namespace {

using namespace gossip;

enum class Front { all, half, sparse };
constexpr std::uint64_t kSeed = 1;

const Graph& cached_graph(const std::string& spec) {
  static std::map<std::string, std::unique_ptr<Graph>> cache;
  auto& slot = cache[spec];
  if (!slot) {
    par::set_threads(std::max(2, affinity_cpu_count()));  // build with the whole machine
    slot = std::make_unique<Graph>(generate(parse_spec(spec), {}));
  }
  return *slot;
}

std::uint64_t mix(std::uint64_t x) {
  x = (x ^ (x >> 31) ^ 0x5851f42d4c957f2dull) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// Informed at round 0 or never; round 1 runs.
bool informed0(NodeId v, Mode mode, Front f) {
  const std::uint64_t h = mix(v) % 100;
  if (f == Front::all) return true;
  if (f == Front::half) return h < 50;
  return mode == Mode::pull ? h != 0 : h == 0;  // sparse: 1 % act
}

// The unbatched round (act() node by node, as before sim/batch.hpp): the before/after baseline.
template <class G>
RoundStats step_unbatched(const G& g, RumorState& st, const RoundContext& c, const std::vector<NodeId>* frontier,
                          std::vector<NodeId>& newly) {
  const std::size_t count = frontier ? frontier->size() : g.num_nodes();
  std::vector<std::vector<NodeId>> parts(par::num_blocks(count, kRoundBlock));
  const RoundStats s = par::reduce_blocks(
      count, kRoundBlock, RoundStats{},
      [&](std::size_t b, std::size_t lo, std::size_t hi) {
        RoundStats part;
        auto on_new = [&](NodeId w) { if (frontier) parts[b].push_back(w); };
        for (std::size_t i = lo; i < hi; ++i)
          act(g, st, c, frontier ? (*frontier)[i] : static_cast<NodeId>(i), part, on_new);
        return part;
      },
      [](RoundStats a, const RoundStats& b) { return a + b; });
  for (const auto& p : parts) newly.insert(newly.end(), p.begin(), p.end());
  return s;
}

template <class G>
void round_kernel(benchmark::State& state, const G& g, Mode mode, Front front) {
  const int threads = static_cast<int>(state.range(0));
  const bench::Limits& lim = bench::limits_at(threads);
  par::set_threads(threads);
  const NodeId n = g.num_nodes();
  const ProtocolSpec spec{.mode = mode, .fanout = 1, .no_repeat = false, .forward_prob = 1.0, .ttl = 0,
                          .stop = StopRule::none, .k = 1, .sources = 1, .source_nodes = {}, .loss = 0.0,
                          .recovery_prob = 1.0};
  const Features features = Features::of(spec, GraphCaps::of(g));
  const Tuning tuning;
  RumorState st(n, spec, features, tuning);
  Array<Round> saved(n);
  par::parallel_for(0, n, [&](std::size_t v) {
    saved[v] = st.informed_at[v] = informed0(static_cast<NodeId>(v), mode, front) ? 0 : kNever;
  });
  const RoundContext ctx{spec, tuning, Thresholds::of(spec), Rng(kSeed, 0, 1), kSeed, 0, 1};
  auto acts = [&](NodeId v) {
    const bool inf = st.when(v) == 0;
    if (g.degree(v) == 0) return false;
    return mode == Mode::push || mode == Mode::flood ? inf : mode == Mode::pull ? !inf : true;
  };
  const std::vector<NodeId> actors =
      filter_nodes(n, [](std::size_t i) { return static_cast<NodeId>(i); }, acts);
  const bool sparse = front == Front::sparse;
  // The step the chooser takes for a round of this direction (sim/step.hpp).
  constexpr StepKind kSparseOrder[] = {StepKind::binned, StepKind::sparse_batched, StepKind::sparse};
  const StepKind kind = sparse ? first_supported(kSparseOrder, features) : dense_step(features, n, tuning);
  std::vector<NodeId> newly;
  RoundStats last;
  double seconds = 0;  // the rounds' own wall time (what the timer sees), for vs_scatter
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    if (state.range(1) == 0)
      last = step_unbatched(g, st, ctx, sparse ? &actors : nullptr, newly);
    else
      last = run_step(kind, g, st, ctx, StepInputs{actors}, newly).stats;
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (last.newly_informed) {
      state.PauseTiming();
      newly.clear();
      par::parallel_for(0, n, [&](std::size_t v) { st.informed_at[v] = saved[v]; });
      state.ResumeTiming();
    }
  }
  const double it = static_cast<double>(state.iterations());
  const double a = static_cast<double>(actors.size()) * it, m = static_cast<double>(last.messages) * it;
  state.counters["threads"] = threads;
  state.counters["batched"] = static_cast<double>(state.range(1));
  state.counters["actors"] = static_cast<double>(actors.size());
  state.counters["actors_per_s"] = benchmark::Counter(a, benchmark::Counter::kIsRate);
  state.counters["msgs_per_s"] = benchmark::Counter(m, benchmark::Counter::kIsRate);
  state.counters["node_rounds_per_s"] = benchmark::Counter(static_cast<double>(n) * it, benchmark::Counter::kIsRate);
  // Flood's work is per copy, the others' per acting node.
  const double work = mode == Mode::flood ? m : a;
  state.counters["vs_scatter"] = work / seconds / lim.scatter_per_s;  // a ratio (no kIsRate: it would print "/s")
  state.counters["scatter_per_s"] = lim.scatter_per_s;
}

void round_on(benchmark::State& state, const std::string& spec, Mode mode, Front front) {
  visit_graph(cached_graph(spec), [&](const auto& g) { round_kernel(state, g, mode, front); });
}

// Philox block + Lemire index of one push contact per node, summed (degree 8).
void rng_draws(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  const bench::Limits& lim = bench::limits_at(threads);
  par::set_threads(threads);
  constexpr std::size_t kN = 10'000'000;
  const Rng rng(kSeed, 0, 1);
  std::uint64_t sum = 0;
  double seconds = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    sum += par::reduce_blocks(
        kN, 1 << 16, std::uint64_t{0},
        [&](std::size_t, std::size_t lo, std::size_t hi) {
          std::uint64_t s = 0;
          for (std::size_t v = lo; v < hi; ++v) {
            const auto id = static_cast<NodeId>(v);
            s += pick_index(rng, rng.block(id, 0), id, 0, 8);
          }
          return s;
        },
        [](std::uint64_t x, std::uint64_t y) { return x + y; });
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  benchmark::DoNotOptimize(sum);
  const double d = static_cast<double>(kN) * static_cast<double>(state.iterations());
  state.counters["threads"] = threads;
  state.counters["draws_per_s"] = benchmark::Counter(d, benchmark::Counter::kIsRate);
  state.counters["vs_scatter"] = d / seconds / lim.scatter_per_s;
}

struct Case {
  const char* name;
  const char* spec;
  Mode mode;
  Front front;
  int iterations;
  bool baseline;  // also run the unbatched round
};

}  // namespace

int main(int argc, char** argv) {
  const Case cases[] = {
      {"push_all/er_1e7", "er:n=1e7,d=8", Mode::push, Front::all, 5, true},
      {"push_half/er_1e7", "er:n=1e7,d=8", Mode::push, Front::half, 5, true},
      {"push_sparse/er_1e7", "er:n=1e7,d=8", Mode::push, Front::sparse, 20, true},
      {"pull_half/er_1e7", "er:n=1e7,d=8", Mode::pull, Front::half, 5, true},
      {"pull_sparse/er_1e7", "er:n=1e7,d=8", Mode::pull, Front::sparse, 20, true},
      {"pushpull_half/er_1e7", "er:n=1e7,d=8", Mode::push_pull, Front::half, 5, true},
      {"flood_half/er_1e7", "er:n=1e7,d=8", Mode::flood, Front::half, 5, true},
      {"flood_sparse/er_1e7", "er:n=1e7,d=8", Mode::flood, Front::sparse, 20, true},
      {"push_all/complete_1e8", "complete:n=1e8", Mode::push, Front::all, 2, true},
      {"push_sparse/complete_1e8", "complete:n=1e8", Mode::push, Front::sparse, 5, false},
      {"pull_half/complete_1e8", "complete:n=1e8", Mode::pull, Front::half, 2, false},
      {"pushpull_half/complete_1e8", "complete:n=1e8", Mode::push_pull, Front::half, 2, false},
      {"push_all/rmat_24", "rmat:scale=24,ef=16", Mode::push, Front::all, 3, false},
      {"push_half/rmat_24", "rmat:scale=24,ef=16", Mode::push, Front::half, 3, false},
      {"push_sparse/rmat_24", "rmat:scale=24,ef=16", Mode::push, Front::sparse, 10, false},
      {"pull_half/rmat_24", "rmat:scale=24,ef=16", Mode::pull, Front::half, 3, false},
      {"pushpull_half/rmat_24", "rmat:scale=24,ef=16", Mode::push_pull, Front::half, 3, false},
      {"flood_half/rmat_24", "rmat:scale=24,ef=16", Mode::flood, Front::half, 3, false},
      {"flood_sparse/rmat_24", "rmat:scale=24,ef=16", Mode::flood, Front::sparse, 10, false},
  };
  // Thread counts: GOSSIPSIM_BENCH_THREADS="1,2,4,..." (default 1,2: this project's machines).
  std::vector<int> counts;
  const char* env = std::getenv("GOSSIPSIM_BENCH_THREADS");
  for (const char* p = env ? env : "1,2"; *p;) {
    char* end = nullptr;
    const long t = std::strtol(p, &end, 10);
    if (end == p || t < 1 || t > 4096) {
      std::fprintf(stderr, "bench_kernels: error: GOSSIPSIM_BENCH_THREADS='%s' is not a list like 1,2,4\n", env);
      return 2;
    }
    counts.push_back(static_cast<int>(t));
    p = *end == ',' ? end + 1 : end;
  }
  // Args: {threads, batched}; batched 0 is the baseline (before sim/batch.hpp).
  for (const Case& c : cases) {
    auto* b = benchmark::RegisterBenchmark(c.name, [c](benchmark::State& s) { round_on(s, c.spec, c.mode, c.front); });
    for (int batched : {1, 0})
      if (batched || c.baseline)
        for (int t : counts) b->Args({t, batched});
    b->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(c.iterations);
  }
  auto* rng = benchmark::RegisterBenchmark("rng_draws", rng_draws);
  for (int t : counts) rng->Arg(t);
  rng->Unit(benchmark::kMillisecond)->UseRealTime();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  for (int t : counts) std::fprintf(stderr, "limits: %s\n", bench::to_json(bench::limits_at(t)).c_str());
  benchmark::Shutdown();
  return 0;
}
