// ProtocolSpec: the protocol slice of the configuration (what the round kernels read).
// Defaults live in SimConfig (config/config.hpp) alone; this struct only carries values.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/types.hpp"
#include "protocol/fault_spec.hpp"

namespace gossip {

enum class Mode { push, pull, push_pull, flood };
enum class StopRule { none, feedback_counter, feedback_coin, blind_counter, blind_coin };

struct ProtocolSpec {
  Mode mode;
  std::uint32_t fanout;       // contacts per active node per round, >= 1
  bool no_repeat;             // neighbours drawn without replacement while untried ones remain
  double forward_prob;        // each arriving copy accepted with this probability, in (0, 1]
  std::uint32_t ttl;          // 0 = unlimited; a node holding hops == ttl does not pass on
  StopRule stop;              // Demers et al. 1987 rumor mongering (push only)
  std::uint32_t k;            // stop-rule parameter, >= 1
  std::uint64_t sources;      // random source nodes per trial (when source_nodes is empty)
  std::vector<NodeId> source_nodes;  // explicit sources, the same for every trial
  double loss;                // each message lost independently with this probability, [0, 1]
  double recovery_prob;       // flood (SIR): after each round it sends, a node stops for good with this
                              // probability, (0, 1]; 1 = it sends once, in the round after it was informed
  FaultSpec faults{};         // crashed and churning nodes, scheduled events (none by default)
};

std::string_view mode_name(Mode m);
std::string_view stop_name(StopRule s);
std::optional<Mode> parse_mode(std::string_view s);
std::optional<StopRule> parse_stop(std::string_view s);

}  // namespace gossip
