// The packed flood (sim/packed_flood.cpp) against the trials run one by one (which
// test_engine_reference holds equal to the serial reference simulator): every sink call, per
// trial and in order, must be identical: sources, every round's counters, the summary (wall time
// aside), informed_at and hops; across forward probabilities (dyadic and not), loss, TTL,
// max_rounds, recovery (SIR), trial counts and offsets that are not multiples of 64, 1/2/4 threads.
#include <string>

#include "core/error.hpp"
#include "sim/simulate.hpp"
#include "sim/trial_summary.hpp"
#include "support.hpp"

using namespace gossip;

namespace {

struct TrialRecord {
  std::uint32_t trial = 0;
  std::vector<NodeId> sources;
  std::vector<std::pair<Round, RoundStats>> rounds;
  TrialSummary summary;
  std::vector<Round> informed_at;
  std::vector<std::uint16_t> hops;
};

struct Record : Sink {
  bool want = true;
  std::vector<TrialRecord> trials;
  void on_trial_start(std::uint32_t t, std::span<const NodeId> s) override {
    trials.push_back({});
    trials.back().trial = t;
    trials.back().sources.assign(s.begin(), s.end());
  }
  void on_round(std::uint32_t t, Round r, const RoundStats& s) override {
    REQUIRE(t == trials.back().trial);
    trials.back().rounds.emplace_back(r, s);
  }
  bool wants_informed_at(std::uint32_t t) const override { return want && t % 3 != 1; }
  void on_trial_end(const TrialSummary& s, std::span<const Round> ia, std::span<const std::uint16_t> h) override {
    REQUIRE(s.trial == trials.back().trial);
    trials.back().summary = s;
    trials.back().informed_at.assign(ia.begin(), ia.end());
    trials.back().hops.assign(h.begin(), h.end());
  }
};

// Every summary field (summary_fields: rounds, marks, the reachable set, ...) and the rest.
std::vector<double> fields(const TrialSummary& s) {
  std::vector<double> out{static_cast<double>(s.trial), static_cast<double>(s.truncated), static_cast<double>(s.requests)};
  for (const auto& [name, v] : summary_fields(s)) out.push_back(v ? *v : -1.0);
  return out;
}

// One by one (the scalar engine) vs packed: identical calls. The packed sink wants informed_at
// for two trials in three; the others must get empty spans and still the same counters.
void check_packed(const Graph& g, const ProtocolSpec& spec, std::uint64_t offset, std::uint64_t trials,
                  Round max_rounds = 400) {
  Record one;
  gossip::test::with_threads(2, [&] { simulate(g, spec, {5, trials, offset, max_rounds, Packing::off}, one); });
  REQUIRE(one.trials.size() == trials);
  for (int threads : {1, 2, 4}) {
    Record packed;
    gossip::test::with_threads(threads, [&] { simulate(g, spec, {5, trials, offset, max_rounds, Packing::on}, packed); });
    REQUIRE(packed.trials.size() == trials);
    for (std::size_t i = 0; i < trials; ++i) {
      const TrialRecord &a = one.trials[i], &b = packed.trials[i];
      INFO("p=", spec.forward_prob, " loss=", spec.loss, " ttl=", spec.ttl, " recovery=", spec.recovery_prob, " trial ",
           a.trial, " threads ", threads);
      REQUIRE(b.trial == a.trial);
      CHECK(b.sources == a.sources);
      REQUIRE(b.rounds.size() == a.rounds.size());
      for (std::size_t r = 0; r < a.rounds.size(); ++r) {
        INFO("round ", r);
        CHECK(b.rounds[r].first == a.rounds[r].first);
        CHECK(b.rounds[r].second == a.rounds[r].second);
      }
      CHECK(fields(b.summary) == fields(a.summary));
      if (a.trial % 3 != 1) {
        CHECK(b.informed_at == a.informed_at);
        CHECK(b.hops == a.hops);
      } else {
        CHECK(b.informed_at.empty());
        CHECK(b.hops.empty());
      }
    }
  }
}

void check_graph(const char* graph_spec) {
  const Graph g = generate(parse_spec(graph_spec), {3});
  for (double p : {1.0, 0.5, 0.3, 0.75})
    for (double loss : {0.0, 0.25})
      for (std::uint32_t ttl : {0u, 3u}) {
        const ProtocolSpec spec{.mode = Mode::flood, .fanout = 1, .no_repeat = false, .forward_prob = p, .ttl = ttl,
                                .stop = StopRule::none, .k = 1, .sources = 2, .source_nodes = {}, .loss = loss,
                                .recovery_prob = 1.0};
        check_packed(g, spec, 0, 70);   // a full batch and 6 lanes of the next
        check_packed(g, spec, 37, 30);  // lanes 37 .. 63 of batch 0 and 0 .. 2 of batch 1
      }
  // Flood with recovery (SIR; packed without TTL only): senders stay in the packed frontier,
  // lane by lane, until they recover.
  for (double recovery : {0.35, 0.8})
    for (double p : {1.0, 0.5, 0.3})
      for (double loss : {0.0, 0.25}) {
        const ProtocolSpec spec{.mode = Mode::flood, .fanout = 1, .no_repeat = false, .forward_prob = p, .ttl = 0,
                                .stop = StopRule::none, .k = 1, .sources = 2, .source_nodes = {}, .loss = loss,
                                .recovery_prob = recovery};
        check_packed(g, spec, 0, 70);
        check_packed(g, spec, 37, 30);
      }
}

}  // namespace

TEST_CASE("packed flood = one by one on a ring") { check_graph("ring:n=40"); }
TEST_CASE("packed flood = one by one on a star") { check_graph("star:n=30"); }
TEST_CASE("packed flood = one by one on a grid") { check_graph("grid:rows=7,cols=9"); }
TEST_CASE("packed flood = one by one on the complete graph") { check_graph("complete:n=48"); }
TEST_CASE("packed flood = one by one on an er graph") { check_graph("er:n=300,d=3"); }
TEST_CASE("packed flood = one by one on a directed er graph") { check_graph("er:n=200,d=3,directed=1"); }
TEST_CASE("packed flood = one by one when sparse and dense rounds alternate") {
  const Graph g = generate(parse_spec("er:n=20000,d=4"), {3});
  for (double p : {1.0, 0.4})
    for (double recovery : {1.0, 0.5})
      check_packed(g, {.mode = Mode::flood, .fanout = 1, .no_repeat = false, .forward_prob = p, .ttl = 0,
                       .stop = StopRule::none, .k = 1, .sources = 1, .source_nodes = {}, .loss = 0.1,
                       .recovery_prob = recovery}, 120, 75);
}

TEST_CASE("packed flood: max_rounds truncates the same trials; loss 1 ends at round 0; explicit sources") {
  const Graph ring = generate(parse_spec("ring:n=60"), {3});
  const ProtocolSpec spec{.mode = Mode::flood, .fanout = 1, .no_repeat = false, .forward_prob = 0.9, .ttl = 0,
                          .stop = StopRule::none, .k = 1, .sources = 1, .source_nodes = {}, .loss = 0.0,
                          .recovery_prob = 1.0};
  check_packed(ring, spec, 3, 64, 6);  // some trials die before round 6, the others are truncated
  Record r;
  simulate(ring, spec, {5, 64, 3, 6, Packing::on}, r);
  int truncated = 0;
  for (const auto& t : r.trials) truncated += t.summary.truncated;
  CHECK(truncated > 0);
  CHECK(truncated < 64);
  ProtocolSpec sir = spec;
  sir.recovery_prob = 0.3;
  check_packed(ring, sir, 3, 64, 6);

  ProtocolSpec lost = spec;
  lost.loss = 1.0;
  check_packed(ring, lost, 0, 10);
  lost.recovery_prob = 0.3;
  check_packed(ring, lost, 0, 10);
  ProtocolSpec fixed = spec;
  fixed.source_nodes = {0, 30};
  fixed.forward_prob = 0.6;
  check_packed(ring, fixed, 60, 9);
}

TEST_CASE("packed flood with recovery: sources without out-neighbours send nothing and draw no coin") {
  const std::vector<Edge> edges{{0, 1}, {1, 2}, {2, 3}, {3, 4}, {6, 7}, {7, 8}, {8, 9}, {4, 0}};
  for (const bool directed : {false, true}) {
    const Graph g = gossip::test::build(10, edges, {.directed = directed});
    for (const std::vector<NodeId>& sources : {std::vector<NodeId>{5}, std::vector<NodeId>{5, 0}, std::vector<NodeId>{9, 6}})
      check_packed(g, {.mode = Mode::flood, .fanout = 1, .no_repeat = false, .forward_prob = 0.7, .ttl = 0,
                       .stop = StopRule::none, .k = 1, .sources = 1, .source_nodes = sources, .loss = 0.0,
                       .recovery_prob = 0.4}, 30, 40);
  }
}

TEST_CASE("packed needs flood") {
  const Graph g = generate(parse_spec("ring:n=10"), {3});
  Record r;
  const ProtocolSpec push{.mode = Mode::push, .fanout = 1, .no_repeat = false, .forward_prob = 1.0, .ttl = 0,
                          .stop = StopRule::none, .k = 1, .sources = 1, .source_nodes = {}, .loss = 0.0,
                          .recovery_prob = 1.0};
  CHECK_THROWS_AS(simulate(g, push, {5, 3, 0, 10, Packing::on}, r), UsageError);
  // SIR with a TTL: a node's hops would differ from lane to lane.
  const ProtocolSpec sir_ttl{.mode = Mode::flood, .fanout = 1, .no_repeat = false, .forward_prob = 1.0, .ttl = 2,
                             .stop = StopRule::none, .k = 1, .sources = 1, .source_nodes = {}, .loss = 0.0,
                             .recovery_prob = 0.5};
  CHECK_THROWS_AS(simulate(g, sir_ttl, {5, 3, 0, 10, Packing::on}, r), UsageError);
  Record one;
  CHECK_NOTHROW(simulate(g, sir_ttl, {5, 3, 0, 10, Packing::off}, one));
  CHECK(one.trials.size() == 3);
}
