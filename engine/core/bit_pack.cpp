// The three paths of pack_compare (see the header): full words through the vector path, the
// last partial word through the scalar one.
#include "core/bit_pack.hpp"

#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"  // GCC 12's AVX-512 headers (as philox_lanes.cpp)
#include <immintrin.h>

#include "core/isa.hpp"

namespace gossip {
namespace {

std::uint64_t word_scalar(const std::int32_t* x, std::size_t count, Compare op, std::int32_t r) {
  std::uint64_t w = 0;
  for (std::size_t b = 0; b < count; ++b)
    w |= std::uint64_t{op == Compare::equal ? x[b] == r : x[b] < r} << b;
  return w;
}

void pack_scalar(const std::int32_t* x, std::size_t words, Compare op, std::int32_t r, std::uint64_t* out) {
  for (std::size_t k = 0; k < words; ++k) out[k] = word_scalar(x + 64 * k, 64, op, r);
}

__attribute__((target("avx2"))) void pack_avx2(const std::int32_t* x, std::size_t words, Compare op, std::int32_t r,
                                               std::uint64_t* out) {
  const __m256i rv = _mm256_set1_epi32(r);
  for (std::size_t k = 0; k < words; ++k) {
    std::uint64_t w = 0;
    for (int q = 0; q < 8; ++q) {
      const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x + 64 * k + 8 * q));
      const __m256i m = op == Compare::equal ? _mm256_cmpeq_epi32(v, rv) : _mm256_cmpgt_epi32(rv, v);
      w |= std::uint64_t(static_cast<std::uint32_t>(_mm256_movemask_ps(_mm256_castsi256_ps(m)))) << (8 * q);
    }
    out[k] = w;
  }
}

__attribute__((target("avx512f"))) void pack_avx512(const std::int32_t* x, std::size_t words, Compare op,
                                                    std::int32_t r, std::uint64_t* out) {
  const __m512i rv = _mm512_set1_epi32(r);
  for (std::size_t k = 0; k < words; ++k) {
    std::uint64_t w = 0;
    for (int q = 0; q < 4; ++q) {
      const __m512i v = _mm512_loadu_si512(x + 64 * k + 16 * q);
      const __mmask16 m = op == Compare::equal ? _mm512_cmpeq_epi32_mask(v, rv) : _mm512_cmplt_epi32_mask(v, rv);
      w |= std::uint64_t{m} << (16 * q);
    }
    out[k] = w;
  }
}

std::uint32_t positions_scalar(std::uint64_t mask, std::uint32_t base, std::uint32_t* out) {
  std::uint32_t c = 0;
  for (; mask; mask &= mask - 1) out[c++] = base + static_cast<std::uint32_t>(__builtin_ctzll(mask));
  return c;
}

// vpcompressd into a register, then a full store (the memory form is microcoded on some cores).
__attribute__((target("avx512f"))) std::uint32_t positions_avx512(std::uint64_t mask, std::uint32_t base,
                                                                  std::uint32_t* out) {
  const __m512i iota = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  std::uint32_t c = 0;
  for (int q = 0; q < 4; ++q) {
    const auto m = static_cast<__mmask16>(mask >> (16 * q));
    if (!m) continue;
    const __m512i v = _mm512_add_epi32(iota, _mm512_set1_epi32(static_cast<int>(base + 16 * q)));
    _mm512_storeu_si512(out + c, _mm512_maskz_compress_epi32(m, v));
    c += static_cast<std::uint32_t>(__builtin_popcount(m));
  }
  return c;
}

std::uint32_t rows_scalar(const std::uint64_t* offsets, std::uint64_t mask, std::uint32_t base, std::uint64_t* start,
                          std::uint32_t* deg) {
  std::uint32_t c = 0;
  for (; mask; mask &= mask - 1, ++c) {
    const std::size_t v = std::size_t{base} + static_cast<std::size_t>(__builtin_ctzll(mask));
    start[c] = offsets[v];
    deg[c] = static_cast<std::uint32_t>(offsets[v + 1] - offsets[v]);
  }
  return c;
}

// Per 8 nodes: two masked loads (the rows and their successors; masked-out entries are not
// touched, so nothing past offsets[n] is read), a subtraction, two vpcompressq into registers.
__attribute__((target("avx512f"))) std::uint32_t rows_avx512(const std::uint64_t* offsets, std::uint64_t mask,
                                                             std::uint32_t base, std::uint64_t* start,
                                                             std::uint32_t* deg) {
  std::uint32_t c = 0;
  for (int q = 0; q < 8; ++q) {
    const auto m = static_cast<__mmask8>(mask >> (8 * q));
    if (!m) continue;
    const std::uint64_t* p = offsets + base + 8 * q;
    const __m512i s = _mm512_maskz_loadu_epi64(m, p), e = _mm512_maskz_loadu_epi64(m, p + 1);
    _mm512_storeu_si512(start + c, _mm512_maskz_compress_epi64(m, s));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(deg + c),
                        _mm512_cvtepi64_epi32(_mm512_maskz_compress_epi64(m, _mm512_sub_epi64(e, s))));
    c += static_cast<std::uint32_t>(__builtin_popcount(m));
  }
  return c;
}

// Each lane's load is independent of the others' (the decided lanes read a word of ones).
std::uint64_t test_scalar(const std::uint64_t* bitmap, const std::uint32_t* idx, std::size_t count,
                          std::uint64_t known) {
  const std::uint64_t ones = ~std::uint64_t{0};
  std::uint64_t m = 0;
  for (std::size_t l = 0; l < count; ++l) {
    const std::uint64_t* word = (known >> l) & 1 ? &ones : bitmap + (idx[l] >> 6);
    m |= ((*word >> (idx[l] & 63)) & 1) << l;
  }
  return m;
}

// 8 lanes a gather (vpgatherdq of the lanes' words, masked to the undecided lanes below count),
// a variable shift and a test; idx is read 8 entries at a time (the lanes past count are ignored).
__attribute__((target("avx512f"))) std::uint64_t test_avx512(const std::uint64_t* bitmap, const std::uint32_t* idx,
                                                             std::size_t count, std::uint64_t known) {
  const __m512i ones = _mm512_set1_epi64(-1), low6 = _mm512_set1_epi64(63), one = _mm512_set1_epi64(1);
  std::uint64_t m = 0;
  for (std::size_t l0 = 0; l0 < count; l0 += 8) {
    const std::size_t left = count - l0;
    const auto live = static_cast<__mmask8>(left >= 8 ? 0xFF : (1u << left) - 1);
    const __m256i i = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(idx + l0));
    const auto load = static_cast<__mmask8>(live & ~(known >> l0));
    const __m512i w = _mm512_mask_i32gather_epi64(ones, load, _mm256_srli_epi32(i, 6), bitmap, 8);
    const __m512i sh = _mm512_and_si512(_mm512_cvtepu32_epi64(i), low6);
    m |= std::uint64_t{static_cast<std::uint8_t>(_mm512_test_epi64_mask(_mm512_srlv_epi64(w, sh), one) & live)} << l0;
  }
  return m;
}

using PackFn = void (*)(const std::int32_t*, std::size_t, Compare, std::int32_t, std::uint64_t*);
using PositionsFn = std::uint32_t (*)(std::uint64_t, std::uint32_t, std::uint32_t*);
using RowsFn = std::uint32_t (*)(const std::uint64_t*, std::uint64_t, std::uint32_t, std::uint64_t*, std::uint32_t*);
using TestFn = std::uint64_t (*)(const std::uint64_t*, const std::uint32_t*, std::size_t, std::uint64_t);
struct Path {
  PackFn fn;
  PositionsFn positions;
  RowsFn rows;
  TestFn test;
};
constexpr Path kPaths[] = {{pack_scalar, positions_scalar, rows_scalar, test_scalar},
                           {pack_avx2, positions_scalar, rows_scalar, test_scalar},
                           {pack_avx512, positions_avx512, rows_avx512, test_avx512}};

const Path& path() { return kPaths[static_cast<int>(active_isa())]; }

}  // namespace

void pack_compare(const std::int32_t* x, std::size_t count, Compare op, std::int32_t r, std::uint64_t* out) {
  const std::size_t full = count / 64, rest = count % 64;
  path().fn(x, full, op, r, out);
  if (rest) out[full] = word_scalar(x + 64 * full, rest, op, r);
}

std::uint32_t bit_positions(std::uint64_t mask, std::uint32_t base, std::uint32_t* out) {
  return path().positions(mask, base, out);
}

std::uint32_t row_positions(const std::uint64_t* offsets, std::uint64_t mask, std::uint32_t base, std::uint64_t* start,
                            std::uint32_t* deg) {
  return path().rows(offsets, mask, base, start, deg);
}

std::uint64_t bit_test(const std::uint64_t* bitmap, const std::uint32_t* idx, std::size_t count, std::uint64_t known) {
  return path().test(bitmap, idx, count, known);
}

}  // namespace gossip
