// Number syntax of specs, config values and counts: "1000000", "1_000_000", "1e6", "2^20" for
// counts (must be exact non-negative integers), and any finite decimal for reals. Durations
// (time limits, intervals): a number with a unit, "90s", "5m", "2h", "1.5d", or "HH:MM:SS" /
// "MM:SS"; a plain number counts in the unit its option names (hours for --max-hours).
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace gossip {

std::optional<std::uint64_t> parse_count(std::string_view text);
std::optional<double> parse_real(std::string_view text);
// Seconds from a duration; a plain number is in units of `plain_unit_seconds`. Nothing for text
// that is not a duration, for a negative one and for a field of HH:MM:SS past 59.
std::optional<double> parse_duration(std::string_view text, double plain_unit_seconds);

}  // namespace gossip
