// The round loop: sources at round 0, then steps until the run ends (docs/model.md), choosing a
// sparse or dense step each round, handing every round's counters to the sink. Kernels return
// counters; this driver keeps the running totals and the frontier, and never prints.
#include "sim/simulate.hpp"

#include <algorithm>
#include <chrono>
#include <algorithm>
#include <cmath>
#include <type_traits>

#include "core/error.hpp"
#include "sim/bottom_up.hpp"
#include "sim/live.hpp"
#include "sim/packed_flood.hpp"
#include "sim/round.hpp"
#include "sim/trial_summary.hpp"

namespace gossip {
namespace {

constexpr std::int64_t kSparseDivisor = 20;  // sparse when fewer than n / 20 nodes may act
// Flood goes bottom-up (bottom_up.hpp) while the senders' arcs exceed 1 / kBottomUpArcs of the
// uninformed nodes' arcs and more than n / kBottomUpNodes nodes send (Beamer et al.'s alpha, beta).
constexpr std::int64_t kBottomUpArcs = 15;
constexpr std::int64_t kBottomUpNodes = 18;

// Sum of the degrees of the nodes informed in round r.
template <class G>
std::int64_t degree_informed_at(const G& g, const RumorState& st, Round r, const std::vector<NodeId>* newly) {
  if (newly) {
    std::int64_t d = 0;
    for (NodeId v : *newly) d += g.degree(v);
    return d;
  }
  return par::reduce_blocks(
      g.num_nodes(), 1 << 16, std::int64_t{0},
      [&](std::size_t, std::size_t lo, std::size_t hi) {
        std::int64_t d = 0;
        for (std::size_t v = lo; v < hi; ++v)
          if (st.informed_at[v] == r) d += g.degree(static_cast<NodeId>(v));
        return d;
      },
      [](std::int64_t a, std::int64_t b) { return a + b; });
}

// Nodes informed in round r that can pass the rumor on (hops < ttl) and have out-neighbours.
// Needed only with a TTL: without one the operators count them as they claim.
template <class G>
std::int64_t count_new_spreaders(const G& g, const RumorState& st, Round r, const std::vector<NodeId>* newly) {
  const NodeId n = g.num_nodes();
  auto counts = [&](NodeId v) { return st.when(v) == r && st.hops[v] < st.ttl && g.degree(v) > 0; };
  if (newly) {
    std::int64_t c = 0;
    for (NodeId v : *newly) c += counts(v);
    return c;
  }
  return par::reduce_blocks(
      n, 1 << 16, std::int64_t{0},
      [&](std::size_t, std::size_t lo, std::size_t hi) {
        std::int64_t c = 0;
        for (std::size_t v = lo; v < hi; ++v) c += counts(static_cast<NodeId>(v));
        return c;
      },
      [](std::int64_t a, std::int64_t b) { return a + b; });
}

template <class G>
class Trial {
 public:
  Trial(const G& g, const ProtocolSpec& spec, const TrialParams& p) : g_(g), spec_(spec), p_(p), st_(g.num_nodes(), spec) {}

  TrialSummary run(Sink& sink) {
    const auto t0 = std::chrono::steady_clock::now();
    const NodeId n = g_.num_nodes();
    const std::vector<NodeId> sources = trial_sources(n, spec_, p_.seed, p_.trial);
    sink.on_trial_start(p_.trial, sources);
    for (NodeId v : sources) st_.claim(v, 0, 0);
    if (!st_.hops.empty())
      for (NodeId v : sources) st_.hops[v] = 0;
    RoundStats cur;
    cur.informed = cur.newly_informed = static_cast<std::int64_t>(sources.size());
    for (NodeId v : sources) cur.spreaders += st_.ttl ? 0 : g_.degree(v) > 0;
    if (st_.ttl) cur.spreaders = count_new_spreaders(g_, st_, 0, &sources);
    std::vector<std::int64_t> informed_series{cur.informed};
    sink.on_round(p_.trial, 0, cur);
    if (bottom_up_ok_) {
      std::vector<NodeId> distinct = sources;
      std::sort(distinct.begin(), distinct.end());
      distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
      sender_arcs_ = degree_informed_at(g_, st_, 0, &distinct);
      uninformed_arcs_ = static_cast<std::int64_t>(g_.num_arcs()) - sender_arcs_;
    }
    plan_frontier(0, cur, &sources, nullptr);

    Round r = 0;
    bool truncated = false;
    std::int64_t messages = 0, requests = 0;
    while (!finished(r, cur)) {
      if (r == p_.max_rounds) {
        truncated = true;
        break;
      }
      ++r;
      const RoundContext ctx{spec_, thresholds_, Rng(p_.seed, p_.trial, static_cast<std::uint32_t>(r)),
                             p_.seed, p_.trial, r};
      std::vector<NodeId> newly;
      const bool sparse = sparse_;
      const bool bottom_up = bottom_up_ok_ && sender_arcs_ * kBottomUpArcs > uninformed_arcs_ &&
                             cur.spreaders * kBottomUpNodes > static_cast<std::int64_t>(n);
      RoundStats s;
      if constexpr (std::is_same_v<G, CsrGraph>) {
        if (bottom_up) {
          if (bits_.empty()) bits_ = Array<std::uint64_t>((std::size_t{n} + 63) / 64);
          const BottomUpResult b = step_bottom_up(g_, st_, ctx, bits_, newly);
          s = b.stats;
          sender_arcs_ = b.new_degree;
        }
      }
      if (!bottom_up) {
        s = sparse ? step_sparse(g_, st_, ctx, frontier_, newly) : step_dense(g_, st_, ctx);
        if (bottom_up_ok_) sender_arcs_ = degree_informed_at(g_, st_, r, sparse ? &newly : nullptr);
      }
      uninformed_arcs_ -= sender_arcs_;
      s.informed = cur.informed + s.newly_informed;
      if (st_.ttl) s.spreaders += count_new_spreaders(g_, st_, r, sparse ? &newly : nullptr);
      if (spec_.mode != Mode::flood) s.spreaders += cur.spreaders;  // flood: only this round's
      cur = s;
      messages += s.messages;
      requests += s.requests;
      informed_series.push_back(cur.informed);
      sink.on_round(p_.trial, r, cur);
      plan_frontier(r, cur, sparse || bottom_up ? &newly : nullptr, sparse ? &frontier_ : nullptr);
    }
    TrialSummary sum = summarize_trial(st_, informed_series, p_.trial, r, truncated);
    sum.messages = messages;
    sum.requests = requests;
    sum.traffic = n ? static_cast<double>(messages) / n : 0.0;
    sum.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    sink.on_trial_end(sum, st_.informed_at.span(), st_.hops.span());
    return sum;
  }

 private:
  bool finished(Round r, const RoundStats& cur) const {
    const bool feedback = spec_.stop == StopRule::feedback_counter || spec_.stop == StopRule::feedback_coin;
    if (spec_.loss >= 1.0 && (feedback || spec_.stop == StopRule::none)) return true;
    if (spec_.stop != StopRule::none) return cur.spreaders == 0;
    return !has_live_arc(g_, st_, spec_.mode, r + 1, cur.informed, cur.spreaders, sparse_ ? &frontier_ : nullptr);
  }

  // Chooses the direction of round r + 1 and, when sparse, its frontier: the nodes that act
  // in round r + 1 among the previous frontier and the newly informed (or among all nodes).
  void plan_frontier(Round r, const RoundStats& cur, const std::vector<NodeId>* newly, const std::vector<NodeId>* prev) {
    const std::int64_t n = g_.num_nodes();
    std::int64_t actors = n;
    switch (spec_.mode) {
      case Mode::push: case Mode::flood: actors = cur.spreaders; break;
      case Mode::pull: actors = n - cur.informed; break;
      case Mode::push_pull: actors = n; break;
    }
    sparse_ = actors * kSparseDivisor < n;
    if (!sparse_) return;
    const Round next = r + 1;
    auto acts = [&](NodeId v) {
      switch (spec_.mode) {
        case Mode::pull: return st_.when(v) == kNever && g_.degree(v) > 0;
        case Mode::flood: return st_.when(v) == r && st_.can_pass(v, next);
        default: return g_.degree(v) > 0 && st_.can_pass(v, next);
      }
    };
    if (newly && (prev || spec_.mode == Mode::flood)) {
      std::vector<NodeId> candidates;
      if (spec_.mode != Mode::flood) candidates = *prev;
      if (spec_.mode != Mode::pull) candidates.insert(candidates.end(), newly->begin(), newly->end());
      frontier_ = filter_nodes(candidates.size(), [&](std::size_t i) { return candidates[i]; }, acts);
    } else {
      frontier_ = filter_nodes(static_cast<std::size_t>(n), [](std::size_t i) { return static_cast<NodeId>(i); }, acts);
    }
  }

  const G& g_;
  const ProtocolSpec& spec_;
  TrialParams p_;
  RumorState st_;
  Thresholds thresholds_ = Thresholds::of(spec_);
  bool sparse_ = false;
  std::vector<NodeId> frontier_;
  const bool bottom_up_ok_ = bottom_up_eligible(g_, spec_, thresholds_);
  std::int64_t sender_arcs_ = 0, uninformed_arcs_ = 0;  // flood: arcs of the next senders / of the uninformed
  Array<std::uint64_t> bits_;                            // bottom-up: the senders, one bit per node
};

}  // namespace

TrialSummary run_trial(const Graph& g, const ProtocolSpec& spec, const TrialParams& params, Sink& sink) {
  return visit_graph(g, [&](const auto& concrete) {
    Trial trial(concrete, spec, params);
    return trial.run(sink);
  });
}

void simulate(const Graph& g, const ProtocolSpec& spec, const RunParams& run, Sink& sink) {
  for (std::uint64_t i = 0; i < run.trials;) {
    const auto t = static_cast<std::uint32_t>(run.trial_offset + i);
    if (!run.packed) {
      run_trial(g, spec, TrialParams{run.seed, t, run.max_rounds}, sink);
      ++i;
      continue;
    }
    const auto count = static_cast<std::uint32_t>(std::min<std::uint64_t>(run.trials - i, kLanes - t % kLanes));
    run_packed_batch(g, spec, run.seed, t, count, run.max_rounds, sink);
    i += count;
  }
}

}  // namespace gossip
