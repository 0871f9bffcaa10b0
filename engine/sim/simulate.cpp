// The round loop: sources at round 0, then steps until the run ends (docs/model.md), choosing a
// sparse or dense step each round, handing every round's counters to the sink. Kernels return
// counters; this driver keeps the running totals and the frontier, and never prints.
#include "sim/simulate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <type_traits>

#include "core/error.hpp"
#include "sim/aggregate.hpp"
#include "sim/posts.hpp"
#include "sim/checkpoint.hpp"
#include "sim/live.hpp"
#include "sim/packed_flood.hpp"
#include "sim/reach.hpp"
#include "sim/round.hpp"
#include "sim/trial_summary.hpp"

namespace gossip {
namespace {

// The sum of f(v) over the nodes of `list`, or over all n nodes without one, in parallel blocks.
template <class F>
std::int64_t sum_nodes(NodeId n, const std::vector<NodeId>* list, F&& f) {
  constexpr std::size_t kBlock = 1 << 16;
  auto sum = [](std::int64_t a, std::int64_t b) { return a + b; };
  if (list)
    return par::reduce_blocks(
        list->size(), kBlock, std::int64_t{0},
        [&](std::size_t, std::size_t lo, std::size_t hi) {
          std::int64_t x = 0;
          for (std::size_t i = lo; i < hi; ++i) x += f((*list)[i]);
          return x;
        },
        sum);
  return par::reduce_blocks(
      n, kBlock, std::int64_t{0},
      [&](std::size_t, std::size_t lo, std::size_t hi) {
        std::int64_t x = 0;
        for (std::size_t v = lo; v < hi; ++v) x += f(static_cast<NodeId>(v));
        return x;
      },
      sum);
}

// Sum of the degrees of the nodes informed in round r (`newly`: a list holding exactly them).
template <class G>
std::int64_t degree_informed_at(const G& g, const RumorState& st, Round r, const std::vector<NodeId>* newly) {
  if (newly) return sum_nodes(g.num_nodes(), newly, [&](NodeId v) { return std::int64_t{g.degree(v)}; });
  return sum_nodes(g.num_nodes(), nullptr,
                   [&](NodeId v) { return st.informed_at[v] == r ? std::int64_t{g.degree(v)} : 0; });
}

// Sum of the degrees of the nodes informed in any round up to r.
template <class G>
std::int64_t degree_informed_by(const G& g, const RumorState& st, Round r) {
  return sum_nodes(g.num_nodes(), nullptr,
                   [&](NodeId v) { return st.informed_at[v] <= r ? std::int64_t{g.degree(v)} : 0; });
}

// Nodes informed in round r that can pass the rumor on (hops < ttl) and have out-neighbours.
// Needed only with a TTL: without one the operators count them as they claim.
template <class G>
std::int64_t count_new_spreaders(const G& g, const RumorState& st, Round r, const std::vector<NodeId>* newly) {
  return sum_nodes(g.num_nodes(), newly,
                   [&](NodeId v) { return std::int64_t{st.when(v) == r && st.hops[v] < st.ttl && g.degree(v) > 0}; });
}

template <class G>
class Trial {
 public:
  // st: a state fresh from its constructor or from reset() (simulate reuses one across trials).
  Trial(const G& g, const ProtocolSpec& spec, const TrialParams& p, RumorState& st, Features f, Reach& reach)
      : g_(g), spec_(spec), p_(p), st_(st), features_(f), tuning_(st.tuning), reach_(reach) {}

  // The summary, or nothing when the sink stopped the trial (after its checkpoint).
  std::optional<TrialSummary> run(Sink& sink, const TrialCheckpoint* from) {
    const auto t0 = std::chrono::steady_clock::now();
    const NodeId n = g_.num_nodes();
    if (from) {
      restore(*from);
    } else {
      sources_ = trial_sources(n, spec_, p_.seed, p_.trial);
      const std::vector<NodeId>& sources = sources_;
      sink.on_trial_start(p_.trial, sources);
      for (NodeId v : sources) st_.claim(v, 0, 0);
      if (st_.faults.on()) st_.faults.start(p_.seed, p_.trial, sources, 0);
      if (st_.delays) st_.in_flight.clear(1);  // round 1's copies are the first sent
      take_reachable();
      cur_.up = up_count();
      cur_.present = present_count();
      if (!st_.hops.empty())
        for (NodeId v : sources) st_.hops[v] = 0;
      cur_.informed = cur_.newly_informed = static_cast<std::int64_t>(sources.size());
      for (NodeId v : sources) cur_.spreaders += st_.ttl ? 0 : g_.degree(v) > 0;
      if (st_.ttl) cur_.spreaders = count_new_spreaders(g_, st_, 0, &sources);
      informed_series_.push_back(cur_.informed);
      sink.on_round(p_.trial, 0, cur_);
      if (st_.faults.on()) st_.faults.advance(1);  // the end test reads round 1's up nodes
      if (bottom_up_ok_) {
        std::vector<NodeId> distinct = sources;
        std::sort(distinct.begin(), distinct.end());
        distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
        sender_arcs_ = degree_informed_at(g_, st_, 0, &distinct);
        uninformed_arcs_ = static_cast<std::int64_t>(g_.num_arcs()) - sender_arcs_;
      }
      // Before round 1 no node has acted: but for pull (whose actors are the uninformed), the
      // sources are the only candidates (a scan of all n nodes was 60 % of a trial's fixed cost).
      const std::vector<NodeId> none;
      plan_round(0, cur_, &sources, spec_.mode == Mode::pull ? nullptr : &none);
      if (boundary(sink, t0)) return std::nullopt;
    }

    bool truncated = false;
    while (!finished(r_, cur_)) {
      if (r_ == p_.max_rounds) {
        truncated = true;
        break;
      }
      ++r_;
      const RoundContext ctx{spec_, tuning_, thresholds_, Rng(p_.seed, p_.trial, static_cast<std::uint32_t>(r_)),
                             p_.seed, p_.trial, r_};
      std::vector<NodeId>& newly = newly_;  // reused: its capacity stays from round to round
      newly.clear();
      const StepChoice step = step_;
      // The list only where the next round may go sparse (plan_round reads it then).
      const std::int64_t list_below = (static_cast<std::int64_t>(n) + tuning_.sparse_divisor - 1) / tuning_.sparse_divisor;
      const StepOutputs out =
          run_step(step.kind, g_, st_, ctx, StepInputs{frontier_, sender_arcs_, uninformed_arcs_, list_below}, newly);
      ++steps_[static_cast<std::size_t>(step.kind)];
      RoundStats s = out.stats;
      // Which nodes the step listed as newly informed: all of them (sparse steps), those of a
      // bottom-up round when few, none (dense steps).
      const bool listed_new = step.listed || step.kind == StepKind::bottom_up;
      if (st_.delays) {  // the copies due this round arrive (before the faults move on)
        s = st_.in_flight.deliver(s, step.listed ? &newly : nullptr,
                                  [&](InFlight::Copy copy, std::vector<NodeId>& part, RoundStats& x) {
                                    arrive(g_, st_, r_, copy, x, [&](NodeId w) { part.push_back(w); });
                                  });
        s.in_flight = st_.in_flight.count();
      }
      if (bottom_up_ok_)
        sender_arcs_ = out.new_degree >= 0 ? out.new_degree
                                           : degree_informed_at(g_, st_, r_, step.listed ? &newly : nullptr);
      uninformed_arcs_ -= sender_arcs_;
      s.informed = cur_.informed + s.newly_informed;
      s.up = up_count();
      s.present = present_count();
      if (st_.faults.on()) st_.faults.advance(r_ + 1);  // the end test reads round r_ + 1's up nodes
      if (st_.ttl) s.spreaders += count_new_spreaders(g_, st_, r_, step.listed ? &newly : nullptr);
      if (spec_.mode != Mode::flood || st_.sir) s.spreaders += cur_.spreaders;  // flood: this round's (SIR: less the recovered)
      cur_ = s;
      messages_ += s.messages;
      requests_ += s.requests;
      informed_series_.push_back(cur_.informed);
      sink.on_round(p_.trial, r_, cur_);
      plan_round(r_, cur_, listed_new ? &newly : nullptr, step.listed ? &frontier_ : nullptr);
      if (boundary(sink, t0)) return std::nullopt;
    }
    TrialSummary sum = summarize_trial(st_, informed_series_, p_.trial, r_, truncated);
    sum.messages = messages_;
    sum.requests = requests_;
    sum.traffic = n ? static_cast<double>(messages_) / n : 0.0;
    sum.wall_seconds = elapsed_ + seconds_since(t0);
    sum.steps = steps_;
    sum.coverage_stop = coverage_stop_;
    reach_.finish(sum, informed_series_, sources_, &st_.faults, reachable_);
    sink.on_trial_end(sum, st_.informed_at.span(), st_.hops.span());
    return sum;
  }

 private:
  // The reachable count before round 1, where run.stop_coverage needs it.
  void take_reachable() {
    if (!reach_.needed_at_start()) return;
    reachable_ = reach_.count(sources_, &st_.faults);
    stop_target_ = reach_.stop_target(*reachable_);
  }

  bool finished(Round r, const RoundStats& cur) {
    if (stop_target_ && cur.informed >= *stop_target_) return coverage_stop_ = true;
    if (!nothing_live(r, cur)) return false;
    // With delays, also no copy in flight may inform (accepted, to an uninformed node); copies
    // that could only be redundant are left undelivered (push never stops sending).
    return !st_.delays || !st_.in_flight.any_of([&](InFlight::Copy c) {
      return ((c >> 48) & 1) != 0 && st_.when(static_cast<NodeId>(c)) == kNever;
    });
  }

  // The end rules of docs/model.md without copies in flight.
  bool nothing_live(Round r, const RoundStats& cur) {
    const bool feedback = spec_.stop == StopRule::feedback_counter || spec_.stop == StopRule::feedback_coin;
    if (spec_.loss >= 1.0 && (feedback || spec_.stop == StopRule::none)) return true;
    if (spec_.stop != StopRule::none) {
      // Spreaders that could never stop (down for good; under a feedback rule, every contact
      // lost for good) are not waited for.
      if (cur.spreaders == 0) return true;
      return st_.faults.on() && (st_.faults.downs_for_good() || (feedback && st_.faults.groups() > 1)) &&
             !has_waiting_spreader(g_, st_, r + 1, feedback, step_.listed ? &frontier_ : nullptr);
    }
    if (st_.faults.on())
      return r >= st_.faults.last_event_round() && !has_live_arc_faults(g_, st_, spec_.mode, r + 1);
    return !has_live_arc(g_, st_, spec_.mode, r + 1, cur.informed, cur.spreaders, step_.listed ? &frontier_ : nullptr);
  }

  // The nodes up in the current round (all, without faults).
  std::int64_t up_count() const { return st_.faults.on() ? st_.faults.up_count() : g_.num_nodes(); }
  std::int64_t present_count() const { return st_.faults.on() ? st_.faults.present_count() : g_.num_nodes(); }

  // The figures the chooser reads after round r.
  RoundFigures figures(const RoundStats& cur) const {
    return {static_cast<std::int64_t>(g_.num_nodes()), static_cast<std::int64_t>(g_.num_arcs()), cur.informed,
            cur.spreaders, sender_arcs_, uninformed_arcs_};
  }

  // Chooses the step of round r + 1 (step.hpp) and, when it lists its actors, the list: the
  // nodes that act in round r + 1 among the previous frontier and the newly informed (or among
  // all nodes).
  void plan_round(Round r, const RoundStats& cur, const std::vector<NodeId>* newly, const std::vector<NodeId>* prev) {
    const std::int64_t n = g_.num_nodes();
    step_ = choose_step(spec_.mode, features_, figures(cur), tuning_);
    if (!step_.listed) return;
    const Round next = r + 1;
    auto acts = [&](NodeId v) {
      switch (spec_.mode) {
        case Mode::pull: return st_.when(v) == kNever && g_.degree(v) > 0;
        case Mode::flood: return g_.degree(v) > 0 && st_.floods(v, next);
        default: return g_.degree(v) > 0 && st_.can_pass(v, next);
      }
    };
    const bool layer = spec_.mode == Mode::flood && !st_.sir;  // the actors are among the newly informed
    // Candidates: the previous frontier (not where the actors are among the newly informed),
    // then the newly informed (not for pull, whose actors are uninformed); else every node.
    // Filtered into a spare list (prev may be frontier_ itself), which then becomes frontier_.
    if (newly && (prev || layer)) {
      const std::vector<NodeId>* before = layer ? nullptr : prev;
      const std::size_t na = before ? before->size() : 0, nb = spec_.mode != Mode::pull ? newly->size() : 0;
      filter_nodes(na + nb, [&](std::size_t i) { return i < na ? (*before)[i] : (*newly)[i - na]; }, acts, spare_);
    } else {
      filter_nodes(static_cast<std::size_t>(n), [](std::size_t i) { return static_cast<NodeId>(i); }, acts, spare_);
    }
    frontier_.swap(spare_);
  }

  static double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }

  // Asks the sink what it wants after round r_; true to stop here.
  bool boundary(Sink& sink, std::chrono::steady_clock::time_point t0) {
    const unsigned want = sink.at_boundary(p_.trial, r_);
    if (want & kWantState) sink.on_state(p_.trial, r_, st_.informed_at.span());
    if (want & (kWantCheckpoint | kStop)) sink.on_checkpoint(checkpoint(elapsed_ + seconds_since(t0)));
    return (want & kStop) != 0;
  }

  TrialCheckpoint checkpoint(double elapsed) const {
    TrialCheckpoint c = checkpoint_head(p_.trial, r_, cur_, messages_, requests_, elapsed, steps_);
    c.sparse = step_.listed;
    c.frontier = frontier_;
    c.informed_series = informed_series_;
    c.views = {st_.informed_at.span(), st_.hops.span(), st_.contacts.span(), st_.stop_count.span()};
    if (st_.delays) c.in_flight = st_.in_flight.snapshot();
    return c;
  }

  template <class T>
  static void copy_into(Array<T>& dst, std::span<const T> src, std::string_view what) {
    if (dst.size() != src.size())
      throw InputError(fmt::format("checkpoint does not fit this run: {} has {} entries, expected {}", what,
                                   src.size(), dst.size()));
    std::copy(src.begin(), src.end(), dst.begin());
  }

  void restore(const TrialCheckpoint& c) {
    if (c.trial != p_.trial || c.informed_series.size() != static_cast<std::size_t>(c.round) + 1)
      throw InputError(fmt::format("checkpoint does not fit this run: trial {} round {}", c.trial, c.round));
    copy_into(st_.informed_at, c.informed_at_of(), "informed_at");
    copy_into(st_.hops, c.hops_of(), "hops");
    copy_into(st_.contacts, c.contacts_of(), "contacts");
    copy_into(st_.stop_count, c.stop_count_of(), "stop_count");
    r_ = c.round;
    cur_ = c.cur;
    for (const auto& [a, copy] : c.in_flight)
      if (static_cast<NodeId>(copy) >= g_.num_nodes())
        throw InputError(fmt::format("checkpoint does not fit this run: a copy in flight to node {}", static_cast<NodeId>(copy)));
    if (st_.delays) st_.in_flight.restore(r_, c.in_flight);
    else if (!c.in_flight.empty()) throw InputError("checkpoint does not fit this run: it holds copies in flight");
    sources_ = trial_sources(g_.num_nodes(), spec_, p_.seed, p_.trial);
    if (st_.faults.on()) st_.faults.start(p_.seed, p_.trial, sources_, r_ + 1);  // as the end test after r_ left it
    take_reachable();
    messages_ = c.messages;
    requests_ = c.requests;
    elapsed_ = c.elapsed_seconds;
    frontier_ = c.frontier;
    informed_series_ = c.informed_series;
    steps_ = c.steps;
    if (bottom_up_ok_ && r_ >= 0) {  // the direction heuristic's arc counts, from the state
      sender_arcs_ = degree_informed_at(g_, st_, r_, nullptr);
      uninformed_arcs_ = static_cast<std::int64_t>(g_.num_arcs()) - degree_informed_by(g_, st_, r_);
    }
    step_ = choose_step(spec_.mode, features_, figures(cur_), tuning_);
    if (step_.listed != c.sparse)
      throw InputError(fmt::format("checkpoint does not fit this run: trial {} round {} was {} a frontier list",
                                   c.trial, c.round, c.sparse ? "with" : "without"));
  }

  const G& g_;
  const ProtocolSpec& spec_;
  TrialParams p_;
  RumorState& st_;
  Round r_ = 0;
  RoundStats cur_;
  std::int64_t messages_ = 0, requests_ = 0;
  double elapsed_ = 0;  // wall seconds before a resume
  std::vector<std::int64_t> informed_series_;
  Features features_;
  Tuning tuning_;
  Thresholds thresholds_ = Thresholds::of(spec_);
  StepChoice step_{StepKind::dense, false};  // the next round's
  std::array<std::int64_t, kStepKinds> steps_{};  // rounds run by each step kind
  std::vector<NodeId> frontier_, spare_, newly_;  // the listed actors; buffers reused by plan_round, run_step
  const bool bottom_up_ok_ = supports(StepKind::bottom_up, features_);
  std::int64_t sender_arcs_ = 0, uninformed_arcs_ = 0;  // flood: arcs of the next senders / of the uninformed
  Reach& reach_;
  std::vector<NodeId> sources_;
  std::optional<std::int64_t> reachable_, stop_target_;  // taken at the start for run.stop_coverage
  bool coverage_stop_ = false;
};

// The packed flood's senders, their per-block parts and their concatenation, and the collected
// newly informed: each at most one entry per node.
constexpr std::uint64_t kPackedListBytesPerNode = 3 * sizeof(NodeId);

// Trials first .. run.trials - 1 one by one in one RumorState (reset between trials: allocating
// it anew cost each short trial its page faults); false when the sink stopped.
bool run_one_by_one(const Graph& g, const ProtocolSpec& spec, const RunParams& run, Sink& sink,
                    const TrialCheckpoint* from, std::uint64_t first, Reach& reach) {
  return visit_graph(g, [&](const auto& concrete) {
    const Features f = Features::of(spec, GraphCaps::of(concrete));
    RumorState st(concrete.num_nodes(), spec, f, run.tuning);
    for (std::uint64_t i = first; i < run.trials; ++i) {
      if (i != first) st.reset();
      const TrialParams params{run.seed, static_cast<std::uint32_t>(run.trial_offset + i), run.max_rounds};
      Trial trial(concrete, spec, params, st, f, reach);
      if (!trial.run(sink, i == first ? from : nullptr)) return false;
    }
    return true;
  });
}

// A boundary between packed batches: the sink may stop before trial `next` starts (round -1).
bool stop_before(Sink& sink, std::uint32_t next) {
  const unsigned want = sink.at_boundary(next, -1);
  if (!(want & (kWantCheckpoint | kStop))) return false;
  TrialCheckpoint c;
  c.trial = next;
  c.round = -1;
  sink.on_checkpoint(c);
  return (want & kStop) != 0;
}

// faults.delay = edge reads the arcs' latencies: a graph without them, or with one above the
// longest delay (kMaxDelay), is a usage error.
void check_delays(const Graph& g, const ProtocolSpec& spec) {
  if (spec.faults.delay.kind != DelaySpec::edge) return;
  const std::optional<Latency> longest = visit_graph(g, [](const auto& x) -> std::optional<Latency> {
    if constexpr (requires { x.has_latencies(); }) {
      if (!x.has_latencies()) return std::nullopt;
      const std::span<const Latency> l = x.latencies();
      return par::reduce_blocks(
          l.size(), 1 << 20, Latency{0},
          [&](std::size_t, std::size_t lo, std::size_t hi) { return *std::max_element(l.begin() + lo, l.begin() + hi); },
          [](Latency a, Latency b) { return std::max(a, b); });
    }
    return std::nullopt;
  });
  if (!longest)
    throw UsageError("faults.delay = 'edge' needs a graph with arc latencies (graph.latency = 'column:K' of an edge "
                     "list, or Matrix Market values); this graph has none");
  if (*longest > static_cast<Latency>(kMaxDelay))
    throw UsageError(fmt::format("faults.delay = 'edge': the graph has a latency of {} rounds, above the longest "
                                 "delay a copy may take ({})", *longest, kMaxDelay));
}

}  // namespace

Features run_features(const Graph& g, const ProtocolSpec& spec) {
  return visit_graph(g, [&](const auto& x) { return Features::of(spec, GraphCaps::of(x)); });
}

RunPlan plan_run(const Graph& g, const ProtocolSpec& spec, const RunParams& run) {
  const NodeId n = visit_graph(g, [](const auto& x) { return x.num_nodes(); });
  Features f = run_features(g, spec);
  if (run.stop_coverage < 1.0) f.bits |= kStopCoverage;
  return plan_run(f, run.packing, run.trials, n, kPackedBytesPerNode + kPackedListBytesPerNode, run.available_bytes,
                  run.tuning);
}

namespace {

// P(d >= k), k >= 1, for a delay drawn as docs/model.md ("Delays") says (not `edge`).
double delay_tail(const DelaySpec& d, Round k) {
  switch (d.kind) {
    case DelaySpec::none: return 0.0;
    case DelaySpec::fixed: return d.a >= k ? 1.0 : 0.0;
    case DelaySpec::uniform:
      if (k <= d.a) return 1.0;
      return k > d.b ? 0.0 : (d.b - k + 1.0) / (d.b - d.a + 1.0);
    case DelaySpec::geometric: return d.a >= 1.0 ? 0.0 : std::pow(1.0 - d.a, static_cast<double>(k));  // U <= (1 - Q)^k
    case DelaySpec::lognormal:  // floor(M e^(S Z) + 1/2) >= k: Z >= ln((k - 1/2) / M) / S
      if (d.b <= 0.0) return std::floor(d.a + 0.5) >= k ? 1.0 : 0.0;
      return 0.5 * std::erfc(std::log((k - 0.5) / d.a) / d.b / std::sqrt(2.0));
    case DelaySpec::edge: return 1.0;
  }
  return 1.0;
}

// At most `copies` independent copies, each with probability q: a bound exceeded with probability
// below e^-69 < 1e-30 (Bernstein: t = 12 sqrt(mean) + 50 above the mean).
std::uint64_t at_most(std::uint64_t copies, double q) {
  if (q >= 1.0) return copies;
  if (!(q > 0.0)) return 0;
  const double mean = static_cast<double>(copies) * q;
  return std::min(copies, static_cast<std::uint64_t>(std::ceil(mean + 12.0 * std::sqrt(mean) + 50.0)));
}

}  // namespace

WaitingCopies flood_waiting_copies(const Graph& g, const DelaySpec& d) {
  const Round slots = static_cast<Round>(InFlight::slots_for(max_delay(d, kMaxDelay), mean_delay(d, 4.0)));
  return visit_graph(g, [&](const auto& x) {
    const std::uint64_t arcs = x.num_arcs();
    if constexpr (requires { x.has_latencies(); }) {
      if (d.kind == DelaySpec::edge && x.has_latencies()) {
        WaitingCopies w;
        for (const Latency l : x.latencies()) {
          w.ring += l >= 1;
          w.far += l >= static_cast<Latency>(slots);
        }
        return w;
      }
    }
    return WaitingCopies{at_most(arcs, delay_tail(d, 1)), at_most(arcs, delay_tail(d, slots))};
  });
}

MemoryPlan run_memory(const Graph& g, const ProtocolSpec& spec, const RunParams& run, const RunPlan& plan,
                      int workers, bool node_rows, bool checkpoints) {
  return visit_graph(g, [&](const auto& x) {
    MemoryPlan m;
    const std::uint64_t n = x.num_nodes(), id = sizeof(NodeId);
    if (plan.aggregate == StepKind::posts) {
      posts_memory(m, g, spec, run, workers, checkpoints);
      return m;
    }
    if (plan.aggregate) {
      m.add("aggregate_state", "the aggregation state", aggregate_bytes(static_cast<NodeId>(n), spec));
      return m;
    }
    m.add("reach", "the reachable set (components or a search)", Reach::bytes(x));
    if (plan.packed) {
      m.add("packed_state", "the packed flood state (run.packed)", kPackedBytesPerNode * n);
      m.add("packed_lists", "the packed flood's node lists", kPackedListBytesPerNode * n);
      if (node_rows) {
        const auto last = static_cast<std::uint64_t>(std::max<Round>(run.max_rounds, 1));
        const unsigned planes = std::min<unsigned>(kPackedPlanesPlanned, std::bit_width(std::min(last, n)));
        m.add("packed_planes", "informed_at bit planes and rows for the output (output.node_trials)",
              8 * planes * n + (sizeof(Round) + (spec.ttl ? 2 : 0)) * n);
      }
      return m;
    }
    const Features f = Features::of(spec, GraphCaps::of(x));
    m.add("state", "the per-node state", RumorState::bytes(static_cast<NodeId>(n), spec, f, run.tuning));
    // The in-cache fused push keeps a bitmap per worker (sweep_complete_near).
    const bool near = supports(StepKind::complete_near, f) && bitmap_in_cache(static_cast<NodeId>(n), run.tuning);
    if (near)
      m.add("worker_bitmaps", "a bitmap per worker (threads)",
            std::uint64_t{8} * RumorState::bit_words(static_cast<NodeId>(n)) * static_cast<std::uint64_t>(workers));
    // A sparse round lists fewer than n / sparse_divisor actors (the frontier, the list being
    // filtered into and its per-block parts; n / sparse_divisor_fused for the complete graph's
    // fused push); the nodes it informs are at most its actors times what one actor can inform
    // (its pushes, and a pull; flood: twice the mean degree, an estimate).
    const StepKind dense = dense_step(f, static_cast<NodeId>(n), run.tuning);
    const bool fused = dense == StepKind::complete_near || dense == StepKind::complete_far;
    const auto divisor = static_cast<std::uint64_t>(
        std::max<std::int64_t>(1, fused ? run.tuning.sparse_divisor_fused : run.tuning.sparse_divisor));
    const std::uint64_t actors = std::min(n, (n + divisor - 1) / divisor);
    const std::uint64_t per_actor =
        spec.mode == Mode::flood       ? std::max<std::uint64_t>(1, 2 * x.num_arcs() / std::max<std::uint64_t>(1, n))
        : spec.mode == Mode::push_pull ? spec.fanout + 1
        : spec.mode == Mode::pull      ? 1
                                       : spec.fanout;
    const std::uint64_t informs = std::min(n, actors * per_actor);
    m.add("lists", "the sparse rounds' node lists", id * (3 * actors + 2 * informs));
    if (supports(StepKind::binned, f)) {
      // A chunk of at most bin_chunk_copies copies (8 B in the blocks' bins, 8 B staged: a bound
      // where no block holds more than its share), the nodes each range's delivery informed, and
      // per block of the chunk a start per range.
      const std::uint64_t copies = std::min<std::uint64_t>(run.tuning.bin_chunk_copies, std::max<std::uint64_t>(informs, 1));
      binned::Bins sized;
      sized.size_for(static_cast<NodeId>(n), run.tuning.bin_min_shift, run.tuning.bin_max_ranges);
      const binned::Layout cut =
          binned::layout(sized.ranges, binned::copies_per_actor(spec.mode, spec.fanout, n, x.num_arcs()), run.tuning);
      const std::uint64_t blocks = (std::min<std::uint64_t>(cut.chunk, actors) + cut.block - 1) / cut.block;
      m.add("bins", "the binned rounds' bins",
            (16 + id) * copies + (4 * (sized.ranges + 1) + sizeof(std::vector<std::uint64_t>)) * blocks +
                sizeof(std::vector<NodeId>) * sized.ranges);
    }
    // Copies in flight (faults.delay). Plain flood, a bound (docs/engine.md, "Memory"): the
    // trial's copies with a delay (flood_waiting_copies), 8 bytes each in the wheel and twice for
    // its buckets' doubling (a bucket keeps its capacity through a trial), those that can wait in
    // the far list first 16 bytes there, twice, and a bucket header per worker slot and wheel
    // slot. The other modes, an estimate: with recovery a node floods every round it is
    // infectious, the others send up to fanout copies a node a round, each held for its delay
    // (the mean, at most the longest).
    std::uint64_t in_flight = 0;
    if (f.has(kDelays)) {
      const DelaySpec& d = spec.faults.delay;
      if (spec.mode == Mode::flood && !f.has(kRecovery)) {
        const WaitingCopies w = flood_waiting_copies(g, d);
        const std::uint64_t slots = InFlight::slots_for(max_delay(d, kMaxDelay), mean_delay(d, 4.0));
        in_flight = w.ring;
        m.add("in_flight", "copies in flight (faults.delay)",
              16 * w.ring + 2 * sizeof(std::pair<Round, InFlight::Copy>) * w.far +
                  sizeof(std::vector<InFlight::Copy>) * slots * static_cast<std::uint64_t>(std::max(workers, 1)));
      } else {
        const double held = std::min<double>(mean_delay(d, 4.0), max_delay(d, kMaxDelay)) + 1;
        const double per_round = spec.mode == Mode::flood ? static_cast<double>(x.num_arcs()) : static_cast<double>(n) * spec.fanout;
        in_flight = static_cast<std::uint64_t>(std::min(per_round * held, 4.0 * static_cast<double>(x.num_arcs()) + n));
        m.add("in_flight", "copies in flight (faults.delay), an estimate", 16 * in_flight);
      }
    }
    // Taken at a round boundary (a stop, --checkpoint-every), written and freed: a copy of the
    // frontier and of the copies in flight (the per-node arrays are written from the state itself).
    if (checkpoints) m.add("checkpoint", "a checkpoint's copy of the frontier (-o)", id * actors + 12 * in_flight, true);
    return m;
  });
}

TrialSummary run_trial(const Graph& g, const ProtocolSpec& spec, const TrialParams& params, Sink& sink,
                       const Tuning& tuning) {
  check_delays(g, spec);
  auto s = visit_graph(g, [&](const auto& concrete) {
    const Features f = Features::of(spec, GraphCaps::of(concrete));
    RumorState st(concrete.num_nodes(), spec, f, tuning);
    Reach reach(g, spec, 1.0);
    return Trial(concrete, spec, params, st, f, reach).run(sink, nullptr);
  });
  if (!s) throw std::logic_error("run_trial: a sink asked to stop; stopping needs simulate()");
  return *s;
}

bool simulate(const Graph& g, const ProtocolSpec& spec, const RunParams& run, Sink& sink, const TrialCheckpoint* from) {
  std::uint64_t first = 0;
  if (from) {
    if (from->trial < run.trial_offset || from->trial - run.trial_offset >= run.trials)
      throw InputError(fmt::format("checkpoint of trial {} is outside this run's trials {} .. {}", from->trial,
                                   run.trial_offset, run.trial_offset + run.trials - 1));
    first = from->trial - run.trial_offset;
    if (from->round < 0) from = nullptr;  // taken before the trial started
  }
  check_delays(g, spec);
  const RunPlan plan = plan_run(g, spec, run);
  if (plan.aggregate == StepKind::posts) return run_posts(g, spec, run, sink, from, first);
  if (plan.aggregate) return run_aggregate(g, spec, run, *plan.aggregate, sink, from, first);
  if (from && plan.packed) throw InputError("a checkpoint inside a trial cannot resume a packed flood run");
  Reach reach(g, spec, run.stop_coverage);
  if (!plan.packed) return run_one_by_one(g, spec, run, sink, from, first, reach);
  for (std::uint64_t i = first; i < run.trials;) {
    const auto t = static_cast<std::uint32_t>(run.trial_offset + i);
    const auto count = static_cast<std::uint32_t>(std::min<std::uint64_t>(run.trials - i, kLanes - t % kLanes));
    run_packed_batch(g, spec, run.seed, t, count, run.max_rounds, sink, reach);
    i += count;
    if (i < run.trials && stop_before(sink, static_cast<std::uint32_t>(run.trial_offset + i))) return false;
  }
  return true;
}

}  // namespace gossip
