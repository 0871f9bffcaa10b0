// Checkpoints: a run stopped at a round boundary and everything needed to go on bit for bit.
// The RNG is counter-based (core/rng.hpp), so no generator state is saved: a trial's future is
// a pure function of its per-node state, its round, its running totals and the driver's
// frontier. File format (little-endian, native layout): "GOSSIPCK", u32 version, the sections
// below each length-prefixed, then the zlib CRC-32 of everything before it and "GOSSIPCK" again.
// Written to PATH.tmp, fsynced, renamed over PATH: a reader sees the old or the new one, whole.
#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "sim/round_stats.hpp"
#include "sim/simulate.hpp"

namespace gossip {

// One trial at the end of round `round` (after the sink saw it); round -1: before the trial
// started (packed flood runs stop between batches), with no state.
struct TrialCheckpoint {
  std::uint32_t trial = 0;
  Round round = 0;
  RoundStats cur;                              // the counters of `round`
  std::int64_t messages = 0, requests = 0;     // running totals
  double elapsed_seconds = 0;                  // wall time spent on the trial so far
  bool sparse = false;                         // direction and frontier of round + 1
  std::vector<NodeId> frontier;
  std::vector<std::int64_t> informed_series;   // informed count at the end of rounds 0..round
  std::vector<Round> informed_at;              // RumorState arrays (empty when the protocol has none)
  std::vector<std::uint16_t> hops;
  std::vector<std::uint32_t> contacts;
  std::vector<std::uint16_t> stop_count;
  std::array<std::int64_t, kStepKinds> steps{};  // rounds run by each step kind so far
  std::vector<std::pair<Round, std::uint64_t>> in_flight;  // copies in flight (arrival round, copy), sorted
  // Aggregation (sim/aggregate.hpp): s and w (empty but for push-sum) bit for bit, the true
  // aggregate, the messages lost so far, the observables of round 0 and of `round`.
  std::vector<double> agg_s, agg_w;
  double agg_truth = 0;
  std::int64_t agg_lost = 0;
  AggregateRound agg_first, agg_cur;
  // Push-sum shares in flight (faults.delay): arrival round, target, s, w, in the order the
  // engine keeps them (sim/aggregate.hpp, SharesInFlight::each).
  std::vector<Round> agg_flight_round;
  std::vector<std::uint32_t> agg_flight_target;
  std::vector<double> agg_flight_s, agg_flight_w;
  // Posts (sim/posts_trial.cpp): the trial's whole posts state, serialized by the posts driver itself
  // (bit planes, hops, messages in flight, per-post counters and rows, arrivals so far).
  std::vector<std::uint8_t> posts_state;
  // The engine hands its sink views of the running trial's arrays instead of the four vectors
  // above (empty then): a checkpoint costs no copy of the per-node state. The views are valid
  // during on_checkpoint only; a sink that keeps the checkpoint calls materialize().
  struct Views {
    std::span<const Round> informed_at;
    std::span<const std::uint16_t> hops;
    std::span<const std::uint32_t> contacts;
    std::span<const std::uint16_t> stop_count;
  } views;
  // Copies the views into the vectors (and clears them).
  void materialize();
  // The arrays, from the vectors or the views.
  std::span<const Round> informed_at_of() const { return informed_at.empty() ? views.informed_at : informed_at; }
  std::span<const std::uint16_t> hops_of() const { return hops.empty() ? views.hops : hops; }
  std::span<const std::uint32_t> contacts_of() const { return contacts.empty() ? views.contacts : contacts; }
  std::span<const std::uint16_t> stop_count_of() const { return stop_count.empty() ? views.stop_count : stop_count; }
};

// What every trial's checkpoint starts with: where it stands and its running totals.
inline TrialCheckpoint checkpoint_head(std::uint32_t trial, Round round, const RoundStats& cur, std::int64_t messages,
                                       std::int64_t requests, double elapsed,
                                       const std::array<std::int64_t, kStepKinds>& steps) {
  TrialCheckpoint c;
  c.trial = trial;
  c.round = round;
  c.cur = cur;
  c.messages = messages;
  c.requests = requests;
  c.elapsed_seconds = elapsed;
  c.steps = steps;
  return c;
}

struct RunCheckpoint {
  std::string config_toml;            // to_toml(experiment_config(cfg)): what --resume compares
  std::uint64_t graph_fingerprint = 0;
  std::vector<TrialSummary> done;     // the trials finished before `trial` (in order)
  TrialCheckpoint trial;
  // The node file's and the posts files' contents (graph.node_file, posts.users, posts.file): a
  // resume with other per-node data or posts is refused. 0: none, or a file before version 5.
  std::uint64_t inputs_fingerprint = 0;
};

// Throws ResourceError when the file cannot be written.
void write_checkpoint(const std::string& path, const RunCheckpoint& c);
// The same with the trial given apart (head.trial unused): no copy of its per-node state.
void write_checkpoint(const std::string& path, const RunCheckpoint& head, const TrialCheckpoint& trial);

// Throws UsageError when there is no file, InputError when it is not a whole checkpoint.
RunCheckpoint read_checkpoint(const std::string& path);

}  // namespace gossip
