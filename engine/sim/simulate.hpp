// simulate(graph, protocol, run, sink): Monte-Carlo trials of one rumor, round by round, as
// docs/model.md defines them. Trial t (global index trial_offset + i) is a pure function of
// (graph, protocol, seed, t): bit-identical for any thread count and backend. The engine never
// prints: per-round counters and per-trial results go to the Sink. At every round boundary the
// sink may ask for the node state, a checkpoint, or a stop (batch jobs: signals, time limits);
// simulate() resumes from a checkpoint and then equals the uninterrupted run bit for bit.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <span>

#include "core/memory.hpp"
#include "graph/graph.hpp"
#include "protocol/spec.hpp"
#include "sim/aggregate_round.hpp"
#include "sim/round_stats.hpp"
#include "sim/step.hpp"
#include "sim/tuning.hpp"

namespace gossip {

// Values only: the defaults live in SimConfig (config/config.hpp).
struct TrialParams {
  std::uint64_t seed{};
  std::uint32_t trial{};        // global trial index: the RNG stream
  Round max_rounds{};
};

struct TrialSummary {
  std::uint32_t trial = 0;
  Round rounds = 0;             // the last round executed
  bool truncated = false;       // stopped by max_rounds
  std::int64_t final_informed = 0;
  double coverage = 0;
  double residue = 0;
  std::int64_t messages = 0;
  std::int64_t requests = 0;
  double traffic = 0;           // messages / n
  double t_avg = 0;             // mean informed_at over informed nodes (sources included)
  Round t_last = 0;
  std::optional<Round> round_50, round_90, round_95, round_99, round_full;
  // The reachable set (sim/reach.hpp): its size, the coverage of it, the rounds to 50 .. 100 % of it.
  std::int64_t reachable = 0;
  double coverage_reachable = 0;
  std::optional<Round> reach_50, reach_90, reach_95, reach_99, reach_full;
  bool coverage_stop = false;   // ended by run.stop_coverage
  // The largest hop count of an informed node, where the run knows hops: it keeps them (a TTL,
  // delays), or plain flood without delays, where hops = informed_at (then t_last).
  std::optional<Round> max_hops;
  double wall_seconds = 0;
  std::array<std::int64_t, kStepKinds> steps{};  // rounds run by each step kind (step.hpp)
  // An aggregation trial (protocol.mode push-sum, averaging, pairwise): its results; the rumor's
  // fields then hold only rounds, truncated, messages, traffic, wall_seconds and steps.
  std::optional<AggregateSummary> aggregate;
  // A posts trial (spec.posts.on()): final_informed counts user-post pairs, coverage is over
  // n x posts, max_hops is over every post; the per-post results go to Sink::on_posts_trial, and
  // the single rumor's fields (round marks, t_avg, t_last, the reachable set) are not kept.
  bool posts = false;
};

struct TrialCheckpoint;   // sim/checkpoint.hpp
struct PostsTrialResult;  // sim/posts.hpp

// What a sink asks for at a round boundary (bit flags; kStop implies a checkpoint).
enum RoundRequest : unsigned { kGoOn = 0, kWantState = 1, kWantCheckpoint = 2, kStop = 4 };

class Sink {
 public:
  virtual ~Sink() = default;
  virtual void on_trial_start(std::uint32_t /*trial*/, std::span<const NodeId> /*sources*/) {}
  virtual void on_round(std::uint32_t /*trial*/, Round /*r*/, const RoundStats& /*stats*/) {}
  // Whether on_trial_end needs informed_at and hops for this trial (the packed flood rebuilds
  // them per trial only when asked; it passes empty spans otherwise).
  virtual bool wants_informed_at(std::uint32_t /*trial*/) const { return true; }
  // informed_at[v] of the finished trial (kNever = never) and hops[v] (empty without a TTL).
  virtual void on_trial_end(const TrialSummary& /*summary*/, std::span<const Round> /*informed_at*/,
                            std::span<const std::uint16_t> /*hops*/) {}
  // Called after on_round(trial, r); returns RoundRequest bits.
  virtual unsigned at_boundary(std::uint32_t /*trial*/, Round /*r*/) { return kGoOn; }
  // informed_at[v] as of the end of round r (after kWantState).
  virtual void on_state(std::uint32_t /*trial*/, Round /*r*/, std::span<const Round> /*informed_at*/) {}
  // Aggregation: the observables of round r (instead of on_round).
  virtual void on_aggregate_round(std::uint32_t /*trial*/, Round /*r*/, const AggregateRound& /*obs*/) {}
  // Aggregation: s and w (empty but for push-sum) as of the end of round r (after kWantState).
  virtual void on_aggregate_state(std::uint32_t /*trial*/, Round /*r*/, std::span<const double> /*s*/,
                                  std::span<const double> /*w*/) {}
  // Posts (spec.posts.on()): the trial's per-post results, reach per round and arrivals, before on_trial_end.
  virtual void on_posts_trial(const PostsTrialResult& /*result*/) {}
  // The trial's state at the end of round r (after kWantCheckpoint or kStop).
  virtual void on_checkpoint(const TrialCheckpoint& /*c*/) {}
};

struct RunParams {
  std::uint64_t seed{};
  std::uint64_t trials{};
  std::uint64_t trial_offset{};
  Round max_rounds{};
  // Flood's trials 64 per pass (sim/packed_flood.hpp), results unchanged: off, on, or decided
  // by plan_run (automatic).
  Packing packing = Packing::off;
  std::uint64_t available_bytes = 0;  // memory the run may use (0: unknown); automatic packing stays within it
  Tuning tuning{};
  double stop_coverage = 1.0;  // a trial ends once this fraction of its reachable nodes is informed (1: off)
};

// Runs one trial. Throws UsageError for a source outside the graph or more sources than nodes.
// (A kStop from the sink is an error here: stopping is simulate's.)
TrialSummary run_trial(const Graph& g, const ProtocolSpec& spec, const TrialParams& params, Sink& sink,
                       const Tuning& tuning = {});

// The run's features on g (step.hpp).
Features run_features(const Graph& g, const ProtocolSpec& spec);

// The one choice per run simulate() makes: packed or one by one (step.hpp's plan_run on g).
RunPlan plan_run(const Graph& g, const ProtocolSpec& spec, const RunParams& run);

// Runs trials trial_offset .. trial_offset + trials - 1 in order; packed (plan_run), batch by
// batch (the sink still sees the trials one after another; stops then come only between
// batches). With `from`, continues from a checkpoint (InputError when it does not fit the graph
// and protocol). Returns false when the sink stopped the run (after handing it a checkpoint),
// true when all trials are done. Throws UsageError for packing on where it cannot run.
bool simulate(const Graph& g, const ProtocolSpec& spec, const RunParams& run, Sink& sink,
              const TrialCheckpoint* from = nullptr);

// What simulate() will allocate on g under `plan`, part by part (core/memory.hpp): the per-node
// state (packed, or RumorState's arrays), the complete graph's per-worker bitmaps, the binned
// round's bins, the actor and newly-informed lists, the reachable set's components or search;
// with `node_rows` the per-node rows a sink that wants informed_at is handed (the packed flood's
// bit planes and rebuilt arrays); with `checkpoints` the copy of the state a checkpoint takes.
// Lists, bins and planes are bounds or estimates: docs/engine.md ("Memory") says which.
MemoryPlan run_memory(const Graph& g, const ProtocolSpec& spec, const RunParams& run, const RunPlan& plan,
                      int workers, bool node_rows, bool checkpoints);

// Plain flood with delays (docs/engine.md, "Memory"): the copies one trial can place in the
// timing wheel (delay >= 1) and, of those, the ones that can first wait in its far list (delay of
// at least the wheel's slots). Each arc's copy is sent at most once a trial; `edge` counts the
// arcs by latency, the random kinds add a margin to the binomial mean (exceeded with probability
// below 1e-30).
struct WaitingCopies {
  std::uint64_t ring = 0, far = 0;
};
WaitingCopies flood_waiting_copies(const Graph& g, const DelaySpec& d);

// Bit planes of informed_at the packed flood counts on in run_memory (rounds up to 2^k - 1); a
// trial that runs longer allocates more, each checked against the memory available first.
inline constexpr unsigned kPackedPlanesPlanned = 5;

// The sources of trial t (docs/model.md, "Sources"), sorted.
std::vector<NodeId> trial_sources(NodeId n, const ProtocolSpec& spec, std::uint64_t seed, std::uint32_t trial);

}  // namespace gossip
