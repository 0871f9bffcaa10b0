// Number syntax of specs, config values and counts: "1000000", "1_000_000", "1e6", "2^20" for
// counts (must be exact non-negative integers), and any finite decimal for reals.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace gossip {

std::optional<std::uint64_t> parse_count(std::string_view text);
std::optional<double> parse_real(std::string_view text);

}  // namespace gossip
