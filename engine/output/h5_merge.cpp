#include "output/h5_merge.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <optional>

#include "core/error.hpp"
#include "output/h5.hpp"
#include "output/h5_posts.hpp"
#include "output/h5_writer_impl.hpp"
#include "config/config_flat.hpp"
#include "config/config_toml.hpp"
#include "sim/round_fields.hpp"

namespace gossip {
namespace {

struct Input {
  std::string path;
  h5::Id file;
  SimConfig cfg;
  std::string fingerprint;
};

Input open_input(const std::string& path, bool file_locking) {
  Input in{path, h5::open_file(path, false, false, file_locking), {}, {}};
  if (!h5::exists(in.file, "/parameters/config.toml") || !h5::exists(in.file, "/provenance/status") ||
      !h5::exists(in.file, "/graph"))
    throw InputError(fmt::format("{}: not a gossipsim output", path));
  std::int32_t status = -1;
  h5::read(h5::open_dataset(in.file, "/provenance/status"), H5T_NATIVE_INT32, {0}, {1}, &status);
  if (status != static_cast<std::int32_t>(RunStatus::complete))
    throw InputError(fmt::format("{}: {}, not complete (only complete outputs can be merged; finish it with "
                                 "`gossipsim run <its arguments> -o {} --resume auto`)",
                                 path, status_name(status), path));
  in.cfg = load_config_text(h5::read_string_dataset(in.file, "/parameters/config.toml"), path);
  in.fingerprint = h5::attr_string(h5::open_group(in.file, "graph"), "fingerprint");
  return in;
}

// Copies the block [src_start, src_start + count) of src to dst at dst_start (native type).
void copy_block(hid_t src, hid_t dst, const std::vector<hsize_t>& src_start, const std::vector<hsize_t>& count,
                const std::vector<hsize_t>& dst_start) {
  h5::Id ftype(h5::check(H5Dget_type(src), "dataset type"));
  h5::Id type(h5::check(H5Tget_native_type(ftype, H5T_DIR_ASCEND), "dataset type"));
  std::size_t bytes = H5Tget_size(type);
  for (hsize_t c : count) bytes *= c;
  std::vector<unsigned char> buf(bytes);
  h5::read(src, type, src_start, count, buf.data());
  h5::write(dst, type, dst_start, count, buf.data());
}

void grow_steps(hid_t step, hsize_t rows, std::int64_t stride) {
  h5::set_extent(step, {rows});
  std::vector<std::int64_t> s(rows);
  for (hsize_t i = 0; i < rows; ++i) s[i] = static_cast<std::int64_t>(i) * stride;
  h5::write(step, H5T_NATIVE_INT64, {0}, {rows}, s.data());
}

}  // namespace

std::uint64_t merge_outputs(const std::vector<std::string>& paths, const std::string& out, bool force, OutputMeta meta,
                            bool file_locking) {
  if (paths.empty()) throw UsageError("merge: no input files");
  std::vector<Input> in;
  for (const std::string& p : paths) in.push_back(open_input(p, file_locking));
  std::ranges::sort(in, {}, [](const Input& i) { return i.cfg.run.trial_offset; });
  const SimConfig base = experiment_config(in[0].cfg, true);
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (auto key = first_difference(base, experiment_config(in[i].cfg, true)); !key.empty())
      throw InputError(fmt::format("{}: another experiment than {} ({} differs)", in[i].path, in[0].path, key));
    if (in[i].fingerprint != in[0].fingerprint)
      throw InputError(fmt::format("{}: another graph than {} (fingerprint {} vs {})", in[i].path, in[0].path,
                                   in[i].fingerprint, in[0].fingerprint));
    const std::uint64_t expected = in[0].cfg.run.trial_offset + total;
    if (in[i].cfg.run.trial_offset != expected)
      throw InputError(fmt::format("{}: starts at trial {}, expected {} (trial ranges must be contiguous, without "
                                   "overlap)", in[i].path, in[i].cfg.run.trial_offset, expected));
    total += in[i].cfg.run.trials;
  }
  SimConfig merged = in[0].cfg;
  merged.run.trials = total;
  validate(merged);
  // Posts runs: one scenario (the same users and posts, read back from each file: the configs
  // name the files, these are their contents).
  const bool posts = merged.posts.on();
  std::optional<StoredPosts> scenario;
  if (posts) {
    for (const Input& i : in)
      if (!h5::exists(i.file, "/posts/id"))
        throw InputError(fmt::format("{}: a posts run's output without /posts", i.path));
    scenario = read_posts(static_cast<std::int64_t>(static_cast<hid_t>(in[0].file)), in[0].path);
    for (std::size_t i = 1; i < in.size(); ++i) {
      const StoredPosts o = read_posts(static_cast<std::int64_t>(static_cast<hid_t>(in[i].file)), in[i].path);
      const char* what = o.user_id != scenario->user_id       ? "/users/id"
                         : o.user_name != scenario->user_name ? "/users/name"
                         : o.list != scenario->list           ? "/posts id, author or created_round"
                         : o.text != scenario->text           ? "/posts/text"
                         : o.lifetime != scenario->lifetime   ? "/posts lifetime"
                         : o.arrivals != scenario->arrivals   ? "/posts arrivals"
                                                              : nullptr;
      if (what) throw InputError(fmt::format("{}: another posts scenario than {} ({} differs)", in[i].path, in[0].path, what));
    }
  }
  std::string from;
  for (const Input& i : in) from += (from.empty() ? "" : "\n") + i.path;
  meta.provenance.emplace_back("merged_from", from);

  h5::Id graph = h5::open_group(in[0].file, "graph");
  GraphMeta gm;
  gm.n = static_cast<std::uint64_t>(h5::attr_int(graph, "n_nodes"));
  gm.fingerprint = std::strtoull(in[0].fingerprint.c_str(), nullptr, 16);
  std::vector<std::uint64_t> original;
  if (h5::exists(in[0].file, "/graph/original_id")) {
    original.resize(gm.n);
    h5::read(h5::open_dataset(in[0].file, "/graph/original_id"), H5T_NATIVE_UINT64, {0}, {gm.n}, original.data());
    gm.original_id = original;
  }
  auto writer = H5Writer::create(out, force, merged, meta);
  if (posts) {
    PostsMeta pm;
    pm.spec.list = scenario->list;
    pm.spec.lifetime = scenario->lifetime;
    pm.spec.arrivals = scenario->arrivals;
    pm.names = scenario->user_name;
    pm.texts = scenario->text;
    writer->set_posts(std::move(pm));
  }
  writer->begin(gm, false);
  const hid_t dst = static_cast<hid_t>(writer->file_id());
  h5::copy_attrs(graph, h5::open_group(dst, "graph"));
  if (posts) {  // the ids as the inputs stored them; then each input's trials
    const std::uint64_t users = scenario->user_id.size();
    h5::write(h5::open_dataset(dst, "/users/id"), H5T_NATIVE_UINT64, {0}, {users}, scenario->user_id.data());
    std::uint64_t rows = 0;
    for (const Input& i : in)
      rows = merge_posts(static_cast<std::int64_t>(static_cast<hid_t>(i.file)), static_cast<std::int64_t>(dst),
                         i.cfg.run.trial_offset - in[0].cfg.run.trial_offset, rows);
  }

  const bool aggregate = is_aggregation(merged.protocol.mode);
  const std::string snap_path = "/nodes/" + snapshot_name(aggregate);
  hsize_t rows = 0, snaps = 0;
  for (const Input& i : in) {
    rows = std::max(rows, h5::dims(h5::open_dataset(i.file, "/observables/step"))[0]);
    if (h5::exists(i.file, snap_path + "/step"))
      snaps = std::max(snaps, h5::dims(h5::open_dataset(i.file, snap_path + "/step"))[0]);
  }
  grow_steps(h5::open_dataset(dst, "/observables/step"), rows, 1);
  for (const auto& [name, integral] : observable_fields(aggregate)) {
    h5::Id v = h5::open_dataset(dst, "/observables/" + name + "/value");
    h5::set_extent(v, {rows, total});
    for (const Input& i : in) {
      h5::Id s = h5::open_dataset(i.file, "/observables/" + name + "/value");
      const auto d = h5::dims(s);
      copy_block(s, v, {0, 0}, d, {0, i.cfg.run.trial_offset - in[0].cfg.run.trial_offset});
    }
  }
  for (const auto& [col, integral] : trial_columns(aggregate, posts)) {
    h5::Id v = h5::open_dataset(dst, "/trials/" + col);
    for (const Input& i : in)
      if (h5::exists(i.file, "/trials/" + col))  // an earlier version's file has no step columns: -1
        copy_block(h5::open_dataset(i.file, "/trials/" + col), v, {0}, {i.cfg.run.trials},
                   {i.cfg.run.trial_offset - in[0].cfg.run.trial_offset});
  }
  const hsize_t k = posts ? 0 : std::min<hsize_t>(merged.output.node_trials, total);  // posts: no node rows
  const bool snap = merged.output.every > 0 && k > 0 && gm.n > 0;
  if (snap) grow_steps(h5::open_dataset(dst, snap_path + "/step"), snaps, merged.output.every);
  h5::Id snap_dst = snap ? h5::open_dataset(dst, snap_path + "/value") : h5::Id();
  if (snap) h5::set_extent(snap_dst, {snaps, k, gm.n});
  for (hsize_t row = 0; row < k && gm.n > 0; ++row) {
    const auto it = std::ranges::find_if(in, [&](const Input& i) {
      return in[0].cfg.run.trial_offset + row < i.cfg.run.trial_offset + i.cfg.run.trials;
    });
    const hsize_t local = in[0].cfg.run.trial_offset + row - it->cfg.run.trial_offset;
    if (!aggregate)
      copy_block(h5::open_dataset(it->file, "/nodes/informed_at"), h5::open_dataset(dst, "/nodes/informed_at"),
                 {local, 0}, {1, gm.n}, {row, 0});
    if (snap) {
      h5::Id s = h5::open_dataset(it->file, snap_path + "/value");
      copy_block(s, snap_dst, {0, local, 0}, {h5::dims(s)[0], 1, gm.n}, {0, row, 0});
    }
  }
  snap_dst = h5::Id();
  writer->finish(RunStatus::complete);
  return total;
}

}  // namespace gossip
