// Many posts in one run (docs/model.md, "Posts"): per node one bit per post in words of 64 lanes
// (lane id mod 64 of word id / 64), a message per contact carrying every post the sender can
// pass on, each post accepted by its own coin keyed by its id, so that a post's spread equals
// its spread alone. Arrivals are OR-ed into a round's word (atomic, order-free) and hop counts
// take the minimum (order-free), so every result is the same for any thread count.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/memory.hpp"
#include "graph/graph.hpp"
#include "protocol/posts.hpp"
#include "protocol/spec.hpp"
#include "sim/simulate.hpp"

namespace gossip {

// Sub-stream tags of the posts' draws (docs/model.md).
inline constexpr std::uint32_t kPostKeySub = 0x80000009u;     // the trial's post key: {t, 0, 2^31 + 9, 0}
inline constexpr std::uint32_t kPostAuthorSub = 0x8000000Au;  // generated posts' authors: {k, 0, 2^31 + 10, 0}
inline constexpr std::uint32_t kPostLossStream = 0xFFFFFFFFu;  // flood message loss under K_t: {v, i, r, 2^32 - 1}
inline constexpr std::uint32_t kReplyArc = 0x80000000u;        // x of the reply to request j: 2^31 + j
inline constexpr std::uint8_t kPostNoHops = 0xFF;              // hops[v][p] of a post v does not hold
inline constexpr std::uint32_t kMaxPostTtl = 254;
inline constexpr std::uint32_t kMaxPostStopCount = 255;        // protocol.k of a counter stop rule (one byte per user-post)

// The trial's post key K_t.
std::uint64_t post_key(std::uint64_t seed, std::uint32_t trial);

// posts.count posts from random authors at posts.rate per round (docs/model.md): post k has id k,
// is created in round floor(k / rate), and its author is drawn uniformly among the nodes present
// in that round (`join`), from the block {k, 0, 2^31 + 10, 0} (Lemire with rejection). The same
// in every trial. Throws UsageError when no node is present in a creation round.
std::vector<PostSeed> generate_posts(NodeId n, std::uint64_t count, double rate, std::uint64_t seed,
                                     const JoinSpec& join);

// Checks a post list against a graph of n nodes and a protocol (UsageError naming the problem):
// authors inside the graph, ids distinct and below 2^31, created rounds >= 0, and the protocol's
// options that posts refuse (docs/model.md): a stop rule without push, a counter rule's k above 255.
void check_posts(NodeId n, const ProtocolSpec& spec);

// One post's results in a trial (docs/model.md, "Per post").
struct PostOutcome {
  std::uint32_t id = 0;
  NodeId author = 0;
  Round created = 0;
  std::int64_t reach = 0;                        // nodes holding it at the end
  std::optional<Round> rounds_50, rounds_90, rounds_99, rounds_full;  // rounds after created
  std::int32_t max_hops = 0;
  std::int64_t duplicates = 0;
  friend bool operator==(const PostOutcome&, const PostOutcome&) = default;
};

// A node's first copy of a post (the author's creation included: hops 0).
struct PostArrival {
  std::uint32_t post = 0;  // the post's id
  NodeId user = 0;
  Round round = 0;
  std::uint16_t hops = 0;
  friend bool operator==(const PostArrival&, const PostArrival&) = default;
};

// What a posts trial hands the sink at its end (Sink::on_posts_trial), before on_trial_end.
struct PostsTrialResult {
  std::uint32_t trial = 0;
  Round rounds = 0;
  std::vector<PostOutcome> posts;          // in the order of PostsSpec::list
  // reach[r * posts.size() + i]: holders of posts[i] at the end of round r, r = 0 .. rounds.
  std::vector<std::int64_t> reach;
  std::vector<PostArrival> arrivals;       // with PostsSpec::arrivals: sorted by (post's index in list, user)
};

// Runs a posts run's trials (simulate() calls it when spec.posts.on()); as simulate().
bool run_posts(const Graph& g, const ProtocolSpec& spec, const RunParams& run, Sink& sink,
               const TrialCheckpoint* from, std::uint64_t first);

// The posts run's memory, part by part.
void posts_memory(MemoryPlan& m, const Graph& g, const ProtocolSpec& spec, const RunParams& run, int workers,
                  bool checkpoints);
// The rounds a posts trial's per-round rows are planned for: the last post's creation round and
// an estimate of a post's spread (4 log2 n + 16 rounds, longer with delays, at most the lifetime),
// at most run.max_rounds; plus round 0.
std::uint64_t posts_rounds_estimate(const ProtocolSpec& spec, const RunParams& run, std::uint64_t n);

}  // namespace gossip
