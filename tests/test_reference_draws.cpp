// The serial reference simulator's draws, written out: the counter layout of every stream,
// max_rounds, the fate and coin thresholds, Lemire's rejection fallback.
#include "reference_oracles.hpp"

using namespace gossip;
using namespace gossip::test;

//        1   2
//         \ /
//   999 -- 0 -- 3      star:n=1000 (centre row: neighbour i is leaf i + 1)
//         / \  ...
TEST_CASE("draw layout: blocks {v, j, r, t}, sources {0, d, 2^31 + 1, t}, no_repeat {v, q, 2^31, t}") {
  const CsrGraph g = gen_csr("star:n=1000");
  const std::uint64_t seed = 0x0123456789abcdefull;
  const std::uint32_t trial = 7;
  auto lemire = [](const r123::Philox4x32::ctr_type& b, std::uint64_t deg) {
    const std::uint64_t x = (std::uint64_t{b.v[0]} << 32) | b.v[1];
    return static_cast<NodeId>((Uint128{x} * deg) >> 64);  // rejection has probability < 2^-54
  };
  // Push from the centre: its target in round r is leaf 1 + lemire(philox(seed; {0, 0, r, t})).
  const RefTrial t = reference_trial(g, make_spec(Mode::push), seed, trial, 3);
  const NodeId first = 1 + lemire(philox(seed, 0, 0, 1, trial), 999);
  const NodeId second = 1 + lemire(philox(seed, 0, 0, 2, trial), 999);
  REQUIRE(first != second);
  CHECK(t.informed_at[first] == 1);
  CHECK(t.informed_at[second] == 2);
  CHECK(t.rounds[1].newly_informed == 1);
  // Pull from the centre, fanout 2: leaf v asks the centre (its only neighbour); requests with
  // B2 < L = 2^31 are lost; a reply is accepted when L <= B3 < L + A, A = 2^31 / 2.
  ProtocolSpec p = make_spec(Mode::pull);
  p.fanout = 2;
  p.loss = 0.5;
  p.forward_prob = 0.5;
  const RefTrial u = reference_trial(g, p, seed, trial, 1);
  for (NodeId v = 1; v < 1000; ++v) {
    bool informed = false;
    for (std::uint32_t j = 0; j < 2; ++j) {
      const auto b = philox(seed, v, j, 1, trial);
      informed |= b.v[2] >= 0x80000000u && b.v[3] >= 0x80000000u && b.v[3] < 0xc0000000u;
    }
    CHECK((u.informed_at[v] == 1) == informed);
  }
  // One random source: Floyd's single step j = n - 1 takes x = below(n) from {0, 0, 2^31 + 1, t}.
  ProtocolSpec r = make_spec(Mode::push, {});
  const auto w = philox(seed, 0, 0, 0x80000001u, trial);
  const std::uint64_t m = std::uint64_t{w.v[0]} * 1000;
  REQUIRE(static_cast<std::uint32_t>(m) >= 1000);  // no rejection
  CHECK(reference_sources(1000, r, seed, trial) == std::vector<NodeId>{static_cast<NodeId>(m >> 32)});
  // no_repeat: the centre's c-th contact goes to leaf 1 + P_0(c), P_0 keyed by {0, 0, 2^31, t}.
  ProtocolSpec q = make_spec(Mode::push);
  q.no_repeat = true;
  q.fanout = 4;
  const RefTrial nr = reference_trial(g, q, seed, trial, 1);
  const RandomPermutation perm(999, philox(seed, 0, 0, 0x80000000u, trial));
  for (std::uint32_t c = 0; c < 4; ++c) CHECK(nr.informed_at[1 + perm.apply(c)] == 1);
  CHECK(nr.rounds[1].newly_informed == 4);
}

TEST_CASE("max_rounds truncates; a natural end at max_rounds is not a truncation") {
  const CsrGraph path = gen_csr("path:n=30");
  const RefTrial t = reference_trial(path, make_spec(Mode::push), 1, 0, 5);
  CHECK(t.rounds.size() == 6);
  CHECK(t.truncated);
  const RefTrial zero = reference_trial(path, make_spec(Mode::push), 1, 0, 0);
  CHECK(zero.rounds.size() == 1);
  CHECK(zero.truncated);
  // flood on path:n=4 from 0 ends naturally after round 3 (= ecc)
  const RefTrial exact = reference_trial(gen_csr("path:n=4"), make_spec(Mode::flood), 1, 0, 3);
  CHECK(exact.rounds.size() == 4);
  CHECK(!exact.truncated);
  const RefTrial early = reference_trial(gen_csr("path:n=4"), make_spec(Mode::flood), 1, 0, 2);
  CHECK(early.rounds.size() == 3);
  CHECK(early.truncated);
}

TEST_CASE("thresholds: L, A and the coin in 64-bit arithmetic") {
  using namespace gossip::test::ref_detail;
  const std::uint64_t two32 = std::uint64_t{1} << 32;
  CHECK(loss_threshold(0.0) == 0);
  CHECK(loss_threshold(1.0) == two32);
  CHECK(loss_threshold(0.5) == two32 / 2);
  CHECK(loss_threshold(0.25) == two32 / 4);
  CHECK(accept_threshold(1.0, 0) == two32);
  CHECK(accept_threshold(1.0, two32) == 0);
  CHECK(accept_threshold(0.5, two32 / 2) == two32 / 4);
  CHECK(coin_threshold(1) == two32);
  CHECK(coin_threshold(3) == 1431655765);
  // Exact floors: 0.3 is 0.29999999999999998889..., so floor(0.3 * 10) = 2, while the double
  // product 0.3 * 10 rounds to 3.0.
  CHECK(floor_mul(0.3, 10) == 2);
  CHECK(floor_mul(0.1, two32) == 429496729);
  CHECK(floor_mul(1e-300, two32) == 0);
  CHECK(floor_mul(0x1.fffffffffffffp-1, two32) == two32 - 1);
}

TEST_CASE("Lemire's rejection draws the replacement from the fallback stream") {
  using gossip::test::ref_detail::lemire_index;
  const Rng rng(3, 4, 5);
  const Rng::Stream fallback(rng, 6, 0x80000000u);
  Rng::Stream copy = fallback;
  std::uint64_t y = copy.next_u64();
  // deg 3: 2^64 mod 3 = 1, so x = 0 (low bits 0 < 1) is rejected; the stream gives the index.
  // (x = 0 is the only rejected value for deg 3; if y were 0 too the loop would go on.)
  REQUIRE(y != 0);
  CHECK(lemire_index(0, 3, fallback) == static_cast<std::uint32_t>((Uint128{y} * 3) >> 64));
  // Accepted draws: floor(x * deg / 2^64).
  CHECK(lemire_index(1, 3, fallback) == 0);
  CHECK(lemire_index(~std::uint64_t{0}, 3, fallback) == 2);
  CHECK(lemire_index(std::uint64_t{1} << 63, 3, fallback) == 1);
  CHECK(lemire_index(0, 1, fallback) == 0);  // 2^64 mod 1 = 0: never rejected
  CHECK(lemire_index(0, 4, fallback) == 0);  // powers of two never reject
  // deg 5: 2^64 mod 5 = 1; x = 0 rejected, x = 2^62 * 0 + 1 is fine.
  CHECK(lemire_index(0, 5, fallback) == static_cast<std::uint32_t>((Uint128{y} * 5) >> 64));
}
