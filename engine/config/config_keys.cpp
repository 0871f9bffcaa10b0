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
    {"graph.source", Kind::text, [](SimConfig& c) -> Field { return &c.graph.source; }},
    {"graph.seed", Kind::integer, [](SimConfig& c) -> Field { return &c.graph.seed; }, 0, kU64},
    {"graph.keep_self_loops", Kind::flag, [](SimConfig& c) -> Field { return &c.graph.keep_self_loops; }},
    {"graph.keep_duplicates", Kind::flag, [](SimConfig& c) -> Field { return &c.graph.keep_duplicates; }},
    {"graph.format", Kind::text, [](SimConfig& c) -> Field { return &c.graph.format; }},
    {"graph.directed", Kind::flag, [](SimConfig& c) -> Field { return &c.graph.directed; }},
    {"graph.one_based", Kind::flag, [](SimConfig& c) -> Field { return &c.graph.one_based; }},
    {"graph.skip_lines", Kind::integer, [](SimConfig& c) -> Field { return &c.graph.skip_lines; }, 0, kU64},
    {"protocol.mode", Kind::mode, [](SimConfig& c) -> Field { return &c.protocol.mode; }},
    {"protocol.fanout", Kind::integer, [](SimConfig& c) -> Field { return &c.protocol.fanout; }, 1, kU32},
    {"protocol.no_repeat", Kind::flag, [](SimConfig& c) -> Field { return &c.protocol.no_repeat; }},
    {"protocol.forward_prob", Kind::real, [](SimConfig& c) -> Field { return &c.protocol.forward_prob; }, 0, 0, 0.0,
     1.0, true},
    {"protocol.ttl", Kind::integer, [](SimConfig& c) -> Field { return &c.protocol.ttl; }, 0, 65535},
    {"protocol.stop", Kind::stop, [](SimConfig& c) -> Field { return &c.protocol.stop; }},
    {"protocol.k", Kind::integer, [](SimConfig& c) -> Field { return &c.protocol.k; }, 1, kU32},
    {"protocol.sources", Kind::integer, [](SimConfig& c) -> Field { return &c.protocol.sources; }, 1, kMaxNodes},
    {"protocol.source_nodes", Kind::nodes, [](SimConfig& c) -> Field { return &c.protocol.source_nodes; }, 0,
     kMaxNodes - 1},
    {"protocol.recovery_prob", Kind::real, [](SimConfig& c) -> Field { return &c.protocol.recovery_prob; }, 0, 0,
     0.0, 1.0, true},
    {"faults.loss", Kind::real, [](SimConfig& c) -> Field { return &c.protocol.loss; }, 0, 0, 0.0, 1.0, false},
    {"faults.crashed", Kind::real, [](SimConfig& c) -> Field { return &c.protocol.faults.crashed; }, 0, 0, 0.0, 1.0,
     false},
    {"faults.churn", Kind::churn, [](SimConfig& c) -> Field { return &c.protocol.faults.churn; }},
    {"faults.churn_fraction", Kind::real, [](SimConfig& c) -> Field { return &c.protocol.faults.churn.fraction; }, 0,
     0, 0.0, 1.0, false},
    {"network.join", Kind::join, [](SimConfig& c) -> Field { return &c.protocol.faults.join; }},
    {"run.seed", Kind::integer, [](SimConfig& c) -> Field { return &c.run.seed; }, 0, kU64},
    {"run.trials", Kind::integer, [](SimConfig& c) -> Field { return &c.run.trials; }, 1, kTrialLimit - 1},
    {"run.trial_offset", Kind::integer, [](SimConfig& c) -> Field { return &c.run.trial_offset; }, 0,
     kTrialLimit - 1},
    {"run.max_rounds", Kind::integer, [](SimConfig& c) -> Field { return &c.run.max_rounds; }, 1,
     std::uint64_t{kNever} - 1},
    {"run.stop_coverage", Kind::real, [](SimConfig& c) -> Field { return &c.run.stop_coverage; }, 0, 0, 0.0, 1.0,
     true},
    {"run.packed", Kind::text, [](SimConfig& c) -> Field { return &c.run.packed; }},
    {"run.threads", Kind::integer, [](SimConfig& c) -> Field { return &c.run.threads; }, 1, kMaxThreads},
    {"output.node_trials", Kind::integer, [](SimConfig& c) -> Field { return &c.output.node_trials; }, 0,
     kTrialLimit - 1},
    {"output.every", Kind::integer, [](SimConfig& c) -> Field { return &c.output.every; }, 0,
     std::uint64_t{kNever} - 1},
    {"output.flush_seconds", Kind::real, [](SimConfig& c) -> Field { return &c.output.flush_seconds; }, 0, 0, 0.0,
     86400.0, true},
    {"output.file_locking", Kind::flag, [](SimConfig& c) -> Field { return &c.output.file_locking; }},
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
  for (int i = 0; i <= static_cast<int>(Mode::flood); ++i) v.push_back(mode_name(static_cast<Mode>(i)));
  return fmt::format("{}", fmt::join(v, ", "));
}

std::string stop_names() {
  std::vector<std::string_view> v;
  for (int i = 0; i <= static_cast<int>(StopRule::blind_coin); ++i) v.push_back(stop_name(static_cast<StopRule>(i)));
  return fmt::format("{}", fmt::join(v, ", "));
}

}  // namespace gossip::config_keys
