// The sources of a trial (docs/model.md, "Sources"): explicit ids, or k distinct nodes drawn by
// Floyd's algorithm from the trial's own stream, so trial t has the same sources in any batch.
#include <algorithm>
#include <string>
#include <unordered_set>

#include "core/error.hpp"
#include "protocol/contact.hpp"
#include "sim/simulate.hpp"

namespace gossip {

std::vector<NodeId> trial_sources(NodeId n, const ProtocolSpec& spec, std::uint64_t seed, std::uint32_t trial) {
  std::vector<NodeId> out;
  if (!spec.source_nodes.empty()) {
    for (NodeId v : spec.source_nodes)
      if (v >= n)
        throw UsageError("protocol.source_nodes: node " + std::to_string(v) + " is outside the graph (n = " +
                         std::to_string(n) + ")");
    out = spec.source_nodes;
  } else {
    if (spec.sources > n)
      throw UsageError("protocol.sources = " + std::to_string(spec.sources) + " exceeds the number of nodes (n = " +
                       std::to_string(n) + ")");
    const auto k = static_cast<NodeId>(spec.sources);
    Rng::Stream s = Rng(seed, trial, kSourceSub).stream(0);
    std::unordered_set<NodeId> taken;
    for (std::uint64_t j = std::uint64_t{n} - k; j < n; ++j) {
      const NodeId x = s.below(static_cast<std::uint32_t>(j + 1));
      const NodeId pick = taken.contains(x) ? static_cast<NodeId>(j) : x;
      taken.insert(pick);
      out.push_back(pick);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace gossip
