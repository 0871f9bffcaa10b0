// The configuration key table and the messages about keys: unknown keys with the nearest valid
// one (Levenshtein over the full dotted name), and out-of-range values naming the valid range.
// Invariant: every range here fits the field's C++ type, so a value that passes range_error can
// be stored without narrowing.
#include "config/config_keys.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <limits>

#include "core/threads.hpp"

namespace gossip::config_keys {
namespace {

constexpr std::uint64_t kU32 = std::numeric_limits<std::uint32_t>::max();
constexpr std::uint64_t kU64 = std::numeric_limits<std::uint64_t>::max();
constexpr std::uint64_t kTrialLimit = std::uint64_t{1} << 31;  // a trial index is a 31-bit stream

const KeyDef kKeys[] = {
    {"graph.source",
     "A generator spec (family:key=value,...) or a graph file; a relative path in a config file is relative to that file's folder.",
     Kind::text, [](SimConfig& c) -> Field { return &c.graph.source; }},
    {"graph.seed",
     "The generator's seed: the same spec and seed give the same graph for any thread count.",
     Kind::integer, [](SimConfig& c) -> Field { return &c.graph.seed; }, 0, kU64},
    {"graph.keep_self_loops",
     "Keep self loops instead of dropping and counting them.",
     Kind::flag, [](SimConfig& c) -> Field { return &c.graph.keep_self_loops; }},
    {"graph.keep_duplicates",
     "Keep duplicate edges instead of removing and counting them.",
     Kind::flag, [](SimConfig& c) -> Field { return &c.graph.keep_duplicates; }},
    {"graph.format",
     "How a graph file is read; auto reads the extension, looking through a trailing .gz.",
     Kind::text, [](SimConfig& c) -> Field { return &c.graph.format; }},
    {"graph.directed",
     "Keep a file's edges as arcs instead of symmetrizing them.",
     Kind::flag, [](SimConfig& c) -> Field { return &c.graph.directed; }},
    {"graph.one_based",
     "Edge-list ids 1..n are nodes 0..n-1 (Matrix Market and METIS are always 1-based).",
     Kind::flag, [](SimConfig& c) -> Field { return &c.graph.one_based; }},
    {"graph.skip_lines",
     "Lines skipped at the start of a text graph file (header rows without a comment mark).",
     Kind::integer, [](SimConfig& c) -> Field { return &c.graph.skip_lines; }, 0, kU64},
    // Per-node and per-arc data read from files (docs/graphs.md, "Latencies and node files").
    {"graph.latency",
     "Per-arc latencies in rounds: none, or column:K, column K (>= 3) of an edge list or the values of a Matrix Market file.",
     Kind::text, [](SimConfig& c) -> Field { return &c.graph.latency; }},
    {"graph.node_file",
     "A node file: a header naming columns, then one row per node id (\"\": none); read by network.join and partitions \"file:COLUMN\".",
     Kind::text, [](SimConfig& c) -> Field { return &c.graph.node_file; }},
    {"protocol.mode",
     "Who sends to whom each round: informed nodes push, uninformed nodes pull, both, or flood to every neighbour.",
     Kind::mode, [](SimConfig& c) -> Field { return &c.protocol.mode; }},
    {"protocol.fanout",
     "Random contacts a node makes per round (push, pull, push-pull).",
     Kind::integer, [](SimConfig& c) -> Field { return &c.protocol.fanout; }, 1, kU32},
    {"protocol.no_repeat",
     "A node tries every neighbour once before any twice (a random permutation per node).",
     Kind::flag, [](SimConfig& c) -> Field { return &c.protocol.no_repeat; }},
    {"protocol.forward_prob",
     "The probability that a copy that arrives is accepted.",
     Kind::real, [](SimConfig& c) -> Field { return &c.protocol.forward_prob; }, 0, 0, 0.0,
     1.0, true},
    {"protocol.ttl",
     "The hop limit: a node whose copy came over ttl hops stops sending (0: no limit).",
     Kind::integer, [](SimConfig& c) -> Field { return &c.protocol.ttl; }, 0, 65535},
    {"protocol.stop",
     "The rule by which a push spreader loses interest (Demers et al. 1987; push only).",
     Kind::stop, [](SimConfig& c) -> Field { return &c.protocol.stop; }},
    {"protocol.k",
     "The stop rule's parameter: the counter limit, or a coin that stops with probability 1/k.",
     Kind::integer, [](SimConfig& c) -> Field { return &c.protocol.k; }, 1, kU32},
    {"protocol.sources",
     "Random source nodes drawn per trial (when protocol.source_nodes is empty).",
     Kind::integer, [](SimConfig& c) -> Field { return &c.protocol.sources; }, 1, kMaxNodes},
    {"protocol.source_nodes",
     "Explicit source nodes, the same in every trial (empty: draw protocol.sources).",
     Kind::nodes, [](SimConfig& c) -> Field { return &c.protocol.source_nodes; }, 0,
     kMaxNodes - 1},
    {"protocol.recovery_prob",
     "Flood with recovery (SIR): a sending node recovers with this probability after each round (1: plain flood).",
     Kind::real, [](SimConfig& c) -> Field { return &c.protocol.recovery_prob; }, 0, 0,
     0.0, 1.0, true},
    {"faults.loss",
     "The probability that a copy or request is lost on the way.",
     Kind::real, [](SimConfig& c) -> Field { return &c.protocol.loss; }, 0, 0, 0.0, 1.0, false},
    {"faults.crashed",
     "The probability that a node other than a source is down for the whole trial.",
     Kind::real, [](SimConfig& c) -> Field { return &c.protocol.faults.crashed; }, 0, 0, 0.0, 1.0,
     false},
    {"faults.churn",
     "Up and down periods per node: none, bernoulli:fail=A,recover=B or sessions:up=DIST,down=DIST (docs/model.md).",
     Kind::churn, [](SimConfig& c) -> Field { return &c.protocol.faults.churn; }},
    {"faults.churn_fraction",
     "The fraction of nodes that churn; the others stay up.",
     Kind::real, [](SimConfig& c) -> Field { return &c.protocol.faults.churn.fraction; }, 0,
     0, 0.0, 1.0, false},
    {"faults.delay",
     "Rounds a copy takes to arrive: none, fixed:D, uniform:min=A,max=B, geometric:p=Q, lognormal:median=M,sigma=S or edge (the graph's arc latencies; docs/model.md).",
     Kind::delay, [](SimConfig& c) -> Field { return &c.protocol.faults.delay; }},
    {"network.join",
     "A growing network: none, linear:per_round=R[,start=S] (nodes 0 .. S-1 present at round 0, then R more a round, in id order), or file:COLUMN (each node's round from graph.node_file).",
     Kind::join, [](SimConfig& c) -> Field { return &c.protocol.faults.join; }},
    {"aggregate.init",
     "Aggregation: the initial values, uniform:a,b, normal:mu,sigma, peak (one random node 1, the others 0) or file:COLUMN (each node's value from graph.node_file).",
     Kind::text, [](SimConfig& c) -> Field { return &c.protocol.aggregate.init; }},
    {"aggregate.target",
     "Aggregation: what the estimates approach, average, sum (push-sum) or count (with init peak).",
     Kind::text, [](SimConfig& c) -> Field { return &c.protocol.aggregate.target; }},
    {"aggregate.eps",
     "Aggregation: a trial ends after the first round in which every estimate is within this relative error.",
     Kind::real, [](SimConfig& c) -> Field { return &c.protocol.aggregate.eps; }, 0, 0, 0.0, 1.0, true},
    // The social scenario: users, posts (docs/usage.md, "Posts: a social scenario").
    {"posts.users",
     "users.csv (columns id, name; every node of the graph a user, once): the names users see (\"\": none, a user's name is its id).",
     Kind::text, [](SimConfig& c) -> Field { return &c.posts.users; }},
    {"posts.file",
     "posts.csv (columns author, created, text and an optional id): the posts of a posts run (\"\": none).",
     Kind::text, [](SimConfig& c) -> Field { return &c.posts.file; }},
    {"posts.count",
     "Generated posts from random authors (0: none; exclusive with posts.file): post k is created in round floor(k / posts.rate).",
     Kind::integer, [](SimConfig& c) -> Field { return &c.posts.count; }, 0, std::uint64_t{kMaxPostId} + 1},
    {"posts.rate",
     "Generated posts created per round.",
     Kind::real, [](SimConfig& c) -> Field { return &c.posts.rate; }, 0, 0, 0.0, 1e9, true},
    {"posts.lifetime",
     "Rounds a post spreads and stays on timelines after it is created (0: forever).",
     Kind::integer, [](SimConfig& c) -> Field { return &c.posts.lifetime; }, 0, std::uint64_t{kNever} - 1},
    {"run.seed",
     "The root of every random draw of the simulation.",
     Kind::integer, [](SimConfig& c) -> Field { return &c.run.seed; }, 0, kU64},
    {"run.trials",
     "The number of Monte-Carlo trials.",
     Kind::integer, [](SimConfig& c) -> Field { return &c.run.trials; }, 1, kTrialLimit - 1},
    {"run.trial_offset",
     "The global index of the first trial, so job-array tasks split one experiment.",
     Kind::integer, [](SimConfig& c) -> Field { return &c.run.trial_offset; }, 0,
     kTrialLimit - 1},
    {"run.max_rounds",
     "A trial that has not ended by this round is cut there (and counted as truncated).",
     Kind::integer, [](SimConfig& c) -> Field { return &c.run.max_rounds; }, 1,
     std::uint64_t{kNever} - 1},
    {"run.stop_coverage",
     "End a trial once this fraction of its reachable nodes is informed (1: off).",
     Kind::real, [](SimConfig& c) -> Field { return &c.run.stop_coverage; }, 0, 0, 0.0, 1.0,
     true},
    {"run.packed",
     "Run flood trials 64 per pass: auto when it pays, on, or off.",
     Kind::text, [](SimConfig& c) -> Field { return &c.run.packed; }},
    {"run.threads",
     "Worker threads; unset or 0: OMP_NUM_THREADS, SLURM_CPUS_PER_TASK, then the CPU affinity mask.",
     Kind::integer, [](SimConfig& c) -> Field { return &c.run.threads; }, 0, kMaxThreads},
    {"output.node_trials",
     "Write /nodes/informed_at for the first K trials (0: none); aggregation: the trials whose estimates are snapshot.",
     Kind::integer, [](SimConfig& c) -> Field { return &c.output.node_trials; }, 0,
     kTrialLimit - 1},
    {"output.every",
     "Write coverage snapshots (aggregation: the estimates) every this many rounds (0: none).",
     Kind::integer, [](SimConfig& c) -> Field { return &c.output.every; }, 0,
     std::uint64_t{kNever} - 1},
    {"output.flush_seconds",
     "Flush the HDF5 file at least this often, in seconds.",
     Kind::real, [](SimConfig& c) -> Field { return &c.output.flush_seconds; }, 0, 0, 0.0,
     86400.0, true},
    {"output.file_locking",
     "Use HDF5 file locks (false for Lustre/NFS mounts that reject them).",
     Kind::flag, [](SimConfig& c) -> Field { return &c.output.file_locking; }},
    {"output.arrivals",
     "Posts: write every user's arrival round of every post, auto (when users x posts <= 2^24), on or off.",
     Kind::text, [](SimConfig& c) -> Field { return &c.output.arrivals; }},
};

std::size_t levenshtein(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string_view tail(std::string_view key) { return key.substr(key.find('.') + 1); }

// The candidate nearest to `name`, when it is close: within a third of the length of the
// candidate's last part and not all of it (so "protocol.zzz" and "protocol.x" suggest nothing,
// "protocol.fanot" suggests protocol.fanout).
std::optional<std::string_view> nearest(std::string_view name, std::span<const std::string_view> candidates) {
  std::optional<std::string_view> best;
  std::size_t best_d = 0;
  for (std::string_view c : candidates) {
    const std::size_t d = levenshtein(name, c);
    if (d <= std::max<std::size_t>(1, tail(c).size() / 3) && d < tail(c).size() && (!best || d < best_d)) best = c, best_d = d;
  }
  return best;
}

}  // namespace

std::span<const KeyDef> all_keys() { return kKeys; }

const KeyDef* find_key(std::string_view name) {
  for (const KeyDef& k : kKeys)
    if (k.name == name) return &k;
  return nullptr;
}

bool is_section(std::string_view name) { return std::ranges::find(kSections, name) != std::end(kSections); }

std::string unknown_key_message(std::string_view name) {
  std::vector<std::string_view> names;
  for (const KeyDef& k : kKeys) names.push_back(k.name);
  auto best = nearest(name, names);
  if (!best) {  // the right key in the wrong section, or no section: match the part after the dot
    std::vector<std::string_view> same_tail;
    for (std::string_view n : names)
      if (tail(n) == tail(name)) same_tail.push_back(n);
    if (same_tail.size() == 1) best = same_tail.front();
  }
  if (best) return fmt::format("unknown key '{}' (did you mean '{}'?)", name, *best);
  const auto dot = name.find('.');
  const std::string_view section = dot == std::string_view::npos ? std::string_view{} : name.substr(0, dot);
  if (!is_section(section))
    return fmt::format("unknown key '{}' (valid sections: {})", name, fmt::join(kSections, ", "));
  std::vector<std::string_view> in_section;
  for (std::string_view n : names)
    if (n.substr(0, n.find('.')) == section) in_section.push_back(n);
  return fmt::format("unknown key '{}' (valid keys of [{}]: {})", name, section, fmt::join(in_section, ", "));
}

std::string unknown_section_message(std::string_view name) {
  if (auto best = nearest(name, kSections)) return fmt::format("unknown section '{}' (did you mean '{}'?)", name, *best);
  return fmt::format("unknown section '{}' (valid sections: {})", name, fmt::join(kSections, ", "));
}

std::optional<std::string> range_error(const KeyDef& key, Integer v) {
  const std::string got = fmt::format("{}{}", v.negative && v.magnitude != 0 ? "-" : "", v.magnitude);
  const bool in_range = (!v.negative || v.magnitude == 0) && v.magnitude >= key.lo && v.magnitude <= key.hi;
  if (in_range) return std::nullopt;
  if (key.kind == Kind::nodes)
    return fmt::format("{} must hold node ids in [{}, {}], got {}", key.name, key.lo, key.hi, got);
  if (key.hi == kU64) return fmt::format("{} must be at least {}, got {}", key.name, key.lo, got);
  return fmt::format("{} must be in [{}, {}], got {}", key.name, key.lo, key.hi, got);
}

std::optional<std::string> range_error(const KeyDef& key, double v) {
  const bool above_lo = key.lo_open ? v > key.real_lo : v >= key.real_lo;
  if (above_lo && v <= key.real_hi) return std::nullopt;  // false for NaN
  return fmt::format("{} must be in {}{}, {}], got {}", key.name, key.lo_open ? "(" : "[", key.real_lo, key.real_hi, v);
}

std::string mode_names() {
  std::vector<std::string_view> v;
  for (int i = 0; i <= static_cast<int>(kLastMode); ++i) v.push_back(mode_name(static_cast<Mode>(i)));
  return fmt::format("{}", fmt::join(v, ", "));
}

std::string stop_names() {
  std::vector<std::string_view> v;
  for (int i = 0; i <= static_cast<int>(StopRule::blind_coin); ++i) v.push_back(stop_name(static_cast<StopRule>(i)));
  return fmt::format("{}", fmt::join(v, ", "));
}

}  // namespace gossip::config_keys
