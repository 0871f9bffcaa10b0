// RumorState: the per-node state of one rumor (docs/model.md). Invariant: informed_at[v] is
// kNever or the round v accepted the rumor, so "informed before round r" is informed_at[v] < r
// and the array is every coverage snapshot at once. Optional arrays exist only when the protocol
// needs them: hops (TTL), contacts (no_repeat), stop_count (stop rules, and flood with recovery:
// kRemoved = lost interest, recovered).
// Writes of other nodes' entries go through atomic_ref (claim), or are plain where one worker
// owns the node's range (claim_owned); a node's own counters are written only by itself.
#pragma once
#include <atomic>
#include <cstdint>

#include "core/array.hpp"
#include "core/parallel.hpp"
#include "core/types.hpp"
#include "protocol/delay.hpp"
#include "protocol/spec.hpp"
#include "sim/bins.hpp"
#include "sim/faults.hpp"
#include "sim/in_flight.hpp"
#include "sim/step.hpp"
#include "sim/tuning.hpp"

namespace gossip {

inline constexpr std::uint16_t kNoHops = 0xFFFF;
inline constexpr std::uint16_t kRemoved = 0xFFFF;

struct RumorState {
  Array<Round> informed_at;
  Array<std::uint16_t> hops;
  Array<std::uint32_t> contacts;
  Array<std::uint16_t> stop_count;
  Array<std::uint64_t> bits;
  // The in-cache fused push (sim/sweep_complete.hpp): per worker, a bitmap of the nodes its copies
  // informed this round, all zero between rounds (allocated by that sweep).
  Array<std::uint64_t> fresh;
  binned::Bins bins;         // the binned sparse round's copies (sim/binned.hpp)
  FaultState faults;         // which nodes are up this round, the partition (faults only)
  InFlight in_flight;        // copies sent with a delay, by arrival round (delays only)
  const DelaySpec* delay_spec = nullptr;  // the run's faults.delay (delays only)
  bool delays = false;       // copies may take rounds to arrive (kDelays)
  Round bits_round = -1;     // the bitmaps hold round bits_round's inputs (sweep.hpp, bottom_up.hpp; -1: stale)
  bool arcs_ready = false;   // the sweep's second bitmap holds the nodes with out-neighbours
  std::uint32_t ttl = 0;
  bool sir = false;          // flood with recovery: a sender keeps sending until it recovers
  bool plain_flood = false;  // flood without recovery or delays: hops = informed_at
  Tuning tuning;             // the sizes of the bitmaps and bins

  RumorState(NodeId n, const ProtocolSpec& spec, Features f, const Tuning& t)
      : informed_at(n), hops(keeps_hops(spec) ? n : 0), contacts(spec.no_repeat ? n : 0),
        stop_count(needs_stop_count(spec) ? n : 0), bits(bits_size(n, f, t)), ttl(spec.ttl),
        sir(f.has(kRecovery)), plain_flood(f.has(kFlood) && !f.has(kRecovery) && !f.has(kDelays)), tuning(t) {
    if (f.has(kUpMask)) faults = FaultState(n, spec.faults);
    if (f.has(kDelays)) {
      delays = true;
      delay_spec = &spec.faults.delay;
      in_flight.size_for(max_delay(spec.faults.delay, kMaxDelay), mean_delay(spec.faults.delay, 4.0), par::worker_slots());
    }
    reset();
  }

  // The state before a trial's sources, for the next trial on the same graph and spec: the
  // per-node arrays written again in place (no new pages to fault in), the bitmaps marked stale;
  // what depends only on the graph (the nodes with out-neighbours) and the buffers stay.
  void reset() {
    par::parallel_for(0, informed_at.size(), [&](std::size_t v) {
      informed_at[v] = kNever;
      if (!hops.empty()) hops[v] = kNoHops;
      if (!contacts.empty()) contacts[v] = 0;
      if (!stop_count.empty()) stop_count[v] = 0;
    });
    bits_round = -1;
  }

  static std::size_t bit_words(NodeId n) { return (std::size_t{n} + 63) / 64; }
  // The sweep's summary bitmap: bit b is set only if every node of the bitmap words
  // [b << s, (b + 1) << s) was informed before the round (s = summary_shift(n, t)); s is the
  // least that keeps it within Tuning::summary_max_bits, so it stays in cache when the bitmap
  // does not. Bitmaps of up to Tuning::summary_min_words words have none: they mostly stay in
  // cache themselves, and probing a summary first cost more than it saved there.
  static unsigned summary_shift(NodeId n, const Tuning& t) {
    unsigned s = 0;
    while ((bit_words(n) >> s) > t.summary_max_bits) ++s;
    return s;
  }
  static std::size_t summary_words(NodeId n, const Tuning& t) {
    if (bit_words(n) <= t.summary_min_words) return 0;
    const std::size_t groups = (bit_words(n) + (std::size_t{1} << summary_shift(n, t)) - 1) >> summary_shift(n, t);
    return (groups + 63) / 64;
  }
  // The bitmap steps (sweep, complete_near/far, receive, bottom_up) may run: they need `bits`.
  static bool uses_bitmaps(Features f) {
    for (StepKind k : {StepKind::sweep, StepKind::complete_near, StepKind::complete_far, StepKind::receive,
                       StepKind::bottom_up})
      if (supports(k, f)) return true;
    return false;
  }
  // Words of `bits`: flood's bottom-up bitmaps (informed, two sender halves); or the sweep's
  // bitmap, the nodes with out-neighbours and the summary.
  static std::size_t bits_size(NodeId n, Features f, const Tuning& t) {
    if (!uses_bitmaps(f)) return 0;
    return f.has(kFlood) ? 3 * bit_words(n) : 2 * bit_words(n) + summary_words(n, t);
  }
  // hops[] exists with a TTL, and with delays (a copy's hops no longer follow from its round).
  static bool keeps_hops(const ProtocolSpec& s) { return s.ttl != 0 || s.faults.delay.on(); }
  static bool needs_stop_count(const ProtocolSpec& s) {
    return s.stop != StopRule::none || (s.mode == Mode::flood && s.recovery_prob < 1.0);
  }
  // Bytes of the arrays above for n nodes.
  static std::uint64_t bytes(NodeId n, const ProtocolSpec& spec, Features f, const Tuning& t) {
    const std::uint64_t per_node =
        sizeof(Round) + (keeps_hops(spec) ? 2 : 0) + (spec.no_repeat ? 4 : 0) + (needs_stop_count(spec) ? 2 : 0);
    return per_node * n + 8 * bits_size(n, f, t) + FaultState::bytes(n, spec.faults);
  }

  Round when(NodeId v) const {
    return std::atomic_ref<Round>(const_cast<Round&>(informed_at[v])).load(std::memory_order_relaxed);
  }
  // v is up this round (always, without faults).
  bool up(NodeId v) const { return !faults.on() || faults.up(v); }
  std::uint16_t hops_of(NodeId v) const { return hops.empty() ? 0 : hops[v]; }
  bool removed(NodeId v) const { return !stop_count.empty() && stop_count[v] == kRemoved; }
  // Informed before round r and allowed to pass the rumor on (TTL, stop rule).
  bool can_pass(NodeId v, Round r) const {
    return when(v) < r && (ttl == 0 || hops[v] < ttl) && !removed(v);
  }

  // Flood: v sends in round r: informed in round r - 1 (with recovery: before r, not recovered)
  // and allowed to pass the rumor on.
  bool floods(NodeId v, Round r) const { return (sir ? when(v) < r : when(v) == r - 1) && can_pass(v, r); }

  // claim() where only the calling worker writes w's entries this round (sim/binned.hpp).
  bool claim_owned(NodeId w, Round r, std::uint16_t h) {
    const bool first = informed_at[w] == kNever;
    if (first) informed_at[w] = r;
    if (!hops.empty() && h < hops[w]) hops[w] = h;
    return first;
  }

  // Informs w in round r with a copy of hop count h; true for the first claim of w.
  bool claim(NodeId w, Round r, std::uint16_t h) {
    Round expected = kNever;
    const bool first = std::atomic_ref<Round>(informed_at[w]).compare_exchange_strong(
        expected, r, std::memory_order_relaxed);
    if (!hops.empty()) {
      std::atomic_ref<std::uint16_t> a(hops[w]);
      std::uint16_t cur = a.load(std::memory_order_relaxed);
      while (h < cur && !a.compare_exchange_weak(cur, h, std::memory_order_relaxed)) {
      }
    }
    return first;
  }
};

}  // namespace gossip
