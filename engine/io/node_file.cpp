// Node files (io/node_file.hpp): one serial pass over the text (a row per node), each id mapped
// to its node, every node seen exactly once.
#include "io/node_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>

#include "core/error.hpp"
#include "io/mapped_file.hpp"
#include "io/text_lines.hpp"

namespace gossip::io {
namespace {

std::size_t line_end(std::string_view text, std::size_t p) {
  const std::size_t e = text.find('\n', p);
  return e == std::string_view::npos ? text.size() : e;
}

// Why `tok` is not a whole number in [0, max] (nothing when it is one; then `out` holds it).
std::optional<std::string> value_error(std::string_view tok, std::uint32_t max, std::uint32_t& out) {
  std::uint64_t x = 0;
  if (read_u64(tok, x) && x <= max) {
    out = static_cast<std::uint32_t>(x);
    return std::nullopt;
  }
  std::string why;
  double d = 0;
  const char* last = tok.data() + tok.size();
  const auto r = std::from_chars(tok.data(), last, d);
  if (r.ptr == last && r.ec == std::errc{} && std::isfinite(d)) {
    if (d < 0) why = " (negative)";
    else if (std::floor(d) != d) why = " (not a whole number)";
    else if (d > max) why = " (too large)";
    else if (d <= max) {
      out = static_cast<std::uint32_t>(d);  // 3.0, 3e0: a whole number written as a real
      return std::nullopt;
    }
  } else if (r.ptr == last && (r.ec == std::errc::result_out_of_range || !std::isfinite(d))) {
    why = " (not finite or too large)";
  }
  return fmt::format("expected a whole number in [0, {}], found {}{}", max, quote_token(tok), why);
}

}  // namespace

NodeId node_of(const NodeIds& ids, std::uint64_t id) {
  if (!ids.original.empty()) {
    const auto it = std::lower_bound(ids.original.begin(), ids.original.end(), id);
    return it != ids.original.end() && *it == id ? static_cast<NodeId>(it - ids.original.begin()) : kNoNode;
  }
  return id >= ids.base && id - ids.base < ids.n ? static_cast<NodeId>(id - ids.base) : kNoNode;
}

std::string describe_ids(const NodeIds& ids) {
  if (!ids.original.empty()) return fmt::format("n = {}, its original ids", ids.n);
  if (ids.n == 0) return "n = 0";
  return fmt::format("n = {}, ids {} to {}", ids.n, ids.base, ids.base + ids.n - 1);
}

NodeIds node_ids(const Graph& g, const GraphOptions& opt) {
  NodeIds ids{visit_graph(g, [](const auto& x) { return x.num_nodes(); }), {}, node_id_base(opt)};
  if (const auto* csr = std::get_if<CsrGraph>(&g); csr && csr->renumbered()) ids.original = csr->original_ids();
  return ids;
}

namespace {

// Why `tok` is not a finite number of magnitude at most `bound` (nothing when it is one; then
// `out` holds it).
std::optional<std::string> real_error(std::string_view tok, double bound, double& out) {
  double d = 0;
  const char* last = tok.data() + tok.size();
  const auto r = std::from_chars(tok.data(), last, d);
  std::string why;
  if (r.ptr == last && r.ec == std::errc{} && std::isfinite(d) && std::fabs(d) <= bound) {
    out = d;
    return std::nullopt;
  }
  if (r.ptr == last && (r.ec == std::errc::result_out_of_range || r.ec == std::errc{})) why = " (not finite or too large)";
  return fmt::format("expected a finite number of magnitude at most {:g}, found {}{}", bound, quote_token(tok), why);
}

// The rows of a node file: on_value(i, v, token) for column names[i] of node v's row, returning
// why the token is not a valid value (nothing when it is).
template <class OnValue>
void read_rows(std::string_view text, const std::string& path, std::span<const std::string> names, const NodeIds& ids,
               OnValue&& on_value) {
  auto fail = [&](std::size_t at, std::string what) { throw InputError(locate(path, text, {at, std::move(what)})); };
  const std::size_t header = next_data_line(text, text.starts_with("\xEF\xBB\xBF") ? 3 : 0);
  if (header >= text.size()) fail(text.size(), "expected a header row naming the columns (id first), found end of file");
  std::vector<std::string_view> columns;
  {
    LineTokens t(text, header, line_end(text, header));
    std::size_t at = 0;
    while (const auto tok = t.next(at)) {
      if (std::find(columns.begin(), columns.end(), *tok) != columns.end())
        fail(at, fmt::format("expected distinct column names, found {} twice", quote_token(*tok)));
      columns.push_back(*tok);
    }
  }
  std::vector<std::size_t> index(names.size());  // names[i] is column index[i] (0: the ids)
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto it = std::find(columns.begin() + 1, columns.end(), names[i]);
    if (it == columns.end()) {
      std::string known;
      for (std::size_t c = 1; c < columns.size(); ++c) known += (known.empty() ? "" : ", ") + std::string(columns[c]);
      fail(header, fmt::format("expected a column named '{}' in the header, found {}", names[i],
                               known.empty() ? std::string("only the id column") : "the columns " + known));
    }
    index[i] = static_cast<std::size_t>(it - columns.begin());
  }
  const std::size_t last_needed = names.empty() ? 0 : *std::max_element(index.begin(), index.end());

  std::vector<std::uint32_t> seen_line(ids.n, 0);  // the line (1-based) of node v's row; 0: none yet
  std::uint64_t rows = 0;
  std::uint32_t line = 1 + static_cast<std::uint32_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(header), '\n'));
  std::vector<std::string_view> row(last_needed + 1);
  for (std::size_t p = line_end(text, header) + 1; p < text.size(); p = line_end(text, p) + 1) {
    ++line;
    LineTokens t(text, p, line_end(text, p));
    std::size_t at = 0;
    std::vector<std::size_t> where(last_needed + 1);
    const auto first = t.next(at);
    if (skips_line(first)) continue;
    row[0] = *first, where[0] = at;
    for (std::size_t c = 1; c <= last_needed; ++c) {
      const auto tok = t.next(at);
      if (!tok) fail(at, fmt::format("expected a value for column '{}', found end of line", columns[c]));
      row[c] = *tok, where[c] = at;
    }
    std::uint64_t id = 0;
    if (!read_u64(row[0], id)) fail(where[0], id_error(row[0], "a node id"));
    const NodeId v = node_of(ids, id);
    if (v == kNoNode)
      fail(where[0], fmt::format("expected a node id of the graph ({}), found {}", describe_ids(ids), id));
    if (seen_line[v]) fail(where[0], fmt::format("expected each node once, found node id {} again (first on line {})", id, seen_line[v]));
    seen_line[v] = line;
    ++rows;
    for (std::size_t i = 0; i < names.size(); ++i)
      if (auto e = on_value(i, v, row[index[i]]))
        fail(where[index[i]], fmt::format("column '{}': {}", names[i], *e));
  }
  if (rows < ids.n) {
    const auto missing = static_cast<std::size_t>(std::find(seen_line.begin(), seen_line.end(), 0u) - seen_line.begin());
    const std::uint64_t id = file_id(ids, static_cast<NodeId>(missing));
    fail(text.size(), fmt::format("expected a row for each of the n = {} nodes, found {} (none for node id {})", ids.n,
                                  rows, id));
  }
}

// The text of the node file (empty for an empty file, which is then refused for its missing header).
std::string_view node_text(const std::string& path, std::optional<InputText>& keep) {
  std::error_code ec;  // an empty file is a node file without its header (InputText refuses it as a graph)
  if (std::filesystem::is_regular_file(path, ec) && std::filesystem::file_size(path, ec) == 0) return {};
  keep.emplace(path);
  return keep->text();
}

}  // namespace

std::vector<std::vector<std::uint32_t>> read_node_columns(std::string_view text, const std::string& path,
                                                          std::span<const std::string> names,
                                                          std::span<const std::uint32_t> max_value,
                                                          const NodeIds& ids) {
  std::vector<std::vector<std::uint32_t>> out(names.size(), std::vector<std::uint32_t>(ids.n));
  read_rows(text, path, names, ids, [&](std::size_t i, NodeId v, std::string_view tok) {
    return value_error(tok, max_value[i], out[i][v]);
  });
  return out;
}

std::vector<double> read_node_reals(std::string_view text, const std::string& path, const std::string& name,
                                    double bound, const NodeIds& ids) {
  std::vector<double> out(ids.n);
  read_rows(text, path, std::span<const std::string>(&name, 1), ids,
            [&](std::size_t, NodeId v, std::string_view tok) { return real_error(tok, bound, out[v]); });
  return out;
}

std::uint64_t node_id_base(const GraphOptions& opt) {
  if (!is_graph_file(opt.source)) return 0;
  const std::string f = file_format(opt);
  return f == "mtx" || f == "metis" || (f == "edgelist" && opt.one_based) ? 1 : 0;
}

void load_node_columns(FaultSpec& faults, const Graph& g, const GraphOptions& opt) {
  std::vector<std::string> names;
  std::vector<std::uint32_t> max;
  auto want = [&](const std::string& c, std::uint32_t m) {
    const auto it = std::find(names.begin(), names.end(), c);
    if (it != names.end()) {
      max[static_cast<std::size_t>(it - names.begin())] = std::min(max[static_cast<std::size_t>(it - names.begin())], m);
      return;
    }
    names.push_back(c);
    max.push_back(m);
  };
  if (faults.join.kind == JoinSpec::file) want(faults.join.column, static_cast<std::uint32_t>(kNever - 1));
  for (const FaultEvent& e : faults.events)
    if (!e.group_column.empty()) want(e.group_column, UINT32_MAX);
  if (names.empty()) return;
  if (opt.node_file.empty()) throw UsageError("network.join or a partition names a column 'file:" + names[0] +
                                              "' but graph.node_file is not set");
  std::optional<InputText> keep;
  const auto cols = read_node_columns(node_text(opt.node_file, keep), opt.node_file, names, max, node_ids(g, opt));
  auto column = [&](const std::string& c) -> const std::vector<std::uint32_t>& {
    return cols[static_cast<std::size_t>(std::find(names.begin(), names.end(), c) - names.begin())];
  };
  if (faults.join.kind == JoinSpec::file) {
    const auto& c = column(faults.join.column);
    faults.join.rounds = std::make_shared<const JoinRounds>(std::vector<Round>(c.begin(), c.end()));
  }
  std::map<std::string, std::shared_ptr<const NodeGroups>> groups;
  for (FaultEvent& e : faults.events) {
    if (e.group_column.empty()) continue;
    auto& m = groups[e.group_column];
    if (!m) {  // group k: the k-th smallest distinct value of the column
      const auto& c = column(e.group_column);
      std::vector<std::uint32_t> distinct(c.begin(), c.end());
      std::sort(distinct.begin(), distinct.end());
      distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
      NodeGroups ng;
      ng.count = static_cast<std::uint32_t>(std::max<std::size_t>(distinct.size(), 1));
      ng.group.resize(c.size());
      for (std::size_t v = 0; v < c.size(); ++v)
        ng.group[v] = static_cast<std::uint32_t>(std::lower_bound(distinct.begin(), distinct.end(), c[v]) - distinct.begin());
      m = std::make_shared<const NodeGroups>(std::move(ng));
    }
    e.group_map = m;
    e.groups = m->count;
  }
}

void load_aggregate_values(AggregateSpec& a, const Graph& g, const GraphOptions& opt) {
  const std::string_view init = a.init;
  if (!init.starts_with("file:")) return;
  const std::string column(init.substr(5));
  if (opt.node_file.empty())
    throw UsageError(fmt::format("aggregate.init = '{}' needs graph.node_file (the file holding column '{}')", init, column));
  std::optional<InputText> keep;
  a.values = std::make_shared<const std::vector<double>>(
      read_node_reals(node_text(opt.node_file, keep), opt.node_file, column, kAggregateBound, node_ids(g, opt)));
}

}  // namespace gossip::io
