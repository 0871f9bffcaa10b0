// The posts part of the HDF5 output (docs/output.md, "Posts"): /users and /posts created with
// every other dataset (before SWMR), one trial's results written when the trial ends, reset on
// resume, and read back for `gossipsim timeline`.
#include "output/h5_posts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <limits>
#include <span>
#include <stdexcept>

#include "core/error.hpp"
#include "io/node_file.hpp"
#include "output/h5_writer_impl.hpp"
#include "sim/checkpoint.hpp"

namespace gossip {
namespace {

// The per post and trial columns [P][T] (int64, fill -1): docs/output.md.
constexpr std::array<const char*, 7> kPostMetrics{"reach", "rounds_50", "rounds_90", "rounds_99", "rounds_full",
                                                  "max_hops", "duplicates"};

// The arrivals table's columns and their types.
struct ArrivalColumn {
  const char* name;
  hid_t (*type)();
};
constexpr std::array<ArrivalColumn, 5> kArrivalColumns{{
    {"trial", [] { return H5T_NATIVE_UINT32; }},
    {"post", [] { return H5T_NATIVE_UINT32; }},
    {"user", [] { return H5T_NATIVE_UINT32; }},
    {"round", [] { return H5T_NATIVE_INT32; }},
    {"hops", [] { return H5T_NATIVE_UINT16; }},
}};

constexpr hsize_t kArrivalChunk = hsize_t{1} << 16;
constexpr std::size_t kArrivalBlock = std::size_t{1} << 20;  // rows converted and written at a time

hsize_t chunk_of(hsize_t n, hsize_t cap) { return std::max<hsize_t>(1, std::min(n, cap)); }

std::int64_t or_minus1(const std::optional<Round>& r) { return r ? *r : -1; }

std::vector<std::int64_t> read_int64(hid_t ds) {
  const hsize_t n = h5::dims(ds)[0];
  std::vector<std::int64_t> v(n);
  h5::read(ds, H5T_NATIVE_INT64, {0}, {n}, v.data());
  return v;
}

}  // namespace

void posts_output_memory(MemoryPlan& m, const PostsSpec& spec, std::uint64_t n, std::uint64_t trials) {
  const std::uint64_t P = spec.list.size();
  // write_posts_trial: one metric's values at a time; the arrivals converted kArrivalBlock rows at
  // a time into a uint32, an int32 and a uint16 column (at most n P arrivals a trial).
  const std::uint64_t arrivals = spec.arrivals ? std::min<std::uint64_t>(n * P, kArrivalBlock) : 0;
  m.add("output_posts_rows", "a trial's /posts values and the arrivals' conversion blocks (10 B a row)",
        8 * P + 10 * arrivals);
  // Each chunk the library holds while writing it, and its compressed copy (twice, with the
  // filter's slack): the metric columns' [P][1] chunks, reach_round's [64][1][P] chunk,
  // the arrival columns' and the first/count chunks.
  const std::uint64_t metric = kPostMetrics.size() * 8 * chunk_of(P, 1 << 15);
  const std::uint64_t reach = 8 * 64 * chunk_of(P, 1 << 10) * std::max<std::uint64_t>(1, (P + (1 << 10) - 1) >> 10);
  const std::uint64_t table = spec.arrivals ? kArrivalColumns.size() * 4 * kArrivalChunk + 2 * 8 * chunk_of(trials, 1 << 14) : 0;
  m.add("output_posts_chunks", "the HDF5 library's chunks of the posts datasets", 3 * (metric + reach + table));
  // create_posts: /users' ids, and names written as text (an estimate of 48 B a user with the
  // library's copy), once at the start. Counted as staying: blocks below the allocator's mmap
  // threshold (raised by the graph's build) go back to its heap, not to the system (measured:
  // peak RSS with -o minus without is this part and the chunks, ba:n=2e5).
  m.add("output_users", "the /users columns written at the start (an estimate; freed into the heap)", 8 * n + 48 * n);
}

void H5Writer::set_posts(PostsMeta meta) {
  Impl& m = *impl_;
  if (!meta.texts.empty() && meta.texts.size() != meta.spec.list.size())
    throw UsageError(fmt::format("posts output: {} texts for {} posts", meta.texts.size(), meta.spec.list.size()));
  m.post_row.clear();
  for (std::size_t i = 0; i < meta.spec.list.size(); ++i)
    m.post_row.emplace(meta.spec.list[i].id, static_cast<std::uint32_t>(i));
  m.posts = std::move(meta);
}

void H5Writer::Impl::create_posts(const GraphMeta& g) {
  const PostsMeta& pm = *posts;
  const hsize_t P = pm.spec.list.size();
  if (!pm.names.empty() && pm.names.size() != g.n)
    throw UsageError(fmt::format("posts output: {} user names for {} nodes", pm.names.size(), g.n));
  // /users: the graph file's ids (as node files name them) and the names users see.
  h5::Id users = h5::group(file, "users");
  std::vector<std::uint64_t> ids(g.n);
  const std::uint64_t base = g.original_id.empty() ? io::node_id_base(cfg.graph) : 0;
  for (std::uint64_t v = 0; v < g.n; ++v) ids[v] = g.original_id.empty() ? v + base : g.original_id[v];
  const std::uint64_t zero = 0;
  const hsize_t uc = chunk_of(g.n, 1 << 16);
  h5::Id idd = h5::dataset(users, "id", H5T_NATIVE_UINT64, {g.n}, {g.n}, {uc}, &zero);
  h5::write(idd, H5T_NATIVE_UINT64, {0}, {g.n}, ids.data());
  if (pm.names.empty()) {
    std::vector<std::string> names(g.n);
    for (std::uint64_t v = 0; v < g.n; ++v) names[v] = std::to_string(ids[v]);
    h5::string_column(users, "name", names, uc);
  } else {
    h5::string_column(users, "name", pm.names, uc);
  }
  // /posts: the list's columns, then the per-trial ones.
  h5::Id pg = h5::group(file, "posts");
  h5::attr(pg, "lifetime", static_cast<std::int64_t>(pm.spec.lifetime));
  h5::attr(pg, "arrivals", pm.spec.arrivals);
  const std::int64_t minus1 = -1;
  const hsize_t pc = chunk_of(P, 1 << 14);
  std::vector<std::int64_t> vals(P);
  auto column = [&](const char* name, auto get) {
    for (hsize_t i = 0; i < P; ++i) vals[i] = get(pm.spec.list[i]);
    h5::Id d = h5::dataset(pg, name, H5T_NATIVE_INT64, {P}, {P}, {pc}, &minus1);
    h5::write(d, H5T_NATIVE_INT64, {0}, {P}, vals.data());
  };
  column("id", [](const PostSeed& p) { return std::int64_t{p.id}; });
  column("author", [](const PostSeed& p) { return std::int64_t{p.author}; });
  column("created_round", [](const PostSeed& p) { return std::int64_t{p.created}; });
  std::vector<std::string> texts = pm.texts;
  if (texts.empty())
    for (const PostSeed& p : pm.spec.list) texts.push_back(fmt::format("post {}", p.id));
  h5::string_column(pg, "text", texts, pc);
  // One trial's column is one chunk column: a trial's write touches no other trial's chunks.
  const hsize_t pt = chunk_of(P, 1 << 15);
  for (const char* name : kPostMetrics) h5::dataset(pg, name, H5T_NATIVE_INT64, {P, trials}, {P, trials}, {pt, 1}, &minus1);
  const hsize_t unl = H5S_UNLIMITED;
  h5::dataset(pg, "reach_round", H5T_NATIVE_INT64, {0, trials, P}, {unl, trials, P}, {64, 1, chunk_of(P, 1 << 10)},
              &minus1);
  if (pm.spec.arrivals) {
    h5::Id ag = h5::group(pg, "arrivals");
    const std::uint64_t zero8[1] = {0};
    for (const ArrivalColumn& c : kArrivalColumns)
      h5::dataset(ag, c.name, c.type(), {0}, {unl}, {kArrivalChunk}, zero8);
    const hsize_t tc = chunk_of(trials, 1 << 14);
    h5::dataset(ag, "first", H5T_NATIVE_INT64, {trials}, {trials}, {tc}, &minus1);
    h5::dataset(ag, "count", H5T_NATIVE_INT64, {trials}, {trials}, {tc}, &minus1);
  }
}

void H5Writer::Impl::open_posts() {
  post_columns.clear();
  for (const char* name : kPostMetrics) post_columns.emplace_back(name, h5::open_dataset(file, fmt::format("/posts/{}", name)));
  reach_round = h5::open_dataset(file, "/posts/reach_round");
  posts_rows = h5::dims(reach_round)[0];
  arrival_columns.clear();
  if (h5::exists(file, "/posts/arrivals/first")) {
    for (const ArrivalColumn& c : kArrivalColumns)
      arrival_columns.push_back(h5::open_dataset(file, fmt::format("/posts/arrivals/{}", c.name)));
    arrival_first = h5::open_dataset(file, "/posts/arrivals/first");
    arrival_count = h5::open_dataset(file, "/posts/arrivals/count");
    arrival_rows = h5::dims(arrival_columns[0])[0];
  }
}

void H5Writer::Impl::close_posts() {
  post_columns.clear();
  arrival_columns.clear();
  reach_round = h5::Id(), arrival_first = h5::Id(), arrival_count = h5::Id();
}

void H5Writer::Impl::write_posts_trial(const PostsTrialResult& r) {
  if (post_columns.empty()) return;
  const hsize_t P = posts->spec.list.size(), c = column_of(r.trial);
  if (r.posts.size() != P || r.reach.size() != (static_cast<std::size_t>(r.rounds) + 1) * P)
    throw std::logic_error(fmt::format("posts output: trial {} has {} posts and {} reach entries, the file {} posts",
                                       r.trial, r.posts.size(), r.reach.size(), P));
  std::vector<std::int64_t> v(P);
  for (std::size_t k = 0; k < kPostMetrics.size(); ++k) {
    for (hsize_t i = 0; i < P; ++i) {
      const PostOutcome& o = r.posts[i];
      switch (k) {
        case 0: v[i] = o.reach; break;
        case 1: v[i] = or_minus1(o.rounds_50); break;
        case 2: v[i] = or_minus1(o.rounds_90); break;
        case 3: v[i] = or_minus1(o.rounds_99); break;
        case 4: v[i] = or_minus1(o.rounds_full); break;
        case 5: v[i] = o.max_hops; break;
        default: v[i] = o.duplicates; break;
      }
    }
    h5::write(post_columns[k].second, H5T_NATIVE_INT64, {0, c}, {P, 1}, v.data());
  }
  const hsize_t trial_rows = static_cast<hsize_t>(r.rounds) + 1;
  if (trial_rows > posts_rows) {
    h5::set_extent(reach_round, {trial_rows, trials, P});
    posts_rows = trial_rows;
  }
  h5::write(reach_round, H5T_NATIVE_INT64, {0, c, 0}, {trial_rows, 1, P}, r.reach.data());
  if (arrival_columns.empty()) return;
  // The arrivals, appended in blocks: the table's rows of this trial are [first, first + count).
  const hsize_t first = arrival_rows, count = r.arrivals.size();
  if (count) {
    for (h5::Id& d : arrival_columns) h5::set_extent(d, {first + count});
    std::vector<std::uint32_t> u32(std::min(r.arrivals.size(), kArrivalBlock));
    std::vector<std::int32_t> i32(u32.size());
    std::vector<std::uint16_t> u16(u32.size());
    for (std::size_t from = 0; from < r.arrivals.size(); from += kArrivalBlock) {
      const std::size_t k = std::min(kArrivalBlock, r.arrivals.size() - from);
      const auto a = std::span(r.arrivals).subspan(from, k);
      const hsize_t at = first + from;
      for (std::size_t i = 0; i < k; ++i) u32[i] = r.trial;
      h5::write(arrival_columns[0], H5T_NATIVE_UINT32, {at}, {k}, u32.data());
      for (std::size_t i = 0; i < k; ++i) {
        const auto it = post_row.find(a[i].post);
        if (it == post_row.end())
          throw std::logic_error(fmt::format("posts output: an arrival of post {}, not in the list", a[i].post));
        u32[i] = it->second;
      }
      h5::write(arrival_columns[1], H5T_NATIVE_UINT32, {at}, {k}, u32.data());
      for (std::size_t i = 0; i < k; ++i) u32[i] = a[i].user;
      h5::write(arrival_columns[2], H5T_NATIVE_UINT32, {at}, {k}, u32.data());
      for (std::size_t i = 0; i < k; ++i) i32[i] = a[i].round;
      h5::write(arrival_columns[3], H5T_NATIVE_INT32, {at}, {k}, i32.data());
      for (std::size_t i = 0; i < k; ++i) u16[i] = a[i].hops;
      h5::write(arrival_columns[4], H5T_NATIVE_UINT16, {at}, {k}, u16.data());
    }
    arrival_rows = first + count;
  }
  const std::int64_t f = static_cast<std::int64_t>(first), k = static_cast<std::int64_t>(count);
  h5::write(arrival_first, H5T_NATIVE_INT64, {c}, {1}, &f);
  h5::write(arrival_count, H5T_NATIVE_INT64, {c}, {1}, &k);
}

void H5Writer::Impl::truncate_posts(const RunCheckpoint& c) {
  const hsize_t l = column_of(c.trial.trial), P = posts->spec.list.size();
  for (auto& [name, d] : post_columns) h5::fill(d, {0, l}, {P, trials - l});
  // The rounds the finished trials before the checkpoint wrote (reach_round's extent then).
  hsize_t keep = 0;
  for (const TrialSummary& s : c.done) keep = std::max<hsize_t>(keep, static_cast<hsize_t>(s.rounds) + 1);
  posts_rows = h5::dims(reach_round)[0];
  h5::fill(reach_round, {0, l, 0}, {posts_rows, trials - l, P});
  h5::set_extent(reach_round, {keep, trials, P});
  posts_rows = keep;
  if (arrival_columns.empty()) return;
  const std::vector<std::int64_t> first = read_int64(arrival_first), count = read_int64(arrival_count);
  hsize_t kept = 0;
  for (hsize_t t = 0; t < l; ++t)
    if (first[t] >= 0) kept = std::max<hsize_t>(kept, static_cast<hsize_t>(first[t] + count[t]));
  for (h5::Id& d : arrival_columns) h5::set_extent(d, {kept});
  arrival_rows = kept;
  h5::fill(arrival_first, {l}, {trials - l});
  h5::fill(arrival_count, {l}, {trials - l});
}

void H5Writer::on_posts_trial(const PostsTrialResult& result) { impl_->write_posts_trial(result); }

namespace {
// A finished or running output: SWMR read first (a run may still write it), else a plain read.
h5::Id open_for_reading(const std::string& path, bool file_locking) {
  try {
    return h5::open_file(path, false, true, file_locking);
  } catch (const ResourceError&) {
    return h5::open_file(path, false, false, file_locking);
  }
}
}  // namespace

StoredPosts read_posts(const std::string& path, bool file_locking) {
  try {
    const h5::Id file = open_for_reading(path, file_locking);
    return read_posts(static_cast<std::int64_t>(static_cast<hid_t>(file)), path);
  } catch (const ResourceError& e) {
    throw InputError(fmt::format("'{}' is not a readable gossipsim output ({})", path, e.what()));
  }
}

StoredPosts read_posts(std::int64_t file_id, const std::string& path) {
  StoredPosts s;
  const auto file = static_cast<hid_t>(file_id);
  try {
    if (!h5::exists(file, "/parameters/config.toml") || !h5::exists(file, "/trials/rounds"))
      throw InputError(fmt::format("'{}' is not a gossipsim output", path));
    if (!h5::exists(file, "/posts/id") || !h5::exists(file, "/users/name"))
      throw InputError(fmt::format("'{}' holds no posts (a run with posts.file or posts.count writes them)", path));
    s.user_id.resize(h5::dims(h5::open_dataset(file, "/users/id"))[0]);
    h5::read(h5::open_dataset(file, "/users/id"), H5T_NATIVE_UINT64, {0}, {s.user_id.size()}, s.user_id.data());
    s.user_name = h5::read_string_column(file, "/users/name");
    const std::vector<std::int64_t> id = read_int64(h5::open_dataset(file, "/posts/id")),
                                    author = read_int64(h5::open_dataset(file, "/posts/author")),
                                    created = read_int64(h5::open_dataset(file, "/posts/created_round"));
    for (std::size_t i = 0; i < id.size(); ++i)
      s.list.push_back(PostSeed{static_cast<std::uint32_t>(id[i]), static_cast<NodeId>(author[i]),
                                static_cast<Round>(created[i])});
    s.text = h5::read_string_column(file, "/posts/text");
    h5::Id pg = h5::open_group(file, "/posts");
    s.lifetime = static_cast<Round>(h5::attr_int(pg, "lifetime"));
    s.arrivals = h5::exists(file, "/posts/arrivals/first");
    s.trial = read_int64(h5::open_dataset(file, "/trials/trial"));
    s.rounds = read_int64(h5::open_dataset(file, "/trials/rounds"));
    if (s.user_name.size() != s.user_id.size() || s.text.size() != s.list.size())
      throw InputError(fmt::format("'{}': /users or /posts columns of different lengths", path));
  } catch (const ResourceError& e) {
    throw InputError(fmt::format("'{}' is not a readable gossipsim output ({})", path, e.what()));
  }
  return s;
}

std::uint64_t merge_posts(std::int64_t src_id, std::int64_t dst_id, std::uint64_t column, std::uint64_t rows) {
  const auto src = static_cast<hid_t>(src_id), dst = static_cast<hid_t>(dst_id);
  // Reads [start, start + count) of a dataset of `src` and writes it at `at` of the same dataset of
  // `dst`, in the source's native type.
  auto copy = [&](const std::string& name, const std::vector<hsize_t>& start, const std::vector<hsize_t>& count,
                  const std::vector<hsize_t>& at) {
    h5::Id s = h5::open_dataset(src, name), d = h5::open_dataset(dst, name);
    h5::Id ftype(h5::check(H5Dget_type(s), "dataset type"));
    h5::Id type(h5::check(H5Tget_native_type(ftype, H5T_DIR_ASCEND), "dataset type"));
    std::size_t bytes = H5Tget_size(type);
    for (hsize_t c : count) bytes *= c;
    if (bytes == 0) return;
    std::vector<unsigned char> buf(bytes);
    h5::read(s, type, start, count, buf.data());
    h5::write(d, type, at, count, buf.data());
  };
  for (const char* name : kPostMetrics) {
    const auto d = h5::dims(h5::open_dataset(src, fmt::format("/posts/{}", name)));
    copy(fmt::format("/posts/{}", name), {0, 0}, d, {0, column});
  }
  // reach_round [R][T][P]: the merged file's rounds are the most any input has.
  const auto rd = h5::dims(h5::open_dataset(src, "/posts/reach_round"));
  h5::Id dr = h5::open_dataset(dst, "/posts/reach_round");
  const auto dd = h5::dims(dr);
  if (rd[0] > dd[0]) h5::set_extent(dr, {rd[0], dd[1], dd[2]});
  dr = h5::Id();
  copy("/posts/reach_round", {0, 0, 0}, rd, {0, column, 0});
  if (!h5::exists(src, "/posts/arrivals/first")) return rows;
  // The arrivals: rows appended in trial order (the trial column holds global indices already);
  // each trial's first row moves by the rows before it.
  const std::vector<std::int64_t> first = read_int64(h5::open_dataset(src, "/posts/arrivals/first")),
                                  count = read_int64(h5::open_dataset(src, "/posts/arrivals/count"));
  const hsize_t have = h5::dims(h5::open_dataset(src, "/posts/arrivals/trial"))[0];
  for (const ArrivalColumn& c : kArrivalColumns) {
    const std::string name = fmt::format("/posts/arrivals/{}", c.name);
    {
      h5::Id d = h5::open_dataset(dst, name);
      h5::set_extent(d, {rows + have});
    }
    for (hsize_t at = 0; at < have; at += kArrivalBlock) {
      const hsize_t k = std::min<hsize_t>(kArrivalBlock, have - at);
      copy(name, {at}, {k}, {rows + at});
    }
  }
  std::vector<std::int64_t> moved(first.size());
  for (std::size_t t = 0; t < first.size(); ++t) moved[t] = first[t] < 0 ? first[t] : first[t] + static_cast<std::int64_t>(rows);
  if (!moved.empty()) {
    h5::write(h5::open_dataset(dst, "/posts/arrivals/first"), H5T_NATIVE_INT64, {column}, {moved.size()}, moved.data());
    h5::write(h5::open_dataset(dst, "/posts/arrivals/count"), H5T_NATIVE_INT64, {column}, {count.size()}, count.data());
  }
  return rows + have;
}

std::vector<StoredArrival> read_arrivals(const std::string& path, std::uint64_t column, bool file_locking,
                                         std::optional<NodeId> only) {
  std::vector<StoredArrival> out;
  try {
    const h5::Id file = open_for_reading(path, file_locking);
    std::int64_t first = -1, count = -1;
    h5::read(h5::open_dataset(file, "/posts/arrivals/first"), H5T_NATIVE_INT64, {column}, {1}, &first);
    h5::read(h5::open_dataset(file, "/posts/arrivals/count"), H5T_NATIVE_INT64, {column}, {1}, &count);
    if (first < 0 || count <= 0) return out;
    const hsize_t f = static_cast<hsize_t>(first), k = static_cast<hsize_t>(count);
    h5::Id post_d = h5::open_dataset(file, "/posts/arrivals/post"), user_d = h5::open_dataset(file, "/posts/arrivals/user"),
           round_d = h5::open_dataset(file, "/posts/arrivals/round"), hops_d = h5::open_dataset(file, "/posts/arrivals/hops");
    // The rows to read: all of the trial's, or the user's, found block by block.
    std::vector<hsize_t> rows;
    std::vector<std::uint32_t> user;
    if (only) {
      std::vector<std::uint32_t> block(std::min<hsize_t>(k, kArrivalBlock));
      for (hsize_t at = 0; at < k; at += block.size()) {
        const hsize_t m = std::min<hsize_t>(block.size(), k - at);
        h5::read(user_d, H5T_NATIVE_UINT32, {f + at}, {m}, block.data());
        for (hsize_t i = 0; i < m; ++i)
          if (block[i] == *only) rows.push_back(f + at + i);
      }
      user.assign(rows.size(), *only);
    } else {
      user.resize(k);
      h5::read(user_d, H5T_NATIVE_UINT32, {f}, {k}, user.data());
    }
    const std::size_t m = only ? rows.size() : k;
    std::vector<std::uint32_t> post(m);
    std::vector<std::int32_t> round(m);
    std::vector<std::uint16_t> hops(m);
    if (only) {
      h5::read_points(post_d, H5T_NATIVE_UINT32, rows, post.data());
      h5::read_points(round_d, H5T_NATIVE_INT32, rows, round.data());
      h5::read_points(hops_d, H5T_NATIVE_UINT16, rows, hops.data());
    } else {
      h5::read(post_d, H5T_NATIVE_UINT32, {f}, {k}, post.data());
      h5::read(round_d, H5T_NATIVE_INT32, {f}, {k}, round.data());
      h5::read(hops_d, H5T_NATIVE_UINT16, {f}, {k}, hops.data());
    }
    out.resize(m);
    for (std::size_t i = 0; i < m; ++i) out[i] = StoredArrival{post[i], user[i], round[i], hops[i]};
  } catch (const ResourceError& e) {
    throw InputError(fmt::format("'{}': cannot read the arrivals ({})", path, e.what()));
  }
  return out;
}

}  // namespace gossip
