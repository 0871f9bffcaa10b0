// The packed flood: the round loop of simulate.cpp for up to 64 flood trials at once, one bit per
// trial. State invariants at the end of round r:
//   seen[v]  = the lanes in which v was informed in a round <= r;
//   send[v]  = the lanes in which v was informed in round r and may pass on (r < ttl or no TTL);
//              with recovery (SIR, no TTL): informed in a round <= r and not recovered;
//              only nodes with out-neighbours; read masked with the running lanes (a lane that
//              has just ended may still hold bits: they are never read);
//   next[v]  = 0 (round r + 1 ORs the lanes that accept a copy into it, atomically);
//   plane k  = bit k of informed_at, lane by lane (only when the sink wants informed_at).
// seen and next of a node share a 16-byte slot: a copy's target costs one random cache line.
// Plain flood's hops equal informed_at (every copy comes from the previous round's layer), so a
// TTL is a limit on sending rounds, and hops need no state (SIR runs packed only without a TTL).
// A lane ends after round r when none of its round-(r+1) senders has an arc to a node it has not
// informed: the step of round r + 1 computes that mask on the way, and a lane found dead keeps
// nothing of that step that is ever read (it cannot have informed anyone, there being no such
// arc), exactly like the one-trial run that stops before sending.
#include "sim/packed_flood.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <type_traits>
#include <vector>

#include "core/array.hpp"
#include "core/error.hpp"
#include "core/memory.hpp"
#include "core/parallel.hpp"
#include "protocol/flood_fate.hpp"
#include "sim/lane_stats.hpp"
#include "sim/reach.hpp"
#include "sim/state.hpp"
#include "sim/trial_summary.hpp"

namespace gossip {
namespace {

using Word = std::uint64_t;
constexpr std::size_t kBlock = 2048;
constexpr std::size_t kSparseDivisor = 20;  // collect the newly informed when senders < n / 20
constexpr std::size_t kAhead = 4;            // senders whose targets are prefetched ahead

struct Slot {
  Word seen;
  Word next;
};

template <class T>
std::vector<T> concat(std::vector<std::vector<T>>& parts) {
  std::vector<T> out;
  for (auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

template <class G>
class PackedFlood {
 public:
  PackedFlood(const G& g, const ProtocolSpec& spec, std::uint64_t seed, std::uint32_t first, std::uint32_t count,
              Word want, Reach& reach)
      : g_(g), spec_(spec), seed_(seed), batch_(first / kLanes), first_lane_(first % kLanes), count_(count),
        want_(want), reach_(reach), n_(g.num_nodes()), th_(Thresholds::of(spec)), sir_(th_.recovering()), slot_(n_), send_(n_) {
    par::parallel_for(0, n_, [&](std::size_t v) { slot_[v] = {0, 0}, send_[v] = 0; });
  }

  void run(Round max_rounds, Sink& sink) {
    const auto t0 = std::chrono::steady_clock::now();
    Word running = start();
    if (spec_.loss >= 1.0) running = 0;  // no copy can ever arrive: every trial ends at round 0
    for (Round r = 0; running;) {
      if (r == max_rounds) {
        const Word live = live_lanes(running);
        for (std::uint32_t l = 0; l < kLanes; ++l) lanes_[l].truncated = (live >> l) & 1;
        break;
      }
      ++r;
      LaneStats s = step(r, running);
      running &= s.live;  // the others ended after round r - 1
      settle(r, s);
      for (Word m = running; m; m &= m - 1) {
        const int l = std::countr_zero(m);
        auto& rounds = lanes_[l].rounds;
        rounds.push_back({rounds.back().informed + s.newly[l], s.newly[l], s.messages[l], 0, s.redundant[l], s.lost[l],
                          s.spreaders[l], static_cast<std::int64_t>(n_), 0, 0, static_cast<std::int64_t>(n_)});
      }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    replay(sink, seconds / count_);
  }

 private:
  struct Lane {
    std::vector<NodeId> sources;
    std::vector<RoundStats> rounds;
    bool truncated = false;
  };

  std::uint32_t trial_of(std::uint32_t lane) const { return batch_ * kLanes + lane; }

  // Round 0: each lane's sources; returns the lanes in use.
  Word start() {
    Word used = 0;
    std::vector<NodeId> all;
    for (std::uint32_t l = first_lane_; l < first_lane_ + count_; ++l) {
      const Word bit = Word{1} << l;
      Lane& lane = lanes_[l];
      lane.sources = trial_sources(n_, spec_, seed_, trial_of(l));
      RoundStats s;
      s.informed = s.newly_informed = static_cast<std::int64_t>(lane.sources.size());
      s.up = s.present = n_;  // packed runs have no faults
      for (NodeId v : lane.sources) {
        slot_[v].seen |= bit;
        if (g_.degree(v) > 0) send_[v] |= bit, ++s.spreaders, all.push_back(v);
      }
      lane.rounds.push_back(s);
      used |= bit;
    }
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    senders_ = std::move(all);
    return used;
  }

  template <class F>
  void for_arcs(NodeId v, F&& f) const {
    if constexpr (has_rows<G>) {
      const auto row = g_.neighbors(v);
      for (std::uint32_t i = 0; i < row.size(); ++i) f(i, row[i]);
    } else {
      for (std::uint32_t i = 0, d = g_.degree(v); i < d; ++i) f(i, g_.neighbor(v, i));
    }
  }

  // Round r for the running lanes: copies, fates and claims into next; which lanes were live.
  LaneStats step(Round r, Word running) {
    const bool collect = senders_.size() * kSparseDivisor < n_;
    std::vector<std::vector<NodeId>> parts(collect ? par::num_blocks(senders_.size(), kBlock) : 0);
    const bool certain = th_.certain();
    LaneStats s = par::reduce_blocks(
        senders_.size(), kBlock, LaneStats{},
        [&](std::size_t b, std::size_t lo, std::size_t hi) {
          LaneCounter messages, lost, redundant;
          LaneStats out;
          for (std::size_t k = lo; k < hi; ++k) {
            if (k + kAhead < hi) for_arcs(senders_[k + kAhead], [&](std::uint32_t, NodeId w) { __builtin_prefetch(&slot_[w], 1); });
            const NodeId v = senders_[k];
            const Word a = send_[v] & running;
            if (!a) {
              if (sir_) send_[v] = 0;  // sending only in ended lanes: no longer a sender
              continue;
            }
            messages.add(a, g_.degree(v));
            for_arcs(v, [&](std::uint32_t i, NodeId w) {
              const Word known = slot_[w].seen, fresh = a & ~known;
              out.live |= fresh;
              Word gone = 0, accepted = fresh;
              if (!certain) {
                const LaneFates f = lane_fates(seed_, batch_, r, v, i, th_, a, fresh);
                gone = f.lost;
                accepted = f.accepted;
              }
              lost.add(gone);
              redundant.add(a & known & ~gone);
              if (!accepted) return;
              std::atomic_ref<Word> x(slot_[w].next);
              if ((x.load(std::memory_order_relaxed) & accepted) == accepted) return;
              if (x.fetch_or(accepted, std::memory_order_relaxed) == 0 && collect) parts[b].push_back(w);
            });
            // SIR: v's lanes that recover after sending (the same coin as one trial's after_flood).
            if (sir_) send_[v] = a & ~lane_recoveries(seed_, batch_, r, v, th_, a);
          }
          messages.flush_into(out.messages);
          lost.flush_into(out.lost);
          redundant.flush_into(out.redundant);
          return out;
        },
        [](LaneStats x, const LaneStats& y) { return x += y; });
    collected_ = collect;
    newly_ = concat(parts);
    return s;
  }

  // Ends round r: folds next into seen, the planes and the next senders; counts newly informed
  // and spreaders per lane into s.
  void settle(Round r, LaneStats& s) {
    const bool can_send = spec_.ttl == 0 || r < static_cast<Round>(spec_.ttl);
    if (want_)
      while (planes_.size() < static_cast<std::size_t>(std::bit_width(static_cast<std::uint32_t>(r)))) {
        // run_memory counted kPackedPlanesPlanned planes; a longer trial checks each further one.
        if (planes_.size() >= kPackedPlanesPlanned)
          require_memory(sizeof(Word) * std::uint64_t{n_},
                         "bit plane " + std::to_string(planes_.size()) + " of the packed flood's informed_at (round " +
                             std::to_string(r) + "; output.node_trials = 0 needs none)");
        Array<Word> plane(n_);
        par::parallel_for(0, n_, [&](std::size_t v) { plane[v] = 0; });
        planes_.push_back(std::move(plane));
      }
    // SIR: the senders that have not recovered in every lane stay senders (listed first, so that a
    // node newly informed in another lane is listed once: by whichever pass sees it sending first).
    std::vector<NodeId> kept;
    if (sir_ && collected_)
      kept = filter_senders([&](NodeId v) { return send_[v] != 0; });
    else if (!sir_)
      par::parallel_for(0, senders_.size(), [&](std::size_t k) { send_[senders_[k]] = 0; });
    const std::size_t count = collected_ ? newly_.size() : n_;
    std::vector<std::vector<NodeId>> parts(par::num_blocks(count, kBlock));
    s += par::reduce_blocks(
        count, kBlock, LaneStats{},
        [&](std::size_t b, std::size_t lo, std::size_t hi) {
          LaneCounter newly, spreaders;
          for (std::size_t k = lo; k < hi; ++k) {
            const NodeId w = collected_ ? newly_[k] : static_cast<NodeId>(k);
            Slot& sl = slot_[w];
            const Word x = sl.next;
            if (!x && !sir_) continue;  // plain flood: only the newly informed send
            const Word before = sir_ ? send_[w] : 0;
            if (x) {
              sl.next = 0;
              sl.seen |= x;
              newly.add(x);
              for (std::uint32_t bits = static_cast<std::uint32_t>(r), p = 0; want_ && bits; bits >>= 1, ++p)
                if (bits & 1) planes_[p][w] |= x;
              if (can_send && g_.degree(w) > 0) send_[w] = before | x;
            }
            // Listed: newly sending (a kept sender is listed already), or any sender when all n are scanned.
            const Word now = send_[w];
            if (now && (!collected_ || !before)) {
              spreaders.add(now);
              parts[b].push_back(w);
            }
          }
          LaneStats out;
          newly.flush_into(out.newly);
          spreaders.flush_into(out.spreaders);
          return out;
        },
        [](LaneStats x, const LaneStats& y) { return x += y; });
    std::vector<NodeId> fresh = concat(parts);
    if (kept.empty()) {
      senders_ = std::move(fresh);
    } else {
      s += count_spreaders(kept);
      senders_ = std::move(kept);
      senders_.insert(senders_.end(), fresh.begin(), fresh.end());
    }
  }

  // The senders v with keep(v), in order.
  template <class Keep>
  std::vector<NodeId> filter_senders(Keep&& keep) const {
    std::vector<std::vector<NodeId>> parts(par::num_blocks(senders_.size(), kBlock));
    par::for_blocks(senders_.size(), kBlock, [&](std::size_t b, std::size_t lo, std::size_t hi) {
      for (std::size_t k = lo; k < hi; ++k)
        if (keep(senders_[k])) parts[b].push_back(senders_[k]);
    });
    return concat(parts);
  }

  // Per lane, the nodes of `list` sending in it.
  LaneStats count_spreaders(const std::vector<NodeId>& list) const {
    return par::reduce_blocks(
        list.size(), kBlock, LaneStats{},
        [&](std::size_t, std::size_t lo, std::size_t hi) {
          LaneCounter spreaders;
          for (std::size_t k = lo; k < hi; ++k) spreaders.add(send_[list[k]]);
          LaneStats out;
          spreaders.flush_into(out.spreaders);
          return out;
        },
        [](LaneStats x, const LaneStats& y) { return x += y; });
  }

  // The running lanes that still have an arc from a sender to a node they have not informed.
  Word live_lanes(Word running) const {
    return par::reduce_blocks(
        senders_.size(), kBlock, Word{0},
        [&](std::size_t, std::size_t lo, std::size_t hi) {
          Word live = 0;
          for (std::size_t k = lo; k < hi; ++k) {
            const Word a = send_[senders_[k]] & running;
            if (a) for_arcs(senders_[k], [&](std::uint32_t, NodeId w) { live |= a & ~slot_[w].seen; });
          }
          return live;
        },
        [](Word x, Word y) { return x | y; });
  }

  // Hands the sink each trial's calls in trial order, informed_at rebuilt from the bit planes.
  void replay(Sink& sink, double seconds_per_trial) {
    for (std::uint32_t l = first_lane_; l < first_lane_ + count_; ++l) {
      Lane& lane = lanes_[l];
      const std::uint32_t trial = trial_of(l);
      sink.on_trial_start(trial, lane.sources);
      for (std::size_t r = 0; r < lane.rounds.size(); ++r) sink.on_round(trial, static_cast<Round>(r), lane.rounds[r]);
      TrialSummary sum = summarize_rounds(lane.rounds, n_, trial, lane.truncated);
      sum.wall_seconds = seconds_per_trial;
      sum.steps[static_cast<std::size_t>(StepKind::packed)] = sum.rounds;
      if (!sir_) sum.max_hops = sum.t_last;  // plain flood: hops = informed_at
      std::vector<std::int64_t> informed;
      for (const RoundStats& x : lane.rounds) informed.push_back(x.informed);
      reach_.finish(sum, informed, lane.sources, nullptr, std::nullopt);
      Array<Round> informed_at;
      Array<std::uint16_t> hops;
      if ((want_ >> l) & 1) {
        informed_at = Array<Round>(n_);
        if (spec_.ttl) hops = Array<std::uint16_t>(n_);
        par::parallel_for(0, n_, [&](std::size_t v) {
          Round t = kNever;
          if ((slot_[v].seen >> l) & 1) {
            t = 0;
            for (std::size_t p = 0; p < planes_.size(); ++p) t |= static_cast<Round>((planes_[p][v] >> l) & 1) << p;
          }
          informed_at[v] = t;
          if (!hops.empty()) hops[v] = t == kNever ? kNoHops : static_cast<std::uint16_t>(t);
        });
      }
      sink.on_trial_end(sum, informed_at.span(), hops.span());
      lane.rounds = {};
    }
  }

  const G& g_;
  const ProtocolSpec& spec_;
  std::uint64_t seed_;
  std::uint32_t batch_, first_lane_, count_;
  Word want_;  // lanes whose informed_at the sink wants
  Reach& reach_;
  NodeId n_;
  Thresholds th_;
  bool sir_;
  Array<Slot> slot_;
  Array<Word> send_;
  std::vector<Array<Word>> planes_;
  std::vector<NodeId> senders_, newly_;
  bool collected_ = false;
  std::array<Lane, kLanes> lanes_;
};

}  // namespace

void run_packed_batch(const Graph& g, const ProtocolSpec& spec, std::uint64_t seed, std::uint32_t first,
                      std::uint32_t count, Round max_rounds, Sink& sink, Reach& reach) {
  if (spec.mode != Mode::flood) throw UsageError("run.packed = 'on' requires protocol.mode = 'flood'");
  if (!supports(StepKind::packed, Features::of(spec, {})))
    throw UsageError("run.packed = 'on' cannot run protocol.recovery_prob below 1 with protocol.ttl");
  if (count == 0 || first % kLanes + count > kLanes)
    throw std::invalid_argument("run_packed_batch: trials must lie in one batch of 64");
  Word want = 0;
  for (std::uint32_t k = 0; k < count; ++k)
    if (sink.wants_informed_at(first + k)) want |= Word{1} << ((first + k) % kLanes);
  visit_graph(g, [&](const auto& concrete) {
    PackedFlood flood(concrete, spec, seed, first, count, want, reach);
    flood.run(max_rounds, sink);
  });
}

}  // namespace gossip
