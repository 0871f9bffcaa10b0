// H5Writer: the Sink that writes a run's HDF5 file in the H5MD-compatible layout of
// docs/output.md (CONVENTIONS.md): /h5md, /parameters, /provenance (+ status), /graph,
// /observables/<counter> [rounds][trials], /trials columns, /nodes/informed_at [K][n] and optional
// coverage snapshots /nodes/informed. Every object is created before the file switches to SWMR,
// so readers can watch it live and it stays readable after kill -9; rows are buffered and
// flushed every output.flush_seconds, at checkpoints and at the end. The status says "running"
// until finish(complete). The kernels never see this class: the CLI drives it as a Sink.
#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "config/config.hpp"
#include "core/memory.hpp"
#include "graph/meta.hpp"
#include "output/h5_posts.hpp"
#include "sim/simulate.hpp"

namespace gossip {

struct RunCheckpoint;

inline constexpr std::int32_t kSchemaVersion[2] = {1, 0};  // /h5md/modules/gossipsim version

enum class RunStatus : std::int32_t { running = 0, complete = 1, interrupted = 2, failed = 3 };

// The word for a /provenance/status value: "running", "complete", "interrupted", "failed"
// ("status N" for a value outside them).
std::string status_name(std::int32_t status);

// What an existing output says about itself: its status and the config it was written with.
struct OutputState {
  std::int32_t status = 0;
  SimConfig cfg;
};
// Reads PATH without changing it (SWMR read, so a file left by a killed writer opens too);
// InputError when it is not a readable gossipsim output.
OutputState read_output_state(const std::string& path, bool file_locking);

// Provenance strings the caller collects (command_line, hostname, slurm ids, ...), plus threads.
struct OutputMeta {
  std::vector<std::pair<std::string, std::string>> provenance;
  std::int64_t threads = 1;
};

class H5Writer : public Sink {
 public:
  // Creates PATH (an existing one only with force: UsageError otherwise; ResourceError when it
  // cannot be created) and writes what does not need the graph; status running.
  static std::unique_ptr<H5Writer> create(const std::string& path, bool force, const SimConfig& cfg,
                                          const OutputMeta& meta);
  // Opens PATH left by an interrupted run of the same experiment (UsageError when it is
  // complete or its config differs, InputError when it is not a gossipsim output).
  static std::unique_ptr<H5Writer> reopen(const std::string& path, const SimConfig& cfg, const OutputMeta& meta);
  ~H5Writer() override;

  // What a writer of this config on n nodes allocates beyond the engine: the int32 row it
  // converts each saved trial's informed_at into (output.node_trials), the byte row of a coverage
  // snapshot (output.every), and the HDF5 library's chunk buffers (a per-node chunk being
  // compressed, the chunk caches of the round counters and trial columns); for a posts run
  // (`posts` not null: its list) no node rows but the posts datasets' (posts_output_memory).
  static MemoryPlan memory(const SimConfig& cfg, std::uint64_t n, const PostsSpec* posts = nullptr);

  // A posts run: its list, names and texts (docs/output.md, "Posts"); before begin or
  // begin_resumed. Without it, a posts run's file has no /users and /posts.
  void set_posts(PostsMeta meta);

  // New file: the graph attributes and every dataset, then SWMR (unless swmr is false).
  void begin(const GraphMeta& g, bool swmr = true);
  // Resumed file: checks the graph, resets everything after the checkpoint to fill values, SWMR.
  void begin_resumed(const GraphMeta& g, const RunCheckpoint& c);

  void on_round(std::uint32_t trial, Round r, const RoundStats& s) override;
  bool wants_informed_at(std::uint32_t trial) const override;
  void on_trial_end(const TrialSummary& s, std::span<const Round> informed_at,
                    std::span<const std::uint16_t> hops) override;
  unsigned at_boundary(std::uint32_t trial, Round r) override;
  void on_state(std::uint32_t trial, Round r, std::span<const Round> informed_at) override;
  void on_aggregate_round(std::uint32_t trial, Round r, const AggregateRound& o) override;
  // A posts trial's per-post results, reach per round and arrivals (written at once).
  void on_posts_trial(const PostsTrialResult& result) override;
  // The estimates of s and w as a snapshot row (/nodes/estimate) when one is due.
  void on_aggregate_state(std::uint32_t trial, Round r, std::span<const double> s, std::span<const double> w) override;

  void flush();  // buffered rows to the file, then H5Fflush
  // Flushes, closes, reopens without SWMR to write end_utc and the status, closes.
  void finish(RunStatus status);
  // finish(failed) that never throws (the caller is already handling an error).
  void fail() noexcept;
  const std::string& path() const;
  std::int64_t file_id() const;  // the HDF5 file id (merge writes its blocks through it)

  struct Impl;

 private:
  explicit H5Writer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace gossip
