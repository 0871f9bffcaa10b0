// Names of the protocol enums as they appear in configs and output ("push-pull",
// "feedback-coin"). Invariant: parse_X(X_name(v)) == v for every enumerator, and the parse
// functions accept exactly those names (case-sensitive).
#include "protocol/spec.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>
#include <utility>

namespace gossip {
namespace {

constexpr std::array<std::pair<Mode, std::string_view>, 7> kModes{{{Mode::push, "push"},
                                                                    {Mode::pull, "pull"},
                                                                    {Mode::push_pull, "push-pull"},
                                                                    {Mode::flood, "flood"},
                                                                    {Mode::push_sum, "push-sum"},
                                                                    {Mode::averaging, "averaging"},
                                                                    {Mode::pairwise, "pairwise"}}};

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

// "x,y" as two finite doubles.
bool two_numbers(std::string_view t, double& x, double& y) {
  const auto comma = t.find(',');
  if (comma == std::string_view::npos) return false;
  auto one = [](std::string_view u, double& v) {
    const auto [p, ec] = std::from_chars(u.data(), u.data() + u.size(), v);
    return ec == std::errc{} && p == u.data() + u.size() && std::isfinite(v);
  };
  return one(t.substr(0, comma), x) && one(t.substr(comma + 1), y);
}

}  // namespace

std::optional<AggregateParams> parse_aggregate(const AggregateSpec& s, std::string& why) {
  constexpr double kBound = kAggregateBound;
  AggregateParams p;
  p.eps = s.eps;
  if (s.target == "average") p.target = AggregateTarget::average;
  else if (s.target == "sum") p.target = AggregateTarget::sum;
  else if (s.target == "count") p.target = AggregateTarget::count;
  else {
    why = fmt::format("aggregate.target must be one of average, sum, count, got '{}'", s.target);
    return std::nullopt;
  }
  const std::string_view t = s.init;
  if (t == "peak") {
    p.init = AggregateInit::peak;
  } else if (t.starts_with("uniform:")) {
    p.init = AggregateInit::uniform;
    if (!two_numbers(t.substr(8), p.a, p.b) || !(p.a <= p.b) || std::fabs(p.a) > kBound || std::fabs(p.b) > kBound) {
      why = fmt::format("aggregate.init = '{}': uniform:a,b needs finite numbers a <= b of magnitude at most 1e100", t);
      return std::nullopt;
    }
  } else if (t.starts_with("normal:")) {
    p.init = AggregateInit::normal;
    if (!two_numbers(t.substr(7), p.a, p.b) || !(p.b >= 0) || std::fabs(p.a) > kBound || p.b > kBound) {
      why = fmt::format("aggregate.init = '{}': normal:mu,sigma needs a finite mu and 0 <= sigma, both of magnitude "
                        "at most 1e100", t);
      return std::nullopt;
    }
  } else if (t.starts_with("file:") && t.size() > 5) {
    p.init = AggregateInit::file;
    p.column = std::string(t.substr(5));
    p.values = s.values.get();
  } else {
    why = fmt::format("aggregate.init = '{}': expected uniform:a,b, normal:mu,sigma, peak or file:COLUMN", t);
    return std::nullopt;
  }
  if (!(p.eps > 0) || !std::isfinite(p.eps)) {
    why = fmt::format("aggregate.eps must be a positive number, got {}", p.eps);
    return std::nullopt;
  }
  if (p.target == AggregateTarget::count && p.init != AggregateInit::peak) {
    why = fmt::format("aggregate.target = 'count' needs aggregate.init = 'peak' (got '{}')", t);
    return std::nullopt;
  }
  return p;
}

std::string_view mode_name(Mode m) { return name_of(kModes, m); }
std::string_view stop_name(StopRule s) { return name_of(kStops, s); }
std::optional<Mode> parse_mode(std::string_view s) { return parse_of(kModes, s); }
std::optional<StopRule> parse_stop(std::string_view s) { return parse_of(kStops, s); }

}  // namespace gossip
