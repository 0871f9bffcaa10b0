// The three paths of philox_lanes (see the header). One Philox round on lane vectors:
//   hi0:lo0 = M0 * x0, hi1:lo1 = M1 * x2;  x = {hi1 ^ x1 ^ k0, lo1, hi0 ^ x3 ^ k1, lo0}
// then the key is bumped by the Weyl constants. vpmuludq multiplies the even 32-bit lanes into
// 64-bit products, so the odd lanes are shifted down, multiplied, and the halves blended back.
#include "core/philox_lanes.hpp"

#include "core/isa.hpp"
#include "core/philox_avx512.hpp"

namespace gossip {
namespace {

using philox_simd::Counter;
using philox_simd::kM0;
using philox_simd::kM1;
using philox_simd::kRounds;
using philox_simd::kW0;
using philox_simd::kW1;

void lanes_scalar(const Counter& c, const std::uint32_t* items, std::size_t count, PhiloxLanes& out) {
  const r123::Philox4x32::key_type key{{c.k0, c.k1}};
  for (std::size_t l = 0; l < count; ++l) {
    const r123::Philox4x32::ctr_type b = r123::Philox4x32{}({{items[l], c.draw, c.sub, c.stream}}, key);
    for (int k = 0; k < 4; ++k) out.w[k][l] = b.v[k];
  }
}

__attribute__((target("avx2"))) void lanes_avx2(const Counter& c, const std::uint32_t* items, std::size_t count,
                                                PhiloxLanes& out) {
  const __m256i m0 = _mm256_set1_epi32(static_cast<int>(kM0)), m1 = _mm256_set1_epi32(static_cast<int>(kM1));
  for (std::size_t l0 = 0; l0 < count; l0 += 8) {
    __m256i x0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(items + l0));
    __m256i x1 = _mm256_set1_epi32(static_cast<int>(c.draw)), x2 = _mm256_set1_epi32(static_cast<int>(c.sub));
    __m256i x3 = _mm256_set1_epi32(static_cast<int>(c.stream));
    std::uint32_t k0 = c.k0, k1 = c.k1;
    for (int r = 0; r < kRounds; ++r) {
      const __m256i pe0 = _mm256_mul_epu32(x0, m0), po0 = _mm256_mul_epu32(_mm256_srli_epi64(x0, 32), m0);
      const __m256i pe1 = _mm256_mul_epu32(x2, m1), po1 = _mm256_mul_epu32(_mm256_srli_epi64(x2, 32), m1);
      const __m256i hi0 = _mm256_blend_epi32(_mm256_srli_epi64(pe0, 32), po0, 0xAA);
      const __m256i lo0 = _mm256_blend_epi32(pe0, _mm256_slli_epi64(po0, 32), 0xAA);
      const __m256i hi1 = _mm256_blend_epi32(_mm256_srli_epi64(pe1, 32), po1, 0xAA);
      const __m256i lo1 = _mm256_blend_epi32(pe1, _mm256_slli_epi64(po1, 32), 0xAA);
      x0 = _mm256_xor_si256(_mm256_xor_si256(hi1, x1), _mm256_set1_epi32(static_cast<int>(k0)));
      x2 = _mm256_xor_si256(_mm256_xor_si256(hi0, x3), _mm256_set1_epi32(static_cast<int>(k1)));
      x1 = lo1;
      x3 = lo0;
      k0 += kW0;
      k1 += kW1;
    }
    _mm256_store_si256(reinterpret_cast<__m256i*>(out.w[0] + l0), x0);
    _mm256_store_si256(reinterpret_cast<__m256i*>(out.w[1] + l0), x1);
    _mm256_store_si256(reinterpret_cast<__m256i*>(out.w[2] + l0), x2);
    _mm256_store_si256(reinterpret_cast<__m256i*>(out.w[3] + l0), x3);
  }
}

// AVX-512: philox_simd::rounds_avx512 on 32 lanes at a time.
__attribute__((target("avx512f"))) void lanes_avx512(const Counter& c, const std::uint32_t* items, std::size_t count,
                                                     PhiloxLanes& out) {
  constexpr int kChains = philox_simd::kChains, kWidth = 8;
  for (std::size_t l0 = 0; l0 < count; l0 += kChains * kWidth) {
    __m512i x[kChains][4];
    for (int q = 0; q < kChains; ++q)
      x[q][0] = _mm512_cvtepu32_epi64(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(items + l0 + kWidth * q)));
    philox_simd::rounds_avx512(c, x);
    for (int q = 0; q < kChains; ++q)
      for (int k = 0; k < 4; ++k)
        _mm256_store_si256(reinterpret_cast<__m256i*>(out.w[k] + l0 + kWidth * q), _mm512_cvtepi64_epi32(x[q][k]));
  }
}

std::uint64_t pick_scalar(const PhiloxLanes& b, const std::uint32_t* deg, std::uint32_t deg_all, std::size_t count,
                          std::uint32_t* out) {
  std::uint64_t redo = 0;
  for (std::size_t l = 0; l < count; ++l) {
    const std::uint64_t d = deg ? deg[l] : deg_all;
    const Uint128 m = static_cast<Uint128>((std::uint64_t{b.w[0][l]} << 32) | b.w[1][l]) * d;
    out[l] = static_cast<std::uint32_t>(m >> 64);
    redo |= std::uint64_t{static_cast<std::uint64_t>(m) < d} << l;
  }
  return redo;
}

// In 64-bit elements: with p = w1 * d and q = w0 * d (vpmuludq), t = q + (p >> 32) cannot
// overflow, the index is t >> 32 and the low half of the product is (t << 32) | (p mod 2^32).
__attribute__((target("avx512f"))) std::uint64_t pick_avx512(const PhiloxLanes& b, const std::uint32_t* deg,
                                                             std::uint32_t deg_all, std::size_t count,
                                                             std::uint32_t* out) {
  const __m512i low32 = _mm512_set1_epi64(0xFFFFFFFF);
  std::uint64_t redo = 0;
  for (std::size_t l0 = 0; l0 < count; l0 += 8) {
    const __m512i d = deg ? _mm512_cvtepu32_epi64(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(deg + l0)))
                          : _mm512_set1_epi64(deg_all);
    const __m512i w0 = _mm512_cvtepu32_epi64(_mm256_load_si256(reinterpret_cast<const __m256i*>(b.w[0] + l0)));
    const __m512i w1 = _mm512_cvtepu32_epi64(_mm256_load_si256(reinterpret_cast<const __m256i*>(b.w[1] + l0)));
    const __m512i p = _mm512_mul_epu32(w1, d), q = _mm512_mul_epu32(w0, d);
    const __m512i t = _mm512_add_epi64(q, _mm512_srli_epi64(p, 32));
    const __m512i low = _mm512_or_si512(_mm512_slli_epi64(t, 32), _mm512_and_si512(p, low32));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + l0), _mm512_cvtepi64_epi32(_mm512_srli_epi64(t, 32)));
    redo |= std::uint64_t{_mm512_cmplt_epu64_mask(low, d)} << l0;
  }
  return count >= 64 ? redo : redo & ((std::uint64_t{1} << count) - 1);
}

using LanesFn = void (*)(const Counter&, const std::uint32_t*, std::size_t, PhiloxLanes&);
using PickFn = std::uint64_t (*)(const PhiloxLanes&, const std::uint32_t*, std::uint32_t, std::size_t, std::uint32_t*);
struct Path {
  LanesFn fn;
  PickFn pick;
};
constexpr Path kPaths[] = {{lanes_scalar, pick_scalar}, {lanes_avx2, pick_scalar}, {lanes_avx512, pick_avx512}};

const Path& path() { return kPaths[static_cast<int>(active_isa())]; }

}  // namespace

void philox_lanes(const Rng& rng, std::uint32_t draw, const std::uint32_t* items, std::size_t count, PhiloxLanes& out) {
  const r123::Philox4x32::key_type& key = rng.key();
  path().fn({key.v[0], key.v[1], draw, rng.sub(), rng.stream_id()}, items, count, out);
}

std::uint64_t pick_lanes(const PhiloxLanes& b, const std::uint32_t* deg, std::uint32_t deg_all, std::size_t count,
                         std::uint32_t* out) {
  return path().pick(b, deg, deg_all, count, out);
}

}  // namespace gossip
