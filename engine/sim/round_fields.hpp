// The per-round counters by name, in one table over RoundStats' members: the HDF5 writer makes
// one /observables/<name> element per entry, so a counter added to RoundStats and listed here
// appears in the output (and in merge, resume and the Python loader) without further code.
#pragma once
#include <array>
#include <cstdint>
#include <string_view>

#include "sim/round_stats.hpp"

namespace gossip {

struct RoundField {
  std::string_view name;
  std::int64_t RoundStats::*member;
};

inline constexpr std::array kRoundFields = {
    RoundField{"informed", &RoundStats::informed},   RoundField{"newly_informed", &RoundStats::newly_informed},
    RoundField{"messages", &RoundStats::messages},   RoundField{"requests", &RoundStats::requests},
    RoundField{"redundant", &RoundStats::redundant}, RoundField{"lost", &RoundStats::lost},
    RoundField{"spreaders", &RoundStats::spreaders}, RoundField{"up", &RoundStats::up},
    RoundField{"lost_down", &RoundStats::lost_down}, RoundField{"lost_partition", &RoundStats::lost_partition},
    RoundField{"present", &RoundStats::present},     RoundField{"in_flight", &RoundStats::in_flight},
};

}  // namespace gossip
