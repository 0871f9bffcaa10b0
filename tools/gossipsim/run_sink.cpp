#include "run_sink.hpp"

#include <fmt/format.h>

#include <csignal>
#include <cstring>

#include "json.hpp"
#include "log.hpp"
#include "signals.hpp"
#include "sim/posts.hpp"

namespace gossip::cli {

template <class F>
void RunSink::timed(F&& f) {
  const auto t0 = Clock::now();
  f();
  output_seconds_ += std::chrono::duration<double>(Clock::now() - t0).count();
}

RunSink::RunSink(Json per_trial_config, H5Writer* writer, Progress& progress, StopPolicy policy,
                 std::vector<TrialSummary> done)
    : per_trial_config_(std::move(per_trial_config)), writer_(writer), progress_(progress), policy_(std::move(policy)), done_(std::move(done)) {}

void RunSink::on_round(std::uint32_t trial, Round r, const RoundStats& s) {
  if (writer_) timed([&] { writer_->on_round(trial, r, s); });
  progress_.round(trial, r, s.informed);
}

void RunSink::on_trial_end(const TrialSummary& s, std::span<const Round> informed_at, std::span<const std::uint16_t> hops) {
  done_.push_back(s);
  if (!per_trial_config_.is_null()) {
    Json line = trial_json(s);
    append(line, per_trial_config_);
    fmt::print("{}\n", line.dump());
  }
  if (writer_) timed([&] { writer_->on_trial_end(s, informed_at, hops); });
  progress_.trial_done();
}

unsigned RunSink::at_boundary(std::uint32_t trial, Round r) {
  unsigned want = writer_ ? writer_->at_boundary(trial, r) : kGoOn;
  const auto now = Clock::now();
  if (const int sig = stop_signal()) {
    stop_reason_ = fmt::format("signal {}", sigabbrev_np(sig) ? sigabbrev_np(sig) : std::to_string(sig));
  } else if (policy_.max_seconds && std::chrono::duration<double>(now - policy_.started).count() >= *policy_.max_seconds) {
    stop_reason_ = "--max-hours reached";
  } else if (policy_.checkpoint_seconds &&
             std::chrono::duration<double>(now - last_checkpoint_).count() >= *policy_.checkpoint_seconds) {
    return want | kWantCheckpoint;
  }
  return stop_reason_.empty() ? want : want | kStop;
}

void RunSink::on_state(std::uint32_t trial, Round r, std::span<const Round> informed_at) {
  if (writer_) timed([&] { writer_->on_state(trial, r, informed_at); });
}

void RunSink::on_aggregate_round(std::uint32_t trial, Round r, const AggregateRound& o) {
  if (writer_) timed([&] { writer_->on_aggregate_round(trial, r, o); });
}

void RunSink::on_aggregate_state(std::uint32_t trial, Round r, std::span<const double> s, std::span<const double> w) {
  if (writer_) timed([&] { writer_->on_aggregate_state(trial, r, s, w); });
}

void RunSink::on_posts_trial(const PostsTrialResult& r) {
  if (writer_) timed([&] { writer_->on_posts_trial(r); });
  PostsTally& t = posts_;
  t.count = r.posts.size();
  for (const PostOutcome& p : r.posts) {
    t.reach_min = t.outcomes ? std::min(t.reach_min, p.reach) : p.reach;
    t.reach_max = t.outcomes ? std::max(t.reach_max, p.reach) : p.reach;
    ++t.outcomes;
    t.reach_sum += static_cast<double>(p.reach);
    t.duplicates_sum += static_cast<double>(p.duplicates);
    if (p.rounds_90) ++t.rounds_90_count, t.rounds_90_sum += *p.rounds_90;
  }
  ++t.trials;
}

Json RunSink::posts_json() const {
  const PostsTally& t = posts_;
  if (!t.trials) return Json();
  const double k = static_cast<double>(t.outcomes);
  Json j;
  j["count"] = t.count;
  j["trials"] = t.trials;  // trials this process ran (a resumed run's earlier ones are in the file)
  j["reach_mean"] = k ? t.reach_sum / k : 0.0;
  j["reach_min"] = t.reach_min;
  j["reach_max"] = t.reach_max;
  j["rounds_90_mean"] = t.rounds_90_count ? Json(t.rounds_90_sum / static_cast<double>(t.rounds_90_count)) : Json();
  j["duplicates_mean"] = k ? t.duplicates_sum / k : 0.0;
  return j;
}

void RunSink::on_checkpoint(const TrialCheckpoint& c) {
  if (policy_.checkpoint_path.empty()) return;  // a stop without an output: nothing to resume into
  const auto t0 = Clock::now();
  if (writer_) timed([&] { writer_->flush(); });
  RunCheckpoint rc;
  rc.config_toml = policy_.config_toml;
  rc.graph_fingerprint = policy_.graph_fingerprint;
  rc.inputs_fingerprint = policy_.inputs_fingerprint;
  rc.done = done_;
  write_checkpoint(policy_.checkpoint_path, rc, c);
  last_checkpoint_ = Clock::now();
  progress_.finish();
  const std::string at = c.round < 0 ? fmt::format("before trial {}", c.trial) : fmt::format("trial {}, round {}", c.trial, c.round);
  log_info("checkpoint {}: {} ({:.2f} s)", policy_.checkpoint_path, at,
           std::chrono::duration<double>(last_checkpoint_ - t0).count());
}

}  // namespace gossip::cli
