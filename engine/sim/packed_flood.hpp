// Flood, up to 64 trials in one pass (docs/model.md, "Many trials in one pass"): one bit per
// trial in a 64-bit word per node. Trial t is lane t mod 64 of batch t / 64, whose fate words are
// bits of shared draws (protocol/flood_fate.hpp), so a batch's trials cost one sweep over the
// graph and about 7 fate words per arc instead of 64 sweeps.
#pragma once
#include <cstdint>

#include "graph/graph.hpp"
#include "protocol/spec.hpp"
#include "sim/simulate.hpp"

namespace gossip {
class Reach;
}

namespace gossip {

// Runs trials first .. first + count - 1 (one batch: all with the same t / 64) and hands the sink,
// trial by trial in order, exactly the calls run_trial would make (wall_seconds aside: the
// batch's time shared equally). StepKind::packed must support the run (step.hpp): no TTL where
// nodes recover (SIR), since a node's hops then differ between trials.
void run_packed_batch(const Graph& g, const ProtocolSpec& spec, std::uint64_t seed, std::uint32_t first,
                      std::uint32_t count, Round max_rounds, Sink& sink, Reach& reach);

// Bytes per node of the packed state without informed_at planes (seen, senders, next).
inline constexpr std::uint64_t kPackedBytesPerNode = 24;

}  // namespace gossip
