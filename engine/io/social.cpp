// The social scenario's input (io/social.hpp): a serial CSV reader (the files are small: a row
// per user and per post) and the two files read against the graph's node ids. Line numbers are
// counted as the reader goes, line breaks inside quotes included, so an error names the line
// its field starts on.
#include "io/social.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <unordered_map>

#include "core/error.hpp"
#include "io/mapped_file.hpp"
#include "io/text_lines.hpp"

namespace gossip::io {

std::size_t invalid_utf8(std::string_view s) {
  const auto* b = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned c = b[i];
    if (c >= 0x01 && c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned lo = 0x80, hi = 0xBF;  // the range of the second byte (excludes overlongs, surrogates, > U+10FFFF)
    if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c == 0xE0) len = 3, lo = 0xA0;
    else if (c == 0xED) len = 3, hi = 0x9F;
    else if (c >= 0xE1 && c <= 0xEF) len = 3;
    else if (c == 0xF0) len = 4, lo = 0x90;
    else if (c >= 0xF1 && c <= 0xF3) len = 4;
    else if (c == 0xF4) len = 4, hi = 0x8F;
    else return i;  // NUL, a continuation byte, C0, C1, F5..FF
    if (i + len > n || b[i + 1] < lo || b[i + 1] > hi) return i;
    for (std::size_t k = 2; k < len; ++k)
      if (b[i + k] < 0x80 || b[i + k] > 0xBF) return i;
    i += len;
  }
  return std::string_view::npos;
}

CsvReader::CsvReader(std::string_view text, std::string path) : text_(text), path_(std::move(path)) {
  if (text_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
  if (const std::size_t bad = invalid_utf8(text_); bad != std::string_view::npos) {
    const auto line = 1 + static_cast<std::uint64_t>(std::count(text_.begin(), text_.begin() + static_cast<std::ptrdiff_t>(bad), '\n'));
    fail(line, text_[bad] == '\0' ? std::string("expected text, found a NUL byte")
                                  : fmt::format("expected UTF-8 text, found the byte 0x{:02x} (not UTF-8)",
                                                static_cast<unsigned char>(text_[bad])));
  }
}

void CsvReader::fail(std::uint64_t line, const std::string& what) const {
  throw InputError(fmt::format("{}:{}: {}", path_, line, what));
}

bool CsvReader::next(std::vector<CsvField>& record) {
  record.clear();
  const std::size_t n = text_.size();
  auto blank = [](char c) { return c == ' ' || c == '\t'; };
  // Blank lines and '#' lines between records.
  while (pos_ < n) {
    std::size_t p = pos_;
    while (p < n && (blank(text_[p]) || text_[p] == '\r')) ++p;
    if (p < n && text_[p] != '\n' && text_[p] != '#') break;
    const std::size_t nl = text_.find('\n', p);
    pos_ = nl == std::string_view::npos ? n : nl + 1;
    if (nl != std::string_view::npos) ++line_;
  }
  if (pos_ >= n) return false;
  for (;;) {
    CsvField f{.value = {}, .line = line_};
    while (pos_ < n && blank(text_[pos_])) ++pos_;
    if (pos_ < n && text_[pos_] == '"') {
      const std::uint64_t opened = line_;
      for (++pos_;; ++pos_) {
        if (pos_ >= n) fail(opened, "expected a closing quote for the field opened on this line, found end of file");
        const char c = text_[pos_];
        if (c == '"') {
          if (pos_ + 1 < n && text_[pos_ + 1] == '"') {
            f.value += '"';
            ++pos_;
            continue;
          }
          ++pos_;
          break;
        }
        if (c == '\r' && pos_ + 1 < n && text_[pos_ + 1] == '\n') continue;  // CRLF inside quotes: "\n"
        if (c == '\n') ++line_;
        f.value += c;
      }
      while (pos_ < n && blank(text_[pos_])) ++pos_;
      if (pos_ < n && text_[pos_] == '\r' && pos_ + 1 < n && text_[pos_ + 1] == '\n') ++pos_;
      if (pos_ < n && text_[pos_] != ',' && text_[pos_] != '\n') {
        const std::size_t e = std::min(text_.find_first_of(",\n", pos_), n);
        fail(line_, fmt::format("expected a comma or the end of the line after a closing quote, found {} (a quote "
                                "inside a quoted field is written twice: \"\")",
                                quote_token(text_.substr(pos_, e - pos_))));
      }
    } else {
      const std::size_t e = std::min(text_.find_first_of(",\n", pos_), n);
      std::string_view v = text_.substr(pos_, e - pos_);
      pos_ = e;
      while (!v.empty() && (blank(v.back()) || v.back() == '\r')) v.remove_suffix(1);
      if (v.find('"') != std::string_view::npos)
        fail(line_, fmt::format("expected a field without quotes or one in quotes (\"...\", a quote inside written "
                                "twice), found {}", quote_token(v)));
      f.value = v;
    }
    record.push_back(std::move(f));
    if (pos_ >= n) return true;
    if (text_[pos_] == '\n') {
      ++pos_;
      ++line_;
      return true;
    }
    ++pos_;  // the comma: another field follows (empty at the end of the line)
  }
}

namespace {

// A header's columns and the records after it, each checked to have one field per column.
struct CsvTable {
  CsvReader reader;
  std::vector<std::string> columns;
  std::string column_list;  // "author,created,text" for messages
  std::uint64_t header_line = 0;

  CsvTable(std::string_view text, const std::string& path, std::string_view expected) : reader(text, path) {
    std::vector<CsvField> header;
    if (!reader.next(header))
      reader.fail(reader.line(), fmt::format("expected a header row naming the columns ({}), found end of file", expected));
    header_line = header.front().line;
    for (const CsvField& f : header) {
      if (std::find(columns.begin(), columns.end(), f.value) != columns.end())
        reader.fail(header_line, fmt::format("expected distinct column names, found {} twice", quote_token(f.value)));
      columns.push_back(f.value);
    }
    column_list = fmt::format("{}", fmt::join(columns, ","));
  }

  // The index of a column; nothing when the header lacks it and it is optional.
  std::optional<std::size_t> column(std::string_view name, bool required) const {
    const auto it = std::find(columns.begin(), columns.end(), name);
    if (it != columns.end()) return static_cast<std::size_t>(it - columns.begin());
    if (required)
      reader.fail(header_line, fmt::format("expected a column named '{}' in the header, found the columns {}", name,
                                           column_list));
    return std::nullopt;
  }

  bool next(std::vector<CsvField>& record) {
    if (!reader.next(record)) return false;
    if (record.size() != columns.size())
      reader.fail(record.front().line,
                  fmt::format("expected {} fields ({}), found {}{}", columns.size(), column_list, record.size(),
                              record.size() > columns.size() ? " (a field that holds a comma must be in quotes)" : ""));
    return true;
  }
};

// A whole number in [0, max] written in decimal digits; otherwise why not, as "found ... (why)".
std::optional<std::string> whole_number_error(std::string_view tok, std::uint64_t max, std::string_view what,
                                              std::uint64_t& out) {
  if (read_u64(tok, out) && out <= max) return std::nullopt;
  std::string why;
  double d = 0;
  const char* last = tok.data() + tok.size();
  const auto r = std::from_chars(tok.data(), last, d);
  const bool number = !tok.empty() && r.ptr == last && (r.ec == std::errc{} || r.ec == std::errc::result_out_of_range);
  if (tok.empty()) why = " (an empty field)";
  else if (number && d < 0) why = " (negative)";
  else if (number && std::isfinite(d) && std::floor(d) != d) why = " (not a whole number)";
  else if (number && std::isfinite(d) && d <= static_cast<double>(max)) why = " (write it in digits only)";
  else if (number) why = " (too large)";
  return fmt::format("expected {} (a whole number in [0, {}]), found {}{}", what, max, quote_token(tok), why);
}

std::string read_file(const std::string& path) {
  std::error_code ec;  // an empty file: no header (InputText refuses an empty file as a graph)
  if (std::filesystem::is_regular_file(path, ec) && std::filesystem::file_size(path, ec) == 0 && !ec) return {};
  const InputText in(path);
  return std::string(in.text());
}

}  // namespace

UsersRead read_users(std::string_view text, const std::string& path, const NodeIds& ids) {
  CsvTable t(text, path, "id,name");
  const std::size_t id_col = *t.column("id", true), name_col = *t.column("name", true);
  UsersRead out;
  out.names.resize(ids.n);
  std::vector<std::uint64_t> seen_line(ids.n, 0);
  std::vector<CsvField> r;
  while (t.next(r)) {
    const CsvField &idf = r[id_col], &name = r[name_col];
    std::uint64_t id = 0;
    if (!read_u64(idf.value, id)) t.reader.fail(idf.line, id_error(idf.value, "a user id"));
    const NodeId v = node_of(ids, id);
    if (v == kNoNode)
      t.reader.fail(idf.line, fmt::format("expected a user id that is a node of the graph ({}), found {}", describe_ids(ids), id));
    if (seen_line[v])
      t.reader.fail(idf.line, fmt::format("expected each user once, found user id {} again (first on line {})", id, seen_line[v]));
    seen_line[v] = idf.line;
    if (name.value.empty()) t.reader.fail(name.line, fmt::format("expected a name for user {}, found an empty field", id));
    if (name.value.find_first_of("\r\n") != std::string::npos)
      t.reader.fail(name.line, fmt::format("expected a name on one line for user {}, found a line break in it", id));
    out.names[v] = name.value;
  }
  for (NodeId v = 0; v < ids.n; ++v)
    if (!seen_line[v]) out.missing.push_back(v);
  out.end_line = t.reader.line();
  return out;
}

std::optional<std::string> friendship_naming_missing(std::string_view edges, const std::string& edges_path,
                                                     std::uint64_t skip_lines,
                                                     std::span<const std::uint64_t> missing_ids,
                                                     const std::string& users_path) {
  std::optional<std::string> found;
  for_each_line(edges, skip_prefix(edges, skip_lines), edges.size(), [&](LineTokens t) -> std::optional<TextError> {
    std::size_t at = 0;
    auto tok = t.next(at);
    if (skips_line(tok)) return std::nullopt;
    for (int k = 0; k < 2 && tok; ++k, tok = t.next(at)) {
      std::uint64_t id = 0;
      if (read_u64(*tok, id) && std::binary_search(missing_ids.begin(), missing_ids.end(), id)) {
        found = locate(edges_path, edges,
                       {at, fmt::format("expected friendships between users of {} (posts.users), found user id {}, "
                                        "which it does not list",
                                        users_path, id)});
        return TextError{};
      }
    }
    return std::nullopt;
  });
  return found;
}

PostsRead read_posts(std::string_view text, const std::string& path, const NodeIds& ids, const JoinSpec* join) {
  CsvTable t(text, path, "author,created,text[,id]");
  const std::size_t author_col = *t.column("author", true), created_col = *t.column("created", true),
                    text_col = *t.column("text", true);
  const std::optional<std::size_t> id_col = t.column("id", false);
  PostsRead out;
  std::unordered_map<std::uint32_t, std::uint64_t> first_line;  // post id -> the line of its row
  std::vector<CsvField> r;
  while (t.next(r)) {
    PostSeed p;
    std::uint64_t x = 0;
    if (id_col) {
      const CsvField& f = r[*id_col];
      if (auto e = whole_number_error(f.value, kMaxPostId, "a post id", x)) t.reader.fail(f.line, *e);
      p.id = static_cast<std::uint32_t>(x);
    } else {
      if (out.list.size() > kMaxPostId) t.reader.fail(r.front().line, "expected at most 2^31 posts (ids 0 .. 2^31 - 1), found more");
      p.id = static_cast<std::uint32_t>(out.list.size());
    }
    const CsvField& a = r[author_col];
    if (!read_u64(a.value, x)) t.reader.fail(a.line, id_error(a.value, "an author (a user id)"));
    p.author = node_of(ids, x);
    if (p.author == kNoNode)
      t.reader.fail(a.line, fmt::format("expected an author that is a user of the graph ({}), found user id {}",
                                        describe_ids(ids), x));
    const CsvField& c = r[created_col];
    if (auto e = whole_number_error(c.value, static_cast<std::uint64_t>(kNever) - 1, "a created round", x))
      t.reader.fail(c.line, *e);
    p.created = static_cast<Round>(x);
    if (join && join->kind != JoinSpec::none && join->round_of(p.author) > p.created)
      t.reader.fail(c.line, fmt::format("expected a post created when its author is present, found round {} and user id "
                                        "{}, who joins in round {} (network.join = '{}')",
                                        p.created, file_id(ids, p.author), join->round_of(p.author), join->text));
    if (const auto [it, fresh] = first_line.try_emplace(p.id, r.front().line); !fresh)
      t.reader.fail(r.front().line, fmt::format("expected each post id once, found post id {} again (first on line {})",
                                                p.id, it->second));
    out.list.push_back(p);
    out.texts.push_back(std::move(r[text_col].value));
  }
  if (out.list.empty()) t.reader.fail(t.reader.line(), "expected at least one post after the header, found end of file");
  return out;
}

Scenario load_scenario(const PostsConfig& pc, const Graph& g, const GraphOptions& opt, const JoinSpec& join,
                       std::vector<PostSeed> generated) {
  Scenario s;
  s.ids = node_ids(g, opt);
  s.spec.lifetime = pc.lifetime;
  if (!pc.users.empty()) {
    const std::string text = read_file(pc.users);
    UsersRead u = read_users(text, pc.users, s.ids);
    if (!u.missing.empty()) {
      if (is_graph_file(opt.source) && file_format(opt) == "edgelist") {
        std::vector<std::uint64_t> missing_ids;
        for (NodeId v : u.missing) missing_ids.push_back(file_id(s.ids, v));
        std::sort(missing_ids.begin(), missing_ids.end());
        const InputText edges(opt.source);
        if (auto e = friendship_naming_missing(edges.text(), opt.source, opt.skip_lines, missing_ids, pc.users))
          throw InputError(*e);
      }
      throw InputError(fmt::format("{}:{}: expected a row for each node of the graph ({}), found {} rows (none for "
                                   "node id {})",
                                   pc.users, u.end_line, describe_ids(s.ids), s.ids.n - u.missing.size(),
                                   file_id(s.ids, u.missing.front())));
    }
    s.names = std::move(u.names);
  }
  if (!pc.file.empty()) {
    const std::string text = read_file(pc.file);
    PostsRead p = read_posts(text, pc.file, s.ids, &join);
    s.spec.list = std::move(p.list);
    s.texts = std::move(p.texts);
  } else {
    s.spec.list = std::move(generated);
    for (const PostSeed& p : s.spec.list) s.texts.push_back(fmt::format("post {}", p.id));
  }
  return s;
}

bool arrivals_on(std::string_view setting, std::uint64_t users, std::uint64_t posts) {
  if (setting == "on") return true;
  if (setting == "off") return false;
  return posts == 0 || users <= kArrivalsAutoLimit / posts;
}

namespace {

template <class Name, class Id>
NodeId find_user_in(std::size_t n, Name name, Id id, bool named, std::string_view who) {
  if (named) {
    std::vector<NodeId> hits;
    for (std::size_t v = 0; v < n; ++v)
      if (name(v) == who) hits.push_back(static_cast<NodeId>(v));
    if (hits.size() == 1) return hits.front();
    if (hits.size() > 1) {
      std::vector<std::uint64_t> hit_ids;
      for (NodeId v : hits) hit_ids.push_back(id(v));
      throw UsageError(fmt::format("user name '{}' is ambiguous: users {} have it (name one by its id)", who,
                                   fmt::join(hit_ids, ", ")));
    }
  }
  std::uint64_t x = 0;
  if (read_u64(who, x))
    for (std::size_t v = 0; v < n; ++v)
      if (id(v) == x) return static_cast<NodeId>(v);
  throw UsageError(fmt::format("unknown user '{}' (no user has that {})", who, named ? "name or id" : "id"));
}

}  // namespace

NodeId find_user(std::span<const std::string> names, std::span<const std::uint64_t> ids, std::string_view who) {
  return find_user_in(
      ids.size(), [&](std::size_t v) -> std::string_view { return names[v]; }, [&](std::size_t v) { return ids[v]; },
      !names.empty(), who);
}

NodeId find_user(const Scenario& s, std::string_view who) {
  return find_user_in(
      s.ids.n, [&](std::size_t v) -> std::string_view { return s.names[v]; },
      [&](std::size_t v) { return s.user_id(static_cast<NodeId>(v)); }, !s.names.empty(), who);
}

}  // namespace gossip::io
