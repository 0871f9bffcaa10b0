// Basic value types shared by every layer.
// NodeId is 32-bit: a graph holds n <= kMaxNodes nodes, so kNoNode (2^32 - 1) never names a node.
// Edge offsets and arc counts are always 64-bit (EdgeIdx). Round numbers are 32-bit signed, and
// kNever (the largest Round) marks "never happened", so `informed_at[v] < r` tests "before round r".
#pragma once
#include <cstdint>
#include <limits>

namespace gossip {

using NodeId = std::uint32_t;
using EdgeIdx = std::uint64_t;
using Round = std::int32_t;

inline constexpr NodeId kNoNode = std::numeric_limits<NodeId>::max();
inline constexpr std::uint64_t kMaxNodes = std::uint64_t{kNoNode} - 1;  // n < 2^32 - 1
inline constexpr Round kNever = std::numeric_limits<Round>::max();

struct Edge {
  NodeId u;
  NodeId v;
  friend bool operator==(const Edge&, const Edge&) = default;
};

}  // namespace gossip
