// The two paths of complete_lanes (see the header): AVX-512 fused, else the steps one by one.
#include "core/complete_lanes.hpp"

#include "core/bit_pack.hpp"
#include "core/isa.hpp"
#include "core/philox_avx512.hpp"

namespace gossip {
namespace {

void lanes_steps(const Rng& rng, std::uint32_t draw, const std::uint32_t* node, std::uint32_t count, std::uint32_t n,
                 const std::uint64_t* known, CompleteLanes& out) {
  PhiloxLanes b;
  philox_lanes(rng, draw, node, count, b);
  out.redo = pick_lanes(b, nullptr, n - 1, count, out.target);
  for (std::uint32_t l = 0; l < count; ++l) out.target[l] += out.target[l] >= node[l] ? 1 : 0;
  // Redo lanes hold an unspecified index, possibly n - 1 + 1 = n: keep the probe inside the bitmap.
  for (std::uint64_t m = out.redo; m; m &= m - 1) out.target[__builtin_ctzll(m)] = 0;
  for (std::uint32_t l = count; l < (count + 7) / 8 * 8; ++l) out.target[l] = 0;
  out.seen = known ? bit_test(known, out.target, count, 0) : 0;
}

// Per 32 lanes: the Philox rounds on four chains of 8, then per chain the pick (as pick_avx512),
// the target, a masked gather of the targets' bitmap words and the bit test (with known).
__attribute__((target("avx512f"))) void lanes_avx512(const Rng& rng, std::uint32_t draw, const std::uint32_t* node,
                                                     std::uint32_t count, std::uint32_t n, const std::uint64_t* known,
                                                     CompleteLanes& out) {
  constexpr int kChains = philox_simd::kChains, kWidth = 8;
  const r123::Philox4x32::key_type& key = rng.key();
  const philox_simd::Counter ctr{key.v[0], key.v[1], draw, rng.sub(), rng.stream_id()};
  const __m512i d = _mm512_set1_epi64(n - 1), low32 = _mm512_set1_epi64(0xFFFFFFFF);
  const __m512i one = _mm512_set1_epi64(1), low6 = _mm512_set1_epi64(63);
  std::uint64_t seen = 0, redo = 0;
  for (std::uint32_t l0 = 0; l0 < count; l0 += kChains * kWidth) {
    __m512i x[kChains][4], v[kChains];
    for (int q = 0; q < kChains; ++q)
      x[q][0] = v[q] = _mm512_cvtepu32_epi64(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(node + l0 + kWidth * q)));
    philox_simd::rounds_avx512(ctr, x);
    for (int q = 0; q < kChains; ++q) {
      const std::uint32_t lo = l0 + kWidth * q;
      if (lo >= count) break;
      const auto live = static_cast<__mmask8>(count - lo >= 8 ? 0xFF : (1u << (count - lo)) - 1);
      const __m512i p = _mm512_mul_epu32(x[q][1], d), r = _mm512_mul_epu32(x[q][0], d);
      const __m512i t = _mm512_add_epi64(r, _mm512_srli_epi64(p, 32));
      const __m512i low = _mm512_or_si512(_mm512_slli_epi64(t, 32), _mm512_and_si512(p, low32));
      const __mmask8 bad = _mm512_cmplt_epu64_mask(low, d) & live;
      const __m512i i = _mm512_srli_epi64(t, 32);
      const __m512i w = _mm512_mask_add_epi64(i, _mm512_cmpge_epu64_mask(i, v[q]), i, one);
      _mm256_store_si256(reinterpret_cast<__m256i*>(out.target + lo), _mm512_cvtepi64_epi32(w));
      redo |= std::uint64_t{bad} << lo;
      if (!known) continue;
      const __m512i word = _mm512_mask_i64gather_epi64(one, live & ~bad, _mm512_srli_epi64(w, 6), known, 8);
      const __mmask8 hit = _mm512_test_epi64_mask(_mm512_srlv_epi64(word, _mm512_and_si512(w, low6)), one);
      seen |= std::uint64_t{static_cast<std::uint8_t>(hit & live & ~bad)} << lo;
    }
  }
  out.seen = seen;
  out.redo = redo;
}

using Fn = void (*)(const Rng&, std::uint32_t, const std::uint32_t*, std::uint32_t, std::uint32_t, const std::uint64_t*,
                    CompleteLanes&);
constexpr Fn kPaths[] = {lanes_steps, lanes_steps, lanes_avx512};

}  // namespace

void complete_lanes(const Rng& rng, std::uint32_t draw, const std::uint32_t* node, std::uint32_t count,
                    std::uint32_t n, const std::uint64_t* known, CompleteLanes& out) {
  kPaths[static_cast<int>(active_isa())](rng, draw, node, count, n, known, out);
}

}  // namespace gossip
