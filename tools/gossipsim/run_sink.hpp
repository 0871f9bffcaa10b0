// RunSink: what `gossipsim run` hands to simulate(). It collects the trial summaries (the JSON
// summary), prints per-trial JSON lines, drives the progress line and the HDF5 writer, and at
// round boundaries turns stop signals, --max-hours and --checkpoint-every into the engine's
// checkpoint/stop requests; a checkpoint flushes the output, then writes the checkpoint file.
// Without an output, stop signals still stop the run at a round boundary (no checkpoint).
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "io/social.hpp"
#include "json.hpp"
#include "output/h5_writer.hpp"
#include "progress.hpp"
#include "sim/checkpoint.hpp"

namespace gossip::cli {

struct StopPolicy {
  std::string checkpoint_path;               // empty without an output: stops write no checkpoint
  std::optional<double> max_seconds;         // --max-hours, counted from `started`
  std::optional<double> checkpoint_seconds;  // --checkpoint-every
  std::string config_toml;                   // what the checkpoint is checked against
  std::uint64_t graph_fingerprint = 0;
  std::uint64_t inputs_fingerprint = 0;      // the node file's and posts files' contents (input_fingerprint)
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
};

class RunSink : public Sink {
 public:
  // per_trial_config: the config keys each per-trial line carries; null: no per-trial lines.
  RunSink(Json per_trial_config, H5Writer* writer, Progress& progress, StopPolicy policy,
          std::vector<TrialSummary> done);

  void on_round(std::uint32_t trial, Round r, const RoundStats& s) override;
  bool wants_informed_at(std::uint32_t trial) const override { return writer_ && writer_->wants_informed_at(trial); }
  void on_trial_end(const TrialSummary& s, std::span<const Round> informed_at,
                    std::span<const std::uint16_t> hops) override;
  unsigned at_boundary(std::uint32_t trial, Round r) override;
  void on_state(std::uint32_t trial, Round r, std::span<const Round> informed_at) override;
  void on_aggregate_round(std::uint32_t trial, Round r, const AggregateRound& o) override;
  void on_aggregate_state(std::uint32_t trial, Round r, std::span<const double> s, std::span<const double> w) override;
  void on_checkpoint(const TrialCheckpoint& c) override;
  void on_posts_trial(const PostsTrialResult& r) override;

  const std::vector<TrialSummary>& done() const { return done_; }
  const std::string& stop_reason() const { return stop_reason_; }
  double output_seconds() const { return output_seconds_; }  // wall time inside the HDF5 writer
  // The summary's "posts" object over the posts trials this process ran; null without any.
  Json posts_json() const;

 private:
  using Clock = std::chrono::steady_clock;
  Json per_trial_config_;
  H5Writer* writer_;
  Progress& progress_;
  StopPolicy policy_;
  std::vector<TrialSummary> done_;
  std::string stop_reason_;
  double output_seconds_ = 0;
  struct PostsTally {
    std::uint64_t count = 0, trials = 0, outcomes = 0, rounds_90_count = 0;
    std::int64_t reach_min = 0, reach_max = 0;
    double reach_sum = 0, rounds_90_sum = 0, duplicates_sum = 0;
  } posts_;
  template <class F>
  void timed(F&& f);
  Clock::time_point last_checkpoint_ = Clock::now();
};

}  // namespace gossip::cli
