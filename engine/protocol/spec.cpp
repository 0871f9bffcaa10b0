// Names of the protocol enums as they appear in configs and output ("push-pull",
// "feedback-coin"). Invariant: parse_X(X_name(v)) == v for every enumerator, and the parse
// functions accept exactly those names (case-sensitive).
#include "protocol/spec.hpp"

#include <array>
#include <utility>

namespace gossip {
namespace {

constexpr std::array<std::pair<Mode, std::string_view>, 4> kModes{{
    {Mode::push, "push"}, {Mode::pull, "pull"}, {Mode::push_pull, "push-pull"}, {Mode::flood, "flood"}}};

constexpr std::array<std::pair<StopRule, std::string_view>, 5> kStops{{{StopRule::none, "none"},
                                                                       {StopRule::feedback_counter, "feedback-counter"},
                                                                       {StopRule::feedback_coin, "feedback-coin"},
                                                                       {StopRule::blind_counter, "blind-counter"},
                                                                       {StopRule::blind_coin, "blind-coin"}}};

template <class E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E v) {
  for (const auto& [e, name] : table)
    if (e == v) return name;
  return "?";
}

template <class E, std::size_t N>
std::optional<E> parse_of(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view s) {
  for (const auto& [e, name] : table)
    if (name == s) return e;
  return std::nullopt;
}

}  // namespace

std::string_view mode_name(Mode m) { return name_of(kModes, m); }
std::string_view stop_name(StopRule s) { return name_of(kStops, s); }
std::optional<Mode> parse_mode(std::string_view s) { return parse_of(kModes, s); }
std::optional<StopRule> parse_stop(std::string_view s) { return parse_of(kStops, s); }

}  // namespace gossip
