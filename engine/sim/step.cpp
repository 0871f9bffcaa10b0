#include "sim/step.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/memory.hpp"

namespace gossip {

RunPlan plan_run(Features f, Packing packing, std::uint64_t trials, NodeId n, std::uint64_t packed_bytes,
                 std::uint64_t available_bytes, const Tuning& t) {
  if (f.has(kManyRumors)) {
    if (packing == Packing::on) throw UsageError("run.packed = 'on' cannot run posts (their words already pack 64 posts)");
    if (!supports(StepKind::posts, f)) throw UsageError("posts do not run with this protocol's options");
    return {false, {}, StepKind::posts};
  }
  if (f.has(kFloatState)) {
    if (packing == Packing::on) throw UsageError("run.packed = 'on' requires protocol.mode = 'flood'");
    for (const StepInfo& k : kSteps)
      if (k.direction == Direction::run && supports(k.kind, f)) return {false, {}, k.kind};
    throw UsageError("this aggregation run needs a feature no aggregation step has (faults other than loss)");
  }
  if (packing == Packing::on && !f.has(kFlood)) throw UsageError("run.packed = 'on' requires protocol.mode = 'flood'");
  if (packing == Packing::off || !f.has(kFlood)) return {};
  const bool can = supports(StepKind::packed, f);
  if (packing == Packing::on) {
    if (!can)
      throw UsageError("run.packed = 'on' cannot run protocol.recovery_prob below 1 with protocol.ttl (a node's hops "
                       "then differ from trial to trial)");
    return {true, {}, {}};
  }
  if (!can) return {};
  // One by one goes bottom-up where it can, which the packed pass does not: packing pays only
  // for full batches there.
  if (trials < (supports(StepKind::bottom_up, f) ? t.packed_min_trials_bottom_up : t.packed_min_trials)) return {};
  const std::uint64_t need = packed_bytes * std::uint64_t{n};
  if (available_bytes && need > available_bytes)
    return {false, fmt::format("run.packed = auto: the packed state ({}) does not fit; trials run one by one",
                               format_gib(need)), {}};
  return {true, {}, {}};
}

}  // namespace gossip
