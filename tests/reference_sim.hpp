// Serial reference simulator: docs/model.md written down literally, one trial at a time, so the
// parallel engine can be compared with it node by node. A plain loop over rounds; each round first
// copies the state into "old" arrays and computes every node's actions from them, so rounds are
// obviously synchronous. It shares nothing with the engine but the random numbers (core/rng.hpp,
// and the fault draws of protocol/faults.hpp: coins, period lengths, their means) and a few plain
// data types (RoundStats, TrialSummary). Slow on purpose: the termination test
// looks at every arc after every round.
#pragma once
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include "core/rng.hpp"
#include "core/types.hpp"
#include "protocol/delay.hpp"
#include "protocol/faults.hpp"
#include "protocol/spec.hpp"
#include "sim/round_stats.hpp"
#include "sim/simulate.hpp"

namespace gossip::test {

// hops[v] of a node that never accepted the rumor.
inline constexpr std::uint32_t kNoHops = 0xffffffffu;

struct RefTrial {
  std::vector<RoundStats> rounds;        // index r = 0..R, R = the last round executed
  std::vector<Round> informed_at;        // kNever = never
  std::vector<std::uint32_t> hops;       // kNoHops = never
  bool truncated = false;                // ended by max_rounds
  std::vector<NodeId> sources;           // sorted
  // (w, r): w accepted copies (or replies) of different hop counts in round r, the round it was
  // informed, so hops[w] is the smaller only if the simulator kept it (the path tests look for it).
  std::vector<std::pair<NodeId, Round>> mixed_hops;
};

namespace ref_detail {

inline constexpr std::uint64_t kTwo32 = std::uint64_t{1} << 32;
inline constexpr std::uint32_t kTwo31 = 0x80000000u;

// floor(p * m) of the exact real product, for p in [0, 1] and m <= 2^32. p is split into its
// 53-bit integer mantissa and a power of two, so nothing is rounded (a double product p * m can
// round up to the next integer when the exact one lies just below it).
inline std::uint64_t floor_mul(double p, std::uint64_t m) {
  if (!(p > 0.0)) return 0;
  if (p >= 1.0) return m;
  int e = 0;
  const double f = std::frexp(p, &e);  // p = f * 2^e, f in [0.5, 1), e <= 0
  const auto mantissa = static_cast<std::uint64_t>(std::ldexp(f, 53));  // p = mantissa * 2^(e-53)
  const int shift = 53 - e;
  if (shift >= 128) return 0;
  return static_cast<std::uint64_t>((Uint128{mantissa} * m) >> shift);
}

// L = floor(loss * 2^32): 2^32 for loss = 1, which does not fit 32 bits (so W < L always).
inline std::uint64_t loss_threshold(double loss) { return floor_mul(loss, kTwo32); }
// A = floor(forward_prob * (2^32 - L)).
inline std::uint64_t accept_threshold(double forward_prob, std::uint64_t loss_thr) {
  return floor_mul(forward_prob, kTwo32 - loss_thr);
}
// floor(2^32 / k): 2^32 for k = 1 (the coin always says "lose interest").
inline std::uint64_t coin_threshold(std::uint32_t k) { return kTwo32 / k; }

// Lemire's method on 64 bits: i = floor(x * deg / 2^64); a draw whose low 64 bits of x * deg fall
// below 2^64 mod deg is rejected and replaced by the next 64-bit value of `fallback`.
inline std::uint32_t lemire_index(std::uint64_t x, std::uint32_t deg, Rng::Stream fallback) {
  const std::uint64_t threshold = (std::uint64_t{0} - deg) % deg;  // 2^64 mod deg
  Uint128 m = Uint128{x} * deg;
  while (static_cast<std::uint64_t>(m) < threshold) m = Uint128{fallback.next_u64()} * deg;
  return static_cast<std::uint32_t>(m >> 64);
}

// Flood's fate word of trial t for the copy along arc i of v in round r, all 32 bits: bit 31 - j
// is bit (t mod 64) of the 64-bit word j of the batch's sequence, word 2k = B0 * 2^32 + B1 and
// word 2k + 1 = B2 * 2^32 + B3 of the block {v, i, r, 2^31 + 2^30 + 16 * floor(t / 64) + k}.
inline std::uint32_t flood_word(std::uint64_t seed, std::uint32_t trial, Round r, NodeId v, NodeId i) {
  const std::uint32_t batch = trial / 64, lane = trial % 64;
  std::uint32_t w = 0;
  for (std::uint32_t j = 0; j < 32; ++j) {
    const Rng rng(seed, kTwo31 + (kTwo31 >> 1) + 16 * batch + j / 2, static_cast<std::uint32_t>(r));
    const auto b = rng.block(v, i);
    const std::uint64_t word = j % 2 == 0 ? (std::uint64_t{b.v[0]} << 32) | b.v[1] : (std::uint64_t{b.v[2]} << 32) | b.v[3];
    w |= static_cast<std::uint32_t>((word >> lane) & 1) << (31 - j);
  }
  return w;
}

// The delay of a copy from its block E = {v, x, 2^31 + 2^30 + r, t} (docs/model.md, "Delays"),
// written from the text: fixed d; uniform by Lemire's method on E0 E1 (E2 E3 on a rejection);
// geometric floor(ln U / ln(1 - p)); lognormal floor(m exp(s Z) + 1/2) by Box-Muller; all cut at
// kMaxDelay.
inline Round ref_delay(const DelaySpec& d, const r123::Philox4x32::ctr_type& e) {
  const std::uint64_t x0 = (std::uint64_t{e.v[0]} << 32) | e.v[1], x1 = (std::uint64_t{e.v[2]} << 32) | e.v[3];
  const double u = static_cast<double>((x0 >> 11) + 1) / 9007199254740992.0;  // (0, 1]
  const double v = static_cast<double>(x1 >> 11) / 9007199254740992.0;        // [0, 1)
  double out = 0;
  switch (d.kind) {
    case DelaySpec::none: case DelaySpec::edge: return 0;
    case DelaySpec::fixed: return static_cast<Round>(d.a);
    case DelaySpec::uniform: {
      const auto range = static_cast<std::uint64_t>(d.b - d.a + 1);
      const std::uint64_t reject_below = (std::uint64_t{0} - range) % range;
      Uint128 m = Uint128{x0} * range;
      if (static_cast<std::uint64_t>(m) < reject_below) m = Uint128{x1} * range;
      return static_cast<Round>(d.a + static_cast<double>(static_cast<std::uint64_t>(m >> 64)));
    }
    case DelaySpec::geometric: out = d.a >= 1.0 ? 0.0 : std::floor(std::log(u) / std::log(1.0 - d.a)); break;
    case DelaySpec::lognormal:
      out = std::floor(d.a * std::exp(d.b * std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * 3.14159265358979323846 * v)) + 0.5);
      break;
  }
  return out >= kMaxDelay ? kMaxDelay : static_cast<Round>(out);
}

// A copy or request from v to w that the faults lose (docs/model.md, "Faults"): to the partition
// first (groups of the round), then to a down target (up of the round), both counted in `lost`.
inline bool lost_to_faults(const std::vector<std::uint32_t>& group, const std::vector<bool>& up, NodeId v, NodeId w,
                           RoundStats& st) {
  if (group[v] != group[w]) {
    st.lost += 1;
    st.lost_partition += 1;
    return true;
  }
  if (!up[w]) {
    st.lost += 1;
    st.lost_down += 1;
    return true;
  }
  return false;
}

}  // namespace ref_detail

// The sources of trial t (docs/model.md, "Sources"), sorted. Explicit source_nodes are sorted and
// deduplicated (the model does not say what a repeated node means; one rumor per node is the
// natural reading). Throws std::invalid_argument for a source outside the graph or k > n.
inline std::vector<NodeId> reference_sources(NodeId n, const ProtocolSpec& spec, std::uint64_t seed,
                                             std::uint32_t trial) {
  std::vector<NodeId> out;
  // A growing network: the sources are among the nodes present at round 0, 0 .. S - 1 (linear),
  // or those whose round in the node file is 0, the j-th of them in id order drawn as j (file).
  const JoinSpec& join = spec.faults.join;
  std::vector<NodeId> present0;
  if (join.kind == JoinSpec::file)
    for (NodeId v = 0; v < n; ++v)
      if (join.rounds->round[v] == 0) present0.push_back(v);
  const NodeId n_all = n;
  if (join.kind == JoinSpec::file) n = static_cast<NodeId>(present0.size());
  if (join.kind == JoinSpec::linear && join.start < n) n = static_cast<NodeId>(join.start);
  if (!spec.source_nodes.empty()) {
    for (NodeId s : spec.source_nodes) {
      const bool present = join.kind == JoinSpec::file ? s < n_all && join.rounds->round[s] == 0 : s < n;
      if (!present) throw std::invalid_argument("reference_sources: source outside the graph or absent at round 0");
      out.push_back(s);
    }
  } else {
    const std::uint64_t k = spec.sources;
    if (k > n) throw std::invalid_argument("reference_sources: more sources than nodes");
    // Floyd's algorithm on the stream {0, d, 2^31 + 1, t}, d = 0, 1, ...
    const Rng rng(seed, trial, ref_detail::kTwo31 + 1);
    Rng::Stream stream(rng, 0, 0);
    std::vector<bool> taken(n, false);
    for (std::uint64_t j = n - k; j < n; ++j) {
      const NodeId x = stream.below(static_cast<std::uint32_t>(j + 1));
      const NodeId pick = taken[x] ? static_cast<NodeId>(j) : x;
      taken[pick] = true;
      out.push_back(join.kind == JoinSpec::file ? present0[pick] : pick);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// The faults of one trial (docs/model.md, "Faults"), node by node and round by round, replayed
// from the model's definitions: crashed from the node's coin, churn by walking its periods from
// round 0, events by applying every entry of round <= r in order. Only the draws come from
// protocol/faults.hpp. Queries for a round need not be monotone.
class RefFaults {
 public:
  RefFaults(const FaultSpec& f, NodeId n, std::uint64_t seed, std::uint32_t trial, const std::vector<NodeId>& sources)
      : f_(f), n_(n), seed_(seed), trial_(trial), crashed_(n, false), churns_(n, false), periods_(n) {
    std::vector<bool> is_source(n, false);
    for (NodeId s : sources) is_source[s] = true;
    const std::uint64_t crash_thr = faults::threshold(f.crashed);
    const std::uint64_t churn_thr = faults::threshold(f.churn.fraction);
    for (NodeId v = 0; v < n; ++v) {
      const auto c = faults::node_coins(seed, trial, v);
      crashed_[v] = !is_source[v] && c.v[0] < crash_thr;
      churns_[v] = f.churn.kind != ChurnSpec::none && c.v[1] < churn_thr;
    }
    // Events by round, those of one round in the order listed (a stable sort keeps it).
    for (std::uint32_t e = 0; e < f.events.size(); ++e) order_.push_back(e);
    std::stable_sort(order_.begin(), order_.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return f.events[a].round < f.events[b].round; });
    for (const FaultEvent& e : f.events) last_event_ = std::max(last_event_, e.round);
    if (f.join.kind == JoinSpec::linear && n > 0) last_event_ = std::max(last_event_, join_round(n - 1));
    if (f.join.kind == JoinSpec::file)
      for (NodeId v = 0; v < n; ++v) last_event_ = std::max(last_event_, join_round(v));
    // A churning node is up at round 0 when B2 < floor(pi 2^32) (mean_length sums up to millions
    // of terms for a heavy Pareto tail: remembered per churn across trials).
    if (f.churn.kind != ChurnSpec::none) up_thr_ = faults::threshold(up_probability(f.churn));
  }

  bool any() const { return f_.any(); }
  // The round of the last event (-1 without events): the run does not end before it.
  Round last_event_round() const { return last_event_; }
  bool crashed(NodeId v) const { return crashed_[v]; }
  bool churns(NodeId v) const { return churns_[v]; }

  // Failed by an event in round r: the fail and recover entries of rounds <= r, in order.
  bool failed(NodeId v, Round r) const {
    bool failed = false;
    for (std::uint32_t e : order_) {
      const FaultEvent& ev = f_.events[e];
      if (ev.round > r) break;
      if (ev.kind == FaultEvent::fail) {
        if (named(ev, e, v)) failed = true;
      } else if (ev.kind == FaultEvent::recover) {
        if (failed && named(ev, e, v)) failed = false;
      }
    }
    return failed;
  }

  // The partition event active in round r (nullptr: none).
  const FaultEvent* partition_at(Round r) const {
    const FaultEvent* active = nullptr;
    for (std::uint32_t e : order_) {
      const FaultEvent& ev = f_.events[e];
      if (ev.round > r) break;
      if (ev.kind == FaultEvent::partition) active = &ev;
      if (ev.kind == FaultEvent::heal) active = nullptr;
    }
    return active;
  }
  // The group of v in round r (0 for every node without a partition): contiguous id blocks, or
  // the node file's group column.
  std::uint32_t group(NodeId v, Round r) const {
    const FaultEvent* p = partition_at(r);
    if (!p) return 0;
    if (p->group_map) return p->group_map->group[v];
    return faults::group_of(v, n_, p->groups);
  }

  // Churn: whether v's period covering round r is an up one (true for a node that does not churn).
  bool churn_up(NodeId v, Round r) {
    if (!churns_[v]) return true;
    const std::size_t k = period_index(v, r);
    return periods_[v].first_up != (k % 2 == 1);
  }
  // Whether v churns and the period covering round r ends.
  bool period_ends(NodeId v, Round r) {
    if (!churns_[v]) return false;
    return periods_[v].ends[period_index(v, r)] != kNoEnd;
  }

  // A growing network: v >= S joins in round 1 + floor((v - S) / R); the others are there from 0.
  // From a node file: the round of v's row.
  Round join_round(NodeId v) const {
    const JoinSpec& j = f_.join;
    if (j.kind == JoinSpec::file) return j.rounds->round[v];
    if (j.kind == JoinSpec::none || v < j.start) return 0;
    return static_cast<Round>(1 + (v - j.start) / j.per_round);
  }
  std::int64_t present(Round r) const {
    std::int64_t c = 0;
    for (NodeId v = 0; v < n_; ++v) c += join_round(v) <= r;
    return c;
  }

  // Up in round r: none of the four causes holds.
  bool up(NodeId v, Round r) { return !crashed_[v] && churn_up(v, r) && !failed(v, r) && join_round(v) <= r; }

  // "May be up later" after round r >= the last event's: not crashed, not failed, and up in
  // round r + 1 or churning with a period (the one covering r + 1) that ends.
  bool may_be_up_later(NodeId v, Round r) {
    if (crashed_[v] || failed(v, r + 1)) return false;
    return churn_up(v, r + 1) || period_ends(v, r + 1);
  }

  // "Down for good" after round r (docs/model.md, "When a run ends"), read in round r + 1: crashed,
  // failed with no recover entry of a later round naming it, or churned down in a period that
  // never ends.
  bool down_for_good(NodeId v, Round r) {
    if (crashed_[v]) return true;
    if (failed(v, r + 1)) {
      for (std::uint32_t e = 0; e < f_.events.size(); ++e) {
        const FaultEvent& ev = f_.events[e];
        if (ev.kind == FaultEvent::recover && ev.round > r + 1 && named(ev, e, v)) return false;
      }
      return true;
    }
    return churns_[v] && !churn_up(v, r + 1) && !period_ends(v, r + 1);
  }
  // No partition or heal entry after round r + 1: the groups of round r + 1 stay.
  bool groups_final(Round r) const {
    for (const FaultEvent& ev : f_.events)
      if ((ev.kind == FaultEvent::partition || ev.kind == FaultEvent::heal) && ev.round > r + 1) return false;
    return true;
  }

 private:
  static constexpr std::int64_t kNoEnd = std::int64_t{1} << 62;
  static double up_probability(const ChurnSpec& c) {
    static std::vector<std::pair<std::array<double, 6>, double>> memo;  // (kinds and parameters, pi)
    const std::array<double, 6> key{double(c.up.kind), c.up.a, c.up.b, double(c.down.kind), c.down.a, c.down.b};
    for (const auto& [k, pi] : memo)
      if (k == key) return pi;
    memo.emplace_back(key, faults::up_probability(c));
    return memo.back().second;
  }
  struct Periods {
    bool first_up = true;
    std::vector<std::int64_t> ends;  // ends[k]: the round after period k (kNoEnd: never ends)
  };

  // Whether event e names v: its node list, or else its coin E0 < floor(fraction 2^32).
  bool named(const FaultEvent& ev, std::uint32_t e, NodeId v) const {
    if (!ev.nodes.empty()) return std::find(ev.nodes.begin(), ev.nodes.end(), v) != ev.nodes.end();
    return faults::event_block(seed_, trial_, v, e).v[0] < faults::threshold(ev.fraction);
  }

  // The index of v's period that covers round r, drawing periods from round 0 as far as needed:
  // the first from block {v, 0} (B2: up or down; its length the residual one), each next one from the
  // block of the round s where the previous ends, of the other state.
  std::size_t period_index(NodeId v, Round r) {
    Periods& p = periods_[v];
    if (p.ends.empty()) {
      const auto b = faults::period_block(seed_, trial_, v, 0);
      p.first_up = b.v[2] < up_thr_;
      // The first period: the residual length (docs/model.md, "The first period").
      const Round len = faults::first_period_length(p.first_up ? f_.churn.up : f_.churn.down, seed_, trial_, v, b);
      p.ends.push_back(len == kNever || len >= kNever ? kNoEnd : len);
    }
    while (p.ends.back() != kNoEnd && p.ends.back() <= r) {
      const std::int64_t s = p.ends.back();
      const bool state_up = p.first_up != (p.ends.size() % 2 == 1);  // period ends.size() is the next one
      p.ends.push_back(end_of(s, state_up, faults::period_block(seed_, trial_, v, static_cast<Round>(s))));
    }
    return static_cast<std::size_t>(std::upper_bound(p.ends.begin(), p.ends.end(), std::int64_t{r}) - p.ends.begin());
  }
  std::int64_t end_of(std::int64_t s, bool state_up, const r123::Philox4x32::ctr_type& b) const {
    const Round len = faults::period_length(state_up ? f_.churn.up : f_.churn.down, faults::unit(b.v[0], b.v[1]));
    return len == kNever || s + len >= kNever ? kNoEnd : s + len;  // ends at 2^31 - 1 or later: never
  }

  const FaultSpec& f_;
  NodeId n_;
  std::uint64_t seed_;
  std::uint32_t trial_;
  std::vector<bool> crashed_, churns_;
  std::vector<std::uint32_t> order_;
  Round last_event_ = -1;
  std::uint64_t up_thr_ = 0;
  std::vector<Periods> periods_;
};

// One trial of docs/model.md on graph g (CsrGraph or CompleteGraph).
//
// Readings of the model chosen here (see also the notes where they are used):
// - Stop rules act after the push contacts of push and push-pull (the text says "after each push
//   contact of v"); flood's copies never trigger a stop rule ("stop coin (coin rules, push only)",
//   and a flooding node sends "one copy to each of its deg(v) out-neighbours, once").
// - Flood with recovery (SIR, recovery_prob < 1): an informed node that has not recovered sends
//   every round, then flips its recovery coin (a node without out-neighbours flips none); a
//   recovered node is "removed" (it cannot pass on) and counts as no spreader.
// - Whether a pull target "can pass on" is read from the state at the end of round r - 1, like
//   everything a node does in round r (matters only for push-pull with a stop rule).
// - A run that ends naturally at r = max_rounds is not marked truncated.
// Faults (docs/model.md, "Faults"; RefFaults above):
// - A down node does not act in round r; its copies and requests are not made, so it draws no
//   target, fate, stop or recovery coin, and no_repeat counts no contact. A copy or request to a
//   target is lost to the partition first, then to a down target, then to its fate word; the
//   sender's stop rule still runs after a lost contact, without feedback (as for a lost copy).
// - A pull request that reaches an up target in the sender's group is answered as without
//   faults; the reply meets no partition or down check (the requester is up and in the group).
// - The end-of-run rule: "loss = 1" ends a run with faults as without (nothing can change
//   whatever the faults do); with a stop rule, spreaders that are down for good are not waited
//   for; the look-ahead with faults (no end before the last event's round, arcs between nodes
//   that may be up later in one group, plain flood's round r + 1 senders and targets) replaces
//   only the live-arc rule.
template <class G>
RefTrial reference_trial(const G& g, const ProtocolSpec& spec, std::uint64_t seed, std::uint32_t trial,
                         Round max_rounds) {
  using namespace ref_detail;
  const NodeId n = g.num_nodes();
  const bool has_stop = spec.stop != StopRule::none;
  const std::uint64_t loss_thr = loss_threshold(spec.loss);
  const std::uint64_t accept_thr = accept_threshold(spec.forward_prob, loss_thr);
  const std::uint64_t coin_thr = coin_threshold(spec.k);
  const bool sir = spec.mode == Mode::flood && spec.recovery_prob < 1.0;
  const std::uint64_t recover_thr = floor_mul(spec.recovery_prob, kTwo32);
  constexpr NodeId kRecoveryArc = 0xFFFFFFFFu;  // the recovery coin's pseudo-arc

  RefTrial out;
  out.sources = reference_sources(n, spec, seed, trial);
  RefFaults fault(spec.faults, n, seed, trial, out.sources);
  // Up in round r, node by node (every node without faults).
  auto up_in = [&](Round r) {
    std::vector<bool> up(n, true);
    if (fault.any())
      for (NodeId v = 0; v < n; ++v) up[v] = fault.up(v, r);
    return up;
  };
  auto count_up = [&](const std::vector<bool>& up) {
    return static_cast<std::int64_t>(std::count(up.begin(), up.end(), true));
  };

  // The state, as docs/model.md lists it.
  std::vector<Round> informed_at(n, kNever);
  std::vector<std::uint32_t> hops(n, kNoHops);
  std::vector<std::uint64_t> contacts(n, 0);
  std::vector<bool> removed(n, false);  // lost interest (stop rules) or recovered (SIR)
  std::vector<std::uint32_t> count(n, 0);
  // Copies in flight (delays): each arrives at the end of round `at`.
  struct Pending {
    Round at;
    NodeId w;
    std::uint32_t h;  // the sender's hops
    bool accepted;
  };
  std::vector<Pending> pending;

  // "v can pass on": informed, ttl = 0 or hops[v] < ttl, and (stop rules, SIR) not removed[v].
  auto can_pass_on = [&](const std::vector<Round>& ia, const std::vector<std::uint32_t>& hp,
                         const std::vector<bool>& rm, NodeId v) {
    return ia[v] != kNever && (spec.ttl == 0 || hp[v] < spec.ttl) && !((has_stop || sir) && rm[v]);
  };

  // Counters of the state at the end of round r (informed, newly_informed, spreaders).
  auto end_of_round_counts = [&](Round r, RoundStats& st) {
    for (NodeId v = 0; v < n; ++v) {
      if (informed_at[v] != kNever) st.informed += 1;
      if (informed_at[v] == r) st.newly_informed += 1;
      const bool counts_as_spreader = (spec.mode == Mode::flood && !sir ? informed_at[v] == r : true) && g.degree(v) > 0;
      if (counts_as_spreader && can_pass_on(informed_at, hops, removed, v)) st.spreaders += 1;
    }
  };

  // "When a run ends", checked after round r on the state at its end.
  // With delays, also no copy in flight may inform: none is accepted and bound for an uninformed
  // node (the others are left undelivered).
  auto quiet = [&] {
    for (const Pending& p : pending)
      if (p.accepted && informed_at[p.w] == kNever) return false;
    return true;
  };
  auto run_ends_without_flight = [&](const RoundStats& st, Round r_now) {
    const bool feedback = spec.stop == StopRule::feedback_counter || spec.stop == StopRule::feedback_coin;
    if (spec.loss >= 1.0 && (!has_stop || feedback)) return true;
    if (has_stop) {
      // Spreaders that are down for good (they never contact anyone again) are not waited for;
      // under a feedback rule neither are those whose every contact is lost for good (to an
      // out-neighbour down for good, or across a partition no later entry changes).
      if (st.spreaders == 0 || !fault.any()) return st.spreaders == 0;
      const bool final_groups = fault.groups_final(r_now);
      auto waited = [&](NodeId v) {
        if (fault.down_for_good(v, r_now)) return false;
        if (!feedback) return true;
        for (NodeId i = 0; i < g.degree(v); ++i) {
          const NodeId w = g.neighbor(v, i);
          const bool cut_for_good = final_groups && fault.group(v, r_now + 1) != fault.group(w, r_now + 1);
          if (!fault.down_for_good(w, r_now) && !cut_for_good) return true;
        }
        return false;
      };
      for (NodeId v = 0; v < n; ++v)
        if (g.degree(v) > 0 && can_pass_on(informed_at, hops, removed, v) && waited(v)) return false;
      return true;
    }
    // With faults: no end before the last event's round; after it, arcs count only between nodes
    // that may be up later (plain flood: up in round r + 1) in one group of round r + 1.
    if (fault.any() && r_now < fault.last_event_round()) return false;
    const bool plain_flood = spec.mode == Mode::flood && !sir;
    std::vector<bool> later(n, true);
    std::vector<std::uint32_t> group(n, 0);
    if (fault.any())
      for (NodeId v = 0; v < n; ++v) {
        later[v] = plain_flood ? fault.up(v, r_now + 1) : fault.may_be_up_later(v, r_now);
        group[v] = fault.group(v, r_now + 1);
      }
    bool push_live = false, pull_live = false;
    for (NodeId v = 0; v < n; ++v) {
      const bool sends = plain_flood ? informed_at[v] == r_now : true;
      for (NodeId i = 0; i < g.degree(v); ++i) {
        const NodeId w = g.neighbor(v, i);
        if (!later[v] || !later[w] || group[v] != group[w]) continue;
        if (sends && can_pass_on(informed_at, hops, removed, v) && informed_at[w] == kNever) push_live = true;
        if (informed_at[v] == kNever && can_pass_on(informed_at, hops, removed, w)) pull_live = true;
      }
    }
    switch (spec.mode) {
      case Mode::push: case Mode::flood: return !push_live;
      case Mode::pull: return !pull_live;
      default: return !push_live && !pull_live;  // push-pull
    }
  };
  auto run_ends = [&](const RoundStats& st, Round r_now) { return run_ends_without_flight(st, r_now) && quiet(); };

  // Round 0.
  for (NodeId s : out.sources) {
    informed_at[s] = 0;
    hops[s] = 0;
  }
  {
    RoundStats st;
    end_of_round_counts(0, st);
    st.up = count_up(up_in(0));
    st.present = fault.present(0);
    out.rounds.push_back(st);
  }

  for (Round r = 0;; ++r) {
    if (r > 0) {
      // Round r: every action reads the state at the end of round r - 1 ("old"), except a node's
      // own contacts/count/removed, which only it reads and writes during its own turn.
      const std::vector<Round> old_informed_at = informed_at;
      const std::vector<std::uint32_t> old_hops = hops;
      const std::vector<bool> old_removed = removed;
      const Rng rng(seed, trial, static_cast<std::uint32_t>(r));
      const Rng perm_rng(seed, trial, kTwo31);
      RoundStats st;
      const std::vector<bool> up = up_in(r);
      std::vector<std::uint32_t> group(n, 0);
      if (fault.any())
        for (NodeId v = 0; v < n; ++v) group[v] = fault.group(v, r);
      st.up = count_up(up);
      st.present = fault.present(r);

      auto informed_before = [&](NodeId v) { return old_informed_at[v] < r; };
      auto old_can_pass_on = [&](NodeId v) { return can_pass_on(old_informed_at, old_hops, old_removed, v); };
      auto accept = [&](NodeId w, std::uint32_t h) {
        if (informed_at[w] == r && hops[w] != h) out.mixed_hops.emplace_back(w, r);
        informed_at[w] = r;
        hops[w] = std::min(hops[w], h);
      };

      // The delay of v's copy with draw index x (contact j, or flood's arc i) along arc i.
      auto delay = [&](NodeId v, std::uint32_t x, NodeId i) -> Round {
        const DelaySpec& d = spec.faults.delay;
        if (d.kind == DelaySpec::none) return 0;
        if constexpr (requires { g.has_latencies(); }) {
          if (d.kind == DelaySpec::edge) return static_cast<Round>(g.latency(v)[i]);
        }
        (void)i;
        return ref_delay(d, Rng(seed, trial, 0xC0000000u + static_cast<std::uint32_t>(r)).block(v, x));
      };

      // The arc index of node v's j-th contact (block b = {v, j, r, t}).
      auto target_index = [&](NodeId v, std::uint32_t j, const r123::Philox4x32::ctr_type& b) {
        const NodeId deg = g.degree(v);
        NodeId i = 0;
        if (spec.no_repeat) {
          const std::uint64_t c = contacts[v];
          contacts[v] += 1;
          const auto q = static_cast<std::uint32_t>(c / deg);
          const RandomPermutation perm(deg, perm_rng.block(v, q));
          i = perm.apply(static_cast<std::uint32_t>(c % deg));
        } else {
          const std::uint64_t x = (std::uint64_t{b.v[0]} << 32) | b.v[1];
          i = lemire_index(x, deg, Rng::Stream(rng, v, kTwo31 + j));
        }
        return i;
      };

      // A push contact (also flood's copies) of v to w with fate word fate(), delayed d rounds;
      // returns "the target knew" (before r, also for a copy still in flight).
      auto push_contact = [&](NodeId v, NodeId w, auto fate, Round d) {
        st.messages += 1;
        if (lost_to_faults(group, up, v, w, st)) return false;
        const std::uint32_t W = fate();
        if (W < loss_thr) {
          st.lost += 1;
          return false;
        }
        if (d > 0) {
          pending.push_back({r + d, w, old_hops[v], W - loss_thr < accept_thr});
          return informed_before(w);
        }
        if (informed_before(w)) {
          st.redundant += 1;
          return true;
        }
        if (W - loss_thr < accept_thr) accept(w, old_hops[v] + 1);
        return false;
      };

      auto stop_rule = [&](NodeId v, bool knew, std::uint32_t B3) {
        switch (spec.stop) {
          case StopRule::none: break;
          case StopRule::feedback_counter:
            if (knew) {
              count[v] += 1;
              if (count[v] == spec.k) removed[v] = true;
            }
            break;
          case StopRule::feedback_coin:
            if (knew && B3 < coin_thr) removed[v] = true;
            break;
          case StopRule::blind_counter:
            count[v] += 1;
            if (count[v] == spec.k) removed[v] = true;
            break;
          case StopRule::blind_coin:
            if (B3 < coin_thr) removed[v] = true;
            break;
        }
      };

      auto push_turn = [&](NodeId v) {
        for (std::uint32_t j = 0; j < spec.fanout; ++j) {
          if (removed[v]) break;  // a removed node makes no further contact
          const auto b = rng.block(v, j);
          const NodeId i = target_index(v, j, b);
          const bool knew = push_contact(v, g.neighbor(v, i), [&] { return b.v[2]; }, delay(v, j, i));
          stop_rule(v, knew, b.v[3]);
        }
      };

      auto pull_turn = [&](NodeId u) {
        for (std::uint32_t j = 0; j < spec.fanout; ++j) {
          const auto b = rng.block(u, j);
          const NodeId i = target_index(u, j, b);
          const NodeId w = g.neighbor(u, i);
          st.requests += 1;
          if (lost_to_faults(group, up, u, w, st)) continue;
          if (b.v[2] < loss_thr) {  // the request is lost (never refused)
            st.lost += 1;
            continue;
          }
          if (informed_before(w) && old_can_pass_on(w)) {
            st.messages += 1;  // the reply
            const Round d = delay(u, j, i);
            if (b.v[3] < loss_thr)
              st.lost += 1;
            else if (d > 0)
              pending.push_back({r + d, u, old_hops[w], b.v[3] - loss_thr < accept_thr});
            else if (b.v[3] - loss_thr < accept_thr)
              accept(u, old_hops[w] + 1);
          }
        }
      };

      for (NodeId v = 0; v < n; ++v) {
        if (!up[v]) continue;  // a down node does nothing in round r
        const NodeId deg = g.degree(v);
        switch (spec.mode) {
          case Mode::push:
            if (informed_before(v) && old_can_pass_on(v) && deg > 0) push_turn(v);
            break;
          case Mode::pull:
            if (!informed_before(v) && deg > 0) pull_turn(v);
            break;
          case Mode::push_pull:
            if (informed_before(v) && old_can_pass_on(v) && deg > 0) push_turn(v);
            if (!informed_before(v) && deg > 0) pull_turn(v);
            break;
          case Mode::flood:
            if ((sir ? informed_before(v) : old_informed_at[v] == r - 1) && old_can_pass_on(v)) {
              for (NodeId i = 0; i < deg; ++i)
                push_contact(v, g.neighbor(v, i), [&] { return flood_word(seed, trial, r, v, i); }, delay(v, i, i));
              if (sir && deg > 0 && flood_word(seed, trial, r, v, kRecoveryArc) < recover_thr) removed[v] = true;
            }
            break;
          default: break;  // aggregation: tests/aggregate_reference.hpp
        }
      }
      // The copies in flight due this round arrive: lost at a down target, redundant at one
      // informed before r, else an accepted one informs it.
      std::vector<Pending> later;
      for (const Pending& p : pending) {
        if (p.at != r) {
          later.push_back(p);
          continue;
        }
        if (!up[p.w]) {
          st.lost += 1;
          st.lost_down += 1;
        } else if (informed_before(p.w)) {
          st.redundant += 1;
        } else if (p.accepted) {
          accept(p.w, p.h + 1);
        }
      }
      pending = std::move(later);
      st.in_flight = static_cast<std::int64_t>(pending.size());
      end_of_round_counts(r, st);
      out.rounds.push_back(st);
    }
    if (run_ends(out.rounds.back(), static_cast<Round>(out.rounds.size()) - 1)) break;
    if (r == max_rounds) {
      out.truncated = true;
      break;
    }
  }
  out.informed_at = std::move(informed_at);
  out.hops = std::move(hops);
  return out;
}

// The trial summary of docs/model.md, computed from a reference trial (wall_seconds stays 0).
// round_f uses the exact integer ceil(f * n) = ceil(pct * n / 100).
inline TrialSummary reference_summary(const RefTrial& t, std::uint32_t trial = 0) {
  const auto n = static_cast<std::uint64_t>(t.informed_at.size());
  TrialSummary s;
  s.trial = trial;
  s.rounds = static_cast<Round>(t.rounds.size()) - 1;
  s.truncated = t.truncated;
  std::int64_t time_sum = 0;
  for (Round at : t.informed_at) {
    if (at == kNever) continue;
    s.final_informed += 1;
    time_sum += at;
    s.t_last = std::max(s.t_last, at);
  }
  s.coverage = n ? static_cast<double>(s.final_informed) / static_cast<double>(n) : 0.0;
  s.residue = 1.0 - s.coverage;
  for (const RoundStats& st : t.rounds) {
    s.messages += st.messages;
    s.requests += st.requests;
  }
  s.traffic = n ? static_cast<double>(s.messages) / static_cast<double>(n) : 0.0;
  s.t_avg = s.final_informed ? static_cast<double>(time_sum) / static_cast<double>(s.final_informed) : 0.0;
  auto first_round_with = [&](std::uint64_t pct) -> std::optional<Round> {
    const auto need = static_cast<std::int64_t>((pct * n + 99) / 100);
    for (std::size_t r = 0; r < t.rounds.size(); ++r)
      if (t.rounds[r].informed >= need) return static_cast<Round>(r);
    return std::nullopt;
  };
  s.round_50 = first_round_with(50);
  s.round_90 = first_round_with(90);
  s.round_99 = first_round_with(99);
  s.round_full = first_round_with(100);
  return s;
}

}  // namespace gossip::test
