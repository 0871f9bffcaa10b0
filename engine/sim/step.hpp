// Which step runs a round, decided here and nowhere else (docs/engine.md). Each step kind
// declares, in kSteps, the features of a run it supports; a run's features come from its
// protocol and its graph (Features::of); the chooser picks, among the steps that support them,
// by the round's figures (how many act, how many arcs the senders and the uninformed have) and
// the Tuning passed in. plan_run makes the one choice per run: 64 trials per pass or one by one.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "graph/graph.hpp"
#include "protocol/contact.hpp"
#include "protocol/spec.hpp"
#include "sim/tuning.hpp"

namespace gossip {

enum class StepKind : std::uint8_t {
  sparse,          // rumor.hpp's act() for each node of the frontier list
  sparse_batched,  // the same over the list, contacts batched to overlap misses (batch.hpp)
  binned,          // the list's copies binned by target range, each range applied by one owner (binned.hpp)
  dense,           // act() for every node
  dense_batched,   // act_batched over every node (batch.hpp)
  sweep,           // every node, 64 a bitmap word, in a pipeline of lane masks (sweep.hpp)
  complete_near,   // fused push on the implicit complete graph, bitmap in cache (sweep_complete.hpp)
  complete_far,    // the same, bitmap out of cache: targets prefetched, tested two units later
  receive,         // dense push computed from the receivers' side (receive.hpp)
  bottom_up,       // flood from the uninformed side (bottom_up.hpp)
  packed,          // 64 flood trials per pass, one bit per trial (packed_flood.cpp)
  push_sum,        // aggregation: push-sum, shares binned by target range in sender order (aggregate.cpp)
  averaging,       // aggregation: sequential push-pull averaging by deterministic reservations (aggregate.cpp)
  pairwise,        // aggregation: averaging over a random matching of neighbour proposals (aggregate.cpp)
  posts,           // many posts: 64 a word per node, a message carrying all a sender passes on (posts_trial.cpp)
};
inline constexpr std::size_t kStepKinds = 15;

// What a run asks of a step: one bit each. Modes are features too (a step lists those it runs).
enum Feature : std::uint32_t {
  kPush = 1u << 0,
  kPull = 1u << 1,
  kPushPull = 1u << 2,
  kFlood = 1u << 3,
  kFanout = 1u << 4,        // fanout > 1
  kNoRepeat = 1u << 5,
  kTtl = 1u << 6,
  kLoss = 1u << 7,          // a copy or request can be lost (floor(loss 2^32) > 0)
  kForwardProb = 1u << 8,   // forward_prob < 1
  kStopRule = 1u << 9,      // a Demers stop rule
  kStopMidTurn = 1u << 10,  // a stop rule that can end a node's turn before its last contact (fanout > 1)
  kRecovery = 1u << 11,     // flood with recovery (SIR)
  kHopsPerTrial = 1u << 12, // a node's hops differ from trial to trial (recovery with a TTL)
  kDirected = 1u << 13,     // a directed graph
  kComplete = 1u << 14,     // the implicit complete graph
  kWideRows = 1u << 15,     // an actor's copies are n - 1 (flood on the implicit complete graph)
  kUpMask = 1u << 16,       // a per-round set of nodes that are up, a partition (faults)
  kStopCoverage = 1u << 20, // a trial ends at a coverage of its reachable set (run.stop_coverage)
  kDelays = 1u << 17,       // copies delivered rounds after they were sent (faults.delay)
  kFloatState = 1u << 19,   // floating-point node state (aggregation): only the aggregation steps (plan_run)
  kPushSum = 1u << 21,      // the aggregation modes
  kAveraging = 1u << 22,
  kPairwise = 1u << 23,
  kManyRumors = 1u << 18,   // several rumors (posts) per node: only the posts step (plan_run)
};
inline constexpr std::uint32_t kModes = kPush | kPull | kPushPull | kFlood;

struct Features {
  std::uint32_t bits = 0;
  bool has(std::uint32_t f) const { return (bits & f) == f; }
  static Features of(const ProtocolSpec& s, const GraphCaps& g) {
    const Thresholds th = Thresholds::of(s);
    std::uint32_t f = 0;
    switch (s.mode) {
      case Mode::push: f |= kPush; break;
      case Mode::pull: f |= kPull; break;
      case Mode::push_pull: f |= kPushPull; break;
      case Mode::flood: f |= kFlood; break;
      case Mode::push_sum: f |= kPushSum | kFloatState; break;
      case Mode::averaging: f |= kAveraging | kFloatState; break;
      case Mode::pairwise: f |= kPairwise | kFloatState; break;
    }
    if (s.fanout > 1 && s.mode != Mode::flood) f |= kFanout;
    if (s.posts.on()) {  // of the rumor's features those the posts step reads (check_posts refuses the others)
      f |= kManyRumors;
      if (s.no_repeat && s.mode != Mode::flood) f |= kNoRepeat;
      if (s.mode == Mode::flood && th.recovering()) f |= kRecovery;
      if (s.ttl) f |= kTtl;
      if (th.lost > 0) f |= kLoss;
      if (s.forward_prob < 1.0) f |= kForwardProb;
      if (s.stop != StopRule::none) f |= kStopRule;  // per user and post (push only)
      if (s.stop != StopRule::none && s.fanout > 1) f |= kStopMidTurn;
      if (g.directed) f |= kDirected;
      if (g.implicit_complete) f |= kComplete;
      if (s.faults.any()) f |= kUpMask;
      if (s.faults.delay.on()) f |= kDelays;
      return {f};
    }
    if (is_aggregation(s.mode)) {  // of the rumor's features only these apply (validate() refuses the others)
      if (th.lost > 0) f |= kLoss;
      if (g.directed) f |= kDirected;
      if (g.implicit_complete) f |= kComplete;
      if (s.faults.any()) f |= kUpMask;
      return {f};
    }
    if (s.no_repeat && s.mode != Mode::flood) f |= kNoRepeat;
    if (s.ttl) f |= kTtl;
    if (th.lost > 0) f |= kLoss;
    if (s.forward_prob < 1.0) f |= kForwardProb;
    if (s.stop != StopRule::none) f |= kStopRule;
    if (s.stop != StopRule::none && s.fanout > 1) f |= kStopMidTurn;
    if (s.mode == Mode::flood && th.recovering()) f |= kRecovery;
    if ((f & kRecovery) && s.ttl) f |= kHopsPerTrial;
    if (g.directed) f |= kDirected;
    if (g.implicit_complete) f |= kComplete;
    if (g.implicit_complete && s.mode == Mode::flood) f |= kWideRows;
    if (s.faults.any()) f |= kUpMask;
    if (s.faults.delay.on()) f |= kDelays;
    return {f};
  }
};

// How a step iterates a round: over a list of the round's actors, over every node, or the whole
// run (packed, and the aggregation steps, each the one step of its runs).
enum class Direction : std::uint8_t { sparse, dense, run };

struct StepInfo {
  StepKind kind;
  std::string_view name;
  Direction direction;
  std::uint32_t supports;  // the features it can run; a run's features must be among them
  std::uint32_t requires_; // the features it needs (the complete graph's fused push)
};

namespace steps {
inline constexpr std::uint32_t kGraphs = kDirected | kComplete;
inline constexpr std::uint32_t kAllToday = kModes | kFanout | kNoRepeat | kTtl | kLoss | kForwardProb | kStopRule |
                                           kStopMidTurn | kRecovery | kHopsPerTrial | kGraphs | kWideRows |
                                           kStopCoverage;
inline constexpr std::uint32_t kCertainPush = kPush | kFanout;  // no TTL, stop rule, repetition rule, loss, refusal
inline constexpr std::uint32_t kAggregate = kFloatState | kLoss | kGraphs;  // what every aggregation step runs
}  // namespace steps

// The table: what each step supports. Read it as rows of docs/engine.md.
inline constexpr std::array<StepInfo, kStepKinds> kSteps = {{
    {StepKind::sparse, "sparse", Direction::sparse, steps::kAllToday | kUpMask | kDelays, 0},
    {StepKind::sparse_batched, "sparse_batched", Direction::sparse, (steps::kAllToday & ~kStopMidTurn) | kUpMask | kDelays, 0},
    {StepKind::binned, "binned", Direction::sparse,
     kPush | kFlood | kFanout | kNoRepeat | kTtl | kLoss | kForwardProb | kRecovery | kHopsPerTrial | steps::kGraphs |
         kStopCoverage | kUpMask | kDelays,
     0},
    {StepKind::dense, "dense", Direction::dense, steps::kAllToday | kUpMask | kDelays, 0},
    {StepKind::dense_batched, "dense_batched", Direction::dense, (steps::kAllToday & ~kStopMidTurn) | kUpMask | kDelays, 0},
    {StepKind::sweep, "sweep", Direction::dense,
     kPush | kPull | kPushPull | kFanout | kLoss | kForwardProb | steps::kGraphs | kUpMask, 0},
    {StepKind::complete_near, "complete_near", Direction::dense, steps::kCertainPush | kComplete, kComplete},
    {StepKind::complete_far, "complete_far", Direction::dense, steps::kCertainPush | kComplete, kComplete},
    {StepKind::receive, "receive", Direction::dense, steps::kCertainPush, 0},
    {StepKind::bottom_up, "bottom_up", Direction::dense, kFlood, 0},
    {StepKind::packed, "packed", Direction::run,
     steps::kAllToday & ~(kPush | kPull | kPushPull | kHopsPerTrial | kStopCoverage), 0},
    {StepKind::push_sum, "push_sum", Direction::run, steps::kAggregate | kPushSum | kFanout | kUpMask | kDelays, kPushSum},
    {StepKind::averaging, "averaging", Direction::run, steps::kAggregate | kAveraging | kUpMask, kAveraging},
    {StepKind::pairwise, "pairwise", Direction::run, steps::kAggregate | kPairwise | kUpMask, kPairwise},
    {StepKind::posts, "posts", Direction::run,
     kModes | kFanout | kNoRepeat | kTtl | kLoss | kForwardProb | kStopRule | kStopMidTurn | kRecovery | steps::kGraphs |
         kUpMask | kDelays | kStopCoverage | kManyRumors,
     kManyRumors},
}};

constexpr const StepInfo& step_info(StepKind k) { return kSteps[static_cast<std::size_t>(k)]; }
constexpr std::string_view step_name(StepKind k) { return step_info(k).name; }

// Whether step k can run a run of features f.
inline bool supports(StepKind k, Features f) {
  const StepInfo& s = step_info(k);
  return (f.bits & ~s.supports) == 0 && (f.bits & s.requires_) == s.requires_;
}

// The sweep's bitmap fits the cache (Tuning::prefetch_words): decides complete_near / far.
inline bool bitmap_in_cache(NodeId n, const Tuning& t) { return (std::size_t{n} + 63) / 64 <= t.prefetch_words; }

// The figures of the round just ended that the choice of the next one reads.
struct RoundFigures {
  std::int64_t n = 0;
  std::int64_t arcs = 0;             // the graph's arcs
  std::int64_t informed = 0;
  std::int64_t spreaders = 0;
  std::int64_t sender_arcs = 0;      // flood: arcs of the next round's senders
  std::int64_t uninformed_arcs = 0;  // flood: arcs of the uninformed nodes
};

struct StepChoice {
  StepKind kind;
  bool listed;  // the round's actors are kept in a list (the sparse frontier)
};

// The nodes that may act in the next round, as the mode defines its actors (docs/model.md).
inline std::int64_t actors_of(Mode m, const RoundFigures& x) {
  switch (m) {
    case Mode::push: case Mode::flood: return x.spreaders;
    case Mode::pull: return x.n - x.informed;
    case Mode::push_pull: return x.n;
    default: return x.n;  // aggregation: every node (its steps are chosen per run)
  }
  return x.n;
}

// The first step of `order` that supports f (the plain step of a direction supports every
// feature of today; the features to come have no step yet).
template <std::size_t N>
StepKind first_supported(const StepKind (&order)[N], Features f) {
  for (StepKind k : order)
    if (supports(k, f)) return k;
  throw std::logic_error("no step supports this run's features (a feature to come)");
}

// The dense step of a run: the fused complete-graph push, the sweep, batched or plain.
inline StepKind dense_step(Features f, NodeId n, const Tuning& t) {
  const StepKind near_or_far = bitmap_in_cache(n, t) ? StepKind::complete_near : StepKind::complete_far;
  const StepKind order[] = {near_or_far, StepKind::sweep, StepKind::dense_batched, StepKind::dense};
  return first_supported(order, f);
}

// The step of the next round. The actors' count decides the direction: a list while they are
// few; then bottom-up flood and receiver-side push take over from the dense step while their
// cost models say the uninformed side is the cheaper one.
inline StepChoice choose_step(Mode mode, Features f, const RoundFigures& x, const Tuning& t) {
  const StepKind dense = dense_step(f, static_cast<NodeId>(x.n), t);
  const bool fused = dense == StepKind::complete_near || dense == StepKind::complete_far;
  const bool listed = actors_of(mode, x) * (fused ? t.sparse_divisor_fused : t.sparse_divisor) < x.n;
  if (supports(StepKind::bottom_up, f) && x.sender_arcs * t.bottom_up_arcs > x.uninformed_arcs &&
      x.spreaders * t.bottom_up_nodes > x.n)
    return {StepKind::bottom_up, listed};
  if (listed) {
    constexpr StepKind order[] = {StepKind::binned, StepKind::sparse_batched, StepKind::sparse};
    return {first_supported(order, f), true};
  }
  // The uninformed nodes' arcs at the mean degree, (n - informed) x arcs / n, against the pushers.
  const double uninformed = static_cast<double>(x.n - x.informed), n = static_cast<double>(x.n);
  if (supports(StepKind::receive, f) &&
      uninformed * static_cast<double>(x.arcs) * t.receive_cost < static_cast<double>(x.spreaders) * n)
    return {StepKind::receive, false};
  return {dense, false};
}

// run.packed: off, on, or auto (the engine decides).
enum class Packing : std::uint8_t { off, on, automatic };

struct RunPlan {
  bool packed = false;
  std::string note;  // why auto did not pack although it could (for the log), else empty
  std::optional<StepKind> aggregate;  // an aggregation or posts run: its one step (every round)
};

// The one choice per run: an aggregation mode's step (its float state runs on no rumor step),
// the posts step (many posts run on no single-rumor step),
// or 64 flood trials per pass, or one by one. `on` where packing cannot run
// the protocol is a UsageError; auto packs from Tuning::packed_min_trials trials on (more where
// one by one would go bottom-up) unless the packed state, bytes_per_node a node, exceeds
// available_bytes (0: not checked).
RunPlan plan_run(Features f, Packing packing, std::uint64_t trials, NodeId n, std::uint64_t packed_bytes,
                 std::uint64_t available_bytes, const Tuning& t);

}  // namespace gossip
