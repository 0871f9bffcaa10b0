// Posts (docs/model.md, "Posts"): the trial's post key, generated posts, the checks of a post
// list against a graph and a protocol, and the memory plan of a posts run. A trial's rounds are
// sim/posts_trial.cpp's.
#include "sim/posts.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "protocol/delay.hpp"
#include "sim/posts_detail.hpp"

namespace gossip {

std::uint64_t post_key(std::uint64_t seed, std::uint32_t trial) {
  const Block c = Rng(seed, 0, kPostKeySub).block(trial, 0);
  return std::uint64_t{c.v[0]} | (std::uint64_t{c.v[1]} << 32);
}

std::vector<PostSeed> generate_posts(NodeId n, std::uint64_t count, double rate, std::uint64_t seed,
                                     const JoinSpec& join) {
  if (!(rate > 0)) throw UsageError("posts.rate must be > 0");
  if (count > std::uint64_t{kMaxPostId} + 1) throw UsageError(fmt::format("posts.count must be at most {}", kMaxPostId + 1ull));
  // Nodes by join round (a node file's joins need not be a prefix of the ids).
  std::vector<NodeId> order;
  if (join.kind == JoinSpec::file) {
    order.resize(n);
    for (NodeId v = 0; v < n; ++v) order[v] = v;
    std::stable_sort(order.begin(), order.end(), [&](NodeId a, NodeId b) { return join.round_of(a) < join.round_of(b); });
  }
  const Rng rng(seed, 0, kPostAuthorSub);
  std::vector<PostSeed> out(count);
  for (std::uint64_t k = 0; k < count; ++k) {
    const double c = std::floor(static_cast<double>(k) / rate);
    if (c >= static_cast<double>(kNever - 1)) throw UsageError("posts.rate is too small: a post's round overflows");
    const auto created = static_cast<Round>(c);
    std::uint64_t present = n;
    if (join.kind == JoinSpec::file) {
      present = static_cast<std::uint64_t>(
          std::upper_bound(order.begin(), order.end(), created, [&](Round r, NodeId v) { return r < join.round_of(v); }) -
          order.begin());
    } else if (join.kind == JoinSpec::linear) {
      present = std::min<std::uint64_t>(n, join.present(created, n));
    }
    if (present == 0) throw UsageError(fmt::format("no node is present in round {} to author post {}", created, k));
    Rng::Stream s(rng, static_cast<std::uint32_t>(k));
    const auto j = static_cast<NodeId>(s.below(static_cast<std::uint32_t>(present)));
    out[k] = {static_cast<std::uint32_t>(k), join.kind == JoinSpec::file ? order[j] : j, created};
  }
  return out;
}

void check_posts(NodeId n, const ProtocolSpec& spec) {
  const PostsSpec& ps = spec.posts;
  if (!ps.on()) return;
  if (is_aggregation(spec.mode)) throw UsageError("posts take a rumor mode (push, pull, push-pull, flood)");
  if (spec.stop != StopRule::none && spec.mode != Mode::push)
    throw UsageError(fmt::format("protocol.stop = '{}' requires protocol.mode = 'push'", stop_name(spec.stop)));
  if ((spec.stop == StopRule::feedback_counter || spec.stop == StopRule::blind_counter) && spec.k > kMaxPostStopCount)
    throw UsageError(fmt::format("protocol.k = {} is too large for a counter stop rule with posts: at most {} (a user's "
                                 "count of a post is one byte)", spec.k, kMaxPostStopCount));
  if (spec.ttl > kMaxPostTtl) throw UsageError(fmt::format("protocol.ttl must be at most {} with posts", kMaxPostTtl));
  if (ps.lifetime < 0) throw UsageError("posts.lifetime must be >= 0");
  std::vector<std::uint32_t> ids;
  ids.reserve(ps.list.size());
  for (const PostSeed& p : ps.list) {
    if (p.author >= n) throw UsageError(fmt::format("post {}: author {} is not a node of the graph ({} nodes)", p.id, p.author, n));
    if (p.id > kMaxPostId) throw UsageError(fmt::format("post id {} is above {}", p.id, kMaxPostId));
    if (p.created < 0) throw UsageError(fmt::format("post {}: created round {} is negative", p.id, p.created));
    ids.push_back(p.id);
  }
  std::sort(ids.begin(), ids.end());
  const auto dup = std::adjacent_find(ids.begin(), ids.end());
  if (dup != ids.end()) throw UsageError(fmt::format("post id {} is listed twice", *dup));
}

std::uint64_t posts_rounds_estimate(const ProtocolSpec& spec, const RunParams& run, std::uint64_t n) {
  Round last = 0;
  for (const PostSeed& q : spec.posts.list) last = std::max(last, q.created);
  // A post's spread: 4 log2 n + 16 rounds, stretched by the mean delay, at most its lifetime.
  double spread = 4.0 * std::bit_width(n) + 16;
  if (spec.faults.delay.on()) spread *= 1 + mean_delay(spec.faults.delay, 4.0);
  if (spec.posts.lifetime > 0) spread = std::min(spread, static_cast<double>(spec.posts.lifetime));
  const double rounds = std::min<double>(static_cast<double>(last) + spread, static_cast<double>(std::max<Round>(run.max_rounds, 0)));
  return static_cast<std::uint64_t>(rounds) + 1;
}

void posts_memory(MemoryPlan& m, const Graph& g, const ProtocolSpec& spec, const RunParams& run, int workers,
                  bool checkpoints) {
  const std::uint64_t n = visit_graph(g, [](const auto& x) { return std::uint64_t{x.num_nodes()}; });
  const std::uint64_t words = spec.posts.words(), lanes = 64 * words, P = spec.posts.list.size();
  const bool sir = spec.mode == Mode::flood && spec.recovery_prob < 1.0;
  const bool stop = spec.stop != StopRule::none;
  const bool counters = spec.stop == StopRule::feedback_counter || spec.stop == StopRule::blind_counter;
  const bool plain_flood = spec.mode == Mode::flood && !sir;
  const bool keep_hops = !(spec.mode == Mode::flood && !spec.faults.delay.on() && !sir);
  const std::uint64_t planes = spec.mode == Mode::flood || stop ? 3 : 2;
  m.add("posts_bits", "the posts' bit planes (held, arrived, fresh, recovered or lost interest), 64 posts a word",
        planes * 8 * n * words);
  if (keep_hops) m.add("posts_hops", "the hop count per user and post, one byte each", 64 * n * words);
  if (counters) m.add("posts_stop_counts", "a counter stop rule's count per user and post, one byte each", 64 * n * words);
  if (spec.no_repeat && spec.mode != Mode::flood) m.add("contacts", "no_repeat's contact count per node", 4 * n);
  // Per-post counters: the trial's (reach, duplicates, hop maxima, creation and stop rounds), a
  // worker's tally of a round's contacts or arrivals, a block's sums at the end of a round.
  const std::uint64_t blocks = (n + 4095) / 4096;
  m.add("posts_counters", "per-post counters per worker and per block of 4096 users",
        static_cast<std::uint64_t>(workers + 6) * lanes * 8 + blocks * lanes * 12);
  // reach and duplicates per round and post (PostsTrialResult::reach and its duplicates' rows).
  const std::uint64_t rounds = posts_rounds_estimate(spec, run, n);
  m.add("posts_rows", "reach and duplicates per round and post, 16 B, twice for a vector's doubling (rounds: an estimate)",
        2 * 16 * P * rounds);
  if (run.stop_coverage < 1.0)
    m.add("posts_reachable", "run.stop_coverage: the posts' reachable sets at a trial's start, one bit per user and post",
          8 * n * words + blocks * lanes * 8, true);
  std::uint64_t in_flight = 0;
  if (spec.faults.delay.on()) {
    // Messages in flight, an estimate as for a rumor's copies (simulate.cpp): a message a contact
    // (flood: an arc's, once; push-pull: two), held for the mean delay, one word each.
    const DelaySpec& d = spec.faults.delay;
    const double held = std::min<double>(mean_delay(d, 4.0), max_delay(d, kMaxDelay)) + 1;
    const std::uint64_t arcs = visit_graph(g, [](const auto& x) { return std::uint64_t{x.num_arcs()}; });
    const double per_round = spec.mode == Mode::flood ? static_cast<double>(arcs) / held
                             : static_cast<double>(n) * spec.fanout * (spec.mode == Mode::push_pull ? 2 : 1);
    in_flight = static_cast<std::uint64_t>(per_round * held) * sizeof(posts_detail::LaterWord);
    m.add("posts_in_flight", "messages in flight (faults.delay), an estimate: 96 B a word", in_flight);
  }
  const std::uint64_t arrivals = spec.posts.arrivals ? sizeof(PostArrival) * n * P : 0;
  if (spec.posts.arrivals)
    m.add("posts_arrivals", "every (post, user, round, hops) of a trial, at most (16 B, a vector's growth twice)",
          2 * arrivals);
  if (checkpoints) {
    // A checkpoint's posts state (state() above), written into a buffer of its exact size: the
    // bit planes, hops, counts, per-round rows, messages in flight (93 B a word) and arrivals (14 B).
    const std::uint64_t state = 8 * n * words * (1 + (plain_flood ? 1 : 0) + (sir || stop ? 1 : 0)) +
                                (keep_hops ? 64 * n * words : 0) + (counters ? 64 * n * words : 0) +
                                (spec.no_repeat && spec.mode != Mode::flood ? 4 * n : 0) + 16 * P * rounds +
                                in_flight / sizeof(posts_detail::LaterWord) * 93 + arrivals * 14 / 16 + 36 * lanes + 4096;
    m.add("posts_checkpoint", "a checkpoint's copy of the posts state (-o)", state, true);
  }
}

}  // namespace gossip
