// ProtocolSpec: the protocol slice of the configuration (what the round kernels read).
// Defaults live in SimConfig (config/config.hpp) alone; this struct only carries values.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.hpp"
#include "protocol/fault_spec.hpp"
#include "protocol/posts.hpp"

namespace gossip {

// push .. flood spread a rumor; push_sum, averaging and pairwise compute an aggregate
// (docs/model.md, "Aggregation").
enum class Mode { push, pull, push_pull, flood, push_sum, averaging, pairwise };
inline constexpr Mode kLastMode = Mode::pairwise;
inline constexpr bool is_aggregation(Mode m) { return m == Mode::push_sum || m == Mode::averaging || m == Mode::pairwise; }
enum class StopRule { none, feedback_counter, feedback_coin, blind_counter, blind_coin };

// Aggregation (protocol.mode push-sum, averaging, pairwise): the [aggregate] keys as configured;
// parse_aggregate() turns them into numbers.
struct AggregateSpec {
  std::string init;    // "uniform:a,b", "normal:mu,sigma", "peak" or "file:COLUMN"
  std::string target;  // "average", "sum" or "count"
  double eps;          // a trial ends once every estimate is within eps relative error
  // file:COLUMN: that column of the node file, one value per node, once read (io/node_file.hpp).
  std::shared_ptr<const std::vector<double>> values{};
  friend bool operator==(const AggregateSpec& x, const AggregateSpec& y) {
    return x.init == y.init && x.target == y.target && x.eps == y.eps;
  }
};

enum class AggregateInit : std::uint8_t { uniform, normal, peak, file };
enum class AggregateTarget : std::uint8_t { average, sum, count };

struct AggregateParams {
  AggregateInit init = AggregateInit::uniform;
  double a = 0, b = 1;  // uniform: [a, b); normal: mu, sigma
  AggregateTarget target = AggregateTarget::average;
  double eps = 1e-6;
  std::string column;                          // file: the node file column
  const std::vector<double>* values = nullptr;  // file: its values once read (null before)
};

// The magnitude bound of initial values (sums over 2^32 nodes stay finite).
inline constexpr double kAggregateBound = 1e100;

// The numbers of an AggregateSpec, or nothing with `why` set (a finite a <= b, |a|, |b| <= 1e100;
// a finite mu and 0 <= sigma, |mu|, sigma <= 1e100).
std::optional<AggregateParams> parse_aggregate(const AggregateSpec& s, std::string& why);

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
  AggregateSpec aggregate{};  // aggregation modes only
  PostsSpec posts{};          // many posts in one run (docs/model.md, "Posts"); none: one rumor
};

std::string_view mode_name(Mode m);
std::string_view stop_name(StopRule s);
std::optional<Mode> parse_mode(std::string_view s);
std::optional<StopRule> parse_stop(std::string_view s);

}  // namespace gossip
