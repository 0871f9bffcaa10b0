// The social scenario's input (docs/usage.md, "Posts: a social scenario"): users.csv (id, name),
// posts.csv (author, created, text [, id]) or generated posts, read into a Scenario that holds
// what a user sees (names, texts) beside the PostsSpec the engine runs (ids, authors, rounds).
// Both files are CSV as RFC 4180 writes it: a header row naming the columns, comma separators,
// fields in double quotes to hold commas, line breaks and quotes (doubled); CRLF or LF; blank
// lines and lines starting with '#' outside quotes are skipped; the whole file must be UTF-8.
// Ids are the graph file's own node ids (io/node_file.hpp, NodeIds). Every violation is an
// InputError "path:line: expected ..., found ..." naming the line the offending field starts on.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "graph/graph.hpp"
#include "io/node_file.hpp"
#include "io/source.hpp"
#include "protocol/posts.hpp"

namespace gossip::io {

// The [posts] slice of the configuration (values only: defaults live in SimConfig).
struct PostsConfig {
  std::string users;        // users.csv, "" for none (a user's name is then its id)
  std::string file;         // posts.csv, "" for none
  std::uint64_t count{};    // generated posts (exclusive with file), 0 for none
  double rate{};            // generated posts created per round
  Round lifetime{};         // rounds a post spreads and stays on timelines (0: forever)
  bool on() const { return !file.empty() || count > 0; }
  friend bool operator==(const PostsConfig&, const PostsConfig&) = default;
};

// One field of a CSV record: its text (quotes removed, "" made one quote, a line break inside
// quotes made "\n") and the line it starts on.
struct CsvField {
  std::string value;
  std::uint64_t line = 0;
};

// Reads a CSV text record by record. The constructor checks the whole text is UTF-8 (and holds no
// NUL byte); a record's unquoted fields lose the spaces and tabs around them, quoted ones keep
// every byte between the quotes.
class CsvReader {
 public:
  CsvReader(std::string_view text, std::string path);
  // The next record, false at the end of the text.
  bool next(std::vector<CsvField>& record);
  std::uint64_t line() const { return line_; }  // the line the reader is on (after the last record)
  [[noreturn]] void fail(std::uint64_t line, const std::string& what) const;

 private:
  std::string_view text_;
  std::string path_;
  std::size_t pos_ = 0;
  std::uint64_t line_ = 1;
};

// The offset of the first byte of `s` that is not part of well-formed UTF-8 (overlong forms,
// surrogates and code points above U+10FFFF included) or is a NUL; npos when there is none.
std::size_t invalid_utf8(std::string_view s);

// users.csv read against a graph: names[v] for each node v that has a row; the nodes without
// one in `missing` (ascending), for the caller to blame on the users file or on the edge list.
struct UsersRead {
  std::vector<std::string> names;
  std::vector<NodeId> missing;
  std::uint64_t end_line = 0;  // the line after the last record
};
UsersRead read_users(std::string_view text, const std::string& path, const NodeIds& ids);

// Where an edge list names a user that users.csv lacks: "EDGES:line:col: expected ..., found
// user id ID (...)" at the first such id of the edge list's text (after `skip_lines`);
// `missing_ids` are file ids, sorted. Nothing when no line names one.
std::optional<std::string> friendship_naming_missing(std::string_view edges, const std::string& edges_path,
                                                     std::uint64_t skip_lines,
                                                     std::span<const std::uint64_t> missing_ids,
                                                     const std::string& users_path);

// posts.csv read against a graph: the posts in file order and their texts. With `join`, a post
// created before its author joins (network.join) is an error, as a source that joins later is.
struct PostsRead {
  std::vector<PostSeed> list;
  std::vector<std::string> texts;
};
PostsRead read_posts(std::string_view text, const std::string& path, const NodeIds& ids, const JoinSpec* join = nullptr);

// The scenario of a posts run: what the engine runs (spec) and what a user sees.
struct Scenario {
  NodeIds ids;                     // how files name the nodes (points into the graph)
  std::vector<std::string> names;  // per node; empty without a users file
  std::vector<std::string> texts;  // per post, in spec.list order
  PostsSpec spec;                  // list, lifetime, arrivals

  std::uint64_t user_id(NodeId v) const { return file_id(ids, v); }
  // What a user is called: the users file's name, or its id without one.
  std::string user_name(NodeId v) const { return names.empty() ? std::to_string(user_id(v)) : names[v]; }
};

// Builds the scenario of `pc` on g: reads posts.users (every node of g a user, once; a node
// missing from it that an edge list names is blamed on that edge list's line) and posts.file,
// or takes `generated` (generate_posts' list, drawn by the caller) with texts "post K". `join`:
// network.join with its node file column read (io/node_file.hpp, load_node_columns).
// spec.arrivals is left false (arrivals_on decides it).
Scenario load_scenario(const PostsConfig& pc, const Graph& g, const GraphOptions& opt, const JoinSpec& join,
                       std::vector<PostSeed> generated = {});

// output.arrivals ("auto", "on", "off") for `users` users and `posts` posts: auto is on when
// users x posts <= 2^24.
bool arrivals_on(std::string_view setting, std::uint64_t users, std::uint64_t posts);
inline constexpr std::uint64_t kArrivalsAutoLimit = std::uint64_t{1} << 24;

// The user `who` names: a user name (exact match; a name several users share is a UsageError
// listing their ids) or, when no user has that name, a user id. UsageError when neither.
// names: per node (may be empty: ids only); ids: per node, the file id.
NodeId find_user(std::span<const std::string> names, std::span<const std::uint64_t> ids, std::string_view who);
NodeId find_user(const Scenario& s, std::string_view who);

}  // namespace gossip::io
