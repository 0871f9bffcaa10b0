// Engine smoke checks while the reference comparison lands: flood = BFS layers on a grid.
#include "sim/simulate.hpp"

#include "support.hpp"

using namespace gossip;

namespace {
ProtocolSpec spec_of(Mode m) {
  return {m, 1, false, 1.0, 0, StopRule::none, 1, 1, {}, 0.0};
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
