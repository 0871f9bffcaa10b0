// Oracles for the serial reference simulator (reference_sim.hpp): flood against BFS
// (distances, TTL balls, per-round counters and message totals).
#include "reference_oracles.hpp"

using namespace gossip;
using namespace gossip::test;

TEST_CASE("flood without loss is BFS: informed_at = hops = distance, rounds = ecc") {
  check_flood_is_bfs(gen_csr("ring:n=17"), 0);
  check_flood_is_bfs(gen_csr("ring:n=16"), 5);
  check_flood_is_bfs(gen_csr("path:n=12"), 4);
  check_flood_is_bfs(gen_csr("grid:rows=7,cols=9"), 0);
  check_flood_is_bfs(gen_csr("grid:rows=7,cols=9"), 31);
  check_flood_is_bfs(gen_csr("grid:rows=6,cols=6,torus=1"), 14);
  check_flood_is_bfs(gen_csr("star:n=12"), 0);
  check_flood_is_bfs(gen_csr("star:n=12"), 7);
  check_flood_is_bfs(gen_csr("hypercube:dim=6"), 0);
  check_flood_is_bfs(gen_csr("hypercube:dim=5"), 19);
  check_flood_is_bfs(small_digraph(), 0);
  check_flood_is_bfs(small_digraph(), 4);
  check_flood_is_bfs(small_digraph(), 6);  // no out-arc: round 1 sends nothing
  check_flood_is_bfs(CompleteGraph(9), 3);
  // The directed one by hand: distances 0:0 1:1 5:1 2:2 3:2 6:3 4:never; out-degrees of the
  // reached nodes 0:2 1:1 2:2 3:1 5:1 6:0 = 7 copies; the run ends after round 3 (= ecc).
  const RefTrial t = reference_trial(small_digraph(), make_spec(Mode::flood), 1, 0, kMax);
  CHECK(t.informed_at == std::vector<Round>{0, 1, 2, 2, kNever, 1, 3});
  CHECK(t.rounds.size() == 4);
  CHECK(reference_summary(t).messages == 7);
}

TEST_CASE("flood with ttl reaches exactly the ball of radius ttl") {
  for (std::uint32_t ttl : {1u, 2u, 3u, 5u, 40u}) {
    check_flood_is_bfs(gen_csr("grid:rows=7,cols=9"), 31, ttl);
    check_flood_is_bfs(gen_csr("ring:n=17"), 3, ttl);
    check_flood_is_bfs(gen_csr("hypercube:dim=6"), 9, ttl);
    check_flood_is_bfs(small_digraph(), 0, ttl);
  }
  // path 0 - 1 - 2 - 3 - 4 - 5 - 6, ttl 2 from node 3: nodes 1..5 informed; node 3 sends 2 copies
  // (round 1), nodes 2 and 4 send 2 each (round 2), nodes 1 and 5 hold hops 2 = ttl and stay quiet
  const RefTrial t = reference_trial(gen_csr("path:n=7"), [] {
    ProtocolSpec s = make_spec(Mode::flood, {3});
    s.ttl = 2;
    return s;
  }(), 1, 0, kMax);
  CHECK(t.informed_at == std::vector<Round>{kNever, 2, 1, 0, 1, 2, kNever});
  CHECK(t.hops == std::vector<std::uint32_t>{kNoHops, 2, 1, 0, 1, 2, kNoHops});
  CHECK(t.rounds.size() == 3);
  CHECK(reference_summary(t).messages == 6);
  CHECK(t.rounds[2].spreaders == 0);
}
