// The sources of a trial (docs/model.md, "Sources"): explicit ids, or k distinct nodes drawn by
// Floyd's algorithm from the trial's own stream, so trial t has the same sources in any batch.
#include <algorithm>
#include <string>
#include <unordered_set>

#include "core/error.hpp"
#include "protocol/contact.hpp"
#include "sim/simulate.hpp"

namespace gossip {

std::vector<NodeId> trial_sources(NodeId n_all, const ProtocolSpec& spec, std::uint64_t seed, std::uint32_t trial) {
  // A growing network draws its sources among the nodes present at round 0: [0, n), or with join
  // rounds from a node file the n nodes of `initial` (ascending), the j-th drawn as initial[j].
  const JoinSpec& join = spec.faults.join;
  const auto n = static_cast<NodeId>(join.present(0, n_all));
  const std::vector<NodeId>* initial = join.kind == JoinSpec::file ? &join.rounds->initial : nullptr;
  std::vector<NodeId> out;
  if (!spec.source_nodes.empty()) {
    for (NodeId v : spec.source_nodes) {
      if (v >= n_all)
        throw UsageError("protocol.source_nodes: node " + std::to_string(v) + " is outside the graph (n = " +
                         std::to_string(n_all) + ")");
      if (initial && join.round_of(v) > 0)
        throw UsageError("protocol.source_nodes: node " + std::to_string(v) + " joins in round " +
                         std::to_string(join.round_of(v)) + " (network.join = '" + join.text + "'): a source is present at round 0");
      if (!initial && v >= n)
        throw UsageError("protocol.source_nodes: node " + std::to_string(v) + " joins after round 0 (network.join = '" +
                         spec.faults.join.text + "': nodes 0 .. " + std::to_string(n - 1) + " are present)");
    }
    out = spec.source_nodes;
  } else {
    if (spec.sources > n)
      throw UsageError("protocol.sources = " + std::to_string(spec.sources) + " exceeds the number of nodes (n = " +
                       std::to_string(n) + (n < n_all ? " present at round 0)" : ")"));
    const auto k = static_cast<NodeId>(spec.sources);
    Rng::Stream s = Rng(seed, trial, kSourceSub).stream(0);
    std::unordered_set<NodeId> taken;
    for (std::uint64_t j = std::uint64_t{n} - k; j < n; ++j) {
      const NodeId x = s.below(static_cast<std::uint32_t>(j + 1));
      const NodeId pick = taken.contains(x) ? static_cast<NodeId>(j) : x;
      taken.insert(pick);
      out.push_back(initial ? (*initial)[pick] : pick);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace gossip
