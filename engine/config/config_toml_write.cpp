// to_toml: the effective configuration as TOML, every key of the key table in table order
// (sections graph, protocol, faults, network, run, output), defaults included. Invariant: load_config of the text
// gives back the same SimConfig (reals are written in shortest round-trip form, counts above
// 2^63 - 1 as count strings, run.threads only when set).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <limits>

#include "config/config_keys.hpp"
#include "config/config_toml.hpp"

namespace gossip {
namespace {

using namespace config_keys;

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') out += {'\\', ch};
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20 || c == 0x7f) out += fmt::format("\\u{:04X}", c);
    else out += ch;
  }
  return out + '"';
}

std::string real(double v) {
  std::string s = fmt::format("{}", v);
  if (s.find_first_of(".eni") == std::string::npos) s += ".0";  // TOML floats need a point
  return s;
}

std::string unsigned_value(std::uint64_t v) {
  if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return fmt::format("\"{}\"", v);
  return fmt::format("{}", v);
}

}  // namespace

namespace config_keys {

std::optional<std::string> value_text(const KeyDef& key, SimConfig& c) {
  using R = std::optional<std::string>;
  return std::visit(
      Overloaded{[](std::string* s) -> R { return quoted(*s); },
                 [](bool* b) -> R { return *b ? "true" : "false"; },
                 [](std::uint64_t* v) -> R { return unsigned_value(*v); },
                 [](std::uint32_t* v) -> R { return fmt::format("{}", *v); },
                 [](Round* v) -> R { return fmt::format("{}", *v); },
                 [](std::optional<long>* v) -> R {
                   if (!*v) return std::nullopt;
                   return fmt::format("{}", **v);
                 },
                 [](double* v) -> R { return real(*v); },
                 [](Mode* m) -> R { return quoted(mode_name(*m)); },
                 [](StopRule* s) -> R { return quoted(stop_name(*s)); },
                 [](std::vector<NodeId>* v) -> R { return fmt::format("[{}]", fmt::join(*v, ", ")); },
                 [](ChurnSpec* churn) -> R { return quoted(churn->text); },
                 [](JoinSpec* join) -> R { return quoted(join->text); },
                 [](DelaySpec* d) -> R { return quoted(d->text); }},
      key.field(c));
}

}  // namespace config_keys

std::string to_toml(const SimConfig& cfg) {
  SimConfig c = cfg;  // the key table hands out mutable field pointers; only read here
  std::string out = "# gossipsim configuration: every key with its effective value\n";
  std::string_view section;
  for (const KeyDef& key : all_keys()) {
    const auto dot = key.name.find('.');
    if (key.name.substr(0, dot) != section) {
      section = key.name.substr(0, dot);
      out += fmt::format("\n[{}]\n", section);
    }
    const std::string_view name = key.name.substr(dot + 1);
    if (auto v = value_text(key, c)) out += fmt::format("{} = {}\n", name, *v);
    else out += fmt::format("# {} = auto\n", name);
  }
  for (const FaultEvent& e : c.protocol.faults.events) {
    out += fmt::format("\n[[events]]\nround = {}\naction = {}\n", e.round, quoted(event_action_name(e.kind)));
    if (e.kind == FaultEvent::partition) out += fmt::format("groups = {}\n", quoted(groups_name(e)));
    if (e.kind == FaultEvent::fail || e.kind == FaultEvent::recover) {
      if (e.nodes.empty()) out += fmt::format("fraction = {}\n", real(e.fraction));
      else out += fmt::format("nodes = [{}]\n", fmt::join(e.nodes, ", "));
    }
  }
  return out;
}

}  // namespace gossip
