// Engine smoke checks: flood = BFS layers on a grid, thread counts agree on K_n, trials run in
// one reused state equal trials run alone.
#include "sim/simulate.hpp"
#include "sim/state.hpp"

#include "support.hpp"

using namespace gossip;

namespace {
ProtocolSpec spec_of(Mode m) {
  return {.mode = m, .fanout = 1, .no_repeat = false, .forward_prob = 1.0, .ttl = 0, .stop = StopRule::none, .k = 1,
          .sources = 1, .source_nodes = {}, .loss = 0.0, .recovery_prob = 1.0};
}
struct Collect : Sink {
  std::vector<RoundStats> rounds;
  std::vector<Round> informed_at;
  void on_round(std::uint32_t, Round, const RoundStats& s) override { rounds.push_back(s); }
  void on_trial_end(const TrialSummary&, std::span<const Round> ia, std::span<const std::uint16_t>) override {
    informed_at.assign(ia.begin(), ia.end());
  }
};
}  // namespace

TEST_CASE("flood on a grid from a corner: informed_at = manhattan distance") {
  const Graph g = gossip::test::gen_csr("grid:rows=30,cols=40");
  ProtocolSpec s = spec_of(Mode::flood);
  s.source_nodes = {0};
  Collect c;
  const TrialSummary sum = run_trial(g, s, {1, 0, 1000}, c);
  for (NodeId v = 0; v < 1200; ++v) CHECK(c.informed_at[v] == static_cast<Round>(v / 40 + v % 40));
  CHECK(sum.rounds == 29 + 39);
  CHECK(sum.final_informed == 1200);
}

TEST_CASE("push on the complete graph informs everyone; threads agree") {
  const Graph g = generate(parse_spec("complete:n=100000"), {});
  for (Mode m : {Mode::push, Mode::pull, Mode::push_pull}) {
    Collect one, two;
    const ProtocolSpec s = spec_of(m);
    const TrialSummary a = gossip::test::with_threads(1, [&] { return run_trial(g, s, {5, 3, 1000}, one); });
    gossip::test::with_threads(2, [&] { return run_trial(g, s, {5, 3, 1000}, two); });
    CHECK(a.final_informed == 100000);
    CHECK(one.rounds == two.rounds);
    CHECK(one.informed_at == two.informed_at);
    MESSAGE("mode ", static_cast<int>(m), " rounds ", a.rounds);
  }
}

// simulate() runs its trials one by one in one RumorState, reset between them: each trial must
// equal the same trial run alone in a fresh state (bitmaps, hops, contacts, stop counters).
TEST_CASE("trials of one simulate() equal each trial run alone") {
  struct PerTrial : Sink {
    std::vector<std::vector<Round>> informed_at;
    std::vector<std::vector<RoundStats>> rounds;
    void on_trial_start(std::uint32_t, std::span<const NodeId>) override { rounds.emplace_back(); }
    void on_round(std::uint32_t, Round, const RoundStats& s) override { rounds.back().push_back(s); }
    void on_trial_end(const TrialSummary&, std::span<const Round> ia, std::span<const std::uint16_t>) override {
      informed_at.emplace_back(ia.begin(), ia.end());
    }
  };
  const Graph er = gossip::test::gen_csr("er:n=20000,d=6");
  const Graph kn = generate(parse_spec("complete:n=20000"), {});
  std::vector<std::pair<const Graph*, ProtocolSpec>> cases;
  for (Mode m : {Mode::push, Mode::pull, Mode::push_pull, Mode::flood}) {
    cases.push_back({&er, spec_of(m)});
    if (m != Mode::flood) cases.push_back({&kn, spec_of(m)});
  }
  ProtocolSpec ttl = spec_of(Mode::push), rep = spec_of(Mode::push), stop = spec_of(Mode::push);
  ttl.ttl = 6;
  rep.no_repeat = true;
  stop.stop = StopRule::feedback_counter;
  stop.k = 2;
  for (const ProtocolSpec& s : {ttl, rep, stop}) cases.push_back({&er, s});
  for (const auto& [g, s] : cases) {
    PerTrial together;
    gossip::test::with_threads(2, [&] { return simulate(*g, s, {9, 3, 4, 1000, Packing::off}, together); });
    REQUIRE(together.informed_at.size() == 3);
    for (std::uint32_t t = 0; t < 3; ++t) {
      PerTrial alone;
      gossip::test::with_threads(2, [&] { return run_trial(*g, s, {9, 4 + t, 1000}, alone); });
      CAPTURE(static_cast<int>(s.mode));
      CAPTURE(t);
      CHECK(alone.informed_at[0] == together.informed_at[t]);
      CHECK(alone.rounds[0] == together.rounds[t]);
    }
  }
}

TEST_CASE("RumorState::reset: a new trial's state, the bitmaps marked stale") {
  ProtocolSpec s = spec_of(Mode::push);
  s.ttl = 3;
  RumorState st(1000, s, Features::of(s, {}), {});
  st.informed_at[7] = 2;
  st.hops[7] = 1;
  st.bits_round = 5;  // as a trial whose last round was a dense sweep leaves it
  st.reset();
  CHECK(st.bits_round == -1);  // else a later trial's sweep in round 5 would trust old bitmaps
  CHECK(st.informed_at[7] == kNever);
  CHECK(st.hops[7] == kNoHops);
}
