// The posts engine's message word (sim/posts_trial.cpp), shared with the memory plan
// (sim/posts.cpp), which counts messages in flight by its size.
#pragma once
#include <array>
#include <cstdint>

#include "core/types.hpp"

namespace gossip::posts_detail {

using Word = std::uint64_t;

// A word of a message in flight: the posts it carries and those accepted, to w at round `at`;
// `head` marks a message's first word (messages are counted by it), hops the sender's hop counts
// of the carried lanes when hops are kept.
struct LaterWord {
  Round at;
  NodeId w;
  std::uint32_t k;
  bool head;
  Word carried, accepted;
  std::array<std::uint8_t, 64> hops;
};

}  // namespace gossip::posts_detail
