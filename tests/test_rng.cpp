// Counter-based RNG: draws are pure functions of (seed, stream, sub, item, draw); bounded draws
// are unbiased (chi-square against uniform); bernoulli and geometric match their means.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/bit_pack.hpp"
#include "core/complete_lanes.hpp"
#include "core/isa.hpp"
#include "isa_paths.hpp"
#include "core/philox_lanes.hpp"
#include "core/rng.hpp"
#include "protocol/contact.hpp"

using gossip::Rng;

TEST_CASE("a draw depends on every coordinate and on nothing else") {
  const auto base = Rng(1, 2, 3).block(4, 5);
  CHECK(Rng(1, 2, 3).block(4, 5) == base);
  CHECK(Rng(2, 2, 3).block(4, 5) != base);
  CHECK(Rng(1ull << 40 | 1, 2, 3).block(4, 5) != base);  // high seed bits matter
  CHECK(Rng(1, 3, 3).block(4, 5) != base);
  CHECK(Rng(1, 2, 4).block(4, 5) != base);
  CHECK(Rng(1, 2, 3).block(5, 5) != base);
  CHECK(Rng(1, 2, 3).block(4, 6) != base);
}

TEST_CASE("stream consumes blocks in order") {
  const Rng rng(9, 0, 0);
  auto s = rng.stream(7);
  const auto b0 = rng.block(7, 0), b1 = rng.block(7, 1);
  for (int i = 0; i < 4; ++i) CHECK(s.next_u32() == b0.v[i]);
  CHECK(s.next_u32() == b1.v[0]);
}

TEST_CASE("below(bound) is uniform: chi-square over 7 cells") {
  // 70000 draws, 6 degrees of freedom: P(chi2 > 22.46) = 0.001.
  const Rng rng(2024, 1, 1);
  std::vector<double> count(7);
  for (std::uint32_t i = 0; i < 70000; ++i) {
    auto s = rng.stream(i);
    const auto x = s.below(7);
    REQUIRE(x < 7);
    ++count[x];
  }
  double chi2 = 0;
  for (double c : count) chi2 += (c - 10000) * (c - 10000) / 10000;
  CHECK(chi2 < 22.46);
}

TEST_CASE("below is unbiased for a bound near 2^32 (rejection matters)") {
  // bound = 3 * 2^30: without rejection the lower third would get twice the mass.
  const Rng rng(5, 0, 0);
  const std::uint32_t bound = 3u << 30;
  int low = 0;
  const int n = 60000;
  for (std::uint32_t i = 0; i < n; ++i) {
    auto s = rng.stream(i);
    if (s.below(bound) < (1u << 30)) ++low;
  }
  CHECK(std::abs(low - n / 3.0) < 5 * std::sqrt(n * (1 / 3.0) * (2 / 3.0)));
}

TEST_CASE("below64, bernoulli and geometric") {
  const Rng rng(77, 0, 0);
  double sum_bern = 0, sum_geo = 0;
  bool big = false;
  const int n = 100000;
  const double p = 0.2;
  for (std::uint32_t i = 0; i < n; ++i) {
    auto s = rng.stream(i);
    big = big || s.below64(std::uint64_t{1} << 40) >= (std::uint64_t{1} << 39);
    sum_bern += s.bernoulli(p);
    sum_geo += static_cast<double>(s.geometric(std::log1p(-p)));
  }
  CHECK(big);
  CHECK(std::abs(sum_bern / n - p) < 5 * std::sqrt(p * (1 - p) / n));
  // failures before the first success: mean (1-p)/p = 4, variance (1-p)/p^2 = 20
  CHECK(std::abs(sum_geo / n - 4.0) < 5 * std::sqrt(20.0 / n));
  auto s = rng.stream(0);
  CHECK(s.bernoulli(1.0));
  CHECK(!s.bernoulli(0.0));
}

TEST_CASE("philox_lanes equals Rng::block on every instruction-set path this processor has") {
  gossip::test::on_every_isa([&]([[maybe_unused]] const char* isa) {
    // Seeds with both key halves set, streams and subs with high bits, every lane count.
    for (const std::uint64_t seed : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{0xdeadbeefcafef00dull}}) {
      const Rng rng(seed, 0x80000003u, 0xfffffff0u);
      std::uint32_t items[gossip::kPhiloxLanes];
      for (std::size_t l = 0; l < gossip::kPhiloxLanes; ++l) items[l] = static_cast<std::uint32_t>(l * 2654435761u + seed);
      for (std::size_t count : {std::size_t{1}, std::size_t{7}, std::size_t{16}, std::size_t{37}, gossip::kPhiloxLanes}) {
        for (std::uint32_t draw : {0u, 3u, 0xffffffffu}) {
          gossip::PhiloxLanes out{};
          gossip::philox_lanes(rng, draw, items, count, out);
          for (std::size_t l = 0; l < count; ++l) {
            const auto b = rng.block(items[l], draw);
            for (int k = 0; k < 4; ++k) REQUIRE(out.w[k][l] == b.v[k]);
          }
        }
      }
    }
  });
  CHECK_FALSE(gossip::force_isa("sse9"));
}

TEST_CASE("pick_lanes equals pick_index on every path; it flags exactly the lanes that may reject") {
  const Rng rng(5, 1, 2);
  gossip::test::on_every_isa([&]([[maybe_unused]] const char* isa) {
    std::uint32_t items[gossip::kPhiloxLanes];
    for (std::size_t l = 0; l < gossip::kPhiloxLanes; ++l) items[l] = static_cast<std::uint32_t>(l);
    for (std::uint32_t draw : {0u, 1u, 2u}) {
      gossip::PhiloxLanes b{};
      gossip::philox_lanes(rng, draw, items, gossip::kPhiloxLanes, b);
      // Lanes 0-3: x = 0, 1, 2^32 - 1 and 2^64 - 1, whose low product halves are below small degrees.
      b.w[0][0] = 0, b.w[1][0] = 0, b.w[0][1] = 0, b.w[1][1] = 1, b.w[0][2] = 0, b.w[1][2] = 0xffffffffu;
      b.w[0][3] = b.w[1][3] = 0xffffffffu;
      std::uint32_t deg[gossip::kPhiloxLanes];
      for (std::size_t l = 0; l < gossip::kPhiloxLanes; ++l)
        deg[l] = l % 5 == 0 ? 1u : l % 5 == 1 ? 0xffffffffu : l % 5 == 2 ? 3u : static_cast<std::uint32_t>(l * 977 + draw);
      for (std::size_t count : {std::size_t{1}, std::size_t{9}, std::size_t{37}, gossip::kPhiloxLanes}) {
        for (const bool uniform : {false, true}) {
          std::uint32_t out[gossip::kPhiloxLanes];
          const std::uint32_t all = 1000003u;
          const std::uint64_t redo = gossip::pick_lanes(b, uniform ? nullptr : deg, all, count, out);
          for (std::size_t l = 0; l < gossip::kPhiloxLanes; ++l) {
            const std::uint64_t d = uniform ? all : deg[l];
            const std::uint64_t x = (std::uint64_t{b.w[0][l]} << 32) | b.w[1][l];
            const bool may_reject = l < count && static_cast<std::uint64_t>(static_cast<gossip::Uint128>(x) * d) < d;
            INFO("lane ", l, " count ", count, " uniform ", uniform);
            REQUIRE(((redo >> l) & 1) == may_reject);
            if (l < count && !may_reject) {
              const gossip::Block blk{{b.w[0][l], b.w[1][l], 0, 0}};
              REQUIRE(out[l] == gossip::pick_index(rng, blk, items[l], draw, static_cast<std::uint32_t>(d)));
            }
          }
          if (!uniform) CHECK((redo & 1) == 1);  // x = 0: low half 0 < degree
        }
      }
    }
  });
}

TEST_CASE("complete_lanes equals the steps one by one (block, pick, neighbor, bit) on every path") {
  gossip::test::on_every_isa([&]([[maybe_unused]] const char* isa) {
    for (const std::uint32_t n : {2u, 3u, 48u, 1000u, 100003u}) {
      std::vector<std::uint64_t> known((n + 63) / 64);
      std::uint64_t x = n;
      for (auto& w : known) w = x = x * 6364136223846793005ull + 1442695040888963407ull;
      const Rng rng(0xdeadbeefcafef00dull, 7, 0x80000001u);
      // Node lists as the sweep makes them: a word's bits, and groups that span words (every
      // third node from k on), of each length 1 .. 64 that fits.
      std::vector<std::vector<std::uint32_t>> lists;
      for (std::size_t k = 0; k < known.size(); k += 1 + known.size() / 5) {
        const std::uint32_t valid = std::min<std::uint32_t>(64, n - static_cast<std::uint32_t>(64 * k));
        const std::uint64_t all = valid == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << valid) - 1;
        for (const std::uint64_t mask : std::vector<std::uint64_t>{all, all & 0x8000000000000001ull, all & known[k], all & 0xF0F0F0F0F0F0F0F1ull}) {
          std::vector<std::uint32_t> nodes(64 + gossip::kPositionsSlack);
          nodes.resize(gossip::bit_positions(mask, static_cast<std::uint32_t>(64 * k), nodes.data()));
          lists.push_back(nodes);
        }
        for (std::uint32_t len = 1; len <= 64; len += len < 8 ? 1 : 7) {
          std::vector<std::uint32_t> nodes;
          for (auto v = static_cast<std::uint32_t>(64 * k); v < n && nodes.size() < len; v += 3) nodes.push_back(v);
          lists.push_back(nodes);
        }
      }
      for (std::vector<std::uint32_t> nodes : lists) {
        const auto count = static_cast<std::uint32_t>(nodes.size());
        nodes.resize(64);  // readable up to 64 entries
        for (const std::uint32_t draw : {0u, 2u}) {
          gossip::CompleteLanes out;
          gossip::complete_lanes(rng, draw, nodes.data(), count, n, known.data(), out);
          std::uint64_t seen = 0, redo = 0;
          for (std::uint32_t l = 0; l < count; ++l) {
            const std::uint32_t v = nodes[l];
            INFO("n ", n, " lane ", l, " of ", count, " node ", v);
            const auto b = rng.block(v, draw);
            const std::uint64_t d = n - 1, xx = (std::uint64_t{b.v[0]} << 32) | b.v[1];
            const auto prod = static_cast<gossip::Uint128>(xx) * d;
            redo |= std::uint64_t{static_cast<std::uint64_t>(prod) < d} << l;
            if ((redo >> l) & 1) continue;
            const std::uint32_t i = gossip::pick_index(rng, b, v, draw, n - 1);
            const std::uint32_t t = i < v ? i : i + 1;
            CHECK(out.target[l] == t);
            seen |= ((known[t >> 6] >> (t & 63)) & 1) << l;
          }
          CHECK(out.redo == redo);
          CHECK((out.seen & ~redo) == seen);
          gossip::CompleteLanes bare;  // no bitmap: the same lanes, nothing tested
          gossip::complete_lanes(rng, draw, nodes.data(), count, n, nullptr, bare);
          CHECK(bare.redo == redo);
          CHECK(bare.seen == 0);
          for (std::uint32_t l = 0; l < count; ++l)
            if (!((redo >> l) & 1)) CHECK(bare.target[l] == out.target[l]);
        }
      }
    }
  });
}

TEST_CASE("RandomPermutation::apply_lanes equals apply, for sizes from 1 to near 2^32") {
  for (std::uint32_t size : {1u, 2u, 3u, 5u, 63u, 64u, 65u, 1000u, 100000u, 262144u, 262145u, 1u << 31, 4294967295u}) {
    const gossip::RandomPermutation perm(size, Rng(7, 1, size).block(0, 3));
    std::uint32_t out[gossip::RandomPermutation::kMaxLanes];
    std::vector<std::uint32_t> firsts{0};
    if (size > 64) firsts.insert(firsts.end(), {1u, size / 2, size - 64});
    for (std::uint32_t first : firsts) {
      const std::size_t count = std::min<std::size_t>(gossip::RandomPermutation::kMaxLanes, size - first);
      perm.apply_lanes(first, count, out);
      for (std::size_t l = 0; l < count; ++l)
        REQUIRE_MESSAGE(out[l] == perm.apply(first + static_cast<std::uint32_t>(l)), "size ", size, " i ", first + l);
    }
  }
}
