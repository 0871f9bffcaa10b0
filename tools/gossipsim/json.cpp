#include "json.hpp"

#include <algorithm>
#include <cmath>
#include <variant>

#include "config/config_flat.hpp"
#include "sim/trial_summary.hpp"

namespace gossip::cli {
namespace {

// Quantile p of sorted xs, linear interpolation between order statistics (Hyndman & Fan type 7,
// R's default, numpy's "linear"): h = (n - 1) p, x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]).
double quantile(const std::vector<double>& sorted, double p) {
  const double h = static_cast<double>(sorted.size() - 1) * p;
  const std::size_t lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

Json or_null(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

}  // namespace

Describe describe(std::vector<double> xs) {
  Describe d;
  d.count = xs.size();
  if (xs.empty()) return d;
  // Welford's update: the mean of equal values is that value and their variance exactly 0.
  double mean = 0, m2 = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const double delta = xs[i] - mean;
    mean += delta / static_cast<double>(i + 1);
    m2 += delta * (xs[i] - mean);
  }
  d.mean = mean;
  if (xs.size() > 1) {
    d.std = std::sqrt(m2 / static_cast<double>(xs.size() - 1));
    d.sem = *d.std / std::sqrt(static_cast<double>(xs.size()));
  }
  std::ranges::sort(xs);
  d.min = xs.front();
  d.max = xs.back();
  d.median = quantile(xs, 0.5);
  d.q05 = quantile(xs, 0.05);
  d.q95 = quantile(xs, 0.95);
  return d;
}

Json trial_json(const TrialSummary& s) {
  Json j{{"event", "trial"}, {"trial", s.trial}};
  for (const auto& [name, value] : summary_fields(s)) {
    const bool integral = is_integral_field(name);
    j[name] = !value ? Json(nullptr) : integral ? Json(static_cast<std::int64_t>(*value)) : Json(*value);
  }
  j["truncated"] = s.truncated;
  Json steps = Json::object();  // the rounds each step kind ran, for the kinds that ran (sim/step.hpp)
  for (const StepInfo& k : kSteps)
    if (const std::int64_t c = s.steps[static_cast<std::size_t>(k.kind)]) steps[std::string(k.name)] = c;
  j["steps"] = steps;
  return j;
}

Json stats_json(const std::vector<TrialSummary>& trials, bool aggregate, bool posts) {
  Json stats = Json::object();
  TrialSummary prototype;
  if (aggregate) prototype.aggregate = AggregateSummary{};
  prototype.posts = posts;
  const auto names = summary_fields(prototype);
  for (std::size_t f = 0; f < names.size(); ++f) {
    std::vector<double> xs;
    for (const TrialSummary& t : trials)
      if (auto v = summary_fields(t)[f].second) xs.push_back(*v);
    const Describe d = describe(std::move(xs));
    Json& s = stats[names[f].first];
    if (!d.count) {
      for (const char* key : {"mean", "std", "sem", "min", "q05", "median", "q95", "max"}) s[key] = nullptr;
      s["count"] = 0;
      continue;
    }
    s = Json{{"mean", d.mean}, {"std", or_null(d.std)}, {"sem", or_null(d.sem)}, {"min", d.min}, {"q05", d.q05},
             {"median", d.median}, {"q95", d.q95}, {"max", d.max}, {"count", d.count}};
  }
  return stats;
}

Json config_json(const SimConfig& cfg) {
  Json j = Json::object();
  for (const auto& [name, value] : flat_config(cfg))
    std::visit([&j, &name = name](const auto& v) { j[name] = v; }, value);
  return j;
}

void append(Json& to, const Json& from) {
  for (const auto& [key, value] : from.items()) to[key] = value;
}

}  // namespace gossip::cli
