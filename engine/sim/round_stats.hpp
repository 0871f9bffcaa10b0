// RoundStats: the counters of one round (docs/model.md, "Counters of round r"). A kernel step
// returns the counters it produced; blocks' partial counters are summed with operator+.
#pragma once
#include <cstdint>

namespace gossip {

struct RoundStats {
  std::int64_t informed = 0;        // cumulative, at the end of the round
  std::int64_t newly_informed = 0;
  std::int64_t messages = 0;        // rumor copies sent
  std::int64_t requests = 0;        // pull requests sent
  std::int64_t redundant = 0;       // copies reaching a node informed before the round
  std::int64_t lost = 0;            // lost requests and copies
  std::int64_t spreaders = 0;       // nodes that can pass the rumor on after the round
  std::int64_t up = 0;              // nodes up in the round (faults; n without)
  std::int64_t lost_down = 0;       // copies and requests to down nodes (in lost)
  std::int64_t lost_partition = 0;  // copies and requests across a partition (in lost)
  std::int64_t present = 0;         // nodes joined by the round (a growing network; n without)
  std::int64_t in_flight = 0;       // copies sent that arrive after the round (delays; 0 without)

  RoundStats& operator+=(const RoundStats& o) {
    informed += o.informed;
    newly_informed += o.newly_informed;
    messages += o.messages;
    requests += o.requests;
    redundant += o.redundant;
    lost += o.lost;
    spreaders += o.spreaders;
    up += o.up;
    lost_down += o.lost_down;
    lost_partition += o.lost_partition;
    present += o.present;
    in_flight += o.in_flight;
    return *this;
  }
  friend RoundStats operator+(RoundStats a, const RoundStats& b) { return a += b; }
  friend bool operator==(const RoundStats&, const RoundStats&) = default;
};

}  // namespace gossip
