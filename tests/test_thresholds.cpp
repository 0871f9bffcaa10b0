// Every threshold comparison of the model (docs/model.md, "Random numbers") at its exact
// boundaries: a copy's fate (lost below L, accepted below L + A, refused from L + A on), a lost
// request, the stop coin, and the bit-sliced flood fate and recovery coin (protocol/flood_fate.hpp).
// A random word hits a boundary once in 2^32, so the engine-versus-reference tests cannot tell
// `<` from `<=`; these can. The expected outcomes are written from the model's text, never with
// the engine's comparisons; the flood words are rebuilt here from raw Philox blocks, bit by bit,
// as the header of flood_fate.hpp defines them, and the thresholds are then set to each lane's
// own word (and to the word +- 1, and to the word with its low bits cleared).
#include <Random123/philox.h>

#include <array>
#include <cmath>
#include <set>
#include <vector>

#include "protocol/contact.hpp"
#include "protocol/flood_fate.hpp"
#include "reference_sim.hpp"
#include "support.hpp"

using namespace gossip;

namespace {

constexpr std::uint64_t kTwo32 = std::uint64_t{1} << 32;

ProtocolSpec spec_with(double p, double loss, std::uint32_t k = 1, double recovery = 1.0) {
  return {.mode = Mode::push, .fanout = 1, .no_repeat = false, .forward_prob = p, .ttl = 0, .stop = StopRule::none,
          .k = k, .sources = 1, .source_nodes = {}, .loss = loss, .recovery_prob = recovery};
}

// The model's fate of a copy with word W, written out: lost when W < L, else accepted when
// W - L < A, else refused.
Fate model_fate(std::uint64_t w, std::uint64_t lost, std::uint64_t accepted) {
  if (w < lost) return Fate::lost;
  return w - lost < accepted ? Fate::accepted : Fate::refused;
}

// The 32-bit fate words of all 64 lanes (trials 64 b + l) for the copy along arc i of v in round
// r, from raw Philox4x32-10 (key = the seed's two halves, counter {v, i, r, 2^31 + 2^30 + 16 b +
// k}): bit 31 - j of lane l's word is bit l of D_j, D_{2k} = C0 2^32 + C1, D_{2k+1} = C2 2^32 + C3.
std::array<std::uint32_t, 64> lane_words(std::uint64_t seed, std::uint32_t batch, Round r, NodeId v, std::uint32_t i) {
  const r123::Philox4x32::key_type key{{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
  std::array<std::uint32_t, 64> w{};
  for (std::uint32_t k = 0; k < 16; ++k) {
    const r123::Philox4x32::ctr_type ctr{{v, i, static_cast<std::uint32_t>(r), 0xC0000000u + 16 * batch + k}};
    const auto c = r123::Philox4x32{}(ctr, key);
    const std::uint64_t even = std::uint64_t{c.v[0]} << 32 | c.v[1];
    const std::uint64_t odd = std::uint64_t{c.v[2]} << 32 | c.v[3];
    for (std::uint32_t l = 0; l < 64; ++l) {
      w[l] |= static_cast<std::uint32_t>((even >> l) & 1) << (31 - 2 * k);
      w[l] |= static_cast<std::uint32_t>((odd >> l) & 1) << (30 - 2 * k);
    }
  }
  return w;
}

// Thresholds on and around a word: w - 1, w, w + 1, and w with its low b bits cleared or rounded
// up to the next multiple of 2^b (the lazy comparison stops early where a threshold's remaining
// bits are 0), all within [0, 2^32].
std::set<std::uint64_t> edges_of(std::uint32_t w) {
  std::set<std::uint64_t> out{w, std::uint64_t{w} + 1};
  if (w > 0) out.insert(w - 1);
  for (unsigned b : {1u, 3u, 8u, 16u, 31u}) {
    const std::uint64_t down = std::uint64_t{w} >> b << b;
    out.insert(down);
    out.insert(down + (std::uint64_t{1} << b));
    if (down > 0) out.insert(down - 1);
  }
  std::erase_if(out, [](std::uint64_t t) { return t > kTwo32; });
  return out;
}

struct Arc {
  std::uint64_t seed;
  std::uint32_t batch;
  Round r;
  NodeId v;
  std::uint32_t i;
};
constexpr Arc kArcs[] = {{7, 0, 1, 0, 0}, {11, 3, 2, 9, 1}, {0x123456789abcdefull, 1, 17, 4000000000u, 3},
                         {5, 0, 3, 12, 0xFFFFFFFFu}};

}  // namespace

TEST_CASE("floor_product: the floor of the exact real product") {
  using T = Thresholds;
  CHECK(T::floor_product(0.0, kTwo32) == 0);
  CHECK(T::floor_product(-0.5, kTwo32) == 0);
  CHECK(T::floor_product(1.0, kTwo32) == kTwo32);
  CHECK(T::floor_product(1.0, 12345) == 12345);
  CHECK(T::floor_product(0.5, kTwo32) == kTwo32 / 2);
  CHECK(T::floor_product(0.25, kTwo32) == kTwo32 / 4);
  CHECK(T::floor_product(0.75, kTwo32 - kTwo32 / 4) == 2415919104u);
  // Values from exact rational arithmetic (Python's fractions.Fraction of the double).
  CHECK(T::floor_product(0.3, kTwo32) == 1288490188u);
  CHECK(T::floor_product(0.6, kTwo32) == 2576980377u);
  CHECK(T::floor_product(0.7, kTwo32) == 3006477107u);
  CHECK(T::floor_product(1e-9, kTwo32) == 4u);
  CHECK(T::floor_product(0.6, kTwo32 - 1073741824u) == 1932735283u);
  CHECK(T::floor_product(0.6, kTwo32 - 1288490188u) == 1803886264u);
  CHECK(T::floor_product(0.999999, kTwo32 - 4) == 4294962997u);
  // Where the double product rounds up across an integer, the floor is of the exact product.
  CHECK(std::floor(0.009 * 1000.0) == 9.0);
  CHECK(T::floor_product(0.009, 1000) == 8);
  CHECK(std::floor(0.00031 * 3e9) == 930000.0);
  CHECK(T::floor_product(0.00031, 3000000000u) == 929999u);
  CHECK(T::floor_product(std::nextafter(1.0, 0.0), 3) == 2);
  CHECK(T::floor_product(std::nextafter(1.0, 0.0), kTwo32) == kTwo32 - 1);
  CHECK(T::floor_product(0x1p-32, kTwo32) == 1);
  CHECK(T::floor_product(0x1p-33, kTwo32) == 0);
  CHECK(T::floor_product(0x1p-1074, kTwo32) == 0);  // denormal
}

TEST_CASE("Thresholds::of: L, A, the stop and recovery thresholds") {
  struct Case {
    double p, loss;
    std::uint64_t lost, accepted;
  };
  const Case cases[] = {{1.0, 0.0, 0, kTwo32},
                        {0.5, 0.0, 0, kTwo32 / 2},
                        {0.5, 0.25, kTwo32 / 4, 3 * kTwo32 / 8},
                        {1.0, 0.25, kTwo32 / 4, 3 * kTwo32 / 4},
                        {0.6, 0.0, 0, 2576980377u},
                        {0.6, 0.25, kTwo32 / 4, 1932735283u},
                        {0.6, 0.3, 1288490188u, 1803886264u},
                        {0.999999, 1e-9, 4, 4294962997u},
                        {0.5, 1.0, kTwo32, 0}};
  for (const Case& c : cases) {
    INFO("p ", c.p, " loss ", c.loss);
    const Thresholds th = Thresholds::of(spec_with(c.p, c.loss));
    CHECK(th.lost == c.lost);
    CHECK(th.accepted == c.accepted);
    CHECK(th.certain() == (c.lost == 0 && c.accepted == kTwo32));
  }
  CHECK(Thresholds::of(spec_with(1, 0, 1)).stop == kTwo32);
  CHECK(Thresholds::of(spec_with(1, 0, 3)).stop == 1431655765u);
  CHECK(Thresholds::of(spec_with(1, 0, 4)).stop == kTwo32 / 4);
  CHECK(Thresholds::of(spec_with(1, 0, 1, 0.3)).recover == 1288490188u);
  CHECK(Thresholds::of(spec_with(1, 0, 1, 1.0)).recover == kTwo32);
  CHECK_FALSE(Thresholds::of(spec_with(1, 0, 1, 1.0)).recovering());
  CHECK(Thresholds::of(spec_with(1, 0, 1, 0.3)).recovering());
}

TEST_CASE("a copy's fate at W = L - 1, L, L + A - 1, L + A, 0 and 2^32 - 1") {
  const std::pair<double, double> cases[] = {{1.0, 0.0}, {0.5, 0.0},  {0.5, 0.25}, {1.0, 0.25}, {0.6, 0.0},
                                             {0.6, 0.25}, {0.6, 0.3}, {0.3, 0.7},  {0.999999, 1e-9}, {1e-9, 0.0},
                                             {0.5, 1.0},  {1.0, 0.5}};
  for (const auto& [p, loss] : cases) {
    const Thresholds th = Thresholds::of(spec_with(p, loss));
    const std::uint64_t L = th.lost, U = th.lost + th.accepted;
    INFO("p ", p, " loss ", loss, " L ", L, " L + A ", U);
    REQUIRE(U <= kTwo32);
    if (L > 0) {
      CHECK(th.fate(static_cast<std::uint32_t>(L - 1)) == Fate::lost);
      CHECK(th.request_lost(static_cast<std::uint32_t>(L - 1)));
    }
    if (L < kTwo32) {
      CHECK(th.fate(static_cast<std::uint32_t>(L)) == (U > L ? Fate::accepted : Fate::refused));
      CHECK_FALSE(th.request_lost(static_cast<std::uint32_t>(L)));
    }
    if (U > L) CHECK(th.fate(static_cast<std::uint32_t>(U - 1)) == Fate::accepted);
    if (U < kTwo32) CHECK(th.fate(static_cast<std::uint32_t>(U)) == Fate::refused);
    for (std::uint64_t w : {std::uint64_t{0}, kTwo32 - 1, L, L + 1, U, U + 1, L - 1, U - 1}) {
      if (w >= kTwo32) continue;
      INFO("W ", w);
      CHECK(th.fate(static_cast<std::uint32_t>(w)) == model_fate(w, L, th.accepted));
      CHECK(th.request_lost(static_cast<std::uint32_t>(w)) == (w < L));
    }
  }
  // Hand-set thresholds: a boundary at 1 and at 2^32 - 1.
  const Thresholds one{1, 1, 0, 0};
  CHECK(one.fate(0) == Fate::lost);
  CHECK(one.fate(1) == Fate::accepted);
  CHECK(one.fate(2) == Fate::refused);
  const Thresholds top{kTwo32 - 2, 1, 0, 0};
  CHECK(top.fate(0xFFFFFFFDu) == Fate::lost);
  CHECK(top.fate(0xFFFFFFFEu) == Fate::accepted);
  CHECK(top.fate(0xFFFFFFFFu) == Fate::refused);
}

TEST_CASE("the stop coin at S - 1 and S (S = floor(2^32 / k))") {
  for (std::uint32_t k : {1u, 2u, 3u, 7u, 1000u}) {
    const Thresholds th = Thresholds::of(spec_with(1, 0, k));
    const std::uint64_t S = kTwo32 / k;
    INFO("k ", k, " S ", S);
    REQUIRE(th.stop == S);
    CHECK(th.stop_coin(static_cast<std::uint32_t>(S - 1)));
    CHECK(th.stop_coin(0));
    if (S < kTwo32) {
      CHECK_FALSE(th.stop_coin(static_cast<std::uint32_t>(S)));
      CHECK_FALSE(th.stop_coin(0xFFFFFFFFu));
    } else {
      CHECK(th.stop_coin(0xFFFFFFFFu));  // k = 1: every coin says "lose interest"
    }
  }
}

TEST_CASE("the flood fate words, rebuilt from raw Philox blocks, are the reference simulator's") {
  for (const Arc& a : kArcs) {
    if (a.i == 0xFFFFFFFFu) continue;  // flood_word takes the arc as a NodeId
    const auto w = lane_words(a.seed, a.batch, a.r, a.v, a.i);
    for (std::uint32_t l : {0u, 5u, 31u, 32u, 40u, 63u})
      CHECK(w[l] == gossip::test::ref_detail::flood_word(a.seed, a.batch * 64 + l, a.r, a.v, a.i));
  }
}

TEST_CASE("lane_fates and flood_fate with L and L + A on, just below and just above a lane's own word") {
  std::int64_t checked = 0;
  for (const Arc& a : kArcs) {
    const auto words = lane_words(a.seed, a.batch, a.r, a.v, a.i);
    for (std::uint32_t l : {0u, 1u, 17u, 31u, 32u, 50u, 63u}) {
      const std::uint32_t W = words[l];
      std::set<std::uint64_t> lows = edges_of(W), highs = edges_of(W);
      lows.insert(0);
      highs.insert(kTwo32);
      for (std::uint64_t L : lows)
        for (std::uint64_t U : highs) {
          if (U < L) continue;
          const Thresholds th{L, U - L, 0, 0};
          INFO("seed ", a.seed, " batch ", a.batch, " r ", a.r, " v ", a.v, " i ", a.i, " lane ", l, " W ", W, " L ", L,
               " L + A ", U);
          const LaneFates all = lane_fates(a.seed, a.batch, a.r, a.v, a.i, th, ~0ull, ~0ull);
          const std::uint64_t some = 0x5555AAAA0F0FF0F0ull | std::uint64_t{1} << l;  // need_accept a subset
          const LaneFates part = lane_fates(a.seed, a.batch, a.r, a.v, a.i, th, ~0ull, some);
          std::uint64_t want_lost = 0, want_acc = 0;
          for (std::uint32_t m = 0; m < 64; ++m) {
            const Fate f = model_fate(words[m], L, U - L);
            want_lost |= std::uint64_t{f == Fate::lost} << m;
            want_acc |= std::uint64_t{f == Fate::accepted} << m;
          }
          CHECK(all.lost == want_lost);
          CHECK(all.accepted == want_acc);
          CHECK(part.lost == want_lost);
          CHECK(part.accepted == (want_acc & some));
          CHECK(flood_fate(a.seed, a.batch * 64 + l, a.r, a.v, a.i, th) == model_fate(W, L, U - L));
          ++checked;
        }
    }
  }
  MESSAGE(checked, " threshold pairs checked");
}

TEST_CASE("the recovery coin (pseudo-arc 2^32 - 1) with its threshold on, below and above a lane's word") {
  for (const Arc& a : kArcs) {
    const auto words = lane_words(a.seed, a.batch, a.r, a.v, 0xFFFFFFFFu);
    for (std::uint32_t l : {0u, 9u, 31u, 32u, 63u}) {
      const std::uint32_t W = words[l];
      std::set<std::uint64_t> thresholds = edges_of(W);
      thresholds.insert(0);
      thresholds.insert(kTwo32);
      for (std::uint64_t R : thresholds) {
        INFO("seed ", a.seed, " batch ", a.batch, " r ", a.r, " v ", a.v, " lane ", l, " W ", W, " recover ", R);
        // The fate thresholds must not matter to the coin.
        const Thresholds th{kTwo32 / 3, kTwo32 / 5, 7, R};
        std::uint64_t want = 0;
        for (std::uint32_t m = 0; m < 64; ++m) want |= std::uint64_t{words[m] < R} << m;
        CHECK(lane_recoveries(a.seed, a.batch, a.r, a.v, th, ~0ull) == want);
        CHECK(lane_recoveries(a.seed, a.batch, a.r, a.v, th, 0xF0F0F0F0F0F0F0F0ull) == (want & 0xF0F0F0F0F0F0F0F0ull));
        CHECK(recovers(a.seed, a.batch * 64 + l, a.r, a.v, th) == (W < R));
      }
    }
  }
}
