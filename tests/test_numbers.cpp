// Number syntax: counts as 1000, 1e6, 2^20, 1_000_000; reals; everything else refused.
#include <doctest/doctest.h>

#include "core/numbers.hpp"

using gossip::parse_count;
using gossip::parse_real;

TEST_CASE("counts") {
  CHECK(parse_count("0") == 0u);
  CHECK(parse_count("1000000") == 1000000u);
  CHECK(parse_count("1_000_000") == 1000000u);
  CHECK(parse_count("1e6") == 1000000u);
  CHECK(parse_count("2.5e3") == 2500u);
  CHECK(parse_count("2^20") == 1048576u);
  CHECK(parse_count("2^0") == 1u);
  CHECK(parse_count("0^0") == 1u);
  CHECK(parse_count("2^63") == (std::uint64_t{1} << 63));
  CHECK(parse_count("18446744073709551615") == UINT64_MAX);
  CHECK(parse_count("1e18") == 1000000000000000000u);
}

TEST_CASE("bad counts") {
  for (const char* bad : {"", "-1", "1.5", "abc", "1e", "2^", "^3", "2^64", "3^41", "_1", "1_", "1__0",
                          "18446744073709551616", "1e20", "nan", "inf", "1 0", "0x10"})
    CHECK_MESSAGE(!parse_count(bad), bad);
}

TEST_CASE("reals") {
  CHECK(parse_real("0.5") == 0.5);
  CHECK(parse_real("1e-3") == 0.001);
  CHECK(parse_real("-2") == -2.0);
  CHECK(parse_real("1_000.5") == 1000.5);
  for (const char* bad : {"", "x", "0.5x", "nan", "inf", "1e999"}) CHECK_MESSAGE(!parse_real(bad), bad);
}
