// The table of every configuration key (internal to engine/sim): its dotted name, how it is
// read, where it lives in SimConfig and its valid range. Reading, writing (to_toml) and
// validate() all walk this one table, so a key exists, is typed and is range-checked in one
// place. Invariant: the table lists keys grouped by section, sections in kSections order, and
// every integer range fits the C++ type of its field.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "config/config.hpp"

namespace gossip::config_keys {

inline constexpr std::string_view kSections[] = {"graph", "protocol", "faults", "network", "aggregate", "posts", "run", "output"};

enum class Kind { text, flag, integer, real, mode, stop, nodes, churn, join, delay };

using Field = std::variant<std::string*, bool*, std::uint64_t*, std::uint32_t*, Round*, std::optional<long>*,
                           double*, Mode*, StopRule*, std::vector<NodeId>*, ChurnSpec*, JoinSpec*, DelaySpec*>;

struct KeyDef {
  std::string_view name;  // "section.key"
  std::string_view help;  // one sentence: what the key means (gossipsim config keys, docs/config.md)
  Kind kind;
  Field (*field)(SimConfig&);
  std::uint64_t lo = 0;  // integer: valid range [lo, hi]; nodes: the range of each node id
  std::uint64_t hi = 0;
  double real_lo = 0;  // real: valid range (real_lo, real_hi] when lo_open, else [real_lo, real_hi]
  double real_hi = 0;
  bool lo_open = false;
};

// An integer as read from a file or --set: the sign kept apart so any int64 or uint64 fits.
struct Integer {
  bool negative = false;
  std::uint64_t magnitude = 0;
};

// std::visit helper: one lambda per Field alternative.
template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};

std::span<const KeyDef> all_keys();
const KeyDef* find_key(std::string_view name);
bool is_section(std::string_view name);

// "unknown key 'protocol.fanot' (did you mean 'protocol.fanout'?)", or the valid keys listed.
std::string unknown_key_message(std::string_view name);
std::string unknown_section_message(std::string_view name);

// "protocol.ttl must be in [0, 65535], got 70000"; nothing when the value is in range.
std::optional<std::string> range_error(const KeyDef& key, Integer v);
std::optional<std::string> range_error(const KeyDef& key, double v);

// The TOML text of a key's value in c ("\"push\"", "0.5"), or nothing when unset (run.threads).
std::optional<std::string> value_text(const KeyDef& key, SimConfig& c);

// "push, pull, push-pull, flood" and "none, feedback-counter, ..." (for error messages).
std::string mode_names();
std::string stop_names();

}  // namespace gossip::config_keys
