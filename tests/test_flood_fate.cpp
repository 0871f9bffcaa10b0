// Flood's bit-sliced fate (protocol/flood_fate.hpp, docs/model.md "fate of a flood copy"): the
// lazy most-significant-bit-first resolution of 64 lanes equals comparing each trial's whole
// 32-bit word, built independently by the reference simulator; the one-trial path equals lane
// t mod 64 of the packed one; the word layout is pinned bit by bit; each lane's coin is Bernoulli
// with the threshold's rate and the lanes are independent (z-scores from binomial sampling error).
#include <array>
#include <tuple>

#include "protocol/flood_fate.hpp"
#include "reference_sim.hpp"
#include "support.hpp"

using namespace gossip;
using gossip::test::z_score;
using gossip::test::ref_detail::flood_word;

namespace {

constexpr std::uint64_t kTwo32 = std::uint64_t{1} << 32;

ProtocolSpec spec_with(double p, double loss) {
  return {.mode = Mode::flood, .fanout = 1, .no_repeat = false, .forward_prob = p, .ttl = 0, .stop = StopRule::none,
          .k = 1, .sources = 1, .source_nodes = {}, .loss = loss, .recovery_prob = 1.0};
}

}  // namespace

TEST_CASE("every lane's fate equals the comparison of its whole 32-bit word") {
  const std::pair<double, double> cases[] = {{0.5, 0.0}, {0.3, 0.0}, {1.0, 0.25}, {0.6, 0.25}, {0.3, 0.7},
                                             {1e-12, 0.0}, {0.999999, 1e-9}, {0.5, 1.0}, {1.0, 0.5}};
  for (const auto& [p, loss] : cases) {
    const Thresholds th = Thresholds::of(spec_with(p, loss));
    INFO("p ", p, " loss ", loss);
    for (std::uint32_t batch : {0u, 1u, 3u})
      for (Round r : {1, 2, 17})
        for (NodeId v : {0u, 5u, 4000000000u})
          for (std::uint32_t i : {0u, 3u}) {
            const LaneFates all = lane_fates(7, batch, r, v, i, th, ~0ull, ~0ull);
            const LaneFates loss_only = lane_fates(7, batch, r, v, i, th, ~0ull, 0);
            CHECK(loss_only.lost == all.lost);
            CHECK(loss_only.accepted == 0);
            CHECK((all.lost & all.accepted) == 0);
            for (std::uint32_t l = 0; l < kLanes; ++l) {
              const std::uint32_t trial = batch * kLanes + l;
              const std::uint32_t w = flood_word(7, trial, r, v, i);
              const Fate want = th.fate(w);
              const std::uint64_t bit = std::uint64_t{1} << l;
              const Fate got = all.lost & bit ? Fate::lost : all.accepted & bit ? Fate::accepted : Fate::refused;
              CHECK(got == want);
              CHECK(flood_fate(7, trial, r, v, i, th) == want);
            }
          }
  }
}

TEST_CASE("the fate words' layout: bit 31 - j of trial t's word is bit t mod 64 of word j") {
  // Trial 64 * 3 + 5, round 2, arc 1 of node 9: word 0 = C0 2^32 + C1 and word 1 = C2 2^32 + C3 of
  // block {9, 1, 2, 2^31 + 2^30 + 48}, words 2, 3 from block {.., 49}.
  const auto b0 = Rng(11, 0xC0000000u + 48, 2).block(9, 1);
  const auto b1 = Rng(11, 0xC0000000u + 49, 2).block(9, 1);
  const std::uint32_t w = flood_word(11, 64 * 3 + 5, 2, 9, 1);
  CHECK(((w >> 31) & 1) == ((b0.v[1] >> 5) & 1));
  CHECK(((w >> 30) & 1) == ((b0.v[3] >> 5) & 1));
  CHECK(((w >> 29) & 1) == ((b1.v[1] >> 5) & 1));
  CHECK(((w >> 28) & 1) == ((b1.v[3] >> 5) & 1));
  // Lane 40 lies in the high halves C0 and C2.
  const std::uint32_t w40 = flood_word(11, 64 * 3 + 40, 2, 9, 1);
  CHECK(((w40 >> 31) & 1) == ((b0.v[0] >> 8) & 1));
  CHECK(((w40 >> 30) & 1) == ((b0.v[2] >> 8) & 1));
}

TEST_CASE("each lane's coin is Bernoulli with the threshold's rate; lanes are independent") {
  // 20000 arcs x 64 lanes. Per lane: accepted ~ Binomial(20000, A / 2^32); per pair of lanes,
  // both accepted ~ Binomial(20000, q^2) under independence; pooled over lanes the rate is exact
  // to a z-score of a 1.28e6-trial binomial.
  constexpr std::uint32_t kArcs = 20000;
  for (const auto& [p, loss] : {std::pair{0.3, 0.0}, std::pair{0.5, 0.0}, std::pair{0.6, 0.25}}) {
    const Thresholds th = Thresholds::of(spec_with(p, loss));
    const double q_acc = static_cast<double>(th.accepted) / static_cast<double>(kTwo32);
    const double q_lost = static_cast<double>(th.lost) / static_cast<double>(kTwo32);
    std::array<double, kLanes> acc{}, lost{};
    std::array<double, kLanes> both{};  // lanes l and (l + 1) mod 64, and l and (l + 32) mod 64 below
    std::array<double, kLanes> both_far{};
    for (std::uint32_t a = 0; a < kArcs; ++a) {
      const LaneFates f = lane_fates(3, 1, 1 + a % 5, a / 5, a % 5, th, ~0ull, ~0ull);
      const std::uint64_t next = f.accepted >> 1 | f.accepted << 63, far = f.accepted >> 32 | f.accepted << 32;
      for (std::uint32_t l = 0; l < kLanes; ++l) {
        acc[l] += (f.accepted >> l) & 1;
        lost[l] += (f.lost >> l) & 1;
        both[l] += (f.accepted & next) >> l & 1;
        both_far[l] += (f.accepted & far) >> l & 1;
      }
    }
    double acc_all = 0, lost_all = 0, worst = 0;
    for (std::uint32_t l = 0; l < kLanes; ++l) {
      acc_all += acc[l];
      lost_all += lost[l];
      worst = std::max({worst, std::abs(z_score(acc[l], kArcs, q_acc)), std::abs(z_score(both[l], kArcs, q_acc * q_acc)),
                        std::abs(z_score(both_far[l], kArcs, q_acc * q_acc))});
      if (loss > 0) worst = std::max(worst, std::abs(z_score(lost[l], kArcs, q_lost)));
    }
    INFO("p ", p, " loss ", loss, " accepted ", acc_all, " lost ", lost_all, " worst lane |z| ", worst);
    // 64 * 3 (or 4) z-scores: the largest of ~250 standard normals exceeds 4.5 with probability ~0.1 %.
    CHECK(worst < 4.5);
    CHECK(std::abs(z_score(acc_all, 64.0 * kArcs, q_acc)) < 4);
    if (loss > 0) CHECK(std::abs(z_score(lost_all, 64.0 * kArcs, q_lost)) < 4);
  }
}

TEST_CASE("words drawn: as many as the most significant differing bit of the slowest lane") {
  // Independently: lane l needs bits down to the first j where W and L (or L + A) differ, or where
  // the threshold's remaining bits are all 0; a lot lost at L needs no comparison with L + A.
  auto need_bits = [](std::uint32_t w, std::uint64_t t) -> std::uint32_t {
    if (t == 0 || t >= kTwo32) return 0;
    for (std::uint32_t j = 0; j < 32; ++j) {
      const std::uint32_t b = 31 - j;
      if (((w >> b) & 1) != ((t >> b) & 1)) return j + 1;
      if ((t & ((std::uint64_t{1} << b) - 1)) == 0) return j + 1;
    }
    return 32;
  };
  for (const auto& [p, loss, want_mean] : {std::tuple{0.3, 0.0, 7.3}, std::tuple{0.5, 0.0, 1.0}, std::tuple{0.6, 0.1, 8.0}}) {
    const Thresholds th = Thresholds::of(spec_with(p, loss));
    double total64 = 0, total1 = 0;
    constexpr std::uint32_t kArcs = 3000;
    for (std::uint32_t a = 0; a < kArcs; ++a) {
      std::uint32_t words = 0, slowest = 0;
      lane_fates(9, 0, 1, a, 0, th, ~0ull, ~0ull, &words);
      for (std::uint32_t l = 0; l < kLanes; ++l) {
        const std::uint32_t w = flood_word(9, l, 1, a, 0);
        std::uint32_t bits = need_bits(w, th.lost);
        if (!(w < th.lost)) bits = std::max(bits, need_bits(w, th.lost + th.accepted));
        slowest = std::max(slowest, bits);
        if (l == 0) total1 += bits;
      }
      CHECK(words == slowest);
      total64 += words;
    }
    MESSAGE("p ", p, " loss ", loss, ": words per copy for 64 lanes ", total64 / kArcs, ", for lane 0 ", total1 / kArcs);
    CHECK(std::abs(total64 / kArcs - want_mean) < 1.0);
    CHECK(total1 / kArcs <= 3.5);
  }
}
