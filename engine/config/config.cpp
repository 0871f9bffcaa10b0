// validate(): every range and combination that can be checked without the graph. Ranges come
// from the key table (config_keys.hpp), the same one the TOML reader checks values against, so
// a config built in code and one read from a file pass or fail alike, with the same messages.
#include "config/config.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "core/error.hpp"
#include "config/config_keys.hpp"
#include "protocol/delay.hpp"
#include "sim/posts.hpp"
#include "sim/step.hpp"

namespace gossip {
namespace {

using config_keys::Integer;
using config_keys::KeyDef;
using config_keys::Overloaded;

std::optional<std::string> check_nodes(const KeyDef& key, std::vector<NodeId> nodes) {
  for (NodeId v : nodes)
    if (auto e = config_keys::range_error(key, Integer{false, v})) return e;
  std::ranges::sort(nodes);
  if (auto dup = std::ranges::adjacent_find(nodes); dup != nodes.end())
    return fmt::format("{} lists node {} twice", key.name, *dup);
  return std::nullopt;
}

std::optional<std::string> check_key(const KeyDef& key, SimConfig& c) {
  using R = std::optional<std::string>;
  return std::visit(
      Overloaded{[&](std::string* s) -> R {
                   if (s->empty() && key.name != "graph.node_file" && key.name != "posts.users" &&
                       key.name != "posts.file")  // "": no file
                     return fmt::format("{} must not be empty", key.name);
                   return std::nullopt;
                 },
                 [](bool*) -> R { return std::nullopt; },
                 [&](std::uint64_t* v) { return config_keys::range_error(key, Integer{false, *v}); },
                 [&](std::uint32_t* v) { return config_keys::range_error(key, Integer{false, *v}); },
                 [&](Round* v) {
                   const auto m = static_cast<std::uint64_t>(*v < 0 ? -static_cast<std::int64_t>(*v) : *v);
                   return config_keys::range_error(key, Integer{*v < 0, m});
                 },
                 [&](std::optional<long>* v) -> R {
                   if (!*v) return std::nullopt;
                   const long x = **v;
                   return config_keys::range_error(key, Integer{x < 0, x < 0 ? 0 - static_cast<std::uint64_t>(x)
                                                                             : static_cast<std::uint64_t>(x)});
                 },
                 [&](double* v) { return config_keys::range_error(key, *v); },
                 [&](Mode* m) -> R {
                   if (mode_name(*m) != "?") return std::nullopt;
                   return fmt::format("{} must be one of {}", key.name, config_keys::mode_names());
                 },
                 [&](StopRule* s) -> R {
                   if (stop_name(*s) != "?") return std::nullopt;
                   return fmt::format("{} must be one of {}", key.name, config_keys::stop_names());
                 },
                 [&](std::vector<NodeId>* v) { return check_nodes(key, *v); },
                 [&](ChurnSpec* churn) -> R {
                   std::string why;
                   if (parse_churn(churn->text, why)) return std::nullopt;
                   return fmt::format("{} = '{}': {}", key.name, churn->text, why);
                 },
                 [&](JoinSpec* join) -> R {
                   std::string why;
                   if (parse_join(join->text, why)) return std::nullopt;
                   return fmt::format("{} = '{}': {}", key.name, join->text, why);
                 },
                 [&](DelaySpec* d) -> R {
                   std::string why;
                   if (parse_delay(d->text, why)) return std::nullopt;
                   return fmt::format("{} = '{}': {}", key.name, d->text, why);
                 }},
      key.field(c));
}

// The [[events]] entries, each named by its index: what its action needs, and partitions that
// open and heal in turn (in the order they apply: by round, then as listed).
void check_events(const std::vector<FaultEvent>& events) {
  for (std::size_t e = 0; e < events.size(); ++e) {
    const FaultEvent& ev = events[e];
    const std::string_view action = event_action_name(ev.kind);
    if (ev.round < 0) throw UsageError(fmt::format("events[{}]: round must be at least 0, got {}", e, ev.round));
    if ((ev.kind == FaultEvent::fail || ev.kind == FaultEvent::recover) && ev.nodes.empty() &&
        !(ev.fraction > 0.0 && ev.fraction <= 1.0))
      throw UsageError(fmt::format("events[{}]: {} needs nodes = [...] or a fraction in (0, 1], got {}", e, action,
                                   ev.fraction));
  }
  std::vector<std::size_t> order(events.size());
  for (std::size_t e = 0; e < order.size(); ++e) order[e] = e;
  std::ranges::stable_sort(order, [&](std::size_t a, std::size_t b) { return events[a].round < events[b].round; });
  std::optional<std::size_t> open;
  for (std::size_t e : order) {
    if (events[e].kind == FaultEvent::partition && open)
      throw UsageError(fmt::format("events[{}]: partition at round {} while events[{}]'s partition (round {}) is not "
                                   "healed (add a heal event before it)",
                                   e, events[e].round, *open, events[*open].round));
    if (events[e].kind == FaultEvent::heal && !open)
      throw UsageError(fmt::format("events[{}]: heal at round {} without a partition before it", e, events[e].round));
    if (events[e].kind == FaultEvent::partition) open = e;
    if (events[e].kind == FaultEvent::heal) open.reset();
  }
}

// An aggregation mode: the [aggregate] keys parse, and no key of the rumor's model is set away
// from its default (each would be ignored); the faults that aggregation does not run yet are
// refused. A rumor mode: the [aggregate] keys keep their defaults.
void check_aggregation(const SimConfig& c) {
  const SimConfig d;
  const ProtocolSpec& p = c.protocol;
  if (!is_aggregation(p.mode)) {
    if (!(p.aggregate == d.protocol.aggregate))
      throw UsageError(fmt::format("the [aggregate] keys need protocol.mode = 'push-sum', 'averaging' or 'pairwise' "
                                   "(got '{}')", mode_name(p.mode)));
    return;
  }
  const std::string_view mode = mode_name(p.mode);
  auto refuse = [&](std::string_view key, std::string_view why) {
    throw UsageError(fmt::format("{} {} with protocol.mode = '{}' (a rumor key; aggregation has no rumor)", key, why, mode));
  };
  if (p.stop != StopRule::none) refuse("protocol.stop", "cannot be used");
  if (p.k != d.protocol.k) refuse("protocol.k", "cannot be used");
  if (p.ttl != 0) refuse("protocol.ttl", "cannot be used");
  if (p.no_repeat) refuse("protocol.no_repeat", "cannot be used");
  if (p.forward_prob < 1.0) refuse("protocol.forward_prob", "cannot be below 1");
  if (p.recovery_prob < 1.0) refuse("protocol.recovery_prob", "cannot be below 1");
  if (p.sources != d.protocol.sources || !p.source_nodes.empty()) refuse("protocol.sources", "cannot be used");
  if (c.run.stop_coverage < 1.0) refuse("run.stop_coverage", "cannot be used");
  if (c.run.packed == "on") refuse("run.packed = 'on'", "cannot be used");
  if (p.fanout > 1 && p.mode != Mode::push_sum)
    throw UsageError(fmt::format("protocol.fanout = {} needs protocol.mode = 'push-sum' ('{}' makes one exchange per "
                                 "node and round)", p.fanout, mode));
  if (p.faults.delay.on() && p.mode != Mode::push_sum)
    throw UsageError(fmt::format("faults.delay cannot be used with protocol.mode = '{}' (an exchange is a synchronous "
                                 "swap of two values; a delayed one would be another protocol)", mode));
  std::string why;
  const auto a = parse_aggregate(p.aggregate, why);
  if (!a) throw UsageError(why);
  if (a->init == AggregateInit::file && c.graph.node_file.empty())
    throw UsageError(fmt::format("aggregate.init = '{}' needs graph.node_file (the file holding column '{}')",
                                 p.aggregate.init, a->column));
  if (a->target == AggregateTarget::sum && p.mode != Mode::push_sum)
    throw UsageError(fmt::format("aggregate.target = 'sum' needs protocol.mode = 'push-sum' ('{}' keeps no weights)",
                                 mode));
}

// The social scenario ([posts], docs/usage.md): posts from a file or generated, not both; the
// [posts] keys and output.arrivals = "on" only with posts; with posts, sources, aggregation,
// packing, a counter stop rule's k above one byte and a TTL above 254 are refused (docs/model.md, "Posts").
void check_posts(const SimConfig& c) {
  const SimConfig d;
  const io::PostsConfig& pc = c.posts;
  const ProtocolSpec& p = c.protocol;
  if (c.output.arrivals != "auto" && c.output.arrivals != "on" && c.output.arrivals != "off")
    throw UsageError(fmt::format("output.arrivals must be one of auto, on, off, got '{}'", c.output.arrivals));
  if (!pc.file.empty() && pc.count > 0)
    throw UsageError(fmt::format("posts.file and posts.count = {} exclude each other (posts come from a file or are "
                                 "generated)", pc.count));
  if (!pc.on()) {
    auto refuse = [](std::string_view key) {
      throw UsageError(fmt::format("{} needs posts (posts.file or posts.count)", key));
    };
    if (!pc.users.empty()) refuse("posts.users");
    if (pc.rate != d.posts.rate) refuse("posts.rate");
    if (pc.lifetime != d.posts.lifetime) refuse("posts.lifetime");
    if (c.output.arrivals == "on") refuse("output.arrivals = 'on'");
    return;
  }
  if (pc.rate != d.posts.rate && pc.count == 0)
    throw UsageError("posts.rate needs posts.count (the posts of posts.file have their own created rounds)");
  const std::string_view with = !pc.file.empty() ? "posts.file" : "posts.count";
  auto refuse = [&](std::string_view key, std::string_view why) {
    throw UsageError(fmt::format("{} cannot be used with posts ({}): {}", key, with, why));
  };
  if (is_aggregation(p.mode)) refuse(fmt::format("protocol.mode = '{}'", mode_name(p.mode)), "posts spread as rumors");
  if ((p.stop == StopRule::feedback_counter || p.stop == StopRule::blind_counter) && p.k > kMaxPostStopCount)
    refuse(fmt::format("protocol.k = {}", p.k),
           fmt::format("a counter stop rule keeps one byte per user and post (at most {})", kMaxPostStopCount));
  if (p.sources != d.protocol.sources || !p.source_nodes.empty())
    refuse(p.source_nodes.empty() ? "protocol.sources" : "protocol.source_nodes", "each post starts at its author");
  if (c.run.packed == "on") refuse("run.packed = 'on'", "posts are packed 64 to a word already");
  if (p.ttl > kMaxPostTtl)
    throw UsageError(fmt::format("protocol.ttl = {} is too large with posts: at most {} (a post's hops are one byte)",
                                 p.ttl, kMaxPostTtl));
}

}  // namespace

void validate(const SimConfig& cfg) {
  SimConfig c = cfg;  // the key table hands out mutable field pointers; only read here
  for (const KeyDef& key : config_keys::all_keys())
    if (auto e = check_key(key, c)) throw UsageError(*e);
  if (std::ranges::find(kGraphFormats, c.graph.format) == std::end(kGraphFormats))
    throw UsageError(fmt::format("graph.format must be one of {}, got '{}'", fmt::join(kGraphFormats, ", "),
                                 c.graph.format));
  check_aggregation(c);
  check_posts(c);
  if (c.protocol.stop != StopRule::none && c.protocol.mode != Mode::push)
    throw UsageError(fmt::format("protocol.stop = '{}' requires protocol.mode = 'push'", stop_name(c.protocol.stop)));
  if (c.protocol.recovery_prob < 1.0 && c.protocol.mode != Mode::flood)
    throw UsageError(fmt::format("protocol.recovery_prob = {} requires protocol.mode = 'flood' (push's Demers "
                                 "rules stop spreaders: protocol.stop)",
                                 c.protocol.recovery_prob));
  if (c.run.packed != "auto" && c.run.packed != "on" && c.run.packed != "off")
    throw UsageError(fmt::format("run.packed must be one of auto, on, off, got '{}'", c.run.packed));
  if (c.run.packed == "on" && c.protocol.mode != Mode::flood)
    throw UsageError(fmt::format("run.packed = 'on' requires protocol.mode = 'flood' (got '{}')", mode_name(c.protocol.mode)));
  check_events(c.protocol.faults.events);
  // Per-arc latencies and node file columns (docs/graphs.md).
  if (!latency_column(c.graph.latency))
    throw UsageError(fmt::format("graph.latency must be none or column:K (K >= 3, the column of per-arc latencies), got '{}'",
                                 c.graph.latency));
  if (c.protocol.faults.join.kind == JoinSpec::file && c.graph.node_file.empty())
    throw UsageError(fmt::format("network.join = '{}' needs graph.node_file (the file holding column '{}')",
                                 c.protocol.faults.join.text, c.protocol.faults.join.column));
  for (std::size_t e = 0; e < c.protocol.faults.events.size(); ++e)
    if (const FaultEvent& ev = c.protocol.faults.events[e]; !ev.group_column.empty() && c.graph.node_file.empty())
      throw UsageError(fmt::format("events[{}]: groups = 'file:{}' needs graph.node_file (the file holding that column)", e,
                                   ev.group_column));
  if (c.run.packed == "on" && c.run.stop_coverage < 1.0)
    throw UsageError(fmt::format("run.packed = 'on' cannot end trials at run.stop_coverage = {} (use 'auto' or 'off')",
                                 c.run.stop_coverage));
  if (c.run.packed == "on" && c.protocol.faults.any())
    throw UsageError("run.packed = 'on' cannot run faults (crashed, churn, [[events]], network.join): use "
                     "run.packed = 'auto' or 'off'");
  if (c.run.packed == "on" && c.protocol.faults.delay.on())
    throw UsageError("run.packed = 'on' cannot run faults.delay: use run.packed = 'auto' or 'off'");
  if (c.protocol.faults.delay.on() && c.run.max_rounds > kDelayRoundLimit - kMaxDelay)
    throw UsageError(fmt::format("run.max_rounds = {} is too large with faults.delay: at most {} (a delay draw's "
                                 "counter holds the round in 30 bits)",
                                 c.run.max_rounds, kDelayRoundLimit - kMaxDelay));
  if (c.run.packed == "on" && !supports(StepKind::packed, Features::of(c.protocol, {})))
    throw UsageError("run.packed = 'on' cannot run protocol.recovery_prob below 1 with protocol.ttl (a node's hops "
                     "then differ from trial to trial)");
  constexpr std::uint64_t kTrialLimit = std::uint64_t{1} << 31;
  if (c.run.trial_offset + c.run.trials >= kTrialLimit)  // each is below 2^31: no overflow
    throw UsageError(fmt::format("run.trial_offset + run.trials must be below 2^31 = {} (a trial index is a "
                                 "31-bit RNG stream), got {}",
                                 kTrialLimit, c.run.trial_offset + c.run.trials));
}

Packing packing(const RunSpec& run) {
  return run.packed == "on" ? Packing::on : run.packed == "off" ? Packing::off : Packing::automatic;
}

}  // namespace gossip
