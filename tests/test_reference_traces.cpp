// Exact traces of the serial reference simulator on tiny graphs: push on a star, pull on a
// path, push-pull on K_2, the stop rules on K_2, flood with recovery on a path.
#include "reference_oracles.hpp"

using namespace gossip;
using namespace gossip::test;

//        1   2
//         \ /
//    8 --- 0 --- 3        star:n=9, the rumor starts at leaf 5
//         / \  ...
TEST_CASE("push on a star from a leaf: the centre first, then at most one leaf a round") {
  const CsrGraph g = gen_csr("star:n=9");
  for (std::uint32_t trial = 0; trial < 20; ++trial) {
    CAPTURE(trial);
    const RefTrial t = reference_trial(g, make_spec(Mode::push, {5}), 7, trial, kMax);
    check_consistent(t);
    // Round 1: the leaf's only neighbour is the centre.
    REQUIRE(t.rounds.size() >= 2);
    CHECK(t.rounds[1] == stats(2, 1, 1, 0, 0, 0, 2, 9));
    CHECK(t.informed_at[0] == 1);
    CHECK(t.hops[0] == 1);
    // Later: every informed node makes one contact; leaves can only hit the (informed) centre,
    // the centre informs at most one new leaf, which then has hops 2.
    for (std::size_t r = 2; r < t.rounds.size(); ++r) {
      const RoundStats& st = t.rounds[r];
      CHECK(st.messages == t.rounds[r - 1].informed);
      CHECK(st.newly_informed <= 1);
      CHECK(st.redundant == st.messages - st.newly_informed);
      CHECK(st.lost == 0);
      CHECK(st.spreaders == st.informed);
    }
    std::set<Round> leaf_rounds;
    for (NodeId v = 1; v < 9; ++v) {
      if (v == 5) continue;
      CHECK(t.hops[v] == 2);
      leaf_rounds.insert(t.informed_at[v]);
    }
    CHECK(leaf_rounds.size() == 7);  // one leaf per round
    // Ends exactly when everybody knows.
    CHECK(t.rounds.back().informed == 9);
    CHECK(t.rounds[t.rounds.size() - 2].informed == 8);
    CHECK(!t.truncated);
  }
}

// 0 --- 1 --- 2 --- ... --- 7      a path: the reply has to walk
TEST_CASE("pull on a path: node i no earlier than round i, hops i, one reply per new node") {
  const CsrGraph g = gen_csr("path:n=8");
  for (std::uint32_t trial = 0; trial < 10; ++trial) {
    CAPTURE(trial);
    const RefTrial t = reference_trial(g, make_spec(Mode::pull), 3, trial, kMax);
    check_consistent(t);
    for (NodeId i = 0; i < 8; ++i) {
      CHECK(t.informed_at[i] >= static_cast<Round>(i));
      CHECK(t.hops[i] == i);
      if (i > 0) CHECK(t.informed_at[i] > t.informed_at[i - 1]);
    }
    for (std::size_t r = 1; r < t.rounds.size(); ++r) {
      const RoundStats& st = t.rounds[r];
      CHECK(st.requests == 8 - t.rounds[r - 1].informed);  // every uninformed node asks once
      CHECK(st.messages == st.newly_informed);             // each reply informs its requester
      CHECK(st.redundant == 0);
      CHECK(st.lost == 0);
    }
    CHECK(static_cast<Round>(t.rounds.size()) - 1 == t.informed_at[7]);  // ends when all know
    CHECK(t.rounds.back().informed == 8);
  }
}

// 0 --- 1      K_2 (implicit and as a CSR)
TEST_CASE("push-pull on K_2: one push and one pull reply in round 1") {
  const RefTrial a = reference_trial(CompleteGraph(2), make_spec(Mode::push_pull), 1, 0, kMax);
  const RefTrial b = reference_trial(build(2, {{0, 1}}), make_spec(Mode::push_pull), 1, 0, kMax);
  for (const RefTrial* t : {&a, &b}) {
    check_consistent(*t);
    REQUIRE(t->rounds.size() == 2);
    CHECK(t->rounds[0] == stats(1, 1, 0, 0, 0, 0, 1, 2));
    CHECK(t->rounds[1] == stats(2, 1, 2, 1, 0, 0, 2, 2));
    CHECK(t->informed_at == std::vector<Round>{0, 1});
    CHECK(t->hops == std::vector<std::uint32_t>{0, 1});
  }
  // Pull alone: one request, one reply.
  const RefTrial p = reference_trial(CompleteGraph(2), make_spec(Mode::pull, {1}), 1, 0, kMax);
  REQUIRE(p.rounds.size() == 2);
  CHECK(p.rounds[1] == stats(2, 1, 1, 1, 0, 0, 2, 2));
}

// 0 --- 1      K_2: each node has one neighbour, so no random number matters but the coins
TEST_CASE("stop rules on K_2: exact traces") {
  auto run = [](StopRule stop, std::uint32_t k) {
    ProtocolSpec s = make_spec(Mode::push);
    s.stop = stop;
    s.k = k;
    return reference_trial(CompleteGraph(2), s, 5, 0, kMax);
  };
  // feedback-counter, k = 1: round 1 informs 1 (no feedback); round 2 both hit an informed node,
  // count 1 = k, both removed, no spreader left.
  for (StopRule stop : {StopRule::feedback_counter, StopRule::feedback_coin}) {
    CAPTURE(static_cast<int>(stop));
    const RefTrial t = run(stop, 1);  // the coin with k = 1 always says "lose interest"
    check_consistent(t);
    REQUIRE(t.rounds.size() == 3);
    CHECK(t.rounds[0] == stats(1, 1, 0, 0, 0, 0, 1, 2));
    CHECK(t.rounds[1] == stats(2, 1, 1, 0, 0, 0, 2, 2));
    CHECK(t.rounds[2] == stats(2, 0, 2, 0, 2, 0, 0, 2));
    CHECK(!t.truncated);
  }
  // feedback-counter, k = 2: one more round of redundant pushes.
  const RefTrial fc2 = run(StopRule::feedback_counter, 2);
  REQUIRE(fc2.rounds.size() == 4);
  CHECK(fc2.rounds[2] == stats(2, 0, 2, 0, 2, 0, 2, 2));
  CHECK(fc2.rounds[3] == stats(2, 0, 2, 0, 2, 0, 0, 2));
  // blind rules, k = 1: node 0 is removed by its first contact (which informs 1); node 1 by its
  // first one in round 2.
  for (StopRule stop : {StopRule::blind_counter, StopRule::blind_coin}) {
    CAPTURE(static_cast<int>(stop));
    const RefTrial t = run(stop, 1);
    REQUIRE(t.rounds.size() == 3);
    CHECK(t.rounds[1] == stats(2, 1, 1, 0, 0, 0, 1, 2));
    CHECK(t.rounds[2] == stats(2, 0, 1, 0, 1, 0, 0, 2));
  }
  // blind-counter, k = 3 with fanout 2: node 0 removed after its 3rd contact (round 2, 1st of 2).
  ProtocolSpec s = make_spec(Mode::push);
  s.stop = StopRule::blind_counter;
  s.k = 3;
  s.fanout = 2;
  const RefTrial t = reference_trial(CompleteGraph(2), s, 5, 0, kMax);
  REQUIRE(t.rounds.size() >= 3);
  // Round 1: the 2nd copy finds node 1 informed in this round, not before it: not redundant.
  CHECK(t.rounds[1] == stats(2, 1, 2, 0, 0, 0, 2, 2));
  CHECK(t.rounds[2] == stats(2, 0, 3, 0, 3, 0, 1, 2));  // node 0 once (then removed), node 1 twice
  CHECK(t.rounds.size() == 4);                       // node 1's 3rd contact in round 3 removes it
  CHECK(t.rounds[3] == stats(2, 0, 1, 0, 1, 0, 0, 2));
}

// 0 --- 1 --- 2 --- ... --- 7      flood with recovery (SIR), forward probability 1
TEST_CASE("flood with recovery on a path: sends from the round after it was informed through the round its coin recovers it") {
  const CsrGraph g = gen_csr("path:n=8");
  ProtocolSpec spec = make_spec(Mode::flood);
  spec.recovery_prob = 0.5;  // recovers when the coin's word is below 2^31
  for (std::uint32_t trial : {0u, 1u, 2u, 3u, 4u, 5u, 63u, 64u, 100u}) {
    CAPTURE(trial);
    const RefTrial t = reference_trial(g, spec, 3, trial, kMax);
    check_consistent(t);
    // Every copy is accepted: node i is informed in round i whatever the coins, and the run ends
    // with round 7, when everybody knows. Node v sends in rounds v + 1 .. last[v], last[v] the
    // first of them whose coin (the fate word of the pseudo-arc 2^32 - 1) says "recovers".
    std::vector<Round> last(8);
    for (NodeId v = 0; v < 8; ++v) {
      CHECK(t.informed_at[v] == static_cast<Round>(v));
      Round r = static_cast<Round>(v) + 1;
      while (ref_detail::flood_word(3, trial, r, v, 0xFFFFFFFFu) >= 0x80000000u) ++r;
      last[v] = r;
    }
    REQUIRE(t.rounds.size() == 8);
    CHECK(t.rounds[0] == stats(1, 1, 0, 0, 0, 0, 1, 8));
    for (Round r = 1; r < 8; ++r) {
      std::int64_t messages = 0, spreaders = 0;
      for (NodeId v = 0; v < 8; ++v) {
        if (static_cast<Round>(v) < r && r <= last[v]) messages += g.degree(v);
        if (static_cast<Round>(v) <= r && last[v] > r) spreaders += 1;
      }
      CAPTURE(r);
      // One copy (node r - 1's to node r) informs; every other copy finds its target informed.
      CHECK(t.rounds[r] == stats(r + 1, 1, messages, 0, messages - 1, 0, spreaders, 8));
    }
    CHECK(!t.truncated);
  }
}
