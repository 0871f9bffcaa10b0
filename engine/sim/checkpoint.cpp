#include "sim/checkpoint.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <type_traits>

#include "core/error.hpp"

namespace gossip {
namespace {

constexpr char kMagic[8] = {'G', 'O', 'S', 'S', 'I', 'P', 'C', 'K'};
// Version 2 added the rounds each step kind ran (per finished trial and for the current one);
// version 3 the fault counters of RoundStats (up, lost_down, lost_partition) and the summary's
// round_95 and reachable-set fields. Older files still resume, with what they lack starting at
// zero (no older run had faults; their finished trials keep no reachable set). Version 4 added
// delays (the in_flight counter of RoundStats, the summary's max_hops, the copies in flight),
// the aggregation step kinds (older files count 11 kinds: the rest start at zero), an aggregation
// trial's summary, and the aggregation state of the current trial (s, w bit for bit). Version 5
// added the posts step kind (version-4 files count 14 kinds), a posts trial's state, and the
// fingerprint of the node file's and posts files' contents. Version 6 added the fault fields of
// AggregateRound (lost_s, lost_w, flight_s, flight_w, lost_down, lost_partition, up, in_flight;
// older files: no faults, every node up, nothing in flight) and push-sum's shares in flight.
constexpr std::uint32_t kVersion = 6;

// AggregateRound as versions 4 and 5 stored it.
struct AggregateRoundV5 {
  double mean, variance, max_abs_error, max_rel_error, mass_s, mass_w, drift_s, drift_w, factor;
  std::int64_t undefined, messages, lost;
};

// RoundStats as versions 1 and 2 stored it: its first seven counters; version 3 four more.
struct RoundStatsV2 {
  std::int64_t informed, newly_informed, messages, requests, redundant, lost, spreaders;
};
struct RoundStatsV3 {
  std::int64_t informed, newly_informed, messages, requests, redundant, lost, spreaders, up, lost_down,
      lost_partition, present;
};

using File = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;

class Out {
 public:
  Out(std::FILE* f, std::string path) : f_(f), path_(std::move(path)) {}
  void bytes(const void* p, std::size_t n) {
    if (n == 0) return;  // crc32_z(crc, NULL, 0) would restart the checksum
    if (std::fwrite(p, 1, n, f_) != n) fail();
    crc_ = crc32_z(crc_, static_cast<const Bytef*>(p), n);
  }
  template <class T>
  void value(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    bytes(&v, sizeof v);
  }
  template <class T>
  void array(std::span<const T> v) {
    value<std::uint64_t>(v.size());
    bytes(v.data(), v.size() * sizeof(T));
  }
  template <class T>
  void array(const std::vector<T>& v) {
    array(std::span<const T>(v));
  }
  void text(const std::string& s) {
    value<std::uint64_t>(s.size());
    bytes(s.data(), s.size());
  }
  std::uint32_t crc() const { return static_cast<std::uint32_t>(crc_); }
  [[noreturn]] void fail() const {
    throw ResourceError(fmt::format("cannot write checkpoint '{}': {}", path_, std::strerror(errno)));
  }

 private:
  std::FILE* f_;
  std::string path_;
  uLong crc_ = crc32_z(0, nullptr, 0);
};

class In {
 public:
  In(std::FILE* f, std::string path, std::uint64_t size) : f_(f), path_(std::move(path)), left_(size) {}
  void bytes(void* p, std::size_t n) {
    if (n == 0) return;
    if (n > left_ || std::fread(p, 1, n, f_) != n) bad("truncated");
    left_ -= n;
    crc_ = crc32_z(crc_, static_cast<const Bytef*>(p), n);
  }
  template <class T>
  T value() {
    T v{};
    bytes(&v, sizeof v);
    return v;
  }
  template <class T>
  std::vector<T> array() {
    const auto n = value<std::uint64_t>();
    if (n > left_ / sizeof(T)) bad("truncated");
    std::vector<T> v(n);
    bytes(v.data(), n * sizeof(T));
    return v;
  }
  std::string text() {
    const auto v = array<char>();
    return {v.begin(), v.end()};
  }
  std::uint32_t crc() const { return static_cast<std::uint32_t>(crc_); }
  std::uint64_t left() const { return left_; }
  [[noreturn]] void bad(std::string_view what) const {
    throw InputError(fmt::format("{}: not a valid gossipsim checkpoint ({})", path_, what));
  }

 private:
  std::FILE* f_;
  std::string path_;
  std::uint64_t left_;
  uLong crc_ = crc32_z(0, nullptr, 0);
};

// TrialSummary as fixed fields; an absent round_X is stored as -1.
void put(Out& o, const TrialSummary& s) {
  auto opt = [](const std::optional<Round>& r) { return r ? *r : Round{-1}; };
  o.value(s.trial), o.value(s.rounds), o.value<std::uint8_t>(s.truncated), o.value(s.final_informed);
  o.value(s.coverage), o.value(s.residue), o.value(s.messages), o.value(s.requests), o.value(s.traffic);
  o.value(s.t_avg), o.value(s.t_last), o.value(opt(s.round_50)), o.value(opt(s.round_90));
  o.value(opt(s.round_99)), o.value(opt(s.round_full)), o.value(s.wall_seconds);
  o.array(std::vector<std::int64_t>(s.steps.begin(), s.steps.end()));
  o.value(opt(s.round_95)), o.value(s.reachable), o.value(s.coverage_reachable), o.value(opt(s.reach_50));
  o.value(opt(s.reach_90)), o.value(opt(s.reach_95)), o.value(opt(s.reach_99)), o.value(opt(s.reach_full));
  o.value<std::uint8_t>(s.coverage_stop);
  o.value(opt(s.max_hops));
  o.value<std::uint8_t>(s.aggregate.has_value());
  if (s.aggregate) {
    const AggregateSummary& a = *s.aggregate;
    o.value(a.truth), o.value(a.last), o.value(opt(a.round_eps)), o.value(a.factor), o.value(a.lost);
  }
  o.value<std::uint8_t>(s.posts);
}

// An AggregateRound of a file of `version`; up is not stored before version 6 (no faults: all n
// up, which `n` gives, the length of the state; 0 where the caller does not know it yet).
AggregateRound get_aggregate_round(In& in, std::uint32_t version, std::int64_t n) {
  if (version >= 6) return in.value<AggregateRound>();
  const auto o = in.value<AggregateRoundV5>();
  AggregateRound a;
  a.mean = o.mean, a.variance = o.variance, a.max_abs_error = o.max_abs_error, a.max_rel_error = o.max_rel_error;
  a.mass_s = o.mass_s, a.mass_w = o.mass_w, a.drift_s = o.drift_s, a.drift_w = o.drift_w, a.factor = o.factor;
  a.undefined = o.undefined, a.messages = o.messages, a.lost = o.lost, a.up = n;
  return a;
}

// The step counts of a version-2 file (absent in version 1: zero).
void get_steps(In& in, std::uint32_t version, std::array<std::int64_t, kStepKinds>& steps) {
  steps = {};
  if (version < 2) return;
  const std::vector<std::int64_t> v = in.array<std::int64_t>();
  const std::size_t kinds = version < 4 ? 11 : version < 5 ? 14 : kStepKinds;  // new kinds are appended
  if (v.size() != kinds) in.bad(fmt::format("{} step kinds, expected {}", v.size(), kinds));
  std::copy(v.begin(), v.end(), steps.begin());
}

TrialSummary get_summary(In& in, std::uint32_t version) {
  auto opt = [&] {
    const auto r = in.value<Round>();
    return r < 0 ? std::nullopt : std::optional<Round>(r);
  };
  TrialSummary s;
  s.trial = in.value<std::uint32_t>(), s.rounds = in.value<Round>(), s.truncated = in.value<std::uint8_t>() != 0;
  s.final_informed = in.value<std::int64_t>(), s.coverage = in.value<double>(), s.residue = in.value<double>();
  s.messages = in.value<std::int64_t>(), s.requests = in.value<std::int64_t>(), s.traffic = in.value<double>();
  s.t_avg = in.value<double>(), s.t_last = in.value<Round>();
  s.round_50 = opt(), s.round_90 = opt(), s.round_99 = opt(), s.round_full = opt();
  s.wall_seconds = in.value<double>();
  get_steps(in, version, s.steps);
  if (version >= 3) {
    s.round_95 = opt(), s.reachable = in.value<std::int64_t>(), s.coverage_reachable = in.value<double>();
    s.reach_50 = opt(), s.reach_90 = opt(), s.reach_95 = opt(), s.reach_99 = opt(), s.reach_full = opt();
    s.coverage_stop = in.value<std::uint8_t>() != 0;
  }
  if (version >= 4) s.max_hops = opt();
  if (version >= 4 && in.value<std::uint8_t>() != 0) {
    AggregateSummary a;
    a.truth = in.value<double>(), a.last = get_aggregate_round(in, version, 0), a.round_eps = opt();
    a.factor = in.value<double>(), a.lost = in.value<std::int64_t>();
    s.aggregate = a;
  }
  if (version >= 5) s.posts = in.value<std::uint8_t>() != 0;
  return s;
}

}  // namespace

void TrialCheckpoint::materialize() {
  auto take = [](auto& vec, auto& view) {
    if (vec.empty()) vec.assign(view.begin(), view.end());
    view = {};
  };
  take(informed_at, views.informed_at);
  take(hops, views.hops);
  take(contacts, views.contacts);
  take(stop_count, views.stop_count);
}

void write_checkpoint(const std::string& path, const RunCheckpoint& c) { write_checkpoint(path, c, c.trial); }

void write_checkpoint(const std::string& path, const RunCheckpoint& c, const TrialCheckpoint& trial) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw ResourceError(fmt::format("cannot write checkpoint '{}': {}", tmp, std::strerror(errno)));
  File f(::fdopen(fd, "wb"), &std::fclose);
  if (!f) {
    ::close(fd);
    throw ResourceError(fmt::format("cannot write checkpoint '{}': {}", tmp, std::strerror(errno)));
  }
  Out o(f.get(), tmp);
  try {
    o.bytes(kMagic, sizeof kMagic);
    o.value(kVersion);
    o.text(c.config_toml);
    o.value(c.graph_fingerprint);
    o.value(c.inputs_fingerprint);
    o.value<std::uint64_t>(c.done.size());
    for (const TrialSummary& s : c.done) put(o, s);
    const TrialCheckpoint& t = trial;
    o.value(t.trial), o.value(t.round), o.value(t.cur), o.value(t.messages), o.value(t.requests);
    o.value(t.elapsed_seconds), o.value<std::uint8_t>(t.sparse);
    o.array(t.frontier), o.array(t.informed_series), o.array(t.informed_at_of()), o.array(t.hops_of());
    o.array(t.contacts_of()), o.array(t.stop_count_of());
    o.array(std::vector<std::int64_t>(t.steps.begin(), t.steps.end()));
    std::vector<Round> arrivals;
    std::vector<std::uint64_t> copies;
    for (const auto& [arrival, copy] : t.in_flight) arrivals.push_back(arrival), copies.push_back(copy);
    o.array(arrivals), o.array(copies);
    o.array(t.agg_s), o.array(t.agg_w), o.value(t.agg_truth), o.value(t.agg_lost), o.value(t.agg_first), o.value(t.agg_cur);
    o.array(t.posts_state);
    o.array(t.agg_flight_round), o.array(t.agg_flight_target), o.array(t.agg_flight_s), o.array(t.agg_flight_w);
    const std::uint32_t crc = o.crc();
    o.value(crc);
    o.bytes(kMagic, sizeof kMagic);
    if (std::fflush(f.get()) != 0 || ::fsync(fd) != 0) o.fail();
    if (std::fclose(f.release()) != 0) o.fail();
  } catch (...) {
    std::filesystem::remove(tmp);
    throw;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int e = errno;
    std::filesystem::remove(tmp);
    throw ResourceError(fmt::format("cannot rename checkpoint '{}' to '{}': {}", tmp, path, std::strerror(e)));
  }
  const std::string dir = std::filesystem::path(path).parent_path().string();
  const int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);  // make the rename itself durable
    ::close(dfd);
  }
}

RunCheckpoint read_checkpoint(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw UsageError(fmt::format("cannot resume: no checkpoint '{}' ({})", path, ec.message()));
  File f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) throw UsageError(fmt::format("cannot resume: cannot read checkpoint '{}': {}", path, std::strerror(errno)));
  In in(f.get(), path, size);
  char magic[sizeof kMagic];
  in.bytes(magic, sizeof magic);
  if (std::memcmp(magic, kMagic, sizeof kMagic) != 0) in.bad("wrong magic");
  const auto version = in.value<std::uint32_t>();
  if (version < 1 || version > kVersion) in.bad(fmt::format("format version {}, expected 1 .. {}", version, kVersion));
  RunCheckpoint c;
  c.config_toml = in.text();
  c.graph_fingerprint = in.value<std::uint64_t>();
  if (version >= 5) c.inputs_fingerprint = in.value<std::uint64_t>();
  const auto done = in.value<std::uint64_t>();
  if (done > in.left() / 64) in.bad("truncated");
  for (std::uint64_t i = 0; i < done; ++i) c.done.push_back(get_summary(in, version));
  TrialCheckpoint& t = c.trial;
  t.trial = in.value<std::uint32_t>(), t.round = in.value<Round>();
  if (version >= 4) {
    t.cur = in.value<RoundStats>();
  } else if (version == 3) {
    const auto o = in.value<RoundStatsV3>();
    t.cur = {o.informed, o.newly_informed, o.messages, o.requests, o.redundant, o.lost,
             o.spreaders, o.up, o.lost_down, o.lost_partition, o.present};
  } else {
    const auto o = in.value<RoundStatsV2>();
    t.cur = {o.informed, o.newly_informed, o.messages, o.requests, o.redundant, o.lost, o.spreaders};
  }
  t.messages = in.value<std::int64_t>(), t.requests = in.value<std::int64_t>();
  t.elapsed_seconds = in.value<double>(), t.sparse = in.value<std::uint8_t>() != 0;
  t.frontier = in.array<NodeId>(), t.informed_series = in.array<std::int64_t>();
  t.informed_at = in.array<Round>(), t.hops = in.array<std::uint16_t>();
  t.contacts = in.array<std::uint32_t>(), t.stop_count = in.array<std::uint16_t>();
  get_steps(in, version, t.steps);
  if (version >= 4) {
    const auto arrivals = in.array<Round>();
    const auto copies = in.array<std::uint64_t>();
    if (arrivals.size() != copies.size()) in.bad("copies in flight");
    for (std::size_t i = 0; i < arrivals.size(); ++i) {
      if (arrivals[i] <= t.round) in.bad("a copy in flight arriving before the checkpoint's round");
      t.in_flight.emplace_back(arrivals[i], copies[i]);
    }
    t.agg_s = in.array<double>(), t.agg_w = in.array<double>(), t.agg_truth = in.value<double>();
    t.agg_lost = in.value<std::int64_t>();
    const auto n = static_cast<std::int64_t>(t.agg_s.size());
    t.agg_first = get_aggregate_round(in, version, n), t.agg_cur = get_aggregate_round(in, version, n);
  }
  if (version >= 5) t.posts_state = in.array<std::uint8_t>();
  if (version >= 6) {
    t.agg_flight_round = in.array<Round>(), t.agg_flight_target = in.array<std::uint32_t>();
    t.agg_flight_s = in.array<double>(), t.agg_flight_w = in.array<double>();
  }
  const std::uint32_t crc = in.crc();
  if (in.value<std::uint32_t>() != crc) in.bad("checksum mismatch");
  in.bytes(magic, sizeof magic);
  if (std::memcmp(magic, kMagic, sizeof kMagic) != 0 || in.left() != 0) in.bad("bad trailer");
  if (version < 6)  // the finished trials' last rounds had every node up (read before the state's n)
    for (TrialSummary& s : c.done)
      if (s.aggregate) s.aggregate->last.up = static_cast<std::int64_t>(t.agg_s.size());
  const bool own = !t.agg_s.empty() || !t.posts_state.empty();  // aggregation and posts keep no informed series
  if (t.round < -1 || (!own && t.informed_series.size() != static_cast<std::size_t>(t.round + 1)))
    in.bad("inconsistent round");
  return c;
}

}  // namespace gossip
