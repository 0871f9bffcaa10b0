// The texts of faults.churn and of [[events]] entries (docs/model.md, "Faults"), parsed into
// FaultSpec values; the ranges of their numbers are checked here, where the grammar is.
#include "protocol/fault_spec.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>

namespace gossip {
namespace {

// "k1=v1,k2=v2" as numbers; false with `error` set on anything else.
bool parse_params(std::string_view s, std::map<std::string, double, std::less<>>& out, std::string& error) {
  while (!s.empty()) {
    const auto comma = s.find(',');
    const std::string_view item = s.substr(0, comma);
    const auto eq = item.find('=');
    if (eq == std::string_view::npos) {
      error = fmt::format("expected name=value, got '{}'", item);
      return false;
    }
    const std::string_view value = item.substr(eq + 1);
    double x = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), x);
    if (ec != std::errc{} || end != value.data() + value.size() || !std::isfinite(x)) {
      error = fmt::format("'{}' is not a number", value);
      return false;
    }
    out.emplace(std::string(item.substr(0, eq)), x);
    s = comma == std::string_view::npos ? std::string_view{} : s.substr(comma + 1);
  }
  return true;
}

// Exactly the names `want` (in any order); false with `error` naming what is missing or extra.
bool has_exactly(const std::map<std::string, double, std::less<>>& p, std::initializer_list<std::string_view> want,
                 std::string_view what, std::string& error) {
  for (std::string_view w : want)
    if (!p.contains(w)) {
      error = fmt::format("{} needs {}", what, w);
      return false;
    }
  if (p.size() != want.size()) {
    for (const auto& [k, v] : p)
      if (std::find(want.begin(), want.end(), k) == want.end()) error = fmt::format("{} takes no '{}'", what, k);
    return false;
  }
  return true;
}

std::optional<PeriodDist> parse_dist(std::string_view s, std::string& error) {
  const auto colon = s.find(':');
  const std::string_view name = s.substr(0, colon);
  std::map<std::string, double, std::less<>> p;
  if (colon == std::string_view::npos || !parse_params(s.substr(colon + 1), p, error)) {
    if (error.empty()) error = fmt::format("expected geometric:mean=M, weibull:shape=K,scale=L or pareto:shape=A,scale=M, got '{}'", s);
    return std::nullopt;
  }
  if (name == "geometric") {
    if (!has_exactly(p, {"mean"}, "geometric", error)) return std::nullopt;
    if (!(p["mean"] >= 1.0)) {
      error = fmt::format("geometric mean must be at least 1 round, got {}", p["mean"]);
      return std::nullopt;
    }
    return PeriodDist{PeriodDist::geometric, 1.0 / p["mean"], 0.0};
  }
  if (name == "weibull" || name == "pareto") {
    if (!has_exactly(p, {"shape", "scale"}, name, error)) return std::nullopt;
    const double shape = p["shape"], scale = p["scale"];
    if (!(shape > 0.0) || !(scale > 0.0)) {
      error = fmt::format("{} shape and scale must be positive, got shape={}, scale={}", name, shape, scale);
      return std::nullopt;
    }
    if (name == "pareto" && !(shape > 1.0)) {
      error = fmt::format("pareto shape must exceed 1 (a finite mean period), got {}", shape);
      return std::nullopt;
    }
    return PeriodDist{name == "weibull" ? PeriodDist::weibull : PeriodDist::pareto, shape, scale};
  }
  error = fmt::format("unknown period distribution '{}' (valid: geometric, weibull, pareto)", name);
  return std::nullopt;
}

}  // namespace

std::optional<ChurnSpec> parse_churn(std::string_view text, std::string& error) {
  ChurnSpec c;
  c.text = std::string(text);
  if (text == "none") return c;
  const auto colon = text.find(':');
  const std::string_view kind = text.substr(0, colon), rest = colon == std::string_view::npos ? "" : text.substr(colon + 1);
  if (kind == "bernoulli") {
    std::map<std::string, double, std::less<>> p;
    if (!parse_params(rest, p, error) || !has_exactly(p, {"fail", "recover"}, "bernoulli", error)) return std::nullopt;
    for (const char* k : {"fail", "recover"})
      if (!(p[k] >= 0.0 && p[k] <= 1.0)) {
        error = fmt::format("bernoulli {} must be a probability in [0, 1], got {}", k, p[k]);
        return std::nullopt;
      }
    c.kind = ChurnSpec::bernoulli;
    c.up = {PeriodDist::geometric, p["fail"], 0.0};
    c.down = {PeriodDist::geometric, p["recover"], 0.0};
    return c;
  }
  if (kind == "sessions") {
    const auto split = rest.find(",down=");
    if (!rest.starts_with("up=") || split == std::string_view::npos) {
      error = fmt::format("expected sessions:up=DIST,down=DIST, got '{}'", text);
      return std::nullopt;
    }
    auto up = parse_dist(rest.substr(3, split - 3), error);
    if (!up) return std::nullopt;
    auto down = parse_dist(rest.substr(split + 6), error);
    if (!down) return std::nullopt;
    c.kind = ChurnSpec::sessions;
    c.up = *up;
    c.down = *down;
    return c;
  }
  error = fmt::format("unknown churn '{}' (valid: none, bernoulli:fail=A,recover=B, sessions:up=DIST,down=DIST)", text);
  return std::nullopt;
}

std::optional<std::string> parse_file_column(std::string_view s) {
  if (!s.starts_with("file:") || s.size() == 5) return std::nullopt;
  const std::string_view c = s.substr(5);
  for (char ch : c)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-' || ch == '.')) return std::nullopt;
  return std::string(c);
}

JoinRounds::JoinRounds(std::vector<Round> rounds) : round(std::move(rounds)) {
  std::map<Round, std::uint64_t> count;
  for (std::size_t v = 0; v < round.size(); ++v) {
    ++count[round[v]];
    if (round[v] == 0) initial.push_back(static_cast<NodeId>(v));
  }
  std::uint64_t total = 0;
  for (const auto& [r, c] : count) by.emplace_back(r, total += c);
}

std::optional<JoinSpec> parse_join(std::string_view text, std::string& error) {
  JoinSpec j;
  j.text = std::string(text);
  if (text == "none") return j;
  if (text.starts_with("file:")) {
    auto c = parse_file_column(text);
    if (!c) {
      error = fmt::format("expected file:COLUMN with a column name of letters, digits, '_', '-' or '.', got '{}'", text);
      return std::nullopt;
    }
    j.kind = JoinSpec::file;
    j.column = *c;
    return j;
  }
  std::map<std::string, double, std::less<>> p;
  if (!text.starts_with("linear:") || !parse_params(text.substr(7), p, error)) {
    if (error.empty()) error = fmt::format("expected none, linear:per_round=R[,start=S] or file:COLUMN, got '{}'", text);
    return std::nullopt;
  }
  if (!p.contains("start")) p["start"] = p.contains("per_round") ? p["per_round"] : 1.0;
  if (!has_exactly(p, {"per_round", "start"}, "linear", error)) return std::nullopt;
  for (const char* k : {"per_round", "start"})
    if (!(p[k] >= 1.0 && p[k] <= 4294967295.0 && std::floor(p[k]) == p[k])) {
      error = fmt::format("linear {} must be a whole number of nodes >= 1, got {}", k, p[k]);
      return std::nullopt;
    }
  j.kind = JoinSpec::linear;
  j.per_round = static_cast<std::uint64_t>(p["per_round"]);
  j.start = static_cast<std::uint64_t>(p["start"]);
  return j;
}

std::optional<DelaySpec> parse_delay(std::string_view text, std::string& error) {
  DelaySpec d;
  d.text = std::string(text);
  if (text == "none") return d;
  if (text == "edge") {
    d.kind = DelaySpec::edge;
    return d;
  }
  const auto colon = text.find(':');
  const std::string_view kind = text.substr(0, colon), rest = colon == std::string_view::npos ? "" : text.substr(colon + 1);
  auto whole = [](double x) { return x >= 0.0 && x <= kMaxDelay && std::floor(x) == x; };
  if (kind == "fixed" && colon != std::string_view::npos) {
    double x = 0;
    const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), x);
    if (ec != std::errc{} || end != rest.data() + rest.size() || !whole(x)) {
      error = fmt::format("fixed:D needs a whole number of rounds D in 0 .. {}, got '{}'", kMaxDelay, rest);
      return std::nullopt;
    }
    if (x > 0) d.kind = DelaySpec::fixed;
    d.a = x;
    return d;
  }
  std::map<std::string, double, std::less<>> p;
  if (kind == "uniform") {
    if (!parse_params(rest, p, error) || !has_exactly(p, {"min", "max"}, "uniform", error)) return std::nullopt;
    if (!whole(p["min"]) || !whole(p["max"])) {
      error = fmt::format("uniform min and max must be whole numbers of rounds in 0 .. {}, got min={}, max={}",
                          kMaxDelay, p["min"], p["max"]);
      return std::nullopt;
    }
    if (p["min"] > p["max"]) {
      error = fmt::format("uniform min must not exceed max, got min={}, max={}", p["min"], p["max"]);
      return std::nullopt;
    }
    d.kind = DelaySpec::uniform;
    d.a = p["min"];
    d.b = p["max"];
    return d;
  }
  if (kind == "geometric") {
    if (!parse_params(rest, p, error) || !has_exactly(p, {"p"}, "geometric", error)) return std::nullopt;
    if (!(p["p"] > 0.0 && p["p"] <= 1.0)) {
      error = fmt::format("geometric p must be in (0, 1], got {}", p["p"]);
      return std::nullopt;
    }
    d.kind = DelaySpec::geometric;
    d.a = p["p"];
    return d;
  }
  if (kind == "lognormal") {
    if (!parse_params(rest, p, error) || !has_exactly(p, {"median", "sigma"}, "lognormal", error)) return std::nullopt;
    if (!(p["median"] > 0.0) || !(p["sigma"] >= 0.0)) {
      error = fmt::format("lognormal median must be positive and sigma non-negative, got median={}, sigma={}",
                          p["median"], p["sigma"]);
      return std::nullopt;
    }
    d.kind = DelaySpec::lognormal;
    d.a = p["median"];
    d.b = p["sigma"];
    return d;
  }
  error = fmt::format(
      "unknown delay '{}' (valid: none, fixed:D, uniform:min=A,max=B, geometric:p=Q, lognormal:median=M,sigma=S, edge)",
      text);
  return std::nullopt;
}

namespace {
constexpr std::pair<FaultEvent::Kind, std::string_view> kActions[] = {{FaultEvent::fail, "fail"},
                                                                       {FaultEvent::recover, "recover"},
                                                                       {FaultEvent::partition, "partition"},
                                                                       {FaultEvent::heal, "heal"}};
}  // namespace

std::string_view event_action_name(FaultEvent::Kind k) {
  for (const auto& [e, name] : kActions)
    if (e == k) return name;
  return "?";
}

std::optional<FaultEvent::Kind> parse_event_action(std::string_view s) {
  for (const auto& [e, name] : kActions)
    if (name == s) return e;
  return std::nullopt;
}

std::optional<std::uint32_t> parse_groups(std::string_view s) {
  if (s == "halves") return 2;
  if (!s.starts_with("blocks:")) return std::nullopt;
  const std::string_view k = s.substr(7);
  std::uint32_t x = 0;
  const auto [end, ec] = std::from_chars(k.data(), k.data() + k.size(), x);
  if (ec != std::errc{} || end != k.data() + k.size() || x < 2) return std::nullopt;
  return x;
}

std::string groups_name(std::uint32_t groups) { return groups == 2 ? "halves" : fmt::format("blocks:{}", groups); }

std::string groups_name(const FaultEvent& e) {
  return e.group_column.empty() ? groups_name(e.groups) : "file:" + e.group_column;
}

}  // namespace gossip
