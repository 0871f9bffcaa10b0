// H5Writer: the file, its layout and its status (rows and resume: h5_rows.cpp).
#include "output/h5_writer.hpp"

#include <fmt/format.h>

#include <cmath>
#include <ctime>
#include <filesystem>
#include <limits>

#include "core/error.hpp"
#include "core/version.hpp"
#include "graph/fingerprint.hpp"
#include "output/hdf5_info.hpp"
#include "output/h5_writer_impl.hpp"
#include "config/config_flat.hpp"
#include "config/config_toml.hpp"
#include "sim/round_fields.hpp"
#include "sim/trial_summary.hpp"

namespace gossip {
namespace {

std::string utc_now() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void write_parameters(hid_t file, const SimConfig& cfg) {
  h5::Id p = h5::group(file, "parameters");
  h5::string_dataset(p, "config.toml", to_toml(cfg));
  for (const auto& [name, value] : flat_config(cfg))
    std::visit([&, &name = name](const auto& v) { h5::attr(p, name, v); }, value);
}

void write_provenance(hid_t file, const OutputMeta& meta, const std::string& start_utc) {
  h5::Id p = h5::group(file, "provenance");
  const BuildInfo b = build_info();
  for (const auto& [k, v] : meta.provenance) h5::attr(p, k, v);
  h5::attr(p, "version", b.version);
  h5::attr(p, "git_sha", b.git_sha);
  h5::attr(p, "build_type", b.build_type);
  h5::attr(p, "compiler", b.compiler);
  h5::attr(p, "parallel_backend", b.backend);
  h5::attr(p, "hdf5_version", hdf5_version());
  h5::attr(p, "tbb_version", b.tbb_version);
  h5::attr(p, "rng", "philox4x32-10");
  h5::attr(p, "threads", meta.threads);
  h5::attr(p, "start_utc", start_utc);
  const std::int32_t running = 0;
  h5::Id st = h5::dataset(p, "status", H5T_NATIVE_INT32, {1}, {1}, {1}, &running);
  h5::write(st, H5T_NATIVE_INT32, {0}, {1}, &running);
}

void write_h5md(hid_t file) {
  h5::Id h = h5::group(file, "h5md");
  h5::attr(h, "version", std::vector<std::int32_t>{1, 1});
  const char* user = std::getenv("USER");
  h5::Id author = h5::group(h, "author");
  h5::attr(author, "name", user && *user ? user : "unknown");
  h5::Id creator = h5::group(h, "creator");
  h5::attr(creator, "name", "gossipsim");
  h5::attr(creator, "version", build_info().version);
  h5::Id modules = h5::group(h, "modules");
  h5::Id mine = h5::group(modules, "gossipsim");
  h5::attr(mine, "version", std::vector<std::int32_t>{kSchemaVersion[0], kSchemaVersion[1]});
}

hsize_t chunk_of(hsize_t n, hsize_t cap) { return std::max<hsize_t>(1, std::min(n, cap)); }

}  // namespace

std::vector<std::pair<std::string, bool>> observable_fields(bool aggregate) {
  std::vector<std::pair<std::string, bool>> out;
  if (!aggregate) {
    for (const RoundField& f : kRoundFields) out.emplace_back(f.name, true);
    return out;
  }
  for (const AggregateField& f : kAggregateFields) out.emplace_back(f.name, false);
  for (const AggregateCount& f : kAggregateCounts) out.emplace_back(f.name, true);
  return out;
}

std::vector<std::pair<std::string, bool>> trial_columns(bool aggregate, bool posts) {
  std::vector<std::pair<std::string, bool>> cols{{"trial", true}};
  TrialSummary prototype;
  if (aggregate) prototype.aggregate = AggregateSummary{};
  prototype.posts = posts;
  for (const auto& [name, value] : summary_fields(prototype))
    cols.emplace_back(name == "messages" ? "messages_total" : name, is_integral_field(name));
  cols.emplace_back("requests", true);
  cols.emplace_back("wall_seconds", false);
  cols.emplace_back("status", true);
  for (const StepInfo& k : kSteps) cols.emplace_back(step_column(k.kind), true);
  return cols;
}

std::string status_name(std::int32_t status) {
  switch (status) {
    case static_cast<std::int32_t>(RunStatus::running): return "running";
    case static_cast<std::int32_t>(RunStatus::complete): return "complete";
    case static_cast<std::int32_t>(RunStatus::interrupted): return "interrupted";
    case static_cast<std::int32_t>(RunStatus::failed): return "failed";
    default: return fmt::format("status {}", status);
  }
}

OutputState read_output_state(const std::string& path, bool file_locking) {
  OutputState s;
  try {
    h5::Id file;
    try {
      file = h5::open_file(path, false, true, file_locking);
    } catch (const ResourceError&) {  // a writer killed before SWMR left its flags: clear them (h5clear -s)
      file = h5::open_file(path, true, false, file_locking, true);
    }
    if (!h5::exists(file, "/parameters/config.toml") || !h5::exists(file, "/provenance/status"))
      throw InputError(fmt::format("'{}' is not a gossipsim output", path));
    h5::read(h5::open_dataset(file, "/provenance/status"), H5T_NATIVE_INT32, {0}, {1}, &s.status);
    s.cfg = load_config_text(h5::read_string_dataset(file, "/parameters/config.toml"), path);
  } catch (const ResourceError&) {  // not HDF5, or unreadable
    throw InputError(fmt::format("'{}' is not a readable gossipsim output", path));
  }
  return s;
}

H5Writer::H5Writer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
H5Writer::~H5Writer() {
  if (impl_ && !impl_->finished) fail();
}
const std::string& H5Writer::path() const { return impl_->path; }
std::int64_t H5Writer::file_id() const { return impl_->file.get(); }

std::unique_ptr<H5Writer> H5Writer::create(const std::string& path, bool force, const SimConfig& cfg,
                                           const OutputMeta& meta) {
  std::error_code ec;
  if (!force && std::filesystem::exists(path, ec))
    throw UsageError(fmt::format("output '{}' exists (--force overwrites it)", path));
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->cfg = cfg;
  impl->meta = meta;
  impl->start_utc = utc_now();
  impl->set_mode();
  impl->file = h5::create_file(path, cfg.output.file_locking);
  write_h5md(impl->file);
  write_parameters(impl->file, cfg);
  write_provenance(impl->file, meta, impl->start_utc);
  h5::flush(impl->file);
  return std::unique_ptr<H5Writer>(new H5Writer(std::move(impl)));
}

std::unique_ptr<H5Writer> H5Writer::reopen(const std::string& path, const SimConfig& cfg, const OutputMeta& meta) {
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->cfg = cfg;
  impl->meta = meta;
  impl->start_utc = utc_now();
  impl->set_mode();
  try {
    impl->file = h5::open_file(path, true, false, cfg.output.file_locking);
  } catch (const ResourceError&) {  // killed while writing (SWMR flags still set): the checkpoint says it stopped
    impl->file = h5::open_file(path, true, false, cfg.output.file_locking, true);
  }
  if (!h5::exists(impl->file, "/parameters/config.toml") || !h5::exists(impl->file, "/provenance/status"))
    throw InputError(fmt::format("cannot resume: '{}' is not a gossipsim output", path));
  const SimConfig stored = load_config_text(h5::read_string_dataset(impl->file, "/parameters/config.toml"), path);
  if (auto key = first_difference(experiment_config(stored), experiment_config(cfg)); !key.empty())
    throw UsageError(fmt::format("cannot resume: '{}' was written with another config ({} differs)", path, key));
  std::int32_t status = 0;
  h5::read(h5::open_dataset(impl->file, "/provenance/status"), H5T_NATIVE_INT32, {0}, {1}, &status);
  if (status == static_cast<std::int32_t>(RunStatus::complete))
    throw UsageError(fmt::format("cannot resume: '{}' is already complete", path));
  impl->untouched = true;
  return std::unique_ptr<H5Writer>(new H5Writer(std::move(impl)));
}

void H5Writer::Impl::set_mode() {
  aggregate = is_aggregation(cfg.protocol.mode);
  posts_run = cfg.posts.on();
  std::string why;
  if (aggregate) agg = parse_aggregate(cfg.protocol.aggregate, why).value_or(AggregateParams{});
}

MemoryPlan H5Writer::memory(const SimConfig& cfg, std::uint64_t n, const PostsSpec* posts) {
  MemoryPlan m;
  const std::uint64_t trials = cfg.run.trials;
  const std::uint64_t node_trials = posts ? 0 : std::min<std::uint64_t>(cfg.output.node_trials, trials);
  if (posts) posts_output_memory(m, *posts, n, trials);
  const bool snapshots = node_trials && cfg.output.every > 0;
  // Both rows live while they are written (a trial's end, a round's boundary) and are freed.
  if (node_trials)
    m.add("output_rows", "informed_at rows for the output (output.node_trials)", sizeof(std::int32_t) * n, true);
  if (snapshots) m.add("output_snapshots", "coverage snapshot rows (output.every)", n, true);
  // A per-node chunk in the library and its compressed copy (twice, with the filter's slack);
  // each round counter's chunk of 256 rounds and each trial column's chunk, cached.
  const std::uint64_t node_chunk = node_trials ? sizeof(std::int32_t) * chunk_of(n, 1 << 20) : 0;
  const std::uint64_t rounds_chunks = kRoundFields.size() * 8 * 256 * chunk_of(trials, 256);
  const std::uint64_t trial_chunks = std::max(trial_columns(false).size(), trial_columns(true).size()) * 8 * chunk_of(trials, 1 << 14);
  m.add("output_chunks", "the HDF5 library's chunk buffers", 3 * node_chunk + rounds_chunks + trial_chunks);
  return m;
}

void H5Writer::Impl::trial_column(hid_t group, const std::string& name, bool integral) const {
  const std::int64_t minus1 = -1;
  const std::int8_t minus1_8 = -1;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const hsize_t c = chunk_of(trials, 1 << 14);
  if (name == "status") h5::dataset(group, name, H5T_NATIVE_INT8, {trials}, {trials}, {c}, &minus1_8);
  else if (integral) h5::dataset(group, name, H5T_NATIVE_INT64, {trials}, {trials}, {c}, &minus1);
  else h5::dataset(group, name, H5T_NATIVE_DOUBLE, {trials}, {trials}, {c}, &nan);
}

void H5Writer::Impl::create_datasets(const GraphMeta& g) {
  trials = cfg.run.trials;
  n = g.n;
  node_trials = posts ? 0 : std::min<hsize_t>(cfg.output.node_trials, trials);  // posts: no per-node rumor rows
  const std::int64_t minus1 = -1;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const hsize_t unl = H5S_UNLIMITED, tc = chunk_of(trials, 256);
  h5::Id obs = h5::group(file, "observables");
  h5::dataset(obs, "step", H5T_NATIVE_INT64, {0}, {unl}, {256}, &minus1);
  for (const auto& [name, integral] : observable_fields(aggregate)) {
    h5::Id el = h5::group(obs, name);
    h5::check(H5Lcreate_hard(obs, "step", el, "step", H5P_DEFAULT, H5P_DEFAULT), "link step");
    if (integral) h5::dataset(el, "value", H5T_NATIVE_INT64, {0, trials}, {unl, trials}, {256, tc}, &minus1);
    else h5::dataset(el, "value", H5T_NATIVE_DOUBLE, {0, trials}, {unl, trials}, {256, tc}, &nan);
  }
  h5::Id tr = h5::group(file, "trials");
  for (const auto& [name, integral] : trial_columns(aggregate, posts_run)) trial_column(tr, name, integral);
  h5::Id nodes = h5::group(file, "nodes");
  const std::int32_t minus1_32 = -1;
  const hsize_t nc = chunk_of(n, 1 << 20);
  if (node_trials && n && !aggregate)
    h5::dataset(nodes, "informed_at", H5T_NATIVE_INT32, {node_trials, n}, {node_trials, n}, {1, nc}, &minus1_32);
  if (node_trials && n && cfg.output.every > 0) {
    h5::Id el = h5::group(nodes, snapshot_name(aggregate));
    const std::uint8_t none = 255;
    h5::dataset(el, "step", H5T_NATIVE_INT64, {0}, {unl}, {256}, &minus1);
    if (aggregate)
      h5::dataset(el, "value", H5T_NATIVE_DOUBLE, {0, node_trials, n}, {unl, node_trials, n}, {1, 1, nc}, &nan);
    else
      h5::dataset(el, "value", H5T_NATIVE_UINT8, {0, node_trials, n}, {unl, node_trials, n}, {1, 1, nc}, &none);
  }
  if (posts) create_posts(g);
}

void H5Writer::Impl::open_handles() {
  step = h5::open_dataset(file, "/observables/step");
  values.clear();
  for (const auto& [name, integral] : observable_fields(aggregate))
    values.push_back(h5::open_dataset(file, fmt::format("/observables/{}/value", name)));
  columns.clear();
  for (const auto& [name, integral] : trial_columns(aggregate, posts_run)) {
    // A file of an earlier version lacks the step columns: resumed, it gains them (-1 for the
    // trials finished before).
    if (!h5::exists(file, "/trials/" + name)) trial_column(h5::open_group(file, "/trials"), name, integral);
    columns.emplace_back(name, h5::open_dataset(file, "/trials/" + name));
  }
  status = h5::open_dataset(file, "/provenance/status");
  if (h5::exists(file, "/nodes/informed_at")) informed_at = h5::open_dataset(file, "/nodes/informed_at");
  if (const std::string snap = "/nodes/" + snapshot_name(aggregate); h5::exists(file, snap + "/value")) {
    snap_value = h5::open_dataset(file, snap + "/value");
    snap_step = h5::open_dataset(file, snap + "/step");
  }
  if (posts && h5::exists(file, "/posts")) open_posts();
}

void H5Writer::Impl::close_handles() {
  values.clear();
  columns.clear();
  step = h5::Id(), status = h5::Id(), informed_at = h5::Id(), snap_value = h5::Id(), snap_step = h5::Id();
  close_posts();
}

void H5Writer::Impl::write_status(RunStatus s) {
  const auto v = static_cast<std::int32_t>(s);
  h5::write(status, H5T_NATIVE_INT32, {0}, {1}, &v);
}

void H5Writer::begin(const GraphMeta& g, bool swmr) {
  Impl& m = *impl_;
  h5::Id gr = h5::group(m.file, "graph");
  h5::attr(gr, "source", g.source);
  h5::attr(gr, "n_nodes", g.n);
  h5::attr(gr, "n_edges", g.edges);
  h5::attr(gr, "n_arcs", g.arcs);
  h5::attr(gr, "directed", g.directed);
  h5::attr(gr, "self_loops_dropped", g.self_loops_dropped);
  h5::attr(gr, "duplicates_dropped", g.duplicates_dropped);
  h5::attr(gr, "self_loops_kept", g.self_loops);
  h5::attr(gr, "isolated_nodes", g.isolated);
  h5::attr(gr, "fingerprint", fingerprint_hex(g.fingerprint));
  if (!g.original_id.empty()) {
    const std::uint64_t zero = 0;
    h5::Id d = h5::dataset(gr, "original_id", H5T_NATIVE_UINT64, {g.n}, {g.n}, {chunk_of(g.n, 1 << 20)}, &zero);
    h5::write(d, H5T_NATIVE_UINT64, {0}, {g.n}, g.original_id.data());
  }
  m.create_datasets(g);
  h5::flush(m.file);
  if (swmr) h5::start_swmr(m.file);
  m.open_handles();
}

void H5Writer::finish(RunStatus s) {
  Impl& m = *impl_;
  flush();
  m.close_handles();
  m.file = h5::Id();
  m.file = h5::open_file(m.path, true, false, m.cfg.output.file_locking);
  h5::Id p = h5::open_group(m.file, "provenance");
  h5::attr(p, "end_utc", utc_now());
  h5::attr(p, "wall_seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - m.started).count());
  m.status = h5::open_dataset(m.file, "/provenance/status");
  m.write_status(s);
  m.status = h5::Id();
  p = h5::Id();
  h5::flush(m.file);
  m.file = h5::Id();
  m.finished = true;
}

void H5Writer::fail() noexcept {
  if (impl_->untouched) {  // a resume refused before it changed anything: the file stays as it was
    impl_->file = h5::Id();
    impl_->finished = true;
    return;
  }
  try {
    finish(RunStatus::failed);
  } catch (...) {
    impl_->finished = true;  // the status stays "running": nothing claims the file complete
  }
}

}  // namespace gossip
