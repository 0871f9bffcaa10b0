// Number syntax: counts as 1000, 1e6, 2^20, 1_000_000; reals; everything else refused.
#include <doctest/doctest.h>

#include "core/memory.hpp"
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

TEST_CASE("durations: units, clock form, and plain numbers in the option's unit") {
  using gossip::parse_duration;
  CHECK(parse_duration("90s", 3600) == 90.0);
  CHECK(parse_duration("5m", 3600) == 300.0);
  CHECK(parse_duration("2h", 60) == 7200.0);
  CHECK(parse_duration("1.5d", 1) == 129600.0);
  CHECK(parse_duration("1:30:00", 60) == 5400.0);
  CHECK(parse_duration("02:05", 3600) == 125.0);
  CHECK(parse_duration("1.5", 3600) == 5400.0);
  CHECK(parse_duration("2", 60) == 120.0);
  CHECK(parse_duration("1e-9", 3600) == doctest::Approx(3.6e-6));
  CHECK(parse_duration("0", 1) == 0.0);
}

TEST_CASE("bad durations") {
  for (const char* bad : {"", "-1", "-5m", "+5m", "5ms", "m", "h5", "1:60", "1:2:60", "1:2:3:4", ":5", "5:", "1:-2",
                          "abc", "nan", "inf", "5 m", "1e400"})
    CHECK_MESSAGE(!gossip::parse_duration(bad, 60), bad);
}

TEST_CASE("memory sizes (GOSSIPSIM_MEMORY_LIMIT): counts with a binary unit") {
  using gossip::parse_size;
  CHECK(parse_size("1000") == 1000u);
  CHECK(parse_size("1e9") == 1000000000u);
  CHECK(parse_size("512M") == 512u << 20);
  CHECK(parse_size("4GiB") == std::uint64_t{4} << 30);
  CHECK(parse_size("4gb") == std::uint64_t{4} << 30);
  CHECK(parse_size("2 T") == std::uint64_t{2} << 40);
  CHECK(parse_size("64KiB") == 64u << 10);
  CHECK(parse_size("100B") == 100u);
  CHECK(parse_size("2^30") == std::uint64_t{1} << 30);
  for (const char* bad : {"", "G", "lots", "1.5G", "-1G", "4X", "4GiBs", "16777216T"}) CHECK_FALSE(parse_size(bad));
}
