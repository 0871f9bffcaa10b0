// Reach (sim/reach.hpp): the size of each trial's reachable set, by the cheapest way that is exact.
#include "sim/reach.hpp"

#include <algorithm>
#include <cmath>

#include "graph/components.hpp"
#include "protocol/contact.hpp"

namespace gossip {

struct Reach::Components {
  Array<NodeId> label;         // smallest node id of v's component
  Array<std::uint32_t> size;   // size[label]: the component's node count
};

Reach::Reach(const Graph& g, const ProtocolSpec& spec, double stop_coverage)
    : g_(g), spec_(spec), stop_coverage_(stop_coverage) {}
Reach::~Reach() = default;

std::int64_t Reach::count(const std::vector<NodeId>& sources, const FaultState* faults) {
  const bool crashes = faults && faults->on() && spec_.faults.crashed > 0.0;
  return visit_graph(g_, [&](const auto& g) -> std::int64_t {
    using G = std::decay_t<decltype(g)>;
    if constexpr (!is_implicit_complete<G>) {
      if (!crashes && !g.directed()) {  // the sources' components, each counted once
        if (!comp_) {
          comp_ = std::make_unique<Components>();
          comp_->label = component_labels(g);
          comp_->size = Array<std::uint32_t>(g.num_nodes());
          par::parallel_for(0, g.num_nodes(), [&](std::size_t v) { comp_->size[v] = 0; });
          par::parallel_for(0, g.num_nodes(), [&](std::size_t v) {
            std::atomic_ref<std::uint32_t>(comp_->size[comp_->label[v]]).fetch_add(1, std::memory_order_relaxed);
          });
        }
        std::vector<NodeId> labels;
        for (NodeId s : sources) labels.push_back(comp_->label[s]);
        std::ranges::sort(labels);
        labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
        std::int64_t c = 0;
        for (NodeId l : labels) c += comp_->size[l];
        return c;
      }
    }
    return reachable_count(g, spec_.mode, sources, [&](NodeId v) { return crashes && faults->crashed(v); });
  });
}

std::optional<std::int64_t> Reach::stop_target(std::int64_t reachable) const {
  if (stop_coverage_ >= 1.0) return std::nullopt;
  return static_cast<std::int64_t>(std::ceil(stop_coverage_ * static_cast<double>(reachable)));
}

void Reach::finish(TrialSummary& s, const std::vector<std::int64_t>& informed_by_round,
                   const std::vector<NodeId>& sources, const FaultState* faults, std::optional<std::int64_t> known) {
  // A trial that ended by its live-arc rule informed every node it could reach when nothing
  // limits a path: no fault, TTL, stop rule, total loss, or (flood) loss or refusal on the way.
  const Thresholds th = Thresholds::of(spec_);
  const bool exhausts = !s.truncated && !s.coverage_stop && !(faults && faults->on()) && spec_.ttl == 0 &&
                        spec_.stop == StopRule::none && spec_.loss < 1.0 &&
                        (spec_.mode != Mode::flood || th.certain());
  const std::int64_t reach = known ? *known : exhausts ? s.final_informed : count(sources, faults);
  s.reachable = reach;
  s.coverage_reachable = reach ? static_cast<double>(s.final_informed) / static_cast<double>(reach) : 0.0;
  auto first = [&](double f) -> std::optional<Round> {
    const auto target = static_cast<std::int64_t>(std::ceil(f * static_cast<double>(reach)));
    for (std::size_t r = 0; r < informed_by_round.size(); ++r)
      if (informed_by_round[r] >= target) return static_cast<Round>(r);
    return std::nullopt;
  };
  s.reach_50 = first(0.5), s.reach_90 = first(0.9), s.reach_95 = first(0.95), s.reach_99 = first(0.99);
  s.reach_full = first(1.0);
}

}  // namespace gossip
