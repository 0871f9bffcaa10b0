// Posts (docs/model.md, "Posts"): many rumors in one run, each with an id, an author and the
// round it is created in. The engine sees only these numbers; names and texts stay with the
// scenario files (io/social.hpp) and the output.
#pragma once
#include <cstdint>
#include <vector>

#include "core/types.hpp"

namespace gossip {

struct PostSeed {
  std::uint32_t id = 0;   // keys the post's draws and its bit lane (id mod 64 of word id / 64)
  NodeId author = 0;
  Round created = 0;      // the author holds it from this round on (informed_at = created, hops 0)
  friend bool operator==(const PostSeed&, const PostSeed&) = default;
};

// The largest post id (ids are below 2^31: their lane words are keyed below 2^31; docs/model.md).
inline constexpr std::uint32_t kMaxPostId = (std::uint32_t{1} << 31) - 1;

struct PostsSpec {
  std::vector<PostSeed> list;  // empty: one anonymous rumor per trial (the rumor modes)
  Round lifetime = 0;          // L: a post stops spreading and leaves timelines at created + L (0: never)
  bool arrivals = false;       // hand the sink every (post, user, round, hops) of each trial
  bool on() const { return !list.empty(); }
  // Words of 64 post lanes a node holds: ids 0 .. max id.
  std::uint32_t words() const {
    std::uint32_t top = 0;
    for (const PostSeed& p : list) top = p.id > top ? p.id : top;
    return list.empty() ? 0 : top / 64 + 1;
  }
  friend bool operator==(const PostsSpec&, const PostsSpec&) = default;
};

// Whether post p is alive in round r (may be passed on, is on timelines): lifetime 0 or r < created + L.
inline bool post_alive(const PostSeed& p, Round lifetime, Round r) {
  return lifetime == 0 || static_cast<std::int64_t>(r) < static_cast<std::int64_t>(p.created) + lifetime;
}

}  // namespace gossip
