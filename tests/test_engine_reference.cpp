// The parallel engine against the serial reference simulator (tests/reference_sim.hpp), which
// shares nothing with it but the random numbers: for every mode x option combination on small
// graphs (ring, star, grid, er, a directed er, the implicit complete graph), per-node
// informed_at and hops and every per-round counter must be equal, at 1, 2 and 4 threads.
#include <string>

#include "reference_sim.hpp"
#include "sim/simulate.hpp"
#include "sim/state.hpp"
#include "sanitizer.hpp"
#include "support.hpp"

using namespace gossip;
using gossip::test::RefTrial;
using gossip::test::reference_trial;

namespace {

// Sanitizer builds (tests/sanitizer.hpp; ASan makes this test 20x slower) run a smaller matrix
// that keeps every path: 1 thread and 4 (several workers, one idle on three blocks) instead of
// 1, 2, 4; one push trial instead of two and flood trials 0 and 70 (the first batch and a later
// one) instead of four; the large ring has 1000 nodes; the sweep-sizing cases (sweep_specs) and
// the large binned case run half of their option grids, in which every pair of option values
// still meets.
constexpr bool kSmall = gossip::test::kSanitizer;

std::vector<int> thread_counts() { return kSmall ? std::vector<int>{1, 4} : std::vector<int>{1, 2, 4}; }

struct Collect : Sink {
  std::vector<RoundStats> rounds;
  std::vector<Round> informed_at;
  std::vector<std::uint16_t> hops;
  TrialSummary summary;
  void on_round(std::uint32_t, Round, const RoundStats& s) override { rounds.push_back(s); }
  void on_trial_end(const TrialSummary& s, std::span<const Round> ia, std::span<const std::uint16_t> h) override {
    summary = s;
    informed_at.assign(ia.begin(), ia.end());
    hops.assign(h.begin(), h.end());
  }
};

std::string describe(const ProtocolSpec& s) {
  return std::string(mode_name(s.mode)) + " fanout=" + std::to_string(s.fanout) + " no_repeat=" +
         std::to_string(s.no_repeat) + " p=" + std::to_string(s.forward_prob) + " ttl=" + std::to_string(s.ttl) +
         " loss=" + std::to_string(s.loss) + " stop=" + std::string(stop_name(s.stop)) + " k=" + std::to_string(s.k) +
         " recovery=" + std::to_string(s.recovery_prob);
}

template <class G>
void compare(const G& g, const Graph& any, const ProtocolSpec& spec, std::uint32_t trial, Round max_rounds = 400) {
  const RefTrial ref = reference_trial(g, spec, 11, trial, max_rounds);
  for (int threads : thread_counts()) {
    Collect c;
    const TrialSummary sum = gossip::test::with_threads(threads, [&] { return run_trial(any, spec, {11, trial, max_rounds}, c); });
    INFO(describe(spec), " trial ", trial, " threads ", threads);
    REQUIRE(c.rounds.size() == ref.rounds.size());
    for (std::size_t r = 0; r < ref.rounds.size(); ++r) {
      INFO("round ", r);
      CHECK(c.rounds[r] == ref.rounds[r]);
    }
    CHECK(c.informed_at == ref.informed_at);
    if (spec.ttl)
      for (std::size_t v = 0; v < ref.hops.size(); ++v)
        if (ref.informed_at[v] != kNever) CHECK(std::uint32_t{c.hops[v]} == ref.hops[v]);
    CHECK(sum.truncated == ref.truncated);
  }
}

// Every mode x option combination; `sir` adds flood with recovery (the sweep-sizing tests, about
// push and pull's bitmaps, leave it out: on a complete graph its copies are many).
std::vector<ProtocolSpec> all_specs(bool sir = true) {
  std::vector<ProtocolSpec> out;
  for (Mode m : {Mode::push, Mode::pull, Mode::push_pull, Mode::flood})
    for (std::uint32_t fanout : {1u, 3u})
      for (bool no_repeat : {false, true})
        for (double p : {1.0, 0.6})
          for (std::uint32_t ttl : {0u, 3u})
            for (double loss : {0.0, 0.25}) {
              if (m == Mode::flood && (fanout != 1 || no_repeat)) continue;
              out.push_back({m, fanout, no_repeat, p, ttl, StopRule::none, 1, 2, {}, loss, 1.0});
            }
  // Flood with recovery (SIR): senders keep sending until their coin says they recovered.
  if (sir)
    for (double recovery : {0.3, 0.7})
      for (double p : {1.0, 0.6})
        for (std::uint32_t ttl : {0u, 3u})
          for (double loss : {0.0, 0.25})
            out.push_back({Mode::flood, 1, false, p, ttl, StopRule::none, 1, 2, {}, loss, recovery});
  for (StopRule stop : {StopRule::feedback_counter, StopRule::feedback_coin, StopRule::blind_counter, StopRule::blind_coin})
    for (std::uint32_t k : {1u, 3u})
      for (double loss : {0.0, 0.25}) out.push_back({Mode::push, 1, false, 1.0, 0, stop, k, 1, {}, loss, 1.0});
  return out;
}

// The sweep-sizing tests' specs (no SIR); in sanitizer builds the half of all_specs(false) whose
// binary options (fanout 3, no_repeat, p < 1, ttl, loss; k = 3 and loss for the stop rules) are
// set an even number of times: every mode and stop rule, every option value and every pair of
// them still run.
std::vector<ProtocolSpec> sweep_specs() {
  std::vector<ProtocolSpec> out;
  for (const ProtocolSpec& s : all_specs(false)) {
    const int set = (s.fanout == 3) + s.no_repeat + (s.forward_prob < 1) + (s.ttl > 0) + (s.loss > 0) + (s.k == 3);
    if (!kSmall || set % 2 == 0) out.push_back(s);
  }
  return out;
}

void compare_all(const char* graph_spec, const std::vector<ProtocolSpec>& specs = all_specs()) {
  const Graph any = generate(parse_spec(graph_spec), {3});
  visit_graph(any, [&](const auto& g) {
    for (const ProtocolSpec& spec : specs) {
      // Flood's fate words are lanes of 64-trial batches: also trials past the first batch.
      const std::vector<std::uint32_t> trials =
          spec.mode == Mode::flood ? (kSmall ? std::vector<std::uint32_t>{0, 70} : std::vector<std::uint32_t>{0, 5, 70, 191})
                                   : (kSmall ? std::vector<std::uint32_t>{0} : std::vector<std::uint32_t>{0, 5});
      for (std::uint32_t trial : trials) compare(g, any, spec, trial);
    }
  });
}

}  // namespace

TEST_CASE("engine = reference on a ring") { compare_all("ring:n=40"); }
TEST_CASE("engine = reference on a star") { compare_all("star:n=30"); }
TEST_CASE("engine = reference on a grid") { compare_all("grid:rows=7,cols=9"); }
TEST_CASE("engine = reference on the complete graph") { compare_all("complete:n=48"); }
TEST_CASE("engine = reference on an er graph") { compare_all("er:n=300,d=3"); }
TEST_CASE("engine = reference on a directed er graph") { compare_all("er:n=200,d=3,directed=1"); }
TEST_CASE("engine = reference when sparse and dense rounds alternate (large ring, flood)") {
  // n = 4000: the flood frontier (2 nodes) is far below n / 20, push and pull switch over.
  // Sanitizer builds: n = 1000 (frontier 2 < 50; push and pull still pass n / 20 in 400 rounds).
  compare_all(kSmall ? "ring:n=1000" : "ring:n=4000");
}
TEST_CASE("engine = reference with the sweep's summary bitmap (forced on small graphs, groups of 1 and 4 words)") {
  auto& sizing = gossip::RumorState::sweep_sizing();
  const auto saved = sizing;
  for (std::size_t max_bits : {std::size_t{1} << 21, std::size_t{2}}) {  // shift 0; shift 2 on 10 words
    sizing = {0, max_bits, saved.prefetch_words};
    INFO("summary max_bits ", max_bits);
    compare_all("complete:n=640", sweep_specs());
    compare_all("er:n=640,d=3", sweep_specs());
  }
  sizing = saved;
}
TEST_CASE("engine = reference with the sweep's bitmap taken as out of cache (prefetched; with and without summary)") {
  // On the complete graph this is sweep_complete_far: targets drawn, tested two units later.
  auto& sizing = gossip::RumorState::sweep_sizing();
  const auto saved = sizing;
  for (const bool summary : {false, true}) {
    sizing = {summary ? 0 : saved.min_words, saved.max_bits, 0};
    INFO("summary ", summary);
    compare_all("complete:n=48", sweep_specs());
    compare_all("complete:n=640", sweep_specs());
    compare_all("er:n=640,d=3", sweep_specs());
  }
  sizing = saved;
}
TEST_CASE("engine = reference on a complete graph of several sweep blocks (informs in a bitmap per worker)") {
  // 4500 nodes: 71 bitmap words, three blocks of the fused push, so that at 2 and 4 threads
  // several workers' bitmaps hold a round's informs (sweep_complete_near, count_fresh); the
  // lossy spec takes the pipeline of units instead.
  std::vector<ProtocolSpec> specs;
  for (std::uint32_t fanout : {1u, 2u}) specs.push_back({Mode::push, fanout, false, 1.0, 0, StopRule::none, 1, 1, {}, 0.0, 1.0});
  specs.push_back({Mode::push, 1, false, 1.0, 0, StopRule::none, 1, 1, {}, 0.25, 1.0});
  compare_all("complete:n=4500", specs);
}
TEST_CASE("engine = reference in binned sparse rounds: several ranges, chunks and workers (sim/binned.hpp)") {
  // n = 10^5: sparse rounds of up to 5000 actors, so 2 and 4 workers each bin a block of them;
  // ranges of 2^5 nodes (3125 of them) and chunks of one block (2048 actors) besides the default
  // sizing (two ranges, one chunk).
  // Sanitizer builds: the half of each three-option grid where the options' indices sum to an
  // even number (every value of each option, every pair of values of two options, still runs).
  std::vector<ProtocolSpec> specs;
  const auto keep = [](int a, int b, int c) { return !kSmall || (a + b + c) % 2 == 0; };
  for (std::uint32_t fanout : {1u, 2u})
    for (std::uint32_t ttl : {0u, 3u})
      for (const auto& [p, loss] : {std::pair{1.0, 0.0}, std::pair{0.6, 0.25}})
        if (keep(fanout == 2, ttl == 3, loss > 0))
          specs.push_back({Mode::push, fanout, false, p, ttl, StopRule::none, 1, 2, {}, loss, 1.0});
  specs.push_back({Mode::push, 1, true, 1.0, 3, StopRule::none, 1, 2, {}, 0.0, 1.0});
  for (std::uint32_t ttl : {0u, 3u})
    for (const auto& [p, loss] : {std::pair{1.0, 0.0}, std::pair{0.6, 0.25}})
      for (double recovery : {1.0, 0.4})
        if (keep(ttl == 3, loss > 0, recovery < 1))
          specs.push_back({Mode::flood, 1, false, p, ttl, StopRule::none, 1, 2, {}, loss, recovery});
  auto& sizing = gossip::binned::sizing();
  const auto saved = sizing;
  for (const bool small : {false, true}) {
    if (small) sizing = {4, 4096, 1};
    INFO("small ranges and chunks ", small);
    compare_all("er:n=100000,d=4", specs);
  }
  sizing = saved;
}
TEST_CASE("engine = reference on a multigraph with self-loops (duplicate edges kept)") {
  // Repeated neighbours in sorted rows and self-loops: a receiver-side push round (receive.hpp)
  // must count a repeated sender once and every slot of its row that points back.
  std::vector<Edge> edges;
  std::uint64_t x = 12345;
  for (int i = 0; i < 360; ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    const auto u = static_cast<NodeId>((x >> 33) % 90), v = static_cast<NodeId>((x >> 13) % 90);
    edges.push_back({u, v});
    if (i % 3 == 0) edges.push_back({u, v});
    if (i % 7 == 0) edges.push_back({u, u});
  }
  const Graph any = gossip::test::build(90, edges, {.directed = false, .keep_self_loops = true, .keep_duplicates = true});
  const auto& g = std::get<CsrGraph>(any);
  bool repeated = false, loop = false;  // the graph really has both
  for (NodeId v = 0; v < g.num_nodes(); ++v) {
    const auto row = g.neighbors(v);
    for (std::size_t i = 0; i < row.size(); ++i) {
      repeated = repeated || (i > 0 && row[i] == row[i - 1]);
      loop = loop || row[i] == v;
    }
  }
  REQUIRE(repeated);
  REQUIRE(loop);
  for (const ProtocolSpec& spec : all_specs())
    for (std::uint32_t trial : {0u, 5u}) compare(g, any, spec, trial);
}

TEST_CASE("engine = reference for flood with recovery: truncated runs, loss 1, sources without out-neighbours") {
  std::vector<ProtocolSpec> specs;
  for (std::uint32_t ttl : {0u, 3u}) specs.push_back({Mode::flood, 1, false, 0.6, ttl, StopRule::none, 1, 2, {}, 0.25, 0.3});
  specs.push_back({Mode::flood, 1, false, 1.0, 0, StopRule::none, 1, 2, {}, 1.0, 0.3});  // loss 1: ends at round 0
  for (const char* spec : {"ring:n=40", "er:n=300,d=3", "er:n=200,d=3,directed=1", "complete:n=48"}) {
    const Graph any = generate(parse_spec(spec), {3});
    visit_graph(any, [&](const auto& g) {
      for (const ProtocolSpec& p : specs)
        for (Round max_rounds : {1, 2, 5})
          for (std::uint32_t trial : {0u, 70u}) {
            INFO(spec, " max_rounds ", max_rounds);
            compare(g, any, p, trial, max_rounds);
          }
    });
  }
  // Node 5 has no neighbours, node 9 (directed) no out-neighbours: sources that send nothing,
  // count as no spreader and draw no recovery coin.
  const std::vector<Edge> edges{{0, 1}, {1, 2}, {2, 3}, {3, 4}, {6, 7}, {7, 8}, {8, 9}, {4, 0}};
  for (const bool directed : {false, true}) {
    const Graph any = gossip::test::build(10, edges, {.directed = directed});
    const auto& g = std::get<CsrGraph>(any);
    for (const std::vector<NodeId>& sources : {std::vector<NodeId>{5}, std::vector<NodeId>{5, 0}, std::vector<NodeId>{9, 6}}) {
      ProtocolSpec p{Mode::flood, 1, false, 0.7, 0, StopRule::none, 1, 1, sources, 0.0, 0.4};
      for (std::uint32_t trial : {0u, 5u, 70u}) {
        INFO("directed ", directed, " sources ", sources.size());
        compare(g, any, p, trial);
      }
    }
  }
}
