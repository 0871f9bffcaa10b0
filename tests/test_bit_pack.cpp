// pack_compare: every instruction-set path this processor has gives the bit-by-bit definition,
// for lengths around the word and vector boundaries and values around the comparand.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/bit_pack.hpp"
#include "core/isa.hpp"
#include "isa_paths.hpp"

using gossip::Compare;

TEST_CASE("pack_compare equals its definition on every path, every length, both comparisons") {
  std::vector<std::int32_t> x(1000 + 64);
  std::uint64_t h = 88172645463325252ull;
  const std::int32_t pool[] = {-1, 0, 1, 4, 5, 6, std::numeric_limits<std::int32_t>::max(),
                               std::numeric_limits<std::int32_t>::min()};
  for (auto& v : x) {
    h ^= h << 13, h ^= h >> 7, h ^= h << 17;
    v = pool[h % 8];
  }
  gossip::test::on_every_isa([&]([[maybe_unused]] const char* isa) {
    for (std::size_t count : {0, 1, 15, 16, 17, 63, 64, 65, 127, 128, 129, 1000}) {
      for (Compare op : {Compare::equal, Compare::less}) {
        for (std::int32_t r : {0, 5, std::numeric_limits<std::int32_t>::max()}) {
          const std::size_t words = (count + 63) / 64;
          std::vector<std::uint64_t> out(words + 1, 0xDEADBEEFull);
          gossip::pack_compare(x.data() + 3, count, op, r, out.data());  // unaligned on purpose
          for (std::size_t k = 0; k < words; ++k) {
            std::uint64_t want = 0;
            for (std::size_t b = 0; b < 64 && 64 * k + b < count; ++b) {
              const std::int32_t v = x[3 + 64 * k + b];
              want |= std::uint64_t{op == Compare::equal ? v == r : v < r} << b;
            }
            INFO(isa, " count=", count, " r=", r, " word ", k);
            CHECK(out[k] == want);
          }
          CHECK(out[words] == 0xDEADBEEFull);  // nothing written past the last word
        }
      }
    }
  });
  CHECK_FALSE(gossip::force_isa("sse9"));
}

TEST_CASE("bit_positions lists the set bits plus base, ascending, on every path") {
  std::uint64_t h = 0x9E3779B97F4A7C15ull;
  std::vector<std::uint64_t> masks = {0, 1, ~std::uint64_t{0}, std::uint64_t{1} << 63, 0xFFFF0000FFFF0000ull,
                                      0x8000000000000001ull, 0x0000FFFF00000000ull};
  for (int i = 0; i < 200; ++i) {
    h ^= h << 13, h ^= h >> 7, h ^= h << 17;
    masks.push_back(i % 2 ? h : h & (h >> 3));  // dense and sparse masks
  }
  gossip::test::on_every_isa([&]([[maybe_unused]] const char* isa) {
    for (std::uint64_t m : masks) {
      for (std::uint32_t base : {0u, 64u, 0xFFFFFF80u}) {
        std::vector<std::uint32_t> out(64 + gossip::kPositionsSlack, 7), want;
        for (std::uint32_t b = 0; b < 64; ++b)
          if ((m >> b) & 1) want.push_back(base + b);
        const std::uint32_t c = gossip::bit_positions(m, base, out.data());
        INFO(isa, " mask=", m, " base=", base);
        REQUIRE(c == want.size());
        CHECK(std::equal(want.begin(), want.end(), out.begin()));
      }
    }
  });
}

TEST_CASE("bit_test reads the bitmap's bits at the lanes' indices, skipping the known lanes, on every path") {
  std::vector<std::uint64_t> bitmap(50);
  std::uint64_t h = 0x2545F4914F6CDD1Dull;
  for (auto& w : bitmap) {
    h ^= h << 13, h ^= h >> 7, h ^= h << 17;
    w = h;
  }
  bitmap[49] = 0;  // a word of zeros: only `known` can set those lanes
  gossip::test::on_every_isa([&]([[maybe_unused]] const char* isa) {
    for (std::size_t count : {0, 1, 7, 8, 9, 31, 63, 64}) {
      for (int rep = 0; rep < 50; ++rep) {
        // Indices past count point far outside the bitmap: a path that read them would fault.
        std::vector<std::uint32_t> idx(64, 0xFFFFFFFFu);
        std::uint64_t known = 0;
        for (std::size_t l = 0; l < count; ++l) {
          h ^= h << 13, h ^= h >> 7, h ^= h << 17;
          idx[l] = rep % 5 == 0 ? 49 * 64 + static_cast<std::uint32_t>(h % 64) : static_cast<std::uint32_t>(h % (50 * 64));
          known |= std::uint64_t{(h >> 40) % 4 == 0} << l;
        }
        // Bits past count must not show (count = 64 has none: a shift by 64 is undefined).
        if (rep % 7 == 0 && count < 64) known |= ~std::uint64_t{0} << count;
        std::uint64_t want = 0;
        for (std::size_t l = 0; l < count; ++l)
          want |= std::uint64_t{((known >> l) & 1) || ((bitmap[idx[l] >> 6] >> (idx[l] & 63)) & 1)} << l;
        INFO(isa, " count=", count, " rep=", rep);
        CHECK(gossip::bit_test(bitmap.data(), idx.data(), count, known) == want);
      }
    }
  });
}

TEST_CASE("row_positions lists the rows of the set bits (start, degree), ascending, on every path") {
  // 130 nodes: offsets[0 .. 130], degrees 0 .. 9 and one of 2^33 (a 64-bit start and a degree
  // past 32 bits are both in the data; the degree's low 32 bits are what a row_positions caller gets).
  std::vector<std::uint64_t> offsets(131);
  std::uint64_t h = 0x1234567887654321ull;
  for (std::size_t v = 0; v < 130; ++v) {
    h ^= h << 13, h ^= h >> 7, h ^= h << 17;
    offsets[v + 1] = offsets[v] + (v == 70 ? (std::uint64_t{1} << 33) + 5 : h % 10);
  }
  std::vector<std::uint64_t> masks = {0, 1, ~std::uint64_t{0}, std::uint64_t{1} << 63, 0x8000000000000001ull};
  for (int i = 0; i < 100; ++i) {
    h ^= h << 13, h ^= h >> 7, h ^= h << 17;
    masks.push_back(i % 2 ? h : h & (h >> 5));
  }
  gossip::test::on_every_isa([&]([[maybe_unused]] const char* isa) {
    for (std::uint64_t m : masks) {
      for (std::uint32_t base : {0u, 64u, 67u}) {
        // base 67: bit 63 would be node 130, past the last (offsets[130] is the end), so it is
        // clear, and the vector path must not load the entry after the end for it.
        const std::uint64_t mask = base == 67 ? m & ~(std::uint64_t{1} << 63) : m;
        std::vector<std::uint64_t> start(64 + gossip::kPositionsSlack, 7);
        std::vector<std::uint32_t> deg(64 + gossip::kPositionsSlack, 7);
        std::vector<std::uint64_t> want_start;
        std::vector<std::uint32_t> want_deg;
        for (std::uint32_t b = 0; b < 64; ++b)
          if ((mask >> b) & 1) {
            want_start.push_back(offsets[base + b]);
            want_deg.push_back(static_cast<std::uint32_t>(offsets[base + b + 1] - offsets[base + b]));
          }
        const std::uint32_t c = gossip::row_positions(offsets.data(), mask, base, start.data(), deg.data());
        INFO(isa, " mask=", mask, " base=", base);
        REQUIRE(c == want_start.size());
        CHECK(std::equal(want_start.begin(), want_start.end(), start.begin()));
        CHECK(std::equal(want_deg.begin(), want_deg.end(), deg.begin()));
      }
    }
  });
}
