// What the engine-versus-reference tests record of one engine trial (every round's counters, the
// final node state, the summary), and a one-line description of a spec for their messages.
#pragma once
#include <span>
#include <string>
#include <vector>

#include "protocol/spec.hpp"
#include "sim/simulate.hpp"

namespace gossip::test {

struct Collect : Sink {
  std::vector<RoundStats> rounds;
  std::vector<Round> informed_at;
  std::vector<std::uint16_t> hops;
  TrialSummary summary;
  void on_round(std::uint32_t, Round, const RoundStats& s) override { rounds.push_back(s); }
  void on_trial_end(const TrialSummary& s, std::span<const Round> ia, std::span<const std::uint16_t> h) override {
    summary = s;
    informed_at.assign(ia.begin(), ia.end());
    hops.assign(h.begin(), h.end());
  }
};

inline std::string describe(const ProtocolSpec& s) {
  return std::string(mode_name(s.mode)) + " fanout=" + std::to_string(s.fanout) + " no_repeat=" +
         std::to_string(s.no_repeat) + " p=" + std::to_string(s.forward_prob) + " ttl=" + std::to_string(s.ttl) +
         " loss=" + std::to_string(s.loss) + " stop=" + std::string(stop_name(s.stop)) + " k=" + std::to_string(s.k) +
         " recovery=" + std::to_string(s.recovery_prob);
}

}  // namespace gossip::test
