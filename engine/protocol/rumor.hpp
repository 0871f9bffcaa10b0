// The per-node operators of one synchronous round (docs/model.md): push_from, pull_from and
// flood_from act for one node v in round r and add what they did to a RoundStats. They read the
// state of round r - 1 ("informed before r" is stable during the round), write other nodes only
// through RumorState::claim, count each first claim in newly_informed and report it to on_new
// (the sparse frontier). Like Ligra's operators, they know nothing about how the round iterates
// over nodes.
#pragma once
#include <algorithm>
#include <cstdint>

#include "protocol/contact.hpp"
#include "protocol/flood_fate.hpp"
#include "sim/round_stats.hpp"
#include "sim/state.hpp"

namespace gossip {

struct RoundContext {
  const ProtocolSpec& spec;
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

// Counts a first claim: newly_informed, and (without a TTL, where hops cannot change the answer
// later in the round) the new spreader it makes when it has out-neighbours.
template <class G, class OnNew>
void count_claim(const G& g, const RumorState& st, NodeId w, RoundStats& s, OnNew&& on_new) {
  ++s.newly_informed;
  if (st.ttl == 0 && g.degree(w) > 0) ++s.spreaders;
  on_new(w);
}

// Delivers a copy of fate f from a sender holding hop count h to w; returns whether w knew already.
template <class G, class OnNew>
bool deliver(const G& g, RumorState& st, const RoundContext& c, NodeId w, std::uint16_t h, Fate f, RoundStats& s,
             OnNew&& on_new) {
  ++s.messages;
  if (f == Fate::lost) {
    ++s.lost;
    return false;
  }
  if (st.when(w) < c.r) {
    ++s.redundant;
    return true;
  }
  if (f == Fate::accepted && st.claim(w, c.r, static_cast<std::uint16_t>(h + 1))) count_claim(g, st, w, s, on_new);
  return false;
}

// Applies v's stop rule after one push contact; returns true when v lost interest.
inline bool after_contact(RumorState& st, const RoundContext& c, NodeId v, bool knew, const Block& b) {
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
  if (stop) count = kRemoved;
  return stop;
}

template <class G, class OnNew>
void push_from(const G& g, RumorState& st, const RoundContext& c, NodeId v, RoundStats& s, OnNew&& on_new) {
  const std::uint16_t h = st.hops_of(v);
  for (std::uint32_t j = 0; j < c.spec.fanout; ++j) {
    const Block b = c.rng.block(v, j);
    const NodeId w = g.neighbor(v, contact_index(g, st, c, v, j, b));
    const bool knew = deliver(g, st, c, w, h, c.thresholds.fate(b.v[2]), s, on_new);
    if (after_contact(st, c, v, knew, b)) {
      --s.spreaders;  // spreaders is a delta within a round
      return;
    }
  }
}

template <class G, class OnNew>
void pull_from(const G& g, RumorState& st, const RoundContext& c, NodeId u, RoundStats& s, OnNew&& on_new) {
  bool accepted = false;
  std::uint16_t best = kNoHops;
  for (std::uint32_t j = 0; j < c.spec.fanout; ++j) {
    const Block b = c.rng.block(u, j);
    const NodeId w = g.neighbor(u, contact_index(g, st, c, u, j, b));
    ++s.requests;
    if (c.thresholds.request_lost(b.v[2])) {
      ++s.lost;
      continue;
    }
    if (!st.can_pass(w, c.r)) continue;
    ++s.messages;
    const Fate f = c.thresholds.fate(b.v[3]);
    if (f == Fate::lost) ++s.lost;
    if (f == Fate::accepted) {
      accepted = true;
      best = std::min(best, st.hops_of(w));
    }
  }
  if (accepted && st.claim(u, c.r, static_cast<std::uint16_t>(best + 1))) count_claim(g, st, u, s, on_new);
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
    deliver(g, st, c, g.neighbor(v, i), h, draw ? flood_fate(c.seed, c.trial, c.r, v, i, c.thresholds) : Fate::accepted,
            s, on_new);
  after_flood(g, st, c, v, s);
}

}  // namespace gossip
