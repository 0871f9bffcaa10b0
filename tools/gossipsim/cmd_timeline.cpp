// `gossipsim timeline RUN.h5 --user NAME|ID [--at ROUND] [--trial T] [--json]`: one user's
// timeline as they saw it at the end of round ROUND of a posts run (docs/model.md, "Posts"):
// their own and received posts (arrival round <= ROUND), without the expired ones (lifetime
// L > 0 and ROUND >= created + L), in the model's order (created round, then post id). Reads
// /users, /posts and /posts/arrivals (docs/output.md).
#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "commands.hpp"
#include "core/error.hpp"
#include "exit_codes.hpp"
#include "json.hpp"
#include "output/h5_posts.hpp"

namespace gossip::cli {
namespace {

struct TimelineFlags {
  std::string file, user;
  std::optional<long long> at, trial;
  bool json = false;
  bool no_file_locking = false;
};

// The node `who` names: a name (exactly one user), else an id of /users/id.
NodeId find_user(const StoredPosts& s, const std::string& who, const std::string& path) {
  std::vector<NodeId> named;
  for (std::size_t v = 0; v < s.user_name.size(); ++v)
    if (s.user_name[v] == who) named.push_back(static_cast<NodeId>(v));
  if (named.size() > 1) {
    std::string ids;
    for (std::size_t i = 0; i < named.size(); ++i) ids += fmt::format("{}{}", i ? ", " : "", s.user_id[named[i]]);
    throw UsageError(fmt::format("--user '{}': {} users have that name (ids {}); give an id", who, named.size(), ids));
  }
  if (named.size() == 1) return named[0];
  std::uint64_t id = 0;
  const char* end = who.data() + who.size();
  if (auto [p, ec] = std::from_chars(who.data(), end, id); ec == std::errc() && p == end && !who.empty())
    for (std::size_t v = 0; v < s.user_id.size(); ++v)
      if (s.user_id[v] == id) return static_cast<NodeId>(v);
  throw UsageError(fmt::format("--user '{}': no user of '{}' has that name or id", who, path));
}

// Text on one line: newlines, tabs and other control characters as escapes.
std::string one_line(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (static_cast<unsigned char>(c) < 0x20) out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
    else out += c;
  }
  return out;
}

int timeline(const TimelineFlags& f) {
  const StoredPosts s = read_posts(f.file, !f.no_file_locking);
  // The trial: --trial names a global trial index (/trials/trial); default the file's first.
  std::size_t col = 0;
  if (f.trial) {
    const auto it = std::ranges::find(s.trial, *f.trial);
    if (it == s.trial.end()) {
      std::vector<std::int64_t> have;
      for (std::int64_t t : s.trial)
        if (t >= 0) have.push_back(t);
      throw UsageError(have.empty() ? fmt::format("--trial {}: '{}' holds no finished trial", *f.trial, f.file)
                                    : fmt::format("--trial {}: not in '{}' (it holds trials {} .. {})", *f.trial,
                                                  f.file, have.front(), have.back()));
    }
    col = static_cast<std::size_t>(it - s.trial.begin());
  }
  if (col >= s.rounds.size() || s.rounds[col] < 0 || s.trial[col] < 0)
    throw UsageError(fmt::format("trial {} did not finish in '{}' (status running or interrupted: resume the run)",
                                 f.trial ? *f.trial : static_cast<long long>(col), f.file));
  const std::int64_t trial = s.trial[col], last = s.rounds[col];
  if (!s.arrivals)
    throw InputError(fmt::format("'{}' has no stored arrivals (run with output.arrivals = \"on\" to store them)", f.file));
  const NodeId user = find_user(s, f.user, f.file);
  const std::int64_t at = f.at.value_or(last);
  if (at < 0) throw UsageError(fmt::format("--at {}: a round is >= 0", at));
  if (at > last)
    throw UsageError(fmt::format("--at {}: past the end of trial {} (its last round is {})", at, trial, last));

  struct Entry {
    std::uint32_t row;
    Round arrived;
    std::uint16_t hops;
  };
  std::vector<Entry> seen;
  for (const StoredArrival& a : read_arrivals(f.file, col, !f.no_file_locking, user)) {
    if (a.user != user || a.round > at || a.post >= s.list.size()) continue;
    if (!post_alive(s.list[a.post], s.lifetime, static_cast<Round>(at))) continue;  // expired: off the timeline
    seen.push_back(Entry{a.post, a.round, a.hops});
  }
  std::ranges::sort(seen, [&](const Entry& x, const Entry& y) {
    const PostSeed &p = s.list[x.row], &q = s.list[y.row];
    return p.created != q.created ? p.created < q.created : p.id < q.id;
  });

  const std::string& name = s.user_name[user];
  if (f.json) {
    Json out;
    out["file"] = f.file;
    out["user"] = name;
    out["id"] = s.user_id[user];
    out["trial"] = trial;
    out["round"] = at;
    out["last_round"] = last;
    out["lifetime"] = s.lifetime;
    Json posts = Json::array();
    for (const Entry& e : seen) {
      const PostSeed& p = s.list[e.row];
      Json j;
      j["post"] = p.id;
      j["author"] = s.user_name[p.author];
      j["author_id"] = s.user_id[p.author];
      j["created"] = p.created;
      j["arrived"] = e.arrived;
      j["hops"] = e.hops;
      j["text"] = s.text[e.row];
      posts.push_back(std::move(j));
    }
    out["posts"] = std::move(posts);
    fmt::print("{}\n", out.dump(-1, ' ', false, Json::error_handler_t::replace));
    return kExitOk;
  }
  fmt::print("{} (id {}), trial {}, at round {} of {}: {} post{}{}\n", name, s.user_id[user], trial, at, last,
             seen.size(), seen.size() == 1 ? "" : "s",
             s.lifetime > 0 ? fmt::format(" (posts expire {} rounds after they are created)", s.lifetime) : "");
  if (seen.empty()) return kExitOk;
  std::size_t width = 6;
  for (const Entry& e : seen) width = std::max(width, s.user_name[s.list[e.row].author].size());
  fmt::print("{:>7}  {:>7}  {:>4}  {:>6}  {:<{}}  {}\n", "created", "arrived", "hops", "post", "author", width, "text");
  for (const Entry& e : seen) {
    const PostSeed& p = s.list[e.row];
    fmt::print("{:>7}  {:>7}  {:>4}  {:>6}  {:<{}}  {}\n", p.created, e.arrived, e.hops, p.id,
               s.user_name[p.author], width, one_line(s.text[e.row]));
  }
  return kExitOk;
}

}  // namespace

void add_timeline_command(CLI::App& app, Action& action) {
  auto f = std::make_shared<TimelineFlags>();
  CLI::App* cmd = app.add_subcommand("timeline", "a user's timeline in a posts run's output, as they saw it at a round");
  cmd->add_option("file", f->file, "the run's HDF5 output (gossipsim run ... -o RUN.h5)")->required();
  cmd->add_option("--user", f->user, "the user: a name (/users/name) or an id (/users/id)")->required();
  cmd->add_option("--at", f->at, "the round (default: the trial's last): posts that arrived by its end");
  cmd->add_option("--trial", f->trial, "the trial (global index, /trials/trial; default: the file's first)");
  cmd->add_flag("--json", f->json, "one JSON object instead of text");
  cmd->add_flag("--no-file-locking", f->no_file_locking, "no HDF5 file locks (Lustre/NFS)");
  cmd->footer(kExitCodeHelp);
  cmd->callback([f, &action] { action = [f] { return timeline(*f); }; });
}

}  // namespace gossip::cli
