// The per-node operators of one synchronous round (docs/model.md): push_from, pull_from and
// flood_from act for one node v in round r and add what they did to a RoundStats. They read the
// state of round r - 1 ("informed before r" is stable during the round), write other nodes only
// through RumorState::claim, count each first claim in newly_informed and report it to on_new
// (the sparse frontier). Like Ligra's operators, they know nothing about how the round iterates
// over nodes.
#pragma once
#include <algorithm>
#include <bit>
#include <cstdint>

#include "protocol/contact.hpp"
#include "protocol/delay.hpp"
#include "protocol/flood_fate.hpp"
#include "sim/round_stats.hpp"
#include "sim/state.hpp"

namespace gossip {

struct RoundContext {
  const ProtocolSpec& spec;
  const Tuning& tuning;
  Thresholds thresholds;
  Rng rng;               // (seed, trial, round)
  std::uint64_t seed;
  std::uint32_t trial;
  Round r;
};

template <class G>
std::uint32_t contact_index(const G& g, RumorState& st, const RoundContext& c, NodeId v, std::uint32_t j,
                            const Block& b) {
  const std::uint32_t deg = g.degree(v);
  if (!c.spec.no_repeat) return pick_index(c.rng, b, v, j, deg);
  return no_repeat_index(c.seed, c.trial, v, st.contacts[v]++, deg);
}

// What a contact does, written once (like Ligra's update/cond): every step calls these, scalar
// or as 64-lane masks; a step may reorder when contacts happen, never what one does.

// The hop count of a copy from a sender holding h: h + 1, kept below kNoHops without a TTL (hops
// kept for delays saturate at 2^16 - 2 on paths longer than that; with a TTL, h < ttl).
[[gnu::always_inline]] inline std::uint16_t next_hops(const RumorState& st, std::uint16_t h) {
  return static_cast<std::uint16_t>(h + (st.ttl != 0 || h < kNoHops - 1));
}

// Counts a first claim: newly_informed, and (without a TTL, where hops cannot change the answer
// later in the round) the new spreader it makes when it has out-neighbours.
template <class G, class OnNew>
void count_claim(const G& g, const RumorState& st, NodeId w, RoundStats& s, OnNew&& on_new) {
  ++s.newly_informed;
  if (st.ttl == 0 && g.degree(w) > 0) ++s.spreaders;
  on_new(w);
}

// A copy leaves its sender: a message; a lost one is counted and goes no further (false).
[[gnu::always_inline]] inline bool send_copy(Fate f, RoundStats& s) {
  ++s.messages;
  if (f != Fate::lost) return true;
  ++s.lost;
  return false;
}

// A copy from a sender of hop count h arrives at w in round r: redundant when w was informed
// before the round; else, accepted, it claims w with hop count h + 1 (the first claim is
// counted). kOwned: only the calling worker writes w this round (binned.hpp's range owner), so
// plain loads and stores do; else the claim is atomic. Returns whether w knew already.
template <bool kOwned, class G, class OnNew>
[[gnu::always_inline]] inline bool receive_copy(const G& g, RumorState& st, Round r, NodeId w, std::uint16_t h,
                                                bool accepted, RoundStats& s, OnNew&& on_new) {
  if ((kOwned ? st.informed_at[w] : st.when(w)) < r) {
    ++s.redundant;
    return true;
  }
  const std::uint16_t hops = next_hops(st, h);
  if (accepted && (kOwned ? st.claim_owned(w, r, hops) : st.claim(w, r, hops))) count_claim(g, st, w, s, on_new);
  return false;
}

// A copy or request from v to w that a fault drops before its fate word is read: across the
// partition, or to a down node; counted as lost. Only where the run has faults (kUpMask).
[[gnu::always_inline]] inline bool dropped(const RumorState& st, NodeId v, NodeId w, RoundStats& s) {
  if (!st.faults.on()) return false;
  if (st.faults.cut(v, w)) {
    ++s.lost;
    ++s.lost_partition;
    return true;
  }
  if (st.faults.up(w)) return false;
  ++s.lost;
  ++s.lost_down;
  return true;
}

// The delay of v's copy with draw index x along its arc i in round c.r (0 without delays).
template <class G>
[[gnu::always_inline]] inline Round delay_of(const G& g, const RumorState& st, const RoundContext& c, NodeId v,
                                             std::uint32_t x, std::uint32_t i) {
  if (!st.delays) return 0;
  if constexpr (requires { g.has_latencies(); }) {
    if (st.delay_spec->kind == DelaySpec::edge) return static_cast<Round>(g.latency(v)[i]);
  }
  (void)i;
  return copy_delay(*st.delay_spec, c.seed, c.trial, c.r, v, x);
}

// A copy sent in round r with delay d > 0 to w, holding hop count h: in flight until the end of
// round r + d (sim/in_flight.hpp), where arrive() applies it.
[[gnu::always_inline]] inline void send_later(RumorState& st, Round r, Round d, NodeId w, std::uint16_t h,
                                              bool accepted) {
  st.in_flight.add(r + d, binned::pack(w, h, accepted));
}

// A copy in flight arrives at the end of round a: lost when its target is down in round a (faults),
// else received as any copy of round a.
template <class G, class OnNew>
[[gnu::always_inline]] inline void arrive(const G& g, RumorState& st, Round a, InFlight::Copy copy, RoundStats& s,
                                          OnNew&& on_new) {
  const auto w = static_cast<NodeId>(copy);
  if (st.faults.on() && !st.faults.up(w)) {
    ++s.lost;
    ++s.lost_down;
    return;
  }
  receive_copy<false>(g, st, a, w, static_cast<std::uint16_t>(copy >> 32), ((copy >> 48) & 1) != 0, s, on_new);
}

// Where a copy goes when it leaves its sender.
enum class Leave : std::uint8_t { gone, later, now };

// A copy of fate f from v, holding hop count h, to w, with delay d, leaves v: a message, gone when
// a fault drops it or it is lost; with d > 0 in flight (send_later); else it arrives this round
// (the caller receives it: receive_copy, at once or from a bin). kTimed = false: the caller knows
// the run has neither faults nor delays (the fate alone decides; a step's copy loop without the
// per-copy tests).
template <bool kTimed = true>
[[gnu::always_inline]] inline Leave leave(RumorState& st, Round r, NodeId v, NodeId w, std::uint16_t h, Fate f,
                                          Round d, RoundStats& s) {
  if (kTimed && dropped(st, v, w, s)) {
    ++s.messages;
    return Leave::gone;
  }
  if (!send_copy(f, s)) return Leave::gone;
  if (kTimed && d > 0) {
    send_later(st, r, d, w, h, f == Fate::accepted);
    return Leave::later;
  }
  return Leave::now;
}

// Delivers a copy of fate f from v, holding hop count h, to w, after d rounds (several workers
// may claim w at once); returns whether w knew already (before the round; false for a copy gone).
template <class G, class OnNew>
[[gnu::always_inline]] inline bool deliver(const G& g, RumorState& st, const RoundContext& c, NodeId v, NodeId w,
                                           std::uint16_t h, Fate f, RoundStats& s, OnNew&& on_new, Round d = 0) {
  switch (leave(st, c.r, v, w, h, f, d, s)) {
    case Leave::gone: return false;
    case Leave::later: return st.when(w) < c.r;
    case Leave::now: break;
  }
  return receive_copy<false>(g, st, c.r, w, h, f == Fate::accepted, s, on_new);
}

// One pull contact from u to w: the request (dropped by a fault, or lost when request_word says
// so) and, where w can pass the rumor on, its reply, a message of fate reply_word, arriving after
// d rounds. Returns the hop count an accepted reply of this round carries, else kNoHops (a
// delayed reply goes in flight to u).
[[gnu::always_inline]] inline std::uint16_t pull_contact(RumorState& st, const RoundContext& c, NodeId u, NodeId w,
                                                        std::uint32_t request_word, std::uint32_t reply_word,
                                                        RoundStats& s, Round d = 0) {
  ++s.requests;
  if (dropped(st, u, w, s)) return kNoHops;
  if (c.thresholds.request_lost(request_word)) {
    ++s.lost;
    return kNoHops;
  }
  if (!st.can_pass(w, c.r)) return kNoHops;
  ++s.messages;
  const Fate f = c.thresholds.fate(reply_word);
  if (f == Fate::lost) {
    ++s.lost;
    return kNoHops;
  }
  if (d > 0) {
    send_later(st, c.r, d, u, st.hops_of(w), f == Fate::accepted);
    return kNoHops;
  }
  return f == Fate::accepted ? st.hops_of(w) : kNoHops;
}

// After u's last pull contact: the fewest hops of its accepted replies (kNoHops: none) inform it.
template <class G, class OnNew>
void pull_done(const G& g, RumorState& st, const RoundContext& c, NodeId u, std::uint16_t best, RoundStats& s,
               OnNew&& on_new) {
  if (best != kNoHops && st.claim(u, c.r, next_hops(st, best))) count_claim(g, st, u, s, on_new);
}

// The same for 64 push copies as lane masks: `push` the copies, `seen` their targets informed
// before the round, `lost` the lost ones, `accepted` those accepted. Returns the copies that inform.
inline std::uint64_t push_lanes(std::uint64_t push, std::uint64_t seen, std::uint64_t lost, std::uint64_t accepted,
                                RoundStats& s) {
  s.messages += std::popcount(push);
  s.lost += std::popcount(lost & push);
  s.redundant += std::popcount(seen & push & ~lost);
  return push & ~seen & accepted;
}

// 64 pull contacts as lane masks: `answers` the targets that can pass the rumor on, `lost_req`
// the lost requests, `lost_reply` and `accepted` the replies' fates. Returns the lanes informed.
inline std::uint64_t pull_lanes(std::uint64_t pull, std::uint64_t answers, std::uint64_t lost_req,
                                std::uint64_t lost_reply, std::uint64_t accepted, RoundStats& s) {
  s.requests += std::popcount(pull);
  s.lost += std::popcount(lost_req & pull);
  const std::uint64_t answered = answers & pull & ~lost_req;
  s.messages += std::popcount(answered);
  s.lost += std::popcount(answered & lost_reply);
  return answered & accepted;
}

// First claims as a mask (the bitmap steps): `fresh` the newly informed, `arcs` those with
// out-neighbours (no TTL: each is a new spreader).
inline void claim_lanes(std::uint64_t fresh, std::uint64_t arcs, RoundStats& s) {
  s.newly_informed += std::popcount(fresh);
  s.spreaders += std::popcount(fresh & arcs);
}

// Certain copies (nothing lost, every copy accepted) counted in bulk by the steps that find the
// informing copies from the receivers' side: `copies` sent, `informing` of them reaching nodes
// not informed before the round; the others are redundant.
inline void certain_copies(std::int64_t copies, std::int64_t informing, RoundStats& s) {
  s.messages += copies;
  s.redundant += copies - informing;
}

// Applies v's stop rule after one push contact; returns true when v lost interest (then no longer
// a spreader: spreaders is a delta within a round).
inline bool after_contact(RumorState& st, const RoundContext& c, NodeId v, bool knew, const Block& b, RoundStats& s) {
  if (c.spec.stop == StopRule::none) return false;
  std::uint16_t& count = st.stop_count[v];
  bool stop = false;
  switch (c.spec.stop) {
    case StopRule::none: break;
    case StopRule::feedback_counter: stop = knew && ++count >= c.spec.k; break;
    case StopRule::feedback_coin: stop = knew && c.thresholds.stop_coin(b.v[3]); break;
    case StopRule::blind_counter: stop = ++count >= c.spec.k; break;
    case StopRule::blind_coin: stop = c.thresholds.stop_coin(b.v[3]); break;
  }
  if (!stop) return false;
  count = kRemoved;
  --s.spreaders;
  return true;
}

template <class G, class OnNew>
void push_from(const G& g, RumorState& st, const RoundContext& c, NodeId v, RoundStats& s, OnNew&& on_new) {
  const std::uint16_t h = st.hops_of(v);
  for (std::uint32_t j = 0; j < c.spec.fanout; ++j) {
    const Block b = c.rng.block(v, j);
    const std::uint32_t i = contact_index(g, st, c, v, j, b);
    const bool knew =
        deliver(g, st, c, v, g.neighbor(v, i), h, c.thresholds.fate(b.v[2]), s, on_new, delay_of(g, st, c, v, j, i));
    if (after_contact(st, c, v, knew, b, s)) return;
  }
}

template <class G, class OnNew>
void pull_from(const G& g, RumorState& st, const RoundContext& c, NodeId u, RoundStats& s, OnNew&& on_new) {
  std::uint16_t best = kNoHops;
  for (std::uint32_t j = 0; j < c.spec.fanout; ++j) {
    const Block b = c.rng.block(u, j);
    const std::uint32_t i = contact_index(g, st, c, u, j, b);
    best = std::min(best, pull_contact(st, c, u, g.neighbor(u, i), b.v[2], b.v[3], s, delay_of(g, st, c, u, j, i)));
  }
  pull_done(g, st, c, u, best, s, on_new);
}

// Flood with recovery (SIR), after v's copies of round c.r: v recovers with probability
// recovery_prob (flood_fate.hpp's coin), and is then no longer a spreader. Nodes without
// out-neighbours send nothing and are no spreaders: they draw no coin.
template <class G>
void after_flood(const G& g, RumorState& st, const RoundContext& c, NodeId v, RoundStats& s) {
  if (!st.sir || g.degree(v) == 0 || !recovers(c.seed, c.trial, c.r, v, c.thresholds)) return;
  st.stop_count[v] = kRemoved;
  --s.spreaders;  // spreaders is a delta within a round
}

template <class G, class OnNew>
void flood_from(const G& g, RumorState& st, const RoundContext& c, NodeId v, RoundStats& s, OnNew&& on_new) {
  const std::uint16_t h = st.hops_of(v);
  const std::uint32_t deg = g.degree(v);
  const bool draw = !c.thresholds.certain();  // loss 0 and p = 1 need no draw
  for (std::uint32_t i = 0; i < deg; ++i)
    deliver(g, st, c, v, g.neighbor(v, i), h, draw ? flood_fate(c.seed, c.trial, c.r, v, i, c.thresholds) : Fate::accepted,
            s, on_new, delay_of(g, st, c, v, i, i));
  after_flood(g, st, c, v, s);
}

}  // namespace gossip
