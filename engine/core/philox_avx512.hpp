// Philox4x32-10 rounds on AVX-512 lane vectors, shared by the kernels that draw blocks in bulk
// (philox_lanes.cpp, complete_lanes.cpp); included only by those sources. Each lane's word sits
// in a 64-bit element (8 lanes a vector): vpmuludq then yields the whole product, whose high half
// is one shift away and whose low half needs no masking (only the low 32 bits of an element are
// ever read by the next multiply or stored), and vpternlogd does each three-way xor: 6
// instructions per round for 8 lanes. kChains vectors in flight hide the multiply's latency.
#pragma once
#include <cstdint>

// GCC 12's AVX-512 headers build set1/undefined vectors that -Wmaybe-uninitialized flags.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

namespace gossip::philox_simd {

inline constexpr std::uint32_t kM0 = 0xD2511F53u, kM1 = 0xCD9E8D57u;  // PHILOX_M4x32_0, _1
inline constexpr std::uint32_t kW0 = 0x9E3779B9u, kW1 = 0xBB67AE85u;  // PHILOX_W32_0, _1
inline constexpr int kRounds = 10;
inline constexpr int kChains = 4;

// A block's counter {item, draw, sub, stream} under the key {k0, k1}, all but the item fixed.
struct Counter {
  std::uint32_t k0, k1, draw, sub, stream;
};

// x[q][k]: word k of chain q's 8 lanes; x[q][0] holds the items on entry, the rest is set here.
// Words 1-3 of the counter are the same in every lane, so the first two rounds' products of
// them are scalars: round 0 multiplies only the items and round 1 only word 2 (55 instructions
// for 8 lanes instead of 60).
__attribute__((target("avx512f"))) inline void rounds_avx512(const Counter& c, __m512i (&x)[kChains][4]) {
  const __m512i m0 = _mm512_set1_epi64(kM0), m1 = _mm512_set1_epi64(kM1);
  std::uint32_t k0 = c.k0, k1 = c.k1;
  // Round 0: X = {hi(M1 sub) ^ draw ^ k0, lo(M1 sub), hi(M0 item) ^ stream ^ k1, lo(M0 item)}.
  const std::uint64_t q1 = std::uint64_t{kM1} * c.sub;
  const auto c0 = static_cast<std::uint32_t>(q1 >> 32) ^ c.draw ^ k0, c1 = static_cast<std::uint32_t>(q1);
  const __m512i s1 = _mm512_set1_epi64(c.stream ^ k1);
  for (int q = 0; q < kChains; ++q) {
    const __m512i p0 = _mm512_mul_epu32(x[q][0], m0);
    x[q][2] = _mm512_xor_si512(_mm512_srli_epi64(p0, 32), s1);
    x[q][3] = p0;
  }
  k0 += kW0;
  k1 += kW1;
  // Round 1: word 0 (c0) is the same in every lane, words 1-3 are c1, x[q][2], x[q][3].
  const std::uint64_t q0 = std::uint64_t{kM0} * c0;
  const __m512i h0 = _mm512_set1_epi64(static_cast<std::uint32_t>(q0 >> 32) ^ k1);
  const __m512i h1 = _mm512_set1_epi64(c1 ^ k0);
  const __m512i l0 = _mm512_set1_epi64(static_cast<std::uint32_t>(q0));
  for (int q = 0; q < kChains; ++q) {
    const __m512i p1 = _mm512_mul_epu32(x[q][2], m1);
    x[q][0] = _mm512_xor_si512(_mm512_srli_epi64(p1, 32), h1);
    x[q][2] = _mm512_xor_si512(x[q][3], h0);
    x[q][1] = p1;
    x[q][3] = l0;
  }
  k0 += kW0;
  k1 += kW1;
  for (int r = 2; r < kRounds; ++r) {
    const __m512i kv0 = _mm512_set1_epi64(k0), kv1 = _mm512_set1_epi64(k1);
    for (int q = 0; q < kChains; ++q) {
      const __m512i p0 = _mm512_mul_epu32(x[q][0], m0), p1 = _mm512_mul_epu32(x[q][2], m1);
      x[q][0] = _mm512_ternarylogic_epi64(_mm512_srli_epi64(p1, 32), x[q][1], kv0, 0x96);  // a ^ b ^ c
      x[q][2] = _mm512_ternarylogic_epi64(_mm512_srli_epi64(p0, 32), x[q][3], kv1, 0x96);
      x[q][1] = p1;
      x[q][3] = p0;
    }
    k0 += kW0;
    k1 += kW1;
  }
}

}  // namespace gossip::philox_simd
