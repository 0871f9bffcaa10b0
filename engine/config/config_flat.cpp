#include "config/config_flat.hpp"

#include "config/config_keys.hpp"

namespace gossip {
namespace {

using namespace config_keys;

std::optional<FlatValue> value_of(const KeyDef& key, SimConfig& c) {
  using R = std::optional<FlatValue>;
  return std::visit(
      Overloaded{[](std::string* s) -> R { return FlatValue(*s); },
                 [](bool* b) -> R { return FlatValue(*b); },
                 [](std::uint64_t* v) -> R { return FlatValue(*v); },
                 [](std::uint32_t* v) -> R { return FlatValue(std::uint64_t{*v}); },
                 [](Round* v) -> R { return FlatValue(std::int64_t{*v}); },
                 [](std::optional<long>* v) -> R {
                   if (!*v) return std::nullopt;
                   return FlatValue(std::int64_t{**v});
                 },
                 [](double* v) -> R { return FlatValue(*v); },
                 [](Mode* m) -> R { return FlatValue(std::string(mode_name(*m))); },
                 [](StopRule* s) -> R { return FlatValue(std::string(stop_name(*s))); },
                 [](std::vector<NodeId>* v) -> R { return FlatValue(std::vector<std::uint64_t>(v->begin(), v->end())); },
                 [](ChurnSpec* churn) -> R { return FlatValue(churn->text); },
                 [](JoinSpec* join) -> R { return FlatValue(join->text); },
                 [](DelaySpec* d) -> R { return FlatValue(d->text); }},
      key.field(c));
}

}  // namespace

std::vector<std::pair<std::string, FlatValue>> flat_config(const SimConfig& cfg) {
  SimConfig c = cfg;  // the key table hands out mutable field pointers; only read here
  std::vector<std::pair<std::string, FlatValue>> out;
  for (const KeyDef& key : all_keys())
    if (auto v = value_of(key, c)) out.emplace_back(std::string(key.name), std::move(*v));
  // [[events]] entry e as events.e.round, .action, and .fraction, .nodes or .groups.
  const auto& events = c.protocol.faults.events;
  for (std::size_t e = 0; e < events.size(); ++e) {
    const FaultEvent& ev = events[e];
    const std::string at = "events." + std::to_string(e) + ".";
    out.emplace_back(at + "round", FlatValue(std::int64_t{ev.round}));
    out.emplace_back(at + "action", FlatValue(std::string(event_action_name(ev.kind))));
    if (ev.kind == FaultEvent::partition) out.emplace_back(at + "groups", FlatValue(groups_name(ev)));
    if (ev.kind == FaultEvent::fail || ev.kind == FaultEvent::recover) {
      if (ev.nodes.empty()) out.emplace_back(at + "fraction", FlatValue(ev.fraction));
      else out.emplace_back(at + "nodes", FlatValue(std::vector<std::uint64_t>(ev.nodes.begin(), ev.nodes.end())));
    }
  }
  return out;
}

SimConfig experiment_config(const SimConfig& cfg, bool ignore_trials) {
  const SimConfig defaults;
  SimConfig c = cfg;
  c.run.threads = defaults.run.threads;
  c.output.flush_seconds = defaults.output.flush_seconds;
  c.output.file_locking = defaults.output.file_locking;
  if (ignore_trials) {
    c.run.trials = defaults.run.trials;
    c.run.trial_offset = defaults.run.trial_offset;
  }
  return c;
}

std::string first_difference(const SimConfig& a, const SimConfig& b) {
  SimConfig x = a, y = b;
  for (const KeyDef& key : all_keys())
    if (value_of(key, x) != value_of(key, y)) return std::string(key.name);
  const auto fx = flat_config(a), fy = flat_config(b);  // the [[events]] entries
  for (std::size_t i = 0; i < std::max(fx.size(), fy.size()); ++i)
    if (i >= fx.size() || i >= fy.size() || fx[i] != fy[i]) return i < fx.size() ? fx[i].first : fy[i].first;
  return {};
}

}  // namespace gossip
