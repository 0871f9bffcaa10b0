// H5Writer's rows: per-round counters buffered per trial and written as column slices, trial
// summaries, informed_at rows and coverage snapshots; flushing; and on resume, resetting
// everything after the checkpoint to fill values so the continued file equals an
// uninterrupted one.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "graph/fingerprint.hpp"
#include "output/h5_writer_impl.hpp"
#include "sim/checkpoint.hpp"
#include "sim/round_fields.hpp"
#include "sim/trial_summary.hpp"

namespace gossip {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// Grows a step dataset to `rows` rows, writing step = row * stride for the new ones.
void grow_steps(hid_t step, hsize_t from, hsize_t rows, std::int64_t stride) {
  h5::set_extent(step, {rows});
  std::vector<std::int64_t> s(rows - from);
  for (hsize_t i = 0; i < s.size(); ++i) s[i] = static_cast<std::int64_t>(from + i) * stride;
  h5::write(step, H5T_NATIVE_INT64, {from}, {s.size()}, s.data());
}

}  // namespace

void H5Writer::Impl::write_pending() {
  if (!pending_agg.empty() && !values.empty()) {
    const hsize_t from = static_cast<hsize_t>(pending_from), count = pending_agg.size();
    if (from + count > rows) {
      for (h5::Id& v : values) h5::set_extent(v, {from + count, trials});
      grow_steps(step, rows, from + count, 1);
      rows = from + count;
    }
    std::vector<double> reals(count);
    std::vector<std::int64_t> ints(count);
    std::size_t f = 0;
    for (const AggregateField& x : kAggregateFields) {
      for (hsize_t i = 0; i < count; ++i) reals[i] = pending_agg[i].*x.member;
      h5::write(values[f++], H5T_NATIVE_DOUBLE, {from, col}, {count, 1}, reals.data());
    }
    for (const AggregateCount& x : kAggregateCounts) {
      for (hsize_t i = 0; i < count; ++i) ints[i] = pending_agg[i].*x.member;
      h5::write(values[f++], H5T_NATIVE_INT64, {from, col}, {count, 1}, ints.data());
    }
    pending_from += static_cast<Round>(count);
    pending_agg.clear();
  }
  if (!pending.empty() && !values.empty()) {
    const hsize_t from = static_cast<hsize_t>(pending_from), count = pending.size();
    if (from + count > rows) {
      for (h5::Id& v : values) h5::set_extent(v, {from + count, trials});
      grow_steps(step, rows, from + count, 1);
      rows = from + count;
    }
    std::vector<std::int64_t> col_buf(count);
    for (std::size_t f = 0; f < kRoundFields.size(); ++f) {
      for (hsize_t i = 0; i < count; ++i) col_buf[i] = pending[i].*kRoundFields[f].member;
      h5::write(values[f], H5T_NATIVE_INT64, {from, col}, {count, 1}, col_buf.data());
    }
    pending_from += static_cast<Round>(count);
    pending.clear();
  }
  if (!pending_trials.empty() && !columns.empty()) {
    const hsize_t first = column_of(pending_trials.front().trial), count = pending_trials.size();
    std::vector<std::int64_t> ints(count);
    std::vector<double> reals(count);
    std::vector<std::int8_t> status8(count);
    const auto names = trial_columns(aggregate, posts_run);
    for (std::size_t c = 0; c < names.size(); ++c) {
      const auto& [name, integral] = names[c];
      for (hsize_t i = 0; i < count; ++i) {
        const TrialSummary& s = pending_trials[i];
        std::optional<double> v;
        if (name == "trial") v = s.trial;
        else if (name == "requests") v = static_cast<double>(s.requests);
        else if (name == "wall_seconds") v = s.wall_seconds;
        else if (name == "status") status8[i] = s.truncated ? 1 : 0;
        else if (name.starts_with("steps_")) {
          for (const StepInfo& k : kSteps)
            if (name == step_column(k.kind)) v = static_cast<double>(s.steps[static_cast<std::size_t>(k.kind)]);
        } else
          for (const auto& [fname, fv] : summary_fields(s))
            if (fname == name || (fname == "messages" && name == "messages_total")) v = fv;
        if (name == "messages_total") v = static_cast<double>(s.messages);  // exact, not via double
        ints[i] = v ? static_cast<std::int64_t>(*v) : -1;
        reals[i] = v ? *v : std::nan("");
        if (name == "messages_total") ints[i] = s.messages;
      }
      const hid_t d = columns[c].second;
      if (name == "status") h5::write(d, H5T_NATIVE_INT8, {first}, {count}, status8.data());
      else if (integral) h5::write(d, H5T_NATIVE_INT64, {first}, {count}, ints.data());
      else h5::write(d, H5T_NATIVE_DOUBLE, {first}, {count}, reals.data());
    }
    pending_trials.clear();
  }
}

void H5Writer::on_round(std::uint32_t trial, Round r, const RoundStats& s) {
  Impl& m = *impl_;
  const hsize_t col = m.column_of(trial);
  if (col != m.col || r < m.pending_from) {  // a new trial: what is buffered belongs to the last one
    m.write_pending();
    m.col = col;
    m.pending_from = r;
  }
  m.pending.push_back(s);
  if (seconds_since(m.last_flush) >= m.cfg.output.flush_seconds) flush();
}

void H5Writer::on_aggregate_round(std::uint32_t trial, Round r, const AggregateRound& o) {
  Impl& m = *impl_;
  const hsize_t col = m.column_of(trial);
  if (col != m.col || r < m.pending_from) {
    m.write_pending();
    m.col = col;
    m.pending_from = r;
  }
  m.pending_agg.push_back(o);
  if (seconds_since(m.last_flush) >= m.cfg.output.flush_seconds) flush();
}

void H5Writer::on_aggregate_state(std::uint32_t trial, Round r, std::span<const double> s, std::span<const double> w) {
  Impl& m = *impl_;
  if (!m.snap_value.valid()) return;
  const hsize_t k = static_cast<hsize_t>(r / m.cfg.output.every), col = m.column_of(trial);
  if (k >= m.snap_rows) {
    h5::set_extent(m.snap_value, {k + 1, m.node_trials, m.n});
    grow_steps(m.snap_step, m.snap_rows, k + 1, m.cfg.output.every);
    m.snap_rows = k + 1;
  }
  std::vector<double> row(s.size());
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const bool weights = !w.empty(), count = m.agg.target == AggregateTarget::count;
  par::parallel_for(0, row.size(), [&](std::size_t v) {
    if (weights) row[v] = w[v] > 0 ? s[v] / w[v] : nan;
    else row[v] = count ? (s[v] > 0 ? 1.0 / s[v] : nan) : s[v];
  });
  h5::write(m.snap_value, H5T_NATIVE_DOUBLE, {k, col, 0}, {1, 1, row.size()}, row.data());
}

void H5Writer::on_trial_end(const TrialSummary& s, std::span<const Round> informed_at, std::span<const std::uint16_t>) {
  Impl& m = *impl_;
  m.pending_trials.push_back(s);
  const hsize_t col = m.column_of(s.trial);
  if (col < m.node_trials && m.informed_at.valid()) {
    std::vector<std::int32_t> row(informed_at.size());
    par::parallel_for(0, row.size(), [&](std::size_t v) { row[v] = informed_at[v] == kNever ? -1 : informed_at[v]; });
    h5::write(m.informed_at, H5T_NATIVE_INT32, {col, 0}, {1, row.size()}, row.data());
  }
  if (seconds_since(m.last_flush) >= m.cfg.output.flush_seconds) flush();
}

bool H5Writer::wants_informed_at(std::uint32_t trial) const {
  return impl_->column_of(trial) < impl_->node_trials;
}

unsigned H5Writer::at_boundary(std::uint32_t trial, Round r) {
  const Impl& m = *impl_;
  const bool snap =
      m.snap_value.valid() && r >= 0 && m.column_of(trial) < m.node_trials && r % m.cfg.output.every == 0;
  return snap ? kWantState : kGoOn;
}

void H5Writer::on_state(std::uint32_t trial, Round r, std::span<const Round> informed_at) {
  Impl& m = *impl_;
  if (!m.snap_value.valid()) return;
  const hsize_t s = static_cast<hsize_t>(r / m.cfg.output.every), col = m.column_of(trial);
  if (s >= m.snap_rows) {
    h5::set_extent(m.snap_value, {s + 1, m.node_trials, m.n});
    grow_steps(m.snap_step, m.snap_rows, s + 1, m.cfg.output.every);
    m.snap_rows = s + 1;
  }
  std::vector<std::uint8_t> row(informed_at.size());
  par::parallel_for(0, row.size(), [&](std::size_t v) { row[v] = informed_at[v] <= r; });
  h5::write(m.snap_value, H5T_NATIVE_UINT8, {s, col, 0}, {1, 1, row.size()}, row.data());
}

void H5Writer::flush() {
  Impl& m = *impl_;
  if (!m.file.valid()) return;
  m.write_pending();
  h5::flush(m.file);
  m.last_flush = std::chrono::steady_clock::now();
}

void H5Writer::Impl::truncate_to(const RunCheckpoint& c) {
  const TrialCheckpoint& t = c.trial;
  // Rows [0, r1) of column l stay (none when the checkpoint precedes the trial: round -1).
  const hsize_t l = column_of(t.trial), r1 = static_cast<hsize_t>(t.round + 1);
  const Round every = cfg.output.every;
  const hsize_t s1 = l < node_trials && every && t.round >= 0 ? static_cast<hsize_t>(t.round / every) + 1 : 0;
  hsize_t keep_rows = r1, keep_snaps = s1;
  for (const TrialSummary& s : c.done) {
    keep_rows = std::max<hsize_t>(keep_rows, static_cast<hsize_t>(s.rounds) + 1);
    if (column_of(s.trial) < node_trials && every) keep_snaps = std::max<hsize_t>(keep_snaps, s.rounds / every + 1);
  }
  rows = h5::dims(step)[0];
  for (h5::Id& v : values) {
    h5::fill(v, {r1, l}, {rows > r1 ? rows - r1 : 0, 1});
    h5::fill(v, {0, l + 1}, {rows, trials - l - 1});
    h5::set_extent(v, {keep_rows, trials});
  }
  h5::set_extent(step, {std::min(rows, keep_rows)});
  rows = std::min(rows, keep_rows);
  if (rows < keep_rows) grow_steps(step, rows, keep_rows, 1), rows = keep_rows;
  for (auto& [name, d] : columns) h5::fill(d, {l}, {trials - l});
  if (informed_at.valid() && l < node_trials) h5::fill(informed_at, {l, 0}, {node_trials - l, n});
  if (snap_value.valid()) {
    snap_rows = h5::dims(snap_step)[0];
    if (l < node_trials) {
      if (snap_rows > s1) h5::fill(snap_value, {s1, l, 0}, {snap_rows - s1, 1, n});
      h5::fill(snap_value, {0, l + 1, 0}, {snap_rows, node_trials - l - 1, n});
    }
    h5::set_extent(snap_value, {keep_snaps, node_trials, n});
    h5::set_extent(snap_step, {std::min(snap_rows, keep_snaps)});
    if (snap_rows < keep_snaps) grow_steps(snap_step, snap_rows, keep_snaps, every);
    snap_rows = keep_snaps;
  }
  if (posts && !post_columns.empty()) truncate_posts(c);
  col = l;
  pending_from = t.round + 1;
}

void H5Writer::begin_resumed(const GraphMeta& g, const RunCheckpoint& c) {
  Impl& m = *impl_;
  const std::string stored = h5::attr_string(h5::open_group(m.file, "graph"), "fingerprint");
  if (stored != fingerprint_hex(g.fingerprint))
    throw InputError(fmt::format("cannot resume: '{}' was written for another graph (fingerprint {}, this graph {})",
                                 m.path, stored, fingerprint_hex(g.fingerprint)));
  m.untouched = false;
  h5::Id p = h5::open_group(m.file, "provenance");
  h5::attr(p, "resumed_utc", m.start_utc);
  for (const auto& [k, v] : m.meta.provenance)
    if (k == "command_line") h5::attr(p, "resume_command_line", v);
  p = h5::Id();
  m.trials = m.cfg.run.trials;
  m.n = g.n;
  m.node_trials = m.posts ? 0 : std::min<hsize_t>(m.cfg.output.node_trials, m.trials);
  m.open_handles();
  m.truncate_to(c);
  m.write_status(RunStatus::running);
  m.close_handles();
  h5::flush(m.file);
  h5::start_swmr(m.file);
  m.open_handles();
}

}  // namespace gossip
