// FaultState: which nodes are up in the current round of a trial (docs/model.md, "Faults"), as
// bitmaps the contact operators read (up, and the partition's groups), kept incrementally: one
// parallel pass per round over the churning nodes' period ends and the events of that round.
// start() computes the state of any round directly (each node's periods replayed, the events up
// to that round applied), which is how a trial begins and how a checkpoint resumes; advance()
// and start() agree by construction of the draws (protocol/faults.hpp) and by test.
#pragma once
#include <bit>
#include <cstdint>
#include <span>
#include <vector>

#include "core/array.hpp"
#include "core/types.hpp"
#include "protocol/fault_spec.hpp"

namespace gossip {

class FaultState {
 public:
  FaultState() = default;  // no faults: on() is false and nothing else may be called
  // Checks the events against n (a listed node outside the graph: UsageError naming the entry).
  FaultState(NodeId n, const FaultSpec& spec);

  bool on() const { return on_; }
  // The state at round r of trial `trial` whose sources are `sources` (never crashed).
  void start(std::uint64_t seed, std::uint32_t trial, std::span<const NodeId> sources, Round r);
  // From the current round to round r = current + 1: that round's events, then its period ends.
  void advance(Round r);

  Round round() const { return round_; }
  bool up(NodeId v) const { return (up_[v >> 6] >> (v & 63)) & 1; }
  const std::uint64_t* up_words() const { return up_.data(); }  // bit v: v is up
  bool crashed(NodeId v) const { return (crashed_[v >> 6] >> (v & 63)) & 1; }
  // v and w lie in different groups of the active partition.
  bool cut(NodeId v, NodeId w) const { return groups_ != 0 && group(v) != group(w); }
  std::uint32_t group(NodeId v) const {
    if (groups_ == 0) return 0;
    if (group_map_) return group_map_[v];
    return static_cast<std::uint32_t>((std::uint64_t{v} * groups_) / n_);
  }
  std::uint32_t groups() const { return groups_ == 0 ? 1 : groups_; }
  std::int64_t up_count() const { return up_count_; }
  // The number of nodes present (joined) this round: [0, present_count()) unless the join rounds
  // come from a node file (network.join = "file:COLUMN").
  std::int64_t present_count() const { return static_cast<std::int64_t>(present_); }
  // The round of the last event (-1: none): before it, a run does not end.
  Round last_event_round() const { return last_event_; }
  // After the last event: v may be up in a later round (not crashed, not failed by an event, and
  // up now or churning with a period that ends).
  bool may_up_later(NodeId v) const {
    const std::size_t k = v >> 6;
    const std::uint64_t bit = std::uint64_t{1} << (v & 63);
    if ((crashed_[k] | failed_[k]) & bit) return false;
    const bool absent = present_bits_.empty() ? v >= present_ : !(present_bits_[k] & bit);
    return (up_[k] & bit) || absent || (!next_flip_.empty() && next_flip_[v] != kNever);
  }

  // Whether some node can be down for good (crashes, fail events or churn): else down_for_good()
  // is false for every node.
  bool downs_for_good() const {
    return spec_->crashed > 0.0 || spec_->churn.kind != ChurnSpec::none || has_fail_;
  }
  // v is down in the current round and in every later one (docs/model.md, "When a run ends"):
  // crashed, failed with no later recover entry naming it, or churned down for a period that
  // never ends.
  bool down_for_good(NodeId v) const;

  // No later event changes the partition (no partition or heal entry after the current round).
  bool groups_final() const;

  // Bytes of the state for n nodes.
  static std::uint64_t bytes(NodeId n, const FaultSpec& spec);

 private:
  void apply_event(std::size_t e);
  void churn_step(Round r);  // the period ends of round r, and up_ again
  void rebuild_up();         // up_ and up_count_ from crashed_, churn_up_, churning_, failed_, present_
  void join_bits(Round r);   // present_bits_ at round r (a join from a node file)
  std::uint64_t up_word(std::size_t k) const;

  bool on_ = false;
  NodeId n_ = 0;
  const FaultSpec* spec_ = nullptr;
  std::vector<std::size_t> order_;  // event indices by round, then as listed
  std::size_t next_event_ = 0;      // the first of order_ not applied
  Round last_event_ = -1;
  bool has_fail_ = false;           // some event is a fail
  std::uint64_t seed_ = 0;
  std::uint32_t trial_ = 0;
  Round round_ = -1;
  std::uint32_t groups_ = 0;        // the active partition's groups (0: none)
  const std::uint32_t* group_map_ = nullptr;  // its group per node, when read from a node file
  std::int64_t up_count_ = 0;
  std::uint64_t present_ = 0;       // nodes joined: [0, present_), or those of present_bits_
  Array<std::uint64_t> present_bits_;  // a join from a node file: bit v, v has joined
  std::uint64_t up_threshold_ = 0;  // a churning node starts up when B2 < this
  Array<std::uint64_t> up_, crashed_, failed_, churning_, churn_up_;  // a bit per node
  Array<Round> next_flip_;          // churn: the round a churning node's period ends (kNever: never)
};

}  // namespace gossip
