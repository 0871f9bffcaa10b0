// The serial reference simulator's rules: the stop coin's probability, what counts as
// redundant, the smallest hop count of same-round copies, independent fate and coin, loss = 1,
// a source without neighbours.
#include "reference_oracles.hpp"

using namespace gossip;
using namespace gossip::test;

TEST_CASE("the stop coin fires with probability 1/k") {
  // K_2, blind-coin, k = 4: after round 1 node 0 (its one contact) is removed with prob. 1/4.
  ProtocolSpec s = make_spec(Mode::push);
  s.stop = StopRule::blind_coin;
  s.k = 4;
  int removed = 0;
  const int trials = 4000;
  for (int trial = 0; trial < trials; ++trial) {
    const RefTrial t = reference_trial(CompleteGraph(2), s, 11, static_cast<std::uint32_t>(trial), 3);
    removed += t.rounds[1].spreaders == 1;
  }
  CHECK(std::abs(removed - trials / 4) < 5 * std::sqrt(trials * 0.25 * 0.75));
}

TEST_CASE("the counted 'redundant' is the target known before the round, not within it") {
  // 1 --- 0 --- 2 with both leaves as sources pushing at the centre in round 1: two copies reach
  // the centre in the same round, neither is redundant, messages 2, newly 1.
  const RefTrial t = reference_trial(gen_csr("star:n=3"), make_spec(Mode::push, {1, 2}), 1, 0, kMax);
  REQUIRE(t.rounds.size() == 2);
  CHECK(t.rounds[1] == stats(3, 1, 2, 0, 0, 0, 3, 3));
  CHECK(t.hops[0] == 1);
}

//   4 <--- 0 ---> 3 <--- 2 <--- 1      directed; sources 0 and 1 (hops 0)
TEST_CASE("copies accepted in the same round: the smallest hop count wins") {
  // push, no_repeat, fanout 1: node 0 reaches 3 and 4 in rounds 1 and 2 in some order. When it
  // picks 4 first, node 3 gets in round 2 both 0's copy (hops 1) and 2's copy (hops 2).
  const CsrGraph g = build(5, {{0, 3}, {0, 4}, {1, 2}, {2, 3}}, {.directed = true});
  ProtocolSpec s = make_spec(Mode::push, {0, 1});
  s.no_repeat = true;
  int both = 0, direct = 0;
  for (std::uint32_t trial = 0; trial < 40; ++trial) {
    CAPTURE(trial);
    const RefTrial t = reference_trial(g, s, 6, trial, kMax);
    check_consistent(t);
    CHECK(t.hops == std::vector<std::uint32_t>{0, 0, 1, 1, 1});
    if (t.informed_at[3] == 2) {
      // 0 -> 3 and 2 -> 3 (neither redundant), 1 -> 2 redundant; spreaders 0, 1, 2 (3 and 4
      // have no out-arc)
      CHECK(t.rounds[2] == stats(5, 1, 3, 0, 1, 0, 3, 5));
      ++both;
    } else {
      CHECK(t.informed_at[3] == 1);
      ++direct;
    }
  }
  CHECK(both > 5);
  CHECK(direct > 5);
}

TEST_CASE("push: the fate word (B2) and the stop coin (B3) are independent") {
  // 0 --- 1 (K_2), blind-coin k = 2, forward_prob 1/2: after round 1, node 1 is informed with
  // probability 1/2 and node 0 removed with probability 1/2, independently: each of the four
  // outcomes has probability 1/4.
  ProtocolSpec s = make_spec(Mode::push);
  s.stop = StopRule::blind_coin;
  s.k = 2;
  s.forward_prob = 0.5;
  int outcome[2][2] = {};
  const int trials = 4000;
  for (int trial = 0; trial < trials; ++trial) {
    const RefTrial t = reference_trial(CompleteGraph(2), s, 13, static_cast<std::uint32_t>(trial), 1);
    const RoundStats& r1 = t.rounds[1];
    const bool informed = r1.informed == 2;
    const bool removed = r1.spreaders == (informed ? 1 : 0);
    ++outcome[informed][removed];
  }
  for (auto& row : outcome)
    for (int c : row) CHECK(std::abs(c - trials / 4) < 5 * std::sqrt(trials * 0.25 * 0.75));
}

TEST_CASE("loss = 1 never spreads and ends at round 0 without a stop rule") {
  const CsrGraph g = gen_csr("grid:rows=5,cols=5");
  for (Mode mode : {Mode::push, Mode::pull, Mode::push_pull, Mode::flood}) {
    CAPTURE(static_cast<int>(mode));
    ProtocolSpec s = make_spec(mode, {12});
    s.loss = 1.0;
    s.fanout = 3;
    const RefTrial t = reference_trial(g, s, 1, 0, kMax);
    check_consistent(t);
    CHECK(t.rounds.size() == 1);
    CHECK(!t.truncated);
    CHECK(reference_summary(t).coverage == doctest::Approx(1.0 / 25));
  }
  // With blind-counter k = 2 the source still talks until removed: every copy is lost.
  //   0 --- 1 --- ... --- 9 --- 0   (ring)
  ProtocolSpec s = make_spec(Mode::push);
  s.loss = 1.0;
  s.stop = StopRule::blind_counter;
  s.k = 2;
  const RefTrial t = reference_trial(gen_csr("ring:n=10"), s, 1, 0, kMax);
  REQUIRE(t.rounds.size() == 3);
  CHECK(t.rounds[1] == stats(1, 0, 1, 0, 0, 1, 1, 10));
  CHECK(t.rounds[2] == stats(1, 0, 1, 0, 0, 1, 0, 10));
  // feedback-counter: a lost copy gives no feedback, so nothing can ever change: the run ends
  // at round 0 ("loss = 1 and ... a feedback rule").
  s.stop = StopRule::feedback_counter;
  const RefTrial f = reference_trial(gen_csr("ring:n=10"), s, 1, 0, 30);
  CHECK(f.rounds.size() == 1);
  CHECK(!f.truncated);
  CHECK(reference_summary(f).messages == 0);
}

// 0        1 --- 2 --- 3       node 0 has no neighbour
TEST_CASE("a source without neighbours: coverage 1/n") {
  const CsrGraph g = build(4, {{1, 2}, {2, 3}});
  for (Mode mode : {Mode::push, Mode::pull, Mode::push_pull}) {
    CAPTURE(static_cast<int>(mode));
    const RefTrial t = reference_trial(g, make_spec(mode), 1, 0, kMax);
    CHECK(t.rounds.size() == 1);  // no live arc after round 0
    CHECK(!t.truncated);
    CHECK(reference_summary(t).coverage == doctest::Approx(0.25));
  }
  // Flood has no live arc either: it ends at round 0.
  const RefTrial f = reference_trial(g, make_spec(Mode::flood), 1, 0, kMax);
  REQUIRE(f.rounds.size() == 1);
  CHECK(f.rounds[0] == stats(1, 1, 0, 0, 0, 0, 0, 4));
  // With a stop rule a run ends when spreaders = 0; an isolated node is no spreader (deg 0).
  ProtocolSpec s = make_spec(Mode::push);
  s.stop = StopRule::feedback_counter;
  const RefTrial st = reference_trial(g, s, 1, 0, 12);
  CHECK(st.rounds.size() == 1);
  CHECK(!st.truncated);
}
