// The serial reference simulator's statistics and bookkeeping: the fates' shares, hops,
// determinism, the source draw and the trial summary.
#include "reference_oracles.hpp"

using namespace gossip;
using namespace gossip::test;

TEST_CASE("fates: loss and forward_prob split the copies as L and A say") {
  // star:n=20001, flood from the centre: 20000 copies in round 1; the informed leaves' only
  // neighbour, the centre, knows already, so no live arc remains and the run ends.
  const CsrGraph g = gen_csr("star:n=20001");
  ProtocolSpec s = make_spec(Mode::flood);
  s.loss = 0.25;
  s.forward_prob = 0.6;
  const RefTrial t = reference_trial(g, s, 8, 0, kMax);
  check_consistent(t);
  REQUIRE(t.rounds.size() == 2);
  const double m = 20000;
  auto near = [](double got, double p, double trials) {
    return std::abs(got - p * trials) < 5 * std::sqrt(trials * p * (1 - p));
  };
  CHECK(t.rounds[1].messages == 20000);
  CHECK(near(static_cast<double>(t.rounds[1].lost), 0.25, m));
  CHECK(near(static_cast<double>(t.rounds[1].newly_informed), 0.75 * 0.6, m));
  CHECK(t.rounds[1].redundant == 0);

  // Pull from the centre: 20000 requests; lost ones (B2) get no reply; replies are lost (B3 < L),
  // accepted, or refused.
  ProtocolSpec p = make_spec(Mode::pull);
  p.loss = 0.2;
  p.forward_prob = 0.5;
  const RefTrial u = reference_trial(g, p, 8, 0, 1);
  const RoundStats& r1 = u.rounds[1];
  CHECK(r1.requests == 20000);
  CHECK(near(static_cast<double>(r1.messages), 0.8, m));  // replies to requests that arrived
  CHECK(near(static_cast<double>(r1.newly_informed), 0.8 * 0.8 * 0.5, m));
  CHECK(near(static_cast<double>(r1.lost - (20000 - r1.messages)), 0.2, static_cast<double>(r1.messages)));
}

TEST_CASE("hops: each non-source holds 1 + the hops of a neighbour informed before it") {
  const CsrGraph g = gen_csr("grid:rows=12,cols=12");
  ProtocolSpec s = make_spec(Mode::push_pull, {0, 77});
  s.forward_prob = 0.7;
  s.fanout = 2;
  const RefTrial t = reference_trial(g, s, 21, 3, kMax);
  check_consistent(t);
  const std::vector<Round> d0 = bfs(g, 0), d77 = bfs(g, 77);
  for (NodeId v = 0; v < g.num_nodes(); ++v) {
    if (t.informed_at[v] == kNever || t.informed_at[v] == 0) continue;
    CHECK(t.hops[v] >= static_cast<std::uint32_t>(std::min(d0[v], d77[v])));
    CHECK(t.hops[v] <= static_cast<std::uint32_t>(t.informed_at[v]));
    bool parent = false;
    for (NodeId i = 0; i < g.degree(v); ++i) {
      const NodeId w = g.neighbor(v, i);
      parent |= t.informed_at[w] < t.informed_at[v] && t.hops[w] + 1 == t.hops[v];
    }
    CHECK(parent);
  }
}

TEST_CASE("determinism: the same call gives the same trial, another seed or trial another") {
  const CsrGraph g = gen_csr("grid:rows=10,cols=10");
  ProtocolSpec s = make_spec(Mode::push, {});
  s.sources = 2;
  auto same = [](const RefTrial& a, const RefTrial& b) {
    return a.rounds == b.rounds && a.informed_at == b.informed_at && a.hops == b.hops &&
           a.truncated == b.truncated && a.sources == b.sources;
  };
  for (Mode mode : {Mode::push, Mode::pull, Mode::push_pull}) {
    s.mode = mode;
    const RefTrial a = reference_trial(g, s, 42, 3, kMax);
    CHECK(same(a, reference_trial(g, s, 42, 3, kMax)));
    CHECK(a.informed_at != reference_trial(g, s, 43, 3, kMax).informed_at);
    CHECK(a.informed_at != reference_trial(g, s, 42, 4, kMax).informed_at);
  }
  // Same sources, different seed: the spreading itself differs.
  const ProtocolSpec fixed = make_spec(Mode::push, {55});
  CHECK(reference_trial(g, fixed, 1, 0, kMax).informed_at !=
        reference_trial(g, fixed, 2, 0, kMax).informed_at);
  CHECK(reference_trial(gen_csr("hypercube:dim=7"), fixed, 1, 0, kMax).informed_at !=
        reference_trial(gen_csr("hypercube:dim=7"), fixed, 1, 1, kMax).informed_at);
}

TEST_CASE("sources: k distinct sorted nodes, fixed per trial, varying across trials, uniform") {
  ProtocolSpec s = make_spec(Mode::push, {});
  s.sources = 5;
  std::set<std::vector<NodeId>> seen;
  for (std::uint32_t trial = 0; trial < 20; ++trial) {
    const std::vector<NodeId> src = reference_sources(50, s, 9, trial);
    REQUIRE(src.size() == 5);
    CHECK(std::is_sorted(src.begin(), src.end()));
    CHECK(std::adjacent_find(src.begin(), src.end()) == src.end());
    CHECK(src.back() < 50);
    CHECK(src == reference_sources(50, s, 9, trial));
    seen.insert(src);
  }
  CHECK(seen.size() >= 18);
  // In a trial they are informed at round 0.
  const RefTrial t = reference_trial(gen_csr("ring:n=50"), s, 9, 4, kMax);
  CHECK(t.sources == reference_sources(50, s, 9, 4));
  CHECK(t.rounds[0] == stats(5, 5, 0, 0, 0, 0, 5, 50));
  check_consistent(t);
  // Floyd's algorithm is uniform: every node is picked with probability k / n.
  s.sources = 3;
  std::vector<int> hits(10, 0);
  const int trials = 4000;
  for (int trial = 0; trial < trials; ++trial)
    for (NodeId v : reference_sources(10, s, 1, static_cast<std::uint32_t>(trial))) ++hits[v];
  for (int h : hits) CHECK(std::abs(h - trials * 3 / 10) < 5 * std::sqrt(trials * 0.3 * 0.7));
  // k = n takes every node; k > n is refused.
  s.sources = 10;
  CHECK(reference_sources(10, s, 1, 0) == std::vector<NodeId>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  s.sources = 11;
  CHECK_THROWS_AS(reference_sources(10, s, 1, 0), std::invalid_argument);
  // Explicit nodes: the same every trial, sorted; outside the graph is refused.
  const ProtocolSpec e = make_spec(Mode::push, {7, 3});
  CHECK(reference_sources(10, e, 1, 0) == std::vector<NodeId>{3, 7});
  CHECK(reference_sources(10, e, 2, 5) == std::vector<NodeId>{3, 7});
  CHECK_THROWS_AS(reference_sources(7, e, 1, 0), std::invalid_argument);
}

// 0 --- 1 --- ... --- 9     flood from 0: node i at round i
TEST_CASE("summary: coverage, messages, t_avg, t_last and the first rounds reaching ceil(f n)") {
  const RefTrial t = reference_trial(gen_csr("path:n=10"), make_spec(Mode::flood), 1, 0, kMax);
  const TrialSummary s = reference_summary(t, 6);
  CHECK(s.trial == 6);
  CHECK(s.rounds == 9);  // the eccentricity: node 9 has no uninformed neighbour to flood
  CHECK(!s.truncated);
  CHECK(s.final_informed == 10);
  CHECK(s.coverage == 1.0);
  CHECK(s.residue == 0.0);
  CHECK(s.messages == 17);  // nodes 0..8 send: 1 + 2 * 8
  CHECK(s.requests == 0);
  CHECK(s.traffic == doctest::Approx(1.7));
  CHECK(s.t_avg == doctest::Approx(4.5));
  CHECK(s.t_last == 9);
  CHECK(s.round_50 == 4);   // 5 informed
  CHECK(s.round_90 == 8);   // 9 informed
  CHECK(s.round_99 == 9);   // ceil(9.9) = 10
  CHECK(s.round_full == 9);
  // ttl 3: 4 of 10, never half.
  ProtocolSpec ttl = make_spec(Mode::flood);
  ttl.ttl = 3;
  const TrialSummary p = reference_summary(reference_trial(gen_csr("path:n=10"), ttl, 1, 0, kMax));
  CHECK(p.final_informed == 4);
  CHECK(p.coverage == doctest::Approx(0.4));
  CHECK(p.residue == doctest::Approx(0.6));
  CHECK(p.t_avg == doctest::Approx(1.5));
  CHECK(p.t_last == 3);
  CHECK(!p.round_50);
  CHECK(!p.round_full);
  CHECK(p.rounds == 3);
}
