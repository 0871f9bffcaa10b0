// Progress on stderr: on a terminal a live line redrawn about twice a second; otherwise (a
// batch log) one plain, timestamped line every `interval` seconds: trial, round, coverage,
// rounds per second and an ETA from the finished trials. Never a carriage return in a log.
#pragma once
#include <chrono>
#include <cstdint>
#include <string>

#include "core/types.hpp"

namespace gossip::cli {

class Progress {
 public:
  Progress(std::uint64_t trials, std::uint64_t done, std::uint64_t n, double interval_seconds);
  void round(std::uint32_t trial, Round r, std::int64_t informed);
  void trial_done();
  void finish();  // ends a live line

 private:
  using Clock = std::chrono::steady_clock;
  std::string line(Round r, std::int64_t informed, double rate) const;

  std::uint64_t trials_, done_, done_at_start_, n_;
  double interval_;
  bool tty_;
  bool drawn_ = false;
  std::uint32_t trial_ = 0;
  Clock::time_point start_ = Clock::now(), last_ = Clock::now(), last_done_ = Clock::now();
  std::uint64_t rounds_since_last_ = 0;
};

}  // namespace gossip::cli
