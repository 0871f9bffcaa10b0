// H5Writer's state, shared by h5_writer.cpp (file, layout, status) and h5_rows.cpp (buffered
// rows, snapshots, truncation on resume). Internal to engine/output.
#pragma once
#include <chrono>
#include <string>
#include <vector>

#include <optional>
#include <unordered_map>

#include "output/h5.hpp"
#include "output/h5_posts.hpp"
#include "output/h5_writer.hpp"
#include "sim/aggregate_round.hpp"

namespace gossip {

struct H5Writer::Impl {
  std::string path;
  SimConfig cfg;
  OutputMeta meta;
  h5::Id file;
  bool finished = false;
  bool untouched = false;  // reopened for --resume and not yet changed
  std::string start_utc;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_flush = std::chrono::steady_clock::now();

  // Shapes: T trials (columns), K node trials, n nodes; rows and snapshot rows as written.
  hsize_t trials = 0, node_trials = 0, n = 0;
  hsize_t rows = 0, snap_rows = 0;
  bool aggregate = false;      // an aggregation run (protocol.mode push-sum, averaging, pairwise)
  bool posts_run = false;      // a posts run ([posts]): its own trial columns
  AggregateParams agg;         // its parsed [aggregate] keys (the snapshots' estimates)
  std::vector<h5::Id> values;  // /observables/<field>/value, in observable_fields() order
  h5::Id step, status, informed_at, snap_value, snap_step;
  std::vector<std::pair<std::string, h5::Id>> columns;  // /trials/<name>

  // The trial being written: its column and the rounds not yet in the file.
  hsize_t col = 0;
  Round pending_from = 0;
  std::vector<RoundStats> pending;
  std::vector<AggregateRound> pending_agg;  // aggregation runs' rows
  std::vector<TrialSummary> pending_trials;  // finished, not yet in the file (consecutive)

  // A posts run (set_posts): its meta, each post id's row, the datasets of /posts.
  std::optional<PostsMeta> posts;
  std::unordered_map<std::uint32_t, std::uint32_t> post_row;
  std::vector<std::pair<std::string, h5::Id>> post_columns;  // /posts/<metric> [P][T]
  h5::Id reach_round;                                         // /posts/reach_round [R][T][P]
  std::vector<h5::Id> arrival_columns;                        // /posts/arrivals/<column>, kArrivalColumns order
  h5::Id arrival_first, arrival_count;                        // /posts/arrivals/first, count [T]
  hsize_t posts_rows = 0, arrival_rows = 0;

  void create_posts(const GraphMeta& g);  // /users and /posts (h5_posts.cpp)
  void open_posts();
  void close_posts();
  void write_posts_trial(const PostsTrialResult& r);
  void truncate_posts(const RunCheckpoint& c);  // resume: trials from the checkpoint's on -> fill

  void set_mode();  // aggregate and agg from cfg
  hsize_t column_of(std::uint32_t trial) const { return trial - cfg.run.trial_offset; }
  void open_handles();   // every dataset handle, by path
  void close_handles();
  void create_datasets(const GraphMeta& g);
  void trial_column(hid_t group, const std::string& name, bool integral) const;  // one /trials column, unwritten
  void write_pending();
  void write_status(RunStatus s);
  void truncate_to(const RunCheckpoint& c);  // resume: everything after the checkpoint -> fill
};

// The /trials column of the rounds step kind k ran: "steps_" and its name (sim/step.hpp).
inline std::string step_column(StepKind k) { return "steps_" + std::string(step_name(k)); }

// The /trials columns: name and whether it holds integers (int64, fill -1) or reals (float64,
// fill NaN); "status" is int8 (fill -1: not finished, 0 ended, 1 stopped at run.max_rounds);
// then steps_<kind> for each step kind.

std::vector<std::pair<std::string, bool>> trial_columns(bool aggregate, bool posts = false);

// The /observables elements: name and whether it holds integers (int64, fill -1) or reals
// (float64, fill NaN): kRoundFields, or for aggregation kAggregateFields then kAggregateCounts.
std::vector<std::pair<std::string, bool>> observable_fields(bool aggregate);

// The snapshot element under /nodes: "informed" (uint8 per node) or, for aggregation, "estimate"
// (float64 per node, NaN where undefined).
inline std::string snapshot_name(bool aggregate) { return aggregate ? "estimate" : "informed"; }

}  // namespace gossip
