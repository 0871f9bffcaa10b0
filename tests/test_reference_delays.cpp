// Delays (docs/model.md, "Delays"): the draws against the model's formulas and their
// distributions, oracles on the serial reference simulator (fixed:d turns flood's rounds into
// (d + 1) x the BFS distance; random delays make flood a shortest-path search with the copies'
// own delays; every copy sent is counted once when it arrives or is lost), then the parallel
// engine against the reference node by node with every delay kind, mode, option and fault, at 1,
// 2 and 4 threads, and resumed from a checkpoint with copies in flight.
#include <array>
#include <map>
#include <random>
#include <tuple>
#include <queue>
#include <string>

#include "collect.hpp"
#include "config/config_toml.hpp"
#include "core/error.hpp"
#include "graph/build_impl.hpp"
#include "reference_oracles.hpp"
#include "sanitizer.hpp"
#include "sim/checkpoint.hpp"
#include "sim/in_flight.hpp"
#include "sim/simulate.hpp"
#include "summary_check.hpp"
#include "temp_file.hpp"
#include "support.hpp"
#include "theory_support.hpp"

using namespace gossip;
using namespace gossip::test;

namespace {

constexpr bool kSmall = kSanitizer;

DelaySpec delay_of(const std::string& text) {
  std::string why;
  const auto d = parse_delay(text, why);
  REQUIRE_MESSAGE(d, why);
  return *d;
}

ProtocolSpec spec_of(Mode m, const std::string& delay, std::uint64_t sources = 1) {
  ProtocolSpec s{.mode = m, .fanout = 1, .no_repeat = false, .forward_prob = 1.0, .ttl = 0, .stop = StopRule::none,
                 .k = 1, .sources = sources, .source_nodes = {}, .loss = 0.0, .recovery_prob = 1.0, .faults = {}};
  s.faults.delay = delay_of(delay);
  return s;
}

// The delay block of v's copy x in round r of trial t, written out: {v, x, 2^31 + 2^30 + r, t}.
Block block_of(std::uint64_t seed, std::uint32_t trial, Round r, NodeId v, std::uint32_t x) {
  return philox(seed, v, x, 0xC0000000u + static_cast<std::uint32_t>(r), trial);
}


}  // namespace

TEST_CASE("faults.delay parses each kind; bad texts say why") {
  CHECK(delay_of("none").kind == DelaySpec::none);
  CHECK(delay_of("fixed:0").kind == DelaySpec::none);  // d = 0 is the model without delays
  CHECK((delay_of("fixed:3").kind == DelaySpec::fixed && delay_of("fixed:3").a == 3));
  const DelaySpec u = delay_of("uniform:min=1,max=4");
  CHECK((u.kind == DelaySpec::uniform && u.a == 1 && u.b == 4));
  CHECK(delay_of("geometric:p=0.25").a == 0.25);
  const DelaySpec l = delay_of("lognormal:median=2,sigma=0.5");
  CHECK((l.kind == DelaySpec::lognormal && l.a == 2 && l.b == 0.5));
  CHECK(delay_of("edge").kind == DelaySpec::edge);
  for (const char* bad : {"fixed:-1", "fixed:1.5", "fixed:", "uniform:min=3,max=2", "uniform:min=-1,max=2",
                          "uniform:min=1", "geometric:p=0", "geometric:p=1.5", "lognormal:median=0,sigma=1",
                          "lognormal:median=1,sigma=-1", "lognormal:median=1", "gamma:k=2", "fixed:2000000"}) {
    std::string why;
    CAPTURE(bad);
    CHECK(!parse_delay(bad, why));
    CHECK(!why.empty());
  }
}

TEST_CASE("the engine's delay draw is the model's formula, and each kind has its distribution") {
  // Engine (protocol/delay.hpp) and reference (the model's text) agree draw by draw.
  for (const char* text : {"fixed:2", "uniform:min=0,max=6", "uniform:min=3,max=3", "geometric:p=0.3", "geometric:p=1",
                           "lognormal:median=3,sigma=0.8", "lognormal:median=0.4,sigma=0"}) {
    const DelaySpec d = delay_of(text);
    CAPTURE(text);
    for (NodeId v = 0; v < 2000; ++v)
      REQUIRE(copy_delay(d, 7, 2, 5, v, v % 3) == ref_detail::ref_delay(d, block_of(7, 2, 5, v, v % 3)));
  }
  // Sample moments over 2e5 draws, within 5 standard errors.
  constexpr int kDraws = 200000;
  auto sample = [&](const DelaySpec& d) {
    std::vector<Round> xs;
    for (int k = 0; k < kDraws; ++k) xs.push_back(copy_delay(d, 11, 0, 1 + k / 1000, static_cast<NodeId>(k % 1000), 0));
    return xs;
  };
  auto mean_sd = [](const std::vector<Round>& xs) {
    double m = 0, q = 0;
    for (Round x : xs) m += x;
    m /= static_cast<double>(xs.size());
    for (Round x : xs) q += (x - m) * (x - m);
    return std::pair{m, std::sqrt(q / static_cast<double>(xs.size() - 1))};
  };
  {
    const auto xs = sample(delay_of("uniform:min=1,max=4"));
    std::map<Round, int> hist;
    for (Round x : xs) ++hist[x];
    CHECK(hist.size() == 4);
    for (const auto& [x, c] : hist) {
      CHECK(x >= 1);
      CHECK(x <= 4);
      // Each value with probability 1/4: binomial standard error sqrt(N p (1 - p)).
      CHECK(std::abs(c - kDraws / 4.0) < 5 * std::sqrt(kDraws * 0.25 * 0.75));
    }
  }
  {
    const double p = 0.3;
    const auto [m, sd] = mean_sd(sample(delay_of("geometric:p=0.3")));
    CHECK(std::abs(m - (1 - p) / p) < 5 * std::sqrt((1 - p) / (p * p)) / std::sqrt(kDraws));
  }
  {
    // Median m: P(d <= m - 1) ~ P(exp(sZ) < (m - 1/2)/m), P(d >= m + 1) ~ P(exp(sZ) >= (m + 1/2)/m).
    const auto xs = sample(delay_of("lognormal:median=20,sigma=0.5"));
    std::int64_t below = 0, above = 0;
    for (Round x : xs) below += x <= 19, above += x >= 21;
    const double p_below = 0.5 * std::erfc(-std::log(19.5 / 20) / 0.5 / std::sqrt(2.0));
    const double p_above = 0.5 * std::erfc(std::log(20.5 / 20) / 0.5 / std::sqrt(2.0));
    const double se = std::sqrt(kDraws * 0.25);
    CHECK(std::abs(below - kDraws * p_below) < 5 * se);
    CHECK(std::abs(above - kDraws * p_above) < 5 * se);
  }
}

TEST_CASE("fixed:d delays: flood is informed in round (d + 1) x its BFS distance, with hops = distance") {
  const Graph any = generate(parse_spec("er:n=400,d=4"), {5});
  const auto& g = std::get<CsrGraph>(any);
  for (int d : {1, 2, 5}) {
    ProtocolSpec spec = spec_of(Mode::flood, "fixed:" + std::to_string(d));
    spec.source_nodes = {7};
    const RefTrial t = reference_trial(g, spec, 3, 0, kMax);
    check_consistent(t);
    const std::vector<Round> dist = bfs(g, 7);
    CAPTURE(d);
    Round ecc = 0;
    for (NodeId v = 0; v < g.num_nodes(); ++v) {
      if (dist[v] == kNever) {
        CHECK(t.informed_at[v] == kNever);
        continue;
      }
      ecc = std::max(ecc, dist[v]);
      CHECK(t.informed_at[v] == (d + 1) * dist[v]);
      CHECK(t.hops[v] == static_cast<std::uint32_t>(dist[v]));
    }
    // The run ends when the last layer arrives: nothing in flight, no live arc left.
    CHECK(static_cast<Round>(t.rounds.size()) - 1 == (d + 1) * ecc);
    // Each node of a layer below the last sends once, to all its neighbours; the last layer's
    // copies could inform nobody and are not sent. All have arrived at the end.
    std::int64_t messages = 0, senders_arcs = 0;
    for (const RoundStats& st : t.rounds) messages += st.messages;
    for (NodeId v = 0; v < g.num_nodes(); ++v)
      if (dist[v] < ecc) senders_arcs += g.degree(v);
    CHECK(messages == senders_arcs);
    CHECK(t.rounds.back().in_flight == 0);
  }
}

TEST_CASE("random delays: flood with probability 1 is Dijkstra over the copies' own delays") {
  // A node informed in round a sends once, in round a + 1, each copy with its own delay d: the
  // copy arrives in round a + 1 + d. So informed_at is the shortest path from the source with arc
  // weights 1 + d(v, i, round a + 1), known once v is settled: Dijkstra, with the model's draws.
  const Graph any = generate(parse_spec("er:n=500,d=4"), {9});
  const auto& g = std::get<CsrGraph>(any);
  for (const char* text : {"uniform:min=0,max=3", "geometric:p=0.4", "lognormal:median=2,sigma=1"}) {
    CAPTURE(text);
    for (std::uint32_t trial : {0u, 3u}) {
      ProtocolSpec spec = spec_of(Mode::flood, text);
      spec.source_nodes = {11};
      const RefTrial t = reference_trial(g, spec, 21, trial, kMax);
      check_consistent(t);
      std::vector<Round> best(g.num_nodes(), kNever);
      std::vector<std::uint32_t> hops(g.num_nodes(), kNoHops);
      using Item = std::pair<Round, NodeId>;
      std::priority_queue<Item, std::vector<Item>, std::greater<>> q;
      best[11] = 0, hops[11] = 0;
      q.push({0, 11});
      std::vector<bool> done(g.num_nodes(), false);
      while (!q.empty()) {
        const auto [a, v] = q.top();
        q.pop();
        if (done[v]) continue;
        done[v] = true;
        for (NodeId i = 0; i < g.degree(v); ++i) {
          const NodeId w = g.neighbor(v, i);
          const Round at = a + 1 + copy_delay(spec.faults.delay, 21, trial, a + 1, v, i);
          if (at < best[w]) best[w] = at, hops[w] = hops[v] + 1, q.push({at, w});
          else if (at == best[w]) hops[w] = std::min(hops[w], hops[v] + 1);
        }
      }
      CHECK(t.informed_at == best);
      CHECK(t.hops == hops);
    }
  }
}

TEST_CASE("edge delays: flood with probability 1 is Dijkstra over 1 + the arcs' latencies") {
  for (const bool directed : {false, true}) {
    const Graph any = weighted_graph(400, 900, directed, 4);
    const auto& g = std::get<CsrGraph>(any);
    REQUIRE(g.has_latencies());
    ProtocolSpec spec = spec_of(Mode::flood, "edge");
    spec.source_nodes = {0};
    const RefTrial t = reference_trial(g, spec, 2, 0, kMax);
    check_consistent(t);
    // Dijkstra written here, on the graph's arcs and latencies.
    std::vector<Round> best(g.num_nodes(), kNever);
    using Item = std::pair<Round, NodeId>;
    std::priority_queue<Item, std::vector<Item>, std::greater<>> q;
    best[0] = 0;
    q.push({0, 0});
    while (!q.empty()) {
      const auto [a, v] = q.top();
      q.pop();
      if (a != best[v]) continue;
      for (NodeId i = 0; i < g.degree(v); ++i) {
        const NodeId w = g.neighbor(v, i);
        const Round at = a + 1 + static_cast<Round>(g.latency(v)[i]);
        if (at < best[w]) best[w] = at, q.push({at, w});
      }
    }
    CAPTURE(directed);
    CHECK(t.informed_at == best);
    std::int64_t informed = 0;
    for (Round x : best) informed += x != kNever;
    CHECK(informed > 100);
    // The engine, node by node, at 1, 2 and 4 threads.
    for (int threads : {1, 2, 4}) {
      Collect c;
      with_threads(threads, [&] { return run_trial(any, spec, {2, 0, kMax}, c); });
      CHECK(c.informed_at == best);
      CHECK(c.rounds.size() == t.rounds.size());
    }
  }
  // A graph without latencies, or a latency above the longest delay, is refused.
  const Graph plain = generate(parse_spec("ring:n=10"), {1});
  Collect c;
  CHECK_THROWS_AS(run_trial(plain, spec_of(Mode::flood, "edge"), {1, 0, 10}, c), UsageError);
  WeightedEdges far{3, {{0, 1, 1}, {1, 2, static_cast<Latency>(kMaxDelay) + 1}}};
  const Graph slow = build_csr(far, {});
  CHECK_THROWS_AS(run_trial(slow, spec_of(Mode::flood, "edge"), {1, 0, 10}, c), UsageError);
}

TEST_CASE("delays: push and pull on the complete graph inform everyone and end; copies counted where they land") {
  const CompleteGraph g(64);
  for (Mode m : {Mode::push, Mode::pull, Mode::push_pull}) {
    for (const char* text : {"fixed:3", "uniform:min=0,max=5", "geometric:p=0.2"}) {
      CAPTURE(mode_name(m));
      CAPTURE(text);
      const RefTrial t = reference_trial(g, spec_of(m, text, 2), 4, 1, kMax);
      check_consistent(t);
      for (Round at : t.informed_at) CHECK(at != kNever);
      std::int64_t messages = 0, landed = 0;
      for (const RoundStats& st : t.rounds) {
        messages += st.messages;
        landed += st.redundant + st.newly_informed;
      }
      // Every copy that lands is redundant or informing, or neither (a same-round copy informed
      // its target): landed <= messages + sources. Push never stops sending: the run ends when
      // no copy in flight can inform, leaving the others undelivered.
      CHECK(landed <= messages + 2);
      CHECK(!t.truncated);
      if (m == Mode::push) CHECK(t.rounds.back().in_flight > 0);
    }
  }
}

// --- The parallel engine against the reference -------------------------------------------------

namespace {

std::vector<int> thread_counts() { return kSmall ? std::vector<int>{1, 4} : std::vector<int>{1, 2, 4}; }

std::int64_t g_in_flight_seen = 0;  // across a matrix: delays really kept copies in flight

std::int64_t g_binned_rounds = 0;  // rounds the binned step ran in the comparisons
std::array<std::int64_t, kStepKinds> g_steps{};  // rounds each step ran in every comparison of this file

template <class G>
void compare(const G& g, const Graph& any, const ProtocolSpec& spec, std::uint32_t trial, Round max_rounds = 300,
             const Tuning& tuning = {}) {
  const RefTrial ref = reference_trial(g, spec, 11, trial, max_rounds);
  for (const RoundStats& st : ref.rounds) g_in_flight_seen += st.in_flight;
  for (int threads : thread_counts()) {
    Collect c;
    const TrialSummary sum =
        with_threads(threads, [&] { return run_trial(any, spec, {11, trial, max_rounds}, c, tuning); });
    g_binned_rounds += sum.steps[static_cast<std::size_t>(StepKind::binned)];
    for (std::size_t k = 0; k < kStepKinds; ++k) g_steps[k] += sum.steps[k];
    INFO(describe(spec), " delay=", spec.faults.delay.text, " trial ", trial, " threads ", threads);
    REQUIRE(c.rounds.size() == ref.rounds.size());
    for (std::size_t r = 0; r < ref.rounds.size(); ++r) {
      INFO("round ", r);
      CHECK(c.rounds[r] == ref.rounds[r]);
    }
    CHECK(c.informed_at == ref.informed_at);
    REQUIRE(c.hops.size() == ref.hops.size());  // delays keep hops
    std::uint32_t max_hops = 0;
    for (std::size_t v = 0; v < ref.hops.size(); ++v)
      if (ref.informed_at[v] != kNever) {
        CHECK(std::uint32_t{c.hops[v]} == ref.hops[v]);
        max_hops = std::max(max_hops, ref.hops[v]);
      }
    REQUIRE(sum.max_hops);
    CHECK(static_cast<std::uint32_t>(*sum.max_hops) == max_hops);
    CHECK(sum.truncated == ref.truncated);
    check_summary(sum, reference_summary(ref, trial));
  }
}

std::vector<ProtocolSpec> protocol_specs(const std::string& delay) {
  std::vector<ProtocolSpec> out;
  for (Mode m : {Mode::push, Mode::pull, Mode::push_pull}) {
    out.push_back(spec_of(m, delay, 2));
    ProtocolSpec s = spec_of(m, delay, 2);
    s.fanout = 2;
    s.no_repeat = true;
    out.push_back(s);
    s = spec_of(m, delay, 2);
    s.forward_prob = 0.6;
    s.ttl = 3;
    s.loss = 0.2;
    out.push_back(s);
  }
  for (const auto& [stop, k] : {std::pair{StopRule::feedback_counter, 2u}, std::pair{StopRule::blind_coin, 3u}}) {
    ProtocolSpec s = spec_of(Mode::push, delay, 2);
    s.stop = stop;
    s.k = k;
    if (stop == StopRule::blind_coin) s.fanout = 2;  // a turn that can end mid-way: the plain steps
    out.push_back(s);
  }
  for (const double recovery : {1.0, 0.4}) {
    ProtocolSpec s = spec_of(Mode::flood, delay, 2);
    s.recovery_prob = recovery;
    out.push_back(s);
    s.forward_prob = 0.6;
    s.loss = 0.25;
    out.push_back(s);
    s = spec_of(Mode::flood, delay, 2);
    s.recovery_prob = recovery;
    s.ttl = 3;
    out.push_back(s);
  }
  return out;
}

constexpr const char* kDelays[] = {"fixed:2", "uniform:min=0,max=4", "geometric:p=0.3", "lognormal:median=1.5,sigma=1.2"};

void compare_delays(const char* graph_spec) {
  const Graph any = generate(parse_spec(graph_spec), {3});
  visit_graph(any, [&](const auto& g) {
    for (const char* delay : kDelays)
      for (const ProtocolSpec& spec : protocol_specs(delay)) {
        INFO(graph_spec);
        for (std::uint32_t trial : kSmall ? std::vector<std::uint32_t>{70} : std::vector<std::uint32_t>{0, 70})
          compare(g, any, spec, trial);
      }
  });
}

}  // namespace

TEST_CASE("engine = reference with delays on a ring") { compare_delays("ring:n=40"); }
TEST_CASE("engine = reference with delays on an er graph") { compare_delays("er:n=300,d=3"); }
TEST_CASE("engine = reference with delays on a directed er graph") { compare_delays("er:n=200,d=3,directed=1"); }
TEST_CASE("engine = reference with delays on the complete graph") {
  compare_delays("complete:n=48");
  CHECK(g_in_flight_seen > 0);
}

TEST_CASE("engine = reference with edge delays on weighted graphs, every mode") {
  for (const bool directed : {false, true}) {
    const Graph any = weighted_graph(300, 700, directed, 8);
    const auto& g = std::get<CsrGraph>(any);
    for (const ProtocolSpec& spec : protocol_specs("edge"))
      for (std::uint32_t trial : {0u, 70u}) compare(g, any, spec, trial);
  }
}

TEST_CASE("engine = reference with delays and faults: churn, crashes, a partition, joins; truncated runs") {
  const Graph any = generate(parse_spec("er:n=300,d=3"), {3});
  const auto& g = std::get<CsrGraph>(any);
  std::string why;
  const ChurnSpec churn = *parse_churn("bernoulli:fail=0.2,recover=0.4", why);
  const JoinSpec join = *parse_join("linear:per_round=20,start=100", why);
  std::int64_t lost_down = 0;
  for (const char* delay : {"uniform:min=0,max=4", "geometric:p=0.3"})
    for (ProtocolSpec spec : protocol_specs(delay)) {
      spec.faults.crashed = 0.1;
      spec.faults.churn = churn;
      spec.faults.events = {FaultEvent{.kind = FaultEvent::partition, .round = 2, .fraction = 0, .nodes = {}, .groups = 2, .group_column = {}, .group_map = {}},
                            FaultEvent{.kind = FaultEvent::heal, .round = 7, .fraction = 0, .nodes = {}, .groups = 2, .group_column = {}, .group_map = {}}};
      spec.faults.join = join;
      compare(g, any, spec, 1);
      for (Round max_rounds : {3, 9}) compare(g, any, spec, 2, max_rounds);
      for (const RoundStats& st : reference_trial(g, spec, 11, 1, 300).rounds) lost_down += st.lost_down;
    }
  CHECK(lost_down > 0);
}

TEST_CASE("binned rounds with delays and faults: several ranges, blocks and chunks (sim/binned.hpp)") {
  // n = 3000: listed rounds of up to 150 actors. Besides the default sizing (one range, one
  // block), ranges of 2^6 nodes (47 of them) in blocks of 4 actors, in chunks of many blocks or
  // of one: copies of several blocks meet in a range, delayed ones go in flight from a binned
  // round, and a copy to a down node or across the partition is dropped before it is binned.
  const Graph any = generate(parse_spec("er:n=3000,d=4"), {3});
  const auto& g = std::get<CsrGraph>(any);
  std::string why;
  const ChurnSpec churn = *parse_churn("bernoulli:fail=0.1,recover=0.3", why);
  g_binned_rounds = 0;
  for (const int sizing : {0, 1, 2}) {
    Tuning t;
    if (sizing > 0) {
      t.bin_min_shift = 6;
      t.bin_block_actors = 4;
      t.bin_block_copies_per_range = 0;
      t.bin_chunk_copies = sizing == 1 ? 1024 : 1;
    }
    for (const char* delay : {"fixed:1", "uniform:min=0,max=3"})
      for (ProtocolSpec spec : {spec_of(Mode::push, delay, 2), spec_of(Mode::flood, delay, 2)}) {
        for (const int variant : {0, 1}) {
          if (variant == 1) {  // options on, faults on
            if (spec.mode == Mode::push) {
              spec.fanout = 2;
              spec.no_repeat = true;
            } else {
              spec.recovery_prob = 0.5;
            }
            spec.forward_prob = 0.7;
            spec.loss = 0.1;
            spec.ttl = 6;
          }
          spec.faults.crashed = 0.05;
          spec.faults.churn = churn;
          spec.faults.events = {FaultEvent{.kind = FaultEvent::partition, .round = 3, .fraction = 0, .nodes = {}, .groups = 2, .group_column = {}, .group_map = {}},
                                FaultEvent{.kind = FaultEvent::heal, .round = 6, .fraction = 0, .nodes = {}, .groups = 2, .group_column = {}, .group_map = {}}};
          INFO("bin sizing ", sizing, " variant ", variant);
          compare(g, any, spec, 1, 300, t);
        }
      }
  }
  CHECK(g_binned_rounds > 0);
}

TEST_CASE("a run with copies in flight resumes from its checkpoint bit for bit") {
  // A sink that stops after round `at` (taking a checkpoint), then a resumed run from it; both
  // halves' rounds and the final state equal one uninterrupted run.
  struct Stopper : Collect {
    Round at;
    std::optional<TrialCheckpoint> cp;
    explicit Stopper(Round a) : at(a) {}
    unsigned at_boundary(std::uint32_t, Round r) override { return r == at ? kStop : kGoOn; }
    void on_checkpoint(const TrialCheckpoint& c) override {
      cp = c;
      cp->materialize();  // the engine hands views of its arrays, valid during this call only
    }
  };
  const Graph any = generate(parse_spec("er:n=2000,d=6"), {3});
  for (const char* delay : {"uniform:min=1,max=6", "lognormal:median=3,sigma=1.5"})
    for (Mode m : {Mode::push, Mode::flood}) {
      ProtocolSpec spec = spec_of(m, delay, 3);
      spec.faults.churn = [] { std::string why; return *parse_churn("bernoulli:fail=0.1,recover=0.5", why); }();
      const RunParams run{.seed = 5, .trials = 1, .trial_offset = 0, .max_rounds = 500};
      Collect whole;
      simulate(any, spec, run, whole, nullptr);
      for (Round at : {2, 5}) {
        Stopper first(at);
        CHECK(!simulate(any, spec, run, first, nullptr));
        REQUIRE(first.cp);
        CHECK(!first.cp->in_flight.empty());
        // Through the file format too.
        const TempFile f("");
        write_checkpoint(f.path, RunCheckpoint{.config_toml = "", .graph_fingerprint = 0, .done = {}, .trial = *first.cp});
        const RunCheckpoint back = read_checkpoint(f.path);
        CHECK(back.trial.in_flight == first.cp->in_flight);
        Collect rest;
        CHECK(simulate(any, spec, run, rest, &back.trial));
        std::vector<RoundStats> joined = first.rounds;
        joined.insert(joined.end(), rest.rounds.begin(), rest.rounds.end());
        CAPTURE(delay);
        CAPTURE(at);
        CHECK(joined == whole.rounds);
        CHECK(rest.informed_at == whole.informed_at);
        CHECK(rest.hops == whole.hops);
      }
    }
}

TEST_CASE("plain flood's copies in flight stay within the memory plan's bound, which a dense layer reaches") {
  // flood_waiting_copies bounds the copies a trial places in the timing wheel (delay >= 1), so
  // every round's in_flight counter; run_memory counts them at 16 bytes.
  auto peak_in_flight = [](const Graph& any, const ProtocolSpec& spec, std::uint32_t trial) {
    Collect c;
    run_trial(any, spec, {7, trial, kMax}, c);
    std::int64_t peak = 0;
    for (const RoundStats& s : c.rounds) peak = std::max(peak, s.in_flight);
    return peak;
  };
  const std::vector<std::string> delays = {"fixed:1",           "fixed:3",        "uniform:min=1,max=4", "uniform:min=0,max=3",
                                           "geometric:p=0.3",   "geometric:p=0.02", "lognormal:median=2,sigma=0.6"};
  for (const char* graph_spec : {"er:n=3000,d=8", "er:n=2000,d=4,directed=1", "ring:n=400", "complete:n=150"}) {
    const Graph any = generate(parse_spec(graph_spec), {5});
    const std::uint64_t arcs = visit_graph(any, [](const auto& x) { return std::uint64_t{x.num_arcs()}; });
    for (const std::string& delay : delays) {
      const ProtocolSpec spec = spec_of(Mode::flood, delay, 2);
      const WaitingCopies w = flood_waiting_copies(any, spec.faults.delay);
      INFO(std::string(graph_spec), ", ", delay);
      CHECK(w.ring <= arcs);
      CHECK(w.far <= w.ring);
      for (std::uint32_t trial : {0u, 1u, 2u}) CHECK(peak_in_flight(any, spec, trial) <= static_cast<std::int64_t>(w.ring));
      // The plan's part: 16 bytes a copy at least.
      const RunParams run{};
      const MemoryPlan m = run_memory(any, spec, run, plan_run(any, spec, run), 2, false, false);
      std::uint64_t part = 0;
      for (const MemoryPart& p : m.parts)
        if (p.name == "in_flight") part = p.bytes;
      CHECK(part >= 16 * w.ring);
    }
    // A delay that may be 0 leaves those copies out: fewer than every arc (the graph is large enough).
    if (arcs > 20000) CHECK(flood_waiting_copies(any, delay_of("uniform:min=0,max=3")).ring < arcs);
  }
  // Edge latencies: the arcs of latency >= 1 exactly (0 .. 6 rounds here), none far (W = 32).
  for (const bool directed : {false, true}) {
    const Graph any = weighted_graph(2000, 8000, directed, 5);
    const auto& g = std::get<CsrGraph>(any);
    std::uint64_t waiting = 0;
    for (const Latency l : g.latencies()) waiting += l >= 1;
    const ProtocolSpec spec = spec_of(Mode::flood, "edge", 2);
    const WaitingCopies w = flood_waiting_copies(any, spec.faults.delay);
    CHECK(w.ring == waiting);
    CHECK(w.far == 0);
    CHECK(waiting < g.num_arcs());
    for (std::uint32_t trial : {0u, 1u, 2u}) CHECK(peak_in_flight(any, spec, trial) <= static_cast<std::int64_t>(w.ring));
  }
  // K_m with a pendant node behind node 1, flooded from node 0 with fixed:2: nodes 1 .. m - 1 are
  // informed in round 3 and, the pendant node still uninformed, all send in round 4: (m - 1)^2 + 1
  // copies in flight of m (m - 1) + 2 arcs. No bound from n, the arc count and the delay alone
  // can be lower than about every arc.
  const NodeId m = 120;
  WeightedEdges list{m + 1, {}};
  for (NodeId u = 0; u < m; ++u)
    for (NodeId v = u + 1; v < m; ++v) list.edges.emplace_back(u, v, Latency{0});
  list.edges.emplace_back(1, m, Latency{0});
  const Graph dense = build_csr(list, {});
  ProtocolSpec spec = spec_of(Mode::flood, "fixed:2");
  spec.source_nodes = {0};
  const WaitingCopies w = flood_waiting_copies(dense, spec.faults.delay);
  const std::uint64_t arcs = std::uint64_t{m} * (m - 1) + 2;
  CHECK(w.ring == arcs);
  CHECK(peak_in_flight(dense, spec, 0) == std::int64_t{m - 1} * (m - 1) + 1);
}

TEST_CASE("the timing wheel frees its buckets between trials") {
  // A bucket keeps its capacity from round to round within a trial (the plan's bound counts a
  // trial's copies); clear(), at a trial's start, gives it back.
  InFlight f;
  f.size_for(4, 2.5, 1);
  f.clear(1);
  for (int i = 0; i < 1000; ++i) f.add(3, static_cast<InFlight::Copy>(i));
  for (int i = 0; i < 10; ++i) f.add(1 << 12, static_cast<InFlight::Copy>(i));  // past the wheel: the far list
  CHECK(f.bytes() >= 1000 * sizeof(InFlight::Copy));
  f.clear(1);
  CHECK(f.bytes() == 0);
}

// Last in this file: with delays (and faults) every rumor step that supports them ran in the
// comparisons above: plain and batched, listed and dense, binned.
TEST_CASE("every step that supports delays ran in the comparisons above") {
  for (const StepKind k : {StepKind::sparse, StepKind::sparse_batched, StepKind::binned, StepKind::dense,
                           StepKind::dense_batched}) {
    INFO("step ", step_name(k));
    CHECK(g_steps[static_cast<std::size_t>(k)] > 0);
  }
}
