// The serial reference simulator of posts (tests/reference_posts.hpp) against oracles that need
// no engine: flood with forward probability 1 is a BFS from the author (informed_at, hops, every
// counter of every round); a TTL and a lifetime cut it at exactly the documented distance and
// round; one post created at round 0 spreads as the single rumor of tests/reference_sim.hpp with
// the same seed (forward probability 1: the same targets, loss words and delays); many posts =
// each post alone, node by node; the four friends' timelines computed by hand.
#include <algorithm>
#include <cmath>
#include <string>

#include "posts_support.hpp"
#include "protocol/flood_fate.hpp"
#include "reference_posts.hpp"
#include "reference_sim.hpp"

using namespace gossip;
using namespace gossip::test;

namespace {

constexpr Round kMax = 5000;

struct NamedGraph {
  const char* name;
  CsrGraph g;
};
std::vector<NamedGraph> small_graphs() {
  std::vector<NamedGraph> out;
  out.push_back({"ring:n=12", gen_csr("ring:n=12")});
  out.push_back({"grid:rows=4,cols=5", gen_csr("grid:rows=4,cols=5")});
  out.push_back({"er:n=40,d=4", gen_csr("er:n=40,d=4", 3)});
  out.push_back({"digraph", posts_digraph()});
  out.push_back({"isolated", posts_isolated()});
  return out;
}

// Flood, forward probability 1, no loss, no faults: post k's copies travel the BFS layers of its
// author; every counter of every round follows from the distances.
void check_flood_bfs(const CsrGraph& g, NodeId a, Round c, std::uint32_t ttl, Round lifetime) {
  const ProtocolSpec spec = posts_spec(Mode::flood, {{7, a, c}}, {.ttl = ttl, .lifetime = lifetime});
  INFO(describe_posts(spec));
  const RefPostsTrial t = reference_posts_trial(g, spec, 5, 0, kMax);
  const std::vector<Round> dist = bfs(g, a);
  // A node at distance d gets the post in round c + d when d <= the last sending layer + 1:
  // senders are those with hops < ttl, in rounds alive (< c + lifetime).
  Round reach_dist = kNever - 1;
  if (ttl) reach_dist = std::min<Round>(reach_dist, static_cast<Round>(ttl));
  if (lifetime) reach_dist = std::min<Round>(reach_dist, lifetime - 1);
  Round ecc = 0;
  for (NodeId v = 0; v < g.num_nodes(); ++v)
    if (dist[v] != kNever && dist[v] <= reach_dist) ecc = std::max(ecc, dist[v]);
  for (NodeId v = 0; v < g.num_nodes(); ++v) {
    const bool got = dist[v] != kNever && dist[v] <= reach_dist;
    CHECK(t.informed_at[0][v] == (got ? c + dist[v] : kNever));
    CHECK(t.hops[0][v] == (got ? static_cast<std::uint32_t>(dist[v]) : kNoHops));
  }
  // The last layer (ecc) could inform nobody: its copies are not sent, the run ends at c + ecc.
  REQUIRE(t.last_round() == c + ecc);
  CHECK_FALSE(t.truncated);
  std::int64_t redundant_all = 0;
  for (Round r = 0; r <= t.last_round(); ++r) {
    INFO("round ", r);
    const RoundStats& st = t.rounds[r];
    std::int64_t messages = 0, redundant = 0, newly = 0, informed = 0, spreaders = 0;
    for (NodeId v = 0; v < g.num_nodes(); ++v) {
      const bool got = dist[v] != kNever && dist[v] <= reach_dist;
      if (got && c + dist[v] == r) newly += 1;
      if (got && c + dist[v] <= r) {
        informed += 1;
        // F_v(r + 1): new holders with out-arcs, alive in r + 1 and below the TTL.
        const bool can = (lifetime == 0 || r + 1 < c + lifetime) && (ttl == 0 || static_cast<std::uint32_t>(dist[v]) < ttl);
        if (can && c + dist[v] == r && g.degree(v) > 0) spreaders += 1;
      }
      // Layer r - c - 1 sends in round r along every arc (alive and below the TTL: it is not the
      // layer past reach_dist; the last layer never sends within the run).
      if (got && r > c && c + dist[v] == r - 1 && r <= c + ecc)
        for (NodeId i = 0; i < g.degree(v); ++i) {
          messages += 1;
          const NodeId w = g.neighbor(v, i);
          if (dist[w] < r - c) redundant += 1;
        }
    }
    CHECK(st.messages == messages);
    CHECK(st.redundant == redundant);
    CHECK(st.newly_informed == newly);
    CHECK(st.informed == informed);
    CHECK(st.spreaders == spreaders);
    CHECK(st.requests == 0);
    CHECK(st.lost == 0);
    CHECK(st.in_flight == 0);
    CHECK(st.up == g.num_nodes());
    CHECK(st.present == g.num_nodes());
    CHECK(t.reach[static_cast<std::size_t>(r)] == informed);
    redundant_all += redundant;
  }
  CHECK(t.posts[0].duplicates == redundant_all);
  CHECK(t.posts[0].reach == t.reach.back());
  CHECK(t.posts[0].max_hops == ecc);
  CHECK(t.posts[0].rounds_full == std::optional<Round>(ecc));
  CHECK(t.arrivals.size() == static_cast<std::size_t>(t.posts[0].reach));
}

}  // namespace

TEST_CASE("posts reference: the post key is philox(seed; {t, 0, 2^31 + 9, 0})") {
  // Written out against Rng's counter order {item, draw, sub, stream}.
  const auto c = Rng(99, 0, 0x80000009u).block(3, 0);
  CHECK(posts_detail::post_key(99, 3) == (std::uint64_t{c.v[1]} << 32 | c.v[0]));
  CHECK(posts_detail::post_key(99, 3) != posts_detail::post_key(99, 4));
}

TEST_CASE("posts reference: flood with forward probability 1 is BFS from the author") {
  for (const NamedGraph& ng : small_graphs()) {
    INFO(ng.name);
    for (NodeId a : {NodeId{0}, NodeId{4}})
      for (Round c : {0, 3}) check_flood_bfs(ng.g, a, c, 0, 0);
  }
}

TEST_CASE("posts reference: a TTL and a lifetime cut flood at the documented distance and round") {
  for (const NamedGraph& ng : small_graphs()) {
    INFO(ng.name);
    for (Round c : {0, 2}) {
      check_flood_bfs(ng.g, 0, c, 2, 0);  // hops 2 = ttl: holds, does not pass on
      check_flood_bfs(ng.g, 0, c, 1, 0);
      check_flood_bfs(ng.g, 0, c, 0, 3);  // alive in rounds c .. c + 2: distance 2 at most
      check_flood_bfs(ng.g, 0, c, 0, 1);  // alive only in its creation round: never passed on
      check_flood_bfs(ng.g, 0, c, 3, 2);
    }
  }
}

TEST_CASE("posts reference: a copy arriving at created + lifetime is ignored") {
  // Ring, flood, fixed delays: with delay 1 the author's copies (sent in c + 1) arrive in c + 2 <
  // c + 3; the new holders would send in c + 3, when the post is dead. With delay 2 they arrive in
  // c + 3 = c + L: not accepted and no duplicate, and the run ends with them still in flight.
  const CsrGraph ring = gen_csr("ring:n=12");
  const Round c = 4;
  ProtocolSpec spec = posts_spec(Mode::flood, {{0, 5, c}}, {.lifetime = 3});
  spec.faults.delay = fixed_delay(1);
  RefPostsTrial t = reference_posts_trial(ring, spec, 1, 0, kMax);
  CHECK(t.posts[0].reach == 3);
  CHECK(t.informed_at[0][4] == c + 2);
  CHECK(t.informed_at[0][6] == c + 2);
  CHECK(t.last_round() == c + 2);
  CHECK(t.rounds[c + 1].messages == 2);
  CHECK(t.rounds[c + 1].in_flight == 2);
  CHECK(t.rounds[c + 2].in_flight == 0);

  spec.faults.delay = fixed_delay(2);
  t = reference_posts_trial(ring, spec, 1, 0, kMax);
  CHECK(t.posts[0].reach == 1);
  CHECK(t.posts[0].duplicates == 0);
  CHECK(t.last_round() == c + 1);  // the copies in flight cannot inform: they arrive dead
  CHECK(t.rounds.back().in_flight == 2);

  // Push on a complete graph with a lifetime: nobody gets a post in round c + L or later, and the
  // last holders are informed in round c + L - 1 (the boundary is reached, not just respected).
  std::vector<Edge> all;
  for (NodeId u = 0; u < 30; ++u)
    for (NodeId v = u + 1; v < 30; ++v) all.push_back({u, v});
  const CsrGraph k = build(30, all);
  for (std::uint32_t seed = 1; seed <= 5; ++seed) {
    const ProtocolSpec push = posts_spec(Mode::push, {{0, 0, 2}, {9, 3, 5}}, {.fanout = 2, .lifetime = 3});
    const RefPostsTrial p = reference_posts_trial(k, push, seed, 0, kMax);
    for (std::size_t q = 0; q < 2; ++q) {
      Round last = 0;
      for (NodeId v = 0; v < 30; ++v)
        if (p.informed_at[q][v] != kNever) last = std::max(last, p.informed_at[q][v]);
      CHECK(last == push.posts.list[q].created + 2);
    }
    CHECK(p.last_round() == 7);  // the later post's last alive round
  }
}

TEST_CASE("posts reference: one post at round 0 spreads as the single rumor from its author") {
  // forward probability 1: the same contacts, targets, loss words (B2, B3) and delays as the
  // rumor with source = the author; every counter is the same.
  std::vector<NamedGraph> graphs = small_graphs();
  for (const NamedGraph& ng : graphs) {
    for (Mode m : {Mode::push, Mode::pull, Mode::push_pull, Mode::flood})
      for (std::uint32_t fanout : {1u, 2u})
        for (double loss : {0.0, 0.2})
          for (std::uint32_t ttl : {0u, 2u})
            for (int faults = 0; faults < 3; ++faults) {
              if (m == Mode::flood && (fanout == 2 || loss > 0)) continue;  // flood's loss word differs
              ProtocolSpec spec = posts_spec(m, {{3, 0, 0}}, {.fanout = fanout, .loss = loss, .ttl = ttl});
              if (faults >= 1) spec.faults.delay = uniform_delay(0, 2);
              if (faults == 2) {
                // Events only for flood (after the last event, "up in r + 1" = "may be up later").
                if (m != Mode::flood) spec.faults.churn = churn_bernoulli(0.2, 0.5);
                spec.faults.events = {event(FaultEvent::fail, 2, {1, 2}), event(FaultEvent::partition, 3),
                                      event(FaultEvent::recover, 5, {1}), event(FaultEvent::heal, 6)};
              }
              ProtocolSpec rumor = spec;
              rumor.posts = {};
              rumor.source_nodes = {0};
              for (std::uint32_t trial : {0u, 3u}) {
                INFO(ng.name, " ", describe_posts(spec), " trial ", trial);
                const RefPostsTrial p = reference_posts_trial(ng.g, spec, 21, trial, kMax);
                const RefTrial r = reference_trial(ng.g, rumor, 21, trial, kMax);
                REQUIRE(p.rounds.size() == r.rounds.size());
                for (std::size_t x = 0; x < r.rounds.size(); ++x) {
                  INFO("round ", x);
                  CHECK(p.rounds[x] == r.rounds[x]);
                  CHECK(p.reach[x] == r.rounds[x].informed);
                }
                CHECK(p.informed_at[0] == r.informed_at);
                CHECK(p.hops[0] == r.hops);
                CHECK(p.truncated == r.truncated);
              }
            }
  }
}

TEST_CASE("posts reference: many posts = each post alone, node by node") {
  // Every mode, forward probability and loss below 1, a TTL, a lifetime, delays, faults: each
  // post's informed_at and hops equal its run alone; the many-post run lasts as long as the
  // longest post alone; each post's duplicates (those up to its last new holder's round) are the
  // post alone's too, although the many-post run may go on carrying it to holders.
  const CsrGraph er = gen_csr("er:n=40,d=4", 3);
  const CsrGraph dg = posts_digraph();
  const std::vector<PostSeed> list{{0, 0, 0}, {5, 7, 0}, {64, 3, 2}, {130, 11, 5}};
  const std::vector<PostSeed> dlist{{0, 0, 0}, {5, 2, 1}, {64, 5, 2}, {130, 4, 0}};
  std::int64_t cases = 0;
  for (Mode m : {Mode::push, Mode::pull, Mode::push_pull, Mode::flood})
    for (std::uint32_t fanout : {1u, 2u})
      for (double p : {1.0, 0.5})
        for (double loss : {0.0, 0.2})
          for (std::uint32_t ttl : {0u, 2u})
            for (Round lifetime : {0, 3})
              for (int faults = 0; faults < 2; ++faults)
                for (int which = 0; which < 2; ++which) {
                  if (m == Mode::flood && fanout == 2) continue;
                  const CsrGraph& g = which == 0 ? er : dg;
                  ProtocolSpec spec = posts_spec(m, which == 0 ? list : dlist,
                                                 {.fanout = fanout, .forward_prob = p, .loss = loss, .ttl = ttl, .lifetime = lifetime});
                  if (faults) {
                    spec.faults.delay = uniform_delay(0, 2);
                    spec.faults.crashed = 0.1;
                    spec.faults.churn = churn_bernoulli(0.2, 0.5);
                    spec.faults.events = {event(FaultEvent::partition, 2), event(FaultEvent::heal, 4)};
                  }
                  INFO(describe_posts(spec), " graph ", which);
                  const RefPostsTrial all = reference_posts_trial(g, spec, 8, 1, kMax);
                  REQUIRE_FALSE(all.truncated);
                  Round longest = 0;
                  for (std::size_t k = 0; k < spec.posts.list.size(); ++k) {
                    const RefPostsTrial one = reference_posts_trial(g, post_alone(spec, k), 8, 1, kMax);
                    INFO("post ", spec.posts.list[k].id);
                    CHECK(all.informed_at[k] == one.informed_at[0]);
                    CHECK(all.hops[k] == one.hops[0]);
                    CHECK(all.posts[k].reach == one.posts[0].reach);
                    CHECK(all.posts[k].max_hops == one.posts[0].max_hops);
                    CHECK(all.posts[k].rounds_full == one.posts[0].rounds_full);
                    CHECK(all.posts[k].duplicates == one.posts[0].duplicates);
                    longest = std::max(longest, one.last_round());
                    ++cases;
                  }
                  CHECK(all.last_round() == longest);
                }
  CHECK(cases > 500);
}

TEST_CASE("posts reference: the four friends, by hand") {
  // data/social: Alice 0, Bob 1, Charlie 2, Dave 3; Alice-Bob, Bob-Charlie, Alice-Dave; Dave joins
  // in round 3. Posts 0 .. 3 by Alice (round 0), Bob (0), Charlie (1), Dave (3). Flood, forward
  // probability 1, TTL 3, no delays: a holder sends a post once, in the round after it got it, to
  // every friend, while its hops are below 3; a message carries all of a sender's new posts.
  //   r1: A -> B {0}, A -> D {0} (Dave absent: lost); B -> A {1}, B -> C {1}.   Charlie posts 2.
  //   r2: A -> B {1} (dup), A -> D {1} (lost); B -> A {0} (dup), B -> C {0};
  //       C -> B {1 (dup), 2}.
  //   r3: C -> B {0} (dup); B -> A {2}, B -> C {2} (dup).                        Dave posts 3.
  //   r4: A -> B {2} (dup), A -> D {2} (hops 3); D -> A {3}.
  //   r5: A -> B {3}, A -> D {3} (dup).          r6: B -> A {3} (dup), B -> C {3} (hops 3).
  const CsrGraph g = four_friends();
  const ProtocolSpec spec = four_friends_spec();
  for (std::uint32_t seed : {1u, 77u}) {
    const RefPostsTrial t = reference_posts_trial(g, spec, seed, 0, kMax);
    CHECK(t.arrivals == four_friends_arrivals());
    REQUIRE(t.last_round() == 6);
    const std::vector<RoundStats> rounds = four_friends_rounds();
    for (std::size_t r = 0; r < rounds.size(); ++r) {
      INFO("round ", r);
      CHECK(t.rounds[r] == rounds[r]);
    }
    CHECK(t.reach == four_friends_reach());
    CHECK(t.posts == four_friends_posts());
  }
}

TEST_CASE("posts reference: the acceptance word is the flood fate word of lane id mod 64 under K_t") {
  // The reference's word (all 32 bits, ref_detail::flood_word with the post's id as the "trial")
  // against the engine's lazy bit-sliced comparison (protocol/flood_fate.hpp's lane_fates), for
  // posts in several 64-lane words, pushes (x = j), replies (x = 2^31 + j) and flood arcs.
  const std::uint64_t key = posts_detail::post_key(11, 3);
  std::int64_t accepted = 0, total = 0;
  for (double p : {0.5, 0.3, 0.999})
    for (std::uint32_t id : {0u, 5u, 63u, 64u, 130u, 4097u})
      for (std::uint32_t x : {0u, 1u, 7u, 0x80000000u, 0x80000001u})
        for (NodeId v : {0u, 3u, 39u})
          for (Round r : {1, 2, 17}) {
            const std::uint64_t A = ref_detail::floor_mul(p, std::uint64_t{1} << 32);
            const bool mine = posts_detail::accept_word(key, id, r, v, x) < A;
            const std::uint64_t lane = std::uint64_t{1} << (id % 64);
            const Thresholds th{0, A, 0, 0};
            const bool theirs = lane_fates(key, id / 64, r, v, x, th, lane, lane).accepted != 0;
            CHECK(mine == theirs);
            if (p == 0.5) {
              accepted += mine;
              total += 1;
            }
          }
  CHECK(std::abs(z_score(static_cast<double>(accepted), static_cast<double>(total), 0.5)) < 4);
  // Lanes of one word are different bits: posts 0 and 1 differ somewhere.
  int differ = 0;
  for (Round r = 1; r <= 32; ++r)
    differ += (posts_detail::accept_word(key, 0, r, 0, 0) < 0x80000000u) != (posts_detail::accept_word(key, 1, r, 0, 0) < 0x80000000u);
  CHECK(differ > 4);
}

TEST_CASE("posts reference: on one edge, a post crosses at its first accepted coin") {
  // Nodes 0 and 1, one edge, post `id` by node 0 in round 0, forward probability 1/2, no loss.
  // The copy of round r is accepted when the fate word of lane id mod 64 under K_t (computed here
  // by the engine's lane_fates) is below 2^31: for a push at item 0, arc x = 0 (node 0's contact
  // 0); for the reply to node 1's request 0 at item 1, x = 2^31; push-pull: either; flood sends
  // once, in round 1 (arc 0).
  const CsrGraph g = build(2, {{0, 1}});
  const Thresholds half{0, std::uint64_t{1} << 31, 0, 0};
  for (std::uint32_t trial : {0u, 3u})
    for (std::uint32_t id : {5u, 64u, 130u}) {
      const std::uint64_t key = posts_detail::post_key(4, trial);
      const std::uint64_t lane = std::uint64_t{1} << (id % 64);
      auto accepted = [&](Round r, NodeId item, std::uint32_t x) {
        return lane_fates(key, id / 64, r, item, x, half, lane, lane).accepted != 0;
      };
      auto first = [&](auto ok) {
        for (Round r = 1;; ++r)
          if (ok(r)) return r;
      };
      for (Mode m : {Mode::push, Mode::pull, Mode::push_pull, Mode::flood}) {
        INFO(mode_name(m), " id ", id, " trial ", trial);
        const RefPostsTrial t = reference_posts_trial(g, posts_spec(m, {{id, 0, 0}}, {.forward_prob = 0.5}), 4, trial, kMax);
        Round want = kNever;
        if (m == Mode::push) want = first([&](Round r) { return accepted(r, 0, 0); });
        if (m == Mode::pull) want = first([&](Round r) { return accepted(r, 1, 0x80000000u); });
        if (m == Mode::push_pull) want = first([&](Round r) { return accepted(r, 0, 0) || accepted(r, 1, 0x80000000u); });
        if (m == Mode::flood) want = accepted(1, 0, 0) ? 1 : kNever;
        CHECK(t.informed_at[0][1] == want);
        CHECK(t.last_round() == (want == kNever ? 1 : want));
      }
    }
}

TEST_CASE("posts reference: a stop rule with k = 1 on a star, by hand") {
  // Star: centre 0, leaves 1 .. 5; the centre posts in round 0; push, fanout 1, forward
  // probability 1, no loss. A coin rule with k = 1 always stops (W < floor(2^32 / 1) = 2^32), so
  // it is its counter rule with k = 1.
  const CsrGraph star = build(6, {{0, 1}, {0, 2}, {0, 3}, {0, 4}, {0, 5}});
  for (std::uint32_t seed : {1u, 2u, 3u, 9u})
    for (StopRule rule : {StopRule::blind_counter, StopRule::blind_coin, StopRule::feedback_counter, StopRule::feedback_coin}) {
      ProtocolSpec spec = posts_spec(Mode::push, {{3, 0, 0}});
      spec.stop = rule;
      spec.k = 1;
      INFO(stop_name(rule), " seed ", seed);
      const RefPostsTrial t = reference_posts_trial(star, spec, seed, 0, kMax);
      std::vector<Round> want(6, kNever);
      want[0] = 0;
      Round last = 0;
      for (Round r = 1;; ++r) {  // the centre's targets, until one knew (feedback) or after one (blind)
        const Rng rng(seed, 0, static_cast<std::uint32_t>(r));
        const NodeId leaf = 1 + pick_index(rng, rng.block(0, 0), 0, 0, 5);
        last = r;
        if (want[leaf] != kNever) break;  // it knew: the centre stops (feedback rules)
        want[leaf] = r;
        const bool blind = rule == StopRule::blind_counter || rule == StopRule::blind_coin;
        if (blind || std::count(want.begin(), want.end(), kNever) == 0) break;
      }
      // Leaves push only to the centre, which knows: they inform nobody.
      CHECK(t.informed_at[0] == want);
      CHECK(t.last_round() == last);
    }
}

TEST_CASE("posts reference: run.stop_coverage halts a post at the round its reach meets ceil(q reachable)") {
  // Flood, forward probability 1: the post reaches distance d in round c + d; with q it halts
  // after the first layer D whose cumulative count meets ceil(q * reachable) and nobody farther
  // gets it; the run ends in round c + D.
  for (const NamedGraph& ng : small_graphs()) {
    for (double q : {0.0, 0.3, 0.5, 0.9})
      for (Round c : {0, 2}) {
        INFO(ng.name, " q ", q, " c ", c);
        const ProtocolSpec spec = posts_spec(Mode::flood, {{7, 1, c}});
        const RefPostsTrial t = reference_posts_trial(ng.g, spec, 5, 0, kMax, q);
        const std::vector<Round> dist = bfs(ng.g, 1);
        const auto reachable = std::count_if(dist.begin(), dist.end(), [](Round d) { return d != kNever; });
        const auto target = static_cast<std::int64_t>(std::ceil(q * static_cast<double>(reachable)));
        Round D = 0;
        while (std::count_if(dist.begin(), dist.end(), [&](Round d) { return d <= D; }) < target) ++D;
        for (NodeId v = 0; v < ng.g.num_nodes(); ++v) CHECK(t.informed_at[0][v] == (dist[v] <= D ? c + dist[v] : kNever));
        CHECK(t.last_round() == c + D);
      }
  }
}

TEST_CASE("posts reference: with stop rules and run.stop_coverage, many posts = each post alone") {
  // A node's stop state is per post (a count and removed per user and post, each post's own stop
  // coin) and a post's coverage target is its own: each post's informed_at, hops and duplicates
  // equal its run alone.
  const CsrGraph er = gen_csr("er:n=40,d=4", 3);
  const CsrGraph dg = posts_digraph();
  const std::vector<PostSeed> list{{0, 0, 0}, {5, 7, 0}, {64, 3, 2}, {130, 11, 5}};
  const std::vector<PostSeed> dlist{{0, 0, 0}, {5, 2, 1}, {64, 5, 2}, {130, 4, 0}};
  std::int64_t cases = 0;
  auto check = [&](const CsrGraph& g, const ProtocolSpec& spec, double q) {
    INFO(describe_posts(spec), " stop ", stop_name(spec.stop), " k ", spec.k, " q ", q);
    const RefPostsTrial all = reference_posts_trial(g, spec, 8, 1, kMax, q);
    REQUIRE_FALSE(all.truncated);
    for (std::size_t k = 0; k < spec.posts.list.size(); ++k) {
      const RefPostsTrial one = reference_posts_trial(g, post_alone(spec, k), 8, 1, kMax, q);
      INFO("post ", spec.posts.list[k].id);
      CHECK(all.informed_at[k] == one.informed_at[0]);
      CHECK(all.hops[k] == one.hops[0]);
      CHECK(all.posts[k].duplicates == one.posts[0].duplicates);
      CHECK(all.posts[k].rounds_full == one.posts[0].rounds_full);
      ++cases;
    }
  };
  for (StopRule rule : {StopRule::feedback_counter, StopRule::feedback_coin, StopRule::blind_counter, StopRule::blind_coin})
    for (std::uint32_t k : {1u, 2u, 3u})
      for (std::uint32_t fanout : {1u, 2u})
        for (double loss : {0.0, 0.2})
          for (int faults = 0; faults < 2; ++faults)
            for (int which = 0; which < 2; ++which) {
              ProtocolSpec spec = posts_spec(Mode::push, which == 0 ? list : dlist,
                                             {.fanout = fanout, .forward_prob = 0.5, .loss = loss, .ttl = 0, .lifetime = 0});
              spec.stop = rule;
              spec.k = k;
              if (faults) {
                spec.faults.delay = uniform_delay(0, 2);
                spec.faults.crashed = 0.1;
                spec.faults.churn = churn_bernoulli(0.2, 0.5);
              }
              check(which == 0 ? er : dg, spec, 1.0);
              if (k == 2 && fanout == 1) check(which == 0 ? er : dg, spec, 0.6);
            }
  for (Mode m : {Mode::push, Mode::pull, Mode::push_pull, Mode::flood})
    for (double q : {0.2, 0.7})
      for (int faults = 0; faults < 2; ++faults)
        for (int which = 0; which < 2; ++which) {
          ProtocolSpec spec = posts_spec(m, which == 0 ? list : dlist, {.forward_prob = 0.5, .loss = 0.2, .ttl = 2, .lifetime = 0});
          if (faults) {
            spec.faults.delay = uniform_delay(0, 2);
            spec.faults.crashed = 0.1;
          }
          check(which == 0 ? er : dg, spec, q);
        }
  CHECK(cases > 400);
}
