// The parallel engine against the serial reference simulator (tests/reference_sim.hpp), which
// shares nothing with it but the random numbers: for every mode x option combination on small
// graphs (ring, star, grid, er, a directed er, the implicit complete graph), per-node
// informed_at and hops, every per-round counter and the trial summary must be equal, at 1, 2 and
// 4 threads.
#include <algorithm>
#include <array>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "collect.hpp"
#include "reference_sim.hpp"
#include "sim/simulate.hpp"
#include "sim/state.hpp"
#include "sanitizer.hpp"
#include "summary_check.hpp"
#include "support.hpp"

using namespace gossip;
using gossip::test::RefTrial;
using gossip::test::reference_trial;

namespace {

// Sanitizer builds (tests/sanitizer.hpp; ASan makes this test 20x slower) and runs with
// GOSSIPSIM_TEST_SMALL set (tools/test.sh's oneTBB rerun) run a smaller matrix that keeps every
// path: each comparison at one thread count, 1 and 4 (several workers, one idle on three blocks)
// in turn from one comparison to the next, instead of 1, 2, 4; one push trial instead of two and
// flood trials 0 and 70 (the first batch and a later one) instead of four; the large ring has
// 1000 nodes; the sweep-sizing cases (sweep_specs) and the large binned case run half of their
// option grids, in which every pair of option values still meets, and the binned case only its
// small ranges, blocks and chunks (the default sizing runs in every other case).
const bool kSmall = gossip::test::kSanitizer || std::getenv("GOSSIPSIM_TEST_SMALL") != nullptr;

std::vector<int> thread_counts() {
  static std::size_t calls = 0;
  if (kSmall) return {calls++ % 2 == 0 ? 1 : 4};
  return {1, 2, 4};
}

using gossip::test::Collect;
using gossip::test::describe;

// The rounds each step kind ran, summed over every comparison of this file: the last test case
// requires every kind that runs rounds one trial at a time to have run (a path the chooser
// silently stopped choosing fails it).
std::array<std::int64_t, kStepKinds> steps_seen{};

// With GOSSIPSIM_STEPS_OUT set (ctest's parts of this file), the counts are written to that file
// when the process ends, one per step kind, for test_engine_reference_steps.
struct WriteStepsSeen {
  ~WriteStepsSeen() {
    const char* out = std::getenv("GOSSIPSIM_STEPS_OUT");
    if (out == nullptr) return;
    std::ofstream f(out);
    for (const std::int64_t count : steps_seen) f << count << '\n';
  }
} write_steps_seen;

// One engine trial (the one place that calls the engine's trial entry point).
TrialSummary engine_trial(const Graph& any, const ProtocolSpec& spec, std::uint32_t trial, Round max_rounds, Sink& sink,
                          const Tuning& tuning) {
  return run_trial(any, spec, {11, trial, max_rounds}, sink, tuning);
}

template <class G>
void compare(const G& g, const Graph& any, const ProtocolSpec& spec, std::uint32_t trial, Round max_rounds = 400,
             const Tuning& tuning = {}) {
  const RefTrial ref = reference_trial(g, spec, 11, trial, max_rounds);
  for (int threads : thread_counts()) {
    Collect c;
    const TrialSummary sum =
        gossip::test::with_threads(threads, [&] { return engine_trial(any, spec, trial, max_rounds, c, tuning); });
    std::int64_t step_rounds = 0;
    for (std::size_t k = 0; k < kStepKinds; ++k) {
      steps_seen[k] += sum.steps[k];
      step_rounds += sum.steps[k];
    }
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
    CHECK(step_rounds == sum.rounds);  // one step a round
    // The summary (round marks, t_avg, t_last, coverage, messages, ...) against the model's,
    // computed from the reference trial; the sink's copy is the returned one.
    gossip::test::check_summary(sum, gossip::test::reference_summary(ref, trial));
    gossip::test::check_summary(c.summary, sum);
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
              out.push_back({.mode = m, .fanout = fanout, .no_repeat = no_repeat, .forward_prob = p, .ttl = ttl,
                             .stop = StopRule::none, .k = 1, .sources = 2, .source_nodes = {}, .loss = loss,
                             .recovery_prob = 1.0});
            }
  // Flood with recovery (SIR): senders keep sending until their coin says they recovered.
  if (sir)
    for (double recovery : {0.3, 0.7})
      for (double p : {1.0, 0.6})
        for (std::uint32_t ttl : {0u, 3u})
          for (double loss : {0.0, 0.25})
            out.push_back({.mode = Mode::flood, .fanout = 1, .no_repeat = false, .forward_prob = p, .ttl = ttl,
                           .stop = StopRule::none, .k = 1, .sources = 2, .source_nodes = {}, .loss = loss,
                           .recovery_prob = recovery});
  for (StopRule stop : {StopRule::feedback_counter, StopRule::feedback_coin, StopRule::blind_counter, StopRule::blind_coin})
    for (std::uint32_t k : {1u, 3u})
      for (double loss : {0.0, 0.25})
        out.push_back({.mode = Mode::push, .fanout = 1, .no_repeat = false, .forward_prob = 1.0, .ttl = 0, .stop = stop,
                       .k = k, .sources = 1, .source_nodes = {}, .loss = loss, .recovery_prob = 1.0});
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

void compare_all(const char* graph_spec, const std::vector<ProtocolSpec>& specs = all_specs(), const Tuning& tuning = {}) {
  const Graph any = generate(parse_spec(graph_spec), {3});
  visit_graph(any, [&](const auto& g) {
    for (const ProtocolSpec& spec : specs) {
      // Flood's fate words are lanes of 64-trial batches: also trials past the first batch.
      const std::vector<std::uint32_t> trials =
          spec.mode == Mode::flood ? (kSmall ? std::vector<std::uint32_t>{0, 70} : std::vector<std::uint32_t>{0, 5, 70, 191})
                                   : (kSmall ? std::vector<std::uint32_t>{0} : std::vector<std::uint32_t>{0, 5});
      for (std::uint32_t trial : trials) compare(g, any, spec, trial, 400, tuning);
    }
  });
}

}  // namespace

// ctest runs this file as two parts at once, test suites engine_reference_a (every case not marked
// otherwise) and engine_reference_b (the cases marked kPartB), then the step check in a third
// entry (tests/CMakeLists.txt). Run alone, the binary runs every case in order, the check last.
const doctest::test_suite kPartB("engine_reference_b");
TEST_SUITE_BEGIN("engine_reference_a");

TEST_CASE("engine = reference on a ring") { compare_all("ring:n=40"); }
TEST_CASE("engine = reference on a star") { compare_all("star:n=30"); }
TEST_CASE("engine = reference on a grid") { compare_all("grid:rows=7,cols=9"); }
TEST_CASE("engine = reference on the complete graph") { compare_all("complete:n=48"); }
TEST_CASE("engine = reference on an er graph") { compare_all("er:n=300,d=3"); }
TEST_CASE("engine = reference on a directed er graph") { compare_all("er:n=200,d=3,directed=1"); }
// n = 4000: the flood frontier (2 nodes) is far below n / 20, push and pull switch over.
// Sanitizer builds: n = 1000 (frontier 2 < 50; push and pull still pass n / 20 in 400 rounds).
// The longest comparison, in two cases (one in each part).
const char* const kLargeRing = kSmall ? "ring:n=1000" : "ring:n=4000";
std::vector<ProtocolSpec> specs_of(std::initializer_list<Mode> modes) {
  std::vector<ProtocolSpec> out;
  for (const ProtocolSpec& s : all_specs())
    if (std::find(modes.begin(), modes.end(), s.mode) != modes.end()) out.push_back(s);
  return out;
}
TEST_CASE("engine = reference when sparse and dense rounds alternate (large ring): push, pull") {
  compare_all(kLargeRing, specs_of({Mode::push, Mode::pull}));
}
TEST_CASE("engine = reference when sparse and dense rounds alternate (large ring): push-pull, flood" * kPartB) {
  compare_all(kLargeRing, specs_of({Mode::push_pull, Mode::flood}));
}

TEST_CASE("engine = reference with the sweep's summary bitmap (forced on small graphs, groups of 1 and 4 words)" * kPartB) {
  for (std::size_t max_bits : {std::size_t{1} << 21, std::size_t{2}}) {  // shift 0; shift 2 on 10 words
    Tuning t;
    t.summary_min_words = 0;
    t.summary_max_bits = max_bits;
    INFO("summary max_bits ", max_bits);
    compare_all("complete:n=640", sweep_specs(), t);
    compare_all("er:n=640,d=3", sweep_specs(), t);
  }
}
TEST_CASE("engine = reference with the sweep's bitmap taken as out of cache (prefetched; with and without summary)" * kPartB) {
  // On the complete graph this is sweep_complete_far: targets drawn, tested two units later.
  for (const bool summary : {false, true}) {
    Tuning t;
    if (summary) t.summary_min_words = 0;
    t.prefetch_words = 0;
    INFO("summary ", summary);
    compare_all("complete:n=48", sweep_specs(), t);
    compare_all("complete:n=640", sweep_specs(), t);
    compare_all("er:n=640,d=3", sweep_specs(), t);
  }
}
TEST_CASE("engine = reference on a complete graph of several sweep blocks (informs in a bitmap per worker)" * kPartB) {
  // 4500 nodes: 71 bitmap words, three blocks of the fused push, so that at 2 and 4 threads
  // several workers' bitmaps hold a round's informs (sweep_complete_near, count_fresh); the
  // lossy spec takes the pipeline of units instead.
  std::vector<ProtocolSpec> specs;
  for (std::uint32_t fanout : {1u, 2u})
    specs.push_back({.mode = Mode::push, .fanout = fanout, .no_repeat = false, .forward_prob = 1.0, .ttl = 0,
                     .stop = StopRule::none, .k = 1, .sources = 1, .source_nodes = {}, .loss = 0.0,
                     .recovery_prob = 1.0});
  specs.push_back({.mode = Mode::push, .fanout = 1, .no_repeat = false, .forward_prob = 1.0, .ttl = 0,
                   .stop = StopRule::none, .k = 1, .sources = 1, .source_nodes = {}, .loss = 0.25,
                   .recovery_prob = 1.0});
  compare_all("complete:n=4500", specs);
}
TEST_CASE("engine = reference in binned sparse rounds: several ranges, chunks and workers (sim/binned.hpp)") {
  // n = 10^5: sparse rounds of up to 5000 actors, so 2 and 4 workers each bin blocks of them;
  // ranges of 2^5 nodes (3125 of them) in blocks of 64 actors and chunks of 1024 copies (several
  // blocks a chunk, several chunks a round), besides the default sizing (two ranges, blocks of
  // 2048 actors, one chunk).
  // Sanitizer builds: the half of each three-option grid where the options' indices sum to an
  // even number (every value of each option, every pair of values of two options, still runs).
  std::vector<ProtocolSpec> specs;
  const auto keep = [](int a, int b, int c) { return !kSmall || (a + b + c) % 2 == 0; };
  for (std::uint32_t fanout : {1u, 2u})
    for (std::uint32_t ttl : {0u, 3u})
      for (const auto& [p, loss] : {std::pair{1.0, 0.0}, std::pair{0.6, 0.25}})
        if (keep(fanout == 2, ttl == 3, loss > 0))
          specs.push_back({.mode = Mode::push, .fanout = fanout, .no_repeat = false, .forward_prob = p, .ttl = ttl,
                           .stop = StopRule::none, .k = 1, .sources = 2, .source_nodes = {}, .loss = loss,
                           .recovery_prob = 1.0});
  specs.push_back({.mode = Mode::push, .fanout = 1, .no_repeat = true, .forward_prob = 1.0, .ttl = 3,
                   .stop = StopRule::none, .k = 1, .sources = 2, .source_nodes = {}, .loss = 0.0,
                   .recovery_prob = 1.0});
  for (std::uint32_t ttl : {0u, 3u})
    for (const auto& [p, loss] : {std::pair{1.0, 0.0}, std::pair{0.6, 0.25}})
      for (double recovery : {1.0, 0.4})
        if (keep(ttl == 3, loss > 0, recovery < 1))
          specs.push_back({.mode = Mode::flood, .fanout = 1, .no_repeat = false, .forward_prob = p, .ttl = ttl,
                           .stop = StopRule::none, .k = 1, .sources = 2, .source_nodes = {}, .loss = loss,
                           .recovery_prob = recovery});
  for (const bool small : kSmall ? std::vector<bool>{true} : std::vector<bool>{false, true}) {
    Tuning t;
    if (small) {
      t.bin_min_shift = 4;
      t.bin_block_actors = 64;
      t.bin_block_copies_per_range = 0;
      t.bin_chunk_copies = 1024;
    }
    INFO("small ranges and chunks ", small);
    compare_all("er:n=100000,d=4", specs, t);
  }
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
  for (std::uint32_t ttl : {0u, 3u})
    specs.push_back({.mode = Mode::flood, .fanout = 1, .no_repeat = false, .forward_prob = 0.6, .ttl = ttl,
                     .stop = StopRule::none, .k = 1, .sources = 2, .source_nodes = {}, .loss = 0.25,
                     .recovery_prob = 0.3});
  specs.push_back({.mode = Mode::flood, .fanout = 1, .no_repeat = false, .forward_prob = 1.0, .ttl = 0,
                   .stop = StopRule::none, .k = 1, .sources = 2, .source_nodes = {}, .loss = 1.0,
                   .recovery_prob = 0.3});  // loss 1: ends at round 0
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
      ProtocolSpec p{.mode = Mode::flood, .fanout = 1, .no_repeat = false, .forward_prob = 0.7, .ttl = 0,
                     .stop = StopRule::none, .k = 1, .sources = 1, .source_nodes = sources, .loss = 0.0,
                     .recovery_prob = 0.4};
      for (std::uint32_t trial : {0u, 5u, 70u}) {
        INFO("directed ", directed, " sources ", sources.size());
        compare(g, any, p, trial);
      }
    }
  }
}

// Hop bookkeeping, path by path: a node informed by copies of different hop counts in one round
// must keep the smaller (docs/model.md, "Graph and rumor"). Each case below runs one step kind of
// the engine, on a graph and protocol that give such a node in a round of that kind; the trial is
// found with the reference simulator (RefTrial::mixed_hops) and then compared node by node (hops
// included: every case has a TTL, without which the engine keeps no hops).
namespace {

// Whether the engine runs round r sparse: fewer than n / 20 actors at the end of round r - 1
// (Tuning::sparse_divisor, sim/step.hpp; push and flood act by their spreaders, pull by its uninformed
// nodes, push-pull by every node). With a TTL neither the sweep, the receiver-side push nor the
// bottom-up flood runs, so a round is sparse (binned for push and CSR flood without a stop rule,
// else batched or node by node) or dense (batched, or node by node with a stop rule and fanout
// > 1). Adapt this one function when the step chooser changes.
bool sparse_round(const ProtocolSpec& spec, NodeId n, const RefTrial& ref, Round r) {
  const RoundStats& before = ref.rounds[static_cast<std::size_t>(r) - 1];
  std::int64_t actors = n;
  switch (spec.mode) {
    case Mode::push: case Mode::flood: actors = before.spreaders; break;
    case Mode::pull: actors = n - before.informed; break;
    default: break;
  }
  return actors * Tuning{}.sparse_divisor < static_cast<std::int64_t>(n);
}

// Compares engine and reference on the first `want` trials (of seed 11) with a node informed by
// copies of different hop counts in a sparse (or dense) round; requires at least one.
template <class G>
void compare_mixed_hops(const G& g, const Graph& any, const ProtocolSpec& spec, bool sparse, const Tuning& tuning = {},
                        int want = 3) {
  REQUIRE(spec.ttl > 0);
  int found = 0;
  for (std::uint32_t trial = 0; trial < 2000 && found < want; ++trial) {
    const RefTrial ref = reference_trial(g, spec, 11, trial, 400);
    for (const auto& [w, r] : ref.mixed_hops) {
      if (sparse_round(spec, g.num_nodes(), ref, r) != sparse) continue;
      INFO("node ", w, " informed in round ", r, " by copies of different hop counts, sparse ", sparse);
      compare(g, any, spec, trial, 400, tuning);
      ++found;
      break;
    }
  }
  INFO(describe(spec), " sparse ", sparse);
  REQUIRE(found > 0);
}

// A core on nodes 0..15 (a ring with chords i - i+5: degree 4, diameter 3) and isolated nodes
// 16..n-1: with n = 400 at most 16 nodes act, so push and flood rounds are sparse; with n = 16
// they are dense.
Graph core_graph(NodeId n) {
  std::vector<Edge> edges;
  for (NodeId i = 0; i < 16; ++i) {
    edges.push_back({i, (i + 1) % 16});
    edges.push_back({i, (i + 5) % 16});
  }
  return gossip::test::build(n, edges, {.directed = false});
}

// Pull is sparse when nearly every node is informed: the isolated nodes are sources too.
std::vector<NodeId> core_and_padding_sources(NodeId n) {
  std::vector<NodeId> s{0};
  for (NodeId v = 16; v < n; ++v) s.push_back(v);
  return s;
}

ProtocolSpec hop_spec(Mode m, std::uint32_t fanout, StopRule stop, std::uint32_t k, double p, double recovery,
                      std::vector<NodeId> sources) {
  return {.mode = m, .fanout = fanout, .no_repeat = false, .forward_prob = p, .ttl = 6, .stop = stop, .k = k,
          .sources = 1, .source_nodes = std::move(sources), .loss = 0.0, .recovery_prob = recovery};
}

void compare_core(const ProtocolSpec& spec, bool sparse, const Tuning& tuning = {}) {
  const NodeId n = sparse ? 400 : 16;
  const Graph any = core_graph(n);
  compare_mixed_hops(std::get<CsrGraph>(any), any, spec, sparse, tuning);
}

}  // namespace

TEST_CASE("hops, binned sparse push rounds: the smaller of two hop counts reaching a node in one round") {
  compare_core(hop_spec(Mode::push, 2, StopRule::none, 1, 1.0, 1.0, {0}), true);
  compare_core(hop_spec(Mode::push, 1, StopRule::none, 1, 0.7, 1.0, {0}), true);
  // Several ranges and chunks (Tuning::bin_*): copies of one node in different workers' bins.
  Tuning t;
  t.bin_min_shift = 2;
  t.bin_chunk_copies = 1;
  compare_core(hop_spec(Mode::push, 2, StopRule::none, 1, 1.0, 1.0, {0}), true, t);
}
TEST_CASE("hops, binned sparse flood rounds (with recovery, so older senders still send)") {
  compare_core(hop_spec(Mode::flood, 1, StopRule::none, 1, 0.5, 0.3, {0}), true);
}
TEST_CASE("hops, batched sparse rounds: push with a stop rule and fanout 1, pull") {
  compare_core(hop_spec(Mode::push, 1, StopRule::feedback_counter, 3, 1.0, 1.0, {0}), true);
  compare_core(hop_spec(Mode::pull, 2, StopRule::none, 1, 1.0, 1.0, core_and_padding_sources(400)), true);
  compare_core(hop_spec(Mode::pull, 3, StopRule::none, 1, 0.7, 1.0, core_and_padding_sources(400)), true);
}
TEST_CASE("hops, batched sparse flood rounds on the complete graph") {
  const Graph any = generate(parse_spec("complete:n=600"), {3});
  const ProtocolSpec spec{.mode = Mode::flood, .fanout = 1, .no_repeat = false, .forward_prob = 0.01, .ttl = 6,
                          .stop = StopRule::none, .k = 1, .sources = 1, .source_nodes = {}, .loss = 0.0,
                          .recovery_prob = 0.3};
  compare_mixed_hops(std::get<CompleteGraph>(any), any, spec, true);
}
TEST_CASE("hops, sparse rounds node by node: push with a stop rule and fanout 2") {
  compare_core(hop_spec(Mode::push, 2, StopRule::feedback_counter, 3, 1.0, 1.0, {0}), true);
  compare_core(hop_spec(Mode::push, 2, StopRule::blind_counter, 4, 0.7, 1.0, {0}), true);
}
TEST_CASE("hops, batched dense rounds: push, pull, push-pull, flood with recovery") {
  compare_core(hop_spec(Mode::push, 2, StopRule::none, 1, 1.0, 1.0, {0}), false);
  compare_core(hop_spec(Mode::push, 1, StopRule::feedback_counter, 3, 1.0, 1.0, {0}), false);
  compare_core(hop_spec(Mode::pull, 2, StopRule::none, 1, 1.0, 1.0, {0}), false);
  compare_core(hop_spec(Mode::push_pull, 2, StopRule::none, 1, 1.0, 1.0, {0}), false);
  compare_core(hop_spec(Mode::flood, 1, StopRule::none, 1, 0.5, 0.3, {0}), false);
}
TEST_CASE("hops, dense rounds node by node: push with a stop rule and fanout 2") {
  // (Stop rules are push-only (config.cpp), so pull_from never runs node by node.)
  compare_core(hop_spec(Mode::push, 2, StopRule::feedback_counter, 3, 1.0, 1.0, {0}), false);
  compare_core(hop_spec(Mode::push, 2, StopRule::blind_counter, 4, 0.7, 1.0, {0}), false);
}

TEST_SUITE_END();

// Last in this file (doctest runs a file's cases in order): every step kind that runs a trial's
// rounds ran in some comparison above (packed runs whole batches: test_packed). Run by ctest as
// its own entry, it adds the counts the parts wrote (GOSSIPSIM_STEPS_IN: their files, comma
// separated); a file missing or short fails it.
TEST_CASE("every step kind ran in the comparisons above" * doctest::test_suite("engine_reference_steps")) {
  std::array<std::int64_t, kStepKinds> seen = steps_seen;
  if (const char* in = std::getenv("GOSSIPSIM_STEPS_IN")) {
    std::istringstream list(in);
    for (std::string path; std::getline(list, path, ',');) {
      std::ifstream f(path);
      INFO("steps file ", path);
      REQUIRE(f.good());
      for (auto& count : seen) {
        std::int64_t x = -1;
        f >> x;
        REQUIRE(x >= 0);
        count += x;
      }
    }
  }
  for (const StepInfo& k : kSteps) {
    if (k.direction == Direction::run) continue;
    INFO("step ", k.name);
    CHECK(seen[static_cast<std::size_t>(k.kind)] > 0);
  }
}
