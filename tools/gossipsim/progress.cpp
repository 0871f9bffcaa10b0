#include "progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

#include "log.hpp"

namespace gossip::cli {
namespace {

std::string duration(double s) {
  const auto t = static_cast<long long>(s + 0.5);
  return fmt::format("{}:{:02}:{:02}", t / 3600, t / 60 % 60, t % 60);
}

}  // namespace

Progress::Progress(std::uint64_t trials, std::uint64_t done, std::uint64_t n, double interval_seconds)
    : trials_(trials), done_(done), done_at_start_(done), n_(n), interval_(interval_seconds),
      tty_(::isatty(STDERR_FILENO) == 1) {}

std::string Progress::line(Round r, std::int64_t informed, double rate) const {
  const double cov = n_ ? static_cast<double>(informed) / static_cast<double>(n_) : 0.0;
  std::string eta = "unknown";
  const std::uint64_t finished_here = done_ - done_at_start_;
  if (finished_here > 0) {
    const double per_trial = std::chrono::duration<double>(last_done_ - start_).count() / static_cast<double>(finished_here);
    const double in_trial = std::chrono::duration<double>(Clock::now() - last_done_).count();
    eta = duration(std::max(0.0, per_trial * static_cast<double>(trials_ - done_) - in_trial));
  }
  return fmt::format("trial {} ({}/{} done), round {}: coverage {:.6f}, {:.1f} rounds/s, ETA {}", trial_, done_,
                     trials_, r, cov, rate, eta);
}

void Progress::round(std::uint32_t trial, Round r, std::int64_t informed) {
  trial_ = trial;
  ++rounds_since_last_;
  const auto now = Clock::now();
  const double since = std::chrono::duration<double>(now - last_).count();
  if (since < (tty_ ? 0.5 : interval_)) return;
  const std::string text = line(r, informed, static_cast<double>(rounds_since_last_) / since);
  last_ = now;
  rounds_since_last_ = 0;
  if (tty_) {
    fmt::print(stderr, "\r{}\033[K", text);
    std::fflush(stderr);
    drawn_ = true;
  } else {
    log_info("{}", text);
  }
}

void Progress::trial_done() {
  ++done_;
  last_done_ = Clock::now();
}

void Progress::finish() {
  if (drawn_) fmt::print(stderr, "\n");
  drawn_ = false;
}

}  // namespace gossip::cli
