#include "json.hpp"

#include "sim/trial_summary.hpp"

namespace gossip::cli {

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

Json stats_json(const std::vector<TrialSummary>& trials) {
  Json stats = Json::object();
  if (trials.empty()) return stats;
  const auto names = summary_fields(trials.front());
  for (std::size_t f = 0; f < names.size(); ++f) {
    std::vector<double> xs;
    for (const TrialSummary& t : trials)
      if (auto v = summary_fields(t)[f].second) xs.push_back(*v);
    const Moments m = moments(xs);
    stats[names[f].first] = m.count ? Json{{"mean", m.mean}, {"std", m.std}, {"min", m.min}, {"max", m.max}, {"count", m.count}}
                                    : Json{{"mean", nullptr}, {"std", nullptr}, {"min", nullptr}, {"max", nullptr}, {"count", 0}};
  }
  return stats;
}

}  // namespace gossip::cli
