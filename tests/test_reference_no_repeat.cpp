// The serial reference simulator's no_repeat cycles (push, across rounds, both roles of
// push-pull) and the TTL in pull and push-pull.
#include "reference_oracles.hpp"

using namespace gossip;
using namespace gossip::test;

//        1   2
//         \ /
//    11 -- 0 -- 3        star:n=12, rumor at the centre
//         / \  ...
TEST_CASE("no_repeat push from a star's centre informs a new leaf every round") {
  const CsrGraph g = gen_csr("star:n=12");
  ProtocolSpec s = make_spec(Mode::push);
  s.no_repeat = true;
  for (std::uint32_t trial = 0; trial < 10; ++trial) {
    CAPTURE(trial);
    const RefTrial t = reference_trial(g, s, 2, trial, kMax);
    check_consistent(t);
    REQUIRE(t.rounds.size() == 12);  // full at round n - 1 = 11 exactly
    for (std::int64_t r = 1; r <= 11; ++r) {
      CAPTURE(r);
      // the centre informs one leaf; the r - 1 informed leaves push at the centre
      CHECK(t.rounds[static_cast<std::size_t>(r)] == stats(r + 1, 1, r, 0, r - 1, 0, r + 1, 12));
    }
    std::vector<Round> leaf_rounds(t.informed_at.begin() + 1, t.informed_at.end());
    std::sort(leaf_rounds.begin(), leaf_rounds.end());
    CHECK(leaf_rounds == std::vector<Round>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
  }
  // Without no_repeat the centre repeats itself long before 11 leaves (coupon collector).
  bool slower = false;
  for (std::uint32_t trial = 0; trial < 10; ++trial)
    slower |= reference_trial(g, make_spec(Mode::push), 2, trial, kMax).rounds.size() > 12;
  CHECK(slower);
}

//    1 ... 7 around centre 0 (star:n=8), fanout 3, no_repeat
TEST_CASE("no_repeat cycles through all neighbours before repeating, across rounds") {
  ProtocolSpec s = make_spec(Mode::push);
  s.no_repeat = true;
  s.fanout = 3;
  for (std::uint32_t trial = 0; trial < 10; ++trial) {
    const RefTrial t = reference_trial(gen_csr("star:n=8"), s, 9, trial, kMax);
    REQUIRE(t.rounds.size() == 4);
    // round 1: contacts 0-2 of the centre, 3 new leaves; round 2: contacts 3-5, 3 more (the
    // 3 informed leaves push 3 copies each at the centre); round 3: contact 6 is the last leaf,
    // contacts 7-8 start the second cycle at informed leaves.
    CHECK(t.rounds[1] == stats(4, 3, 3, 0, 0, 0, 4, 8));
    CHECK(t.rounds[2] == stats(7, 3, 3 + 9, 0, 9, 0, 7, 8));
    // (one of contacts 7-8 may hit the leaf contact 6 informed in this very round: not redundant)
    const RoundStats& r3 = t.rounds[3];
    CHECK(r3.informed == 8);
    CHECK(r3.newly_informed == 1);
    CHECK(r3.messages == 3 + 18);
    CHECK(r3.redundant >= 18 + 1);
    CHECK(r3.redundant <= 18 + 2);
  }
  // fanout = degree: every neighbour exactly once in round 1.
  s.fanout = 7;
  const RefTrial all = reference_trial(gen_csr("star:n=8"), s, 9, 0, kMax);
  CHECK(all.rounds[1] == stats(8, 7, 7, 0, 0, 0, 8, 8));
}

// 0 <--> 1 --> 2      directed: node 2 has no out-arc, so it never pulls
TEST_CASE("no_repeat counts the contacts of both roles (push-pull)") {
  // Round 1: 0 pushes to 1 and informs it; 1 (uninformed) pulls with its contact 0, from 0 (a
  // reply: 2 messages) or from 2 (no reply: 1 message). Round 2: 1 pushes with its contact 1,
  // which goes to the neighbour it did not ask in round 1.
  const CsrGraph g = build(3, {{0, 1}, {1, 0}, {1, 2}}, {.directed = true});
  ProtocolSpec s = make_spec(Mode::push_pull);
  s.no_repeat = true;
  int asked_0 = 0, asked_2 = 0;
  for (std::uint32_t trial = 0; trial < 40; ++trial) {
    CAPTURE(trial);
    const RefTrial t = reference_trial(g, s, 4, trial, kMax);
    check_consistent(t);
    REQUIRE(t.rounds.size() >= 3);
    CHECK(t.informed_at[1] == 1);
    if (t.rounds[1].messages == 2) {
      CHECK(t.informed_at[2] == 2);
      CHECK(t.rounds[2] == stats(3, 1, 2, 0, 1, 0, 2, 3));  // 0 -> 1 redundant, 1 -> 2 new; 2 has no out-arc
      ++asked_0;
    } else {
      CHECK(t.rounds[1].messages == 1);
      CHECK(t.informed_at[2] > 2);
      CHECK(t.rounds[2] == stats(2, 0, 2, 0, 2, 0, 2, 3));  // both pushes redundant
      ++asked_2;
    }
  }
  CHECK(asked_0 > 5);
  CHECK(asked_2 > 5);
}

//   5 --- 6 --- 7 --- 0 --- 1 --- 2 --- 3      ring:n=8 (4 closes it between 3 and 5), rumor at 0
TEST_CASE("ttl in pull and push-pull: a node holding hops = ttl neither answers nor pushes") {
  // While one side is still on its way, nodes 3 and 5 keep asking nodes 2 and 6 in vain.
  const CsrGraph g = gen_csr("ring:n=8");
  for (Mode mode : {Mode::pull, Mode::push_pull, Mode::push}) {
    CAPTURE(static_cast<int>(mode));
    ProtocolSpec s = make_spec(mode);
    s.ttl = 2;
    for (std::uint32_t trial = 0; trial < 10; ++trial) {
      const RefTrial t = reference_trial(g, s, 17, trial, kMax);
      check_consistent(t);
      CHECK(t.hops == std::vector<std::uint32_t>{0, 1, 2, kNoHops, kNoHops, kNoHops, 2, 1});
      // No live arc once nodes 2 and 6 hold the rumor: the run ends in that round.
      CHECK(static_cast<Round>(t.rounds.size()) - 1 == std::max(t.informed_at[2], t.informed_at[6]));
      CHECK(!t.truncated);
      CHECK(t.rounds.back().spreaders == 3);
    }
  }
}
