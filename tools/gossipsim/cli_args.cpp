#include "cli_args.hpp"

#include <fmt/format.h>

#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <vector>

#include "core/numbers.hpp"

namespace gossip::cli {
namespace {

// Optimal string alignment distance: Levenshtein plus swaps of neighbours ("grpah" -> "graph" is 1).
std::size_t distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

// The nearest candidate when it is close (within a third of its length, dashes aside) or starts
// with what was typed ("--trial" -> "--trials").
std::optional<std::string> nearest(const std::string& typed, const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_d = 0;
  for (const std::string& c : candidates) {
    const std::size_t letters = c.size() - c.find_first_not_of('-');
    std::size_t d = distance(typed, c);
    if (c.starts_with(typed) && typed.find_first_not_of('-') != std::string::npos) d = std::min(d, c.size() - typed.size());
    if (d <= std::max<std::size_t>(1, letters / 3) && d < letters && (!best || d < best_d)) best = c, best_d = d;
  }
  return best;
}

std::string command_path(const CLI::App* app) {
  std::string path;
  for (; app && app->get_parent(); app = app->get_parent()) path = app->get_name() + (path.empty() ? "" : " ") + path;
  return path;
}

std::vector<std::string> flag_names(const CLI::App* app) {
  std::vector<std::string> out;
  for (const CLI::Option* o : app->get_options()) {
    for (const std::string& l : o->get_lnames()) out.push_back("--" + l);
    for (const std::string& s : o->get_snames()) out.push_back("-" + s);
  }
  return out;
}

std::vector<std::string> subcommand_names(const CLI::App* app) {
  std::vector<std::string> out;
  for (const CLI::App* s : app->get_subcommands([](const CLI::App*) { return true; })) out.push_back(s->get_name());
  return out;
}

// What to say about an argument nobody took, at the deepest subcommand the parser reached.
std::string unexpected(const CLI::App* at, const std::string& arg) {
  const std::string where = command_path(at);
  const std::string in = where.empty() ? "" : where + ": ";
  const std::string help = fmt::format(" (see gossipsim {}--help)", where.empty() ? "" : where + " ");
  if (arg.size() > 1 && arg[0] == '-' && !std::isdigit(static_cast<unsigned char>(arg[1]))) {
    const std::string name = arg.substr(0, arg.find('='));
    if (auto best = nearest(name, flag_names(at)))
      return fmt::format("{}unknown flag '{}' (did you mean '{}'?)", in, name, *best);
    return fmt::format("{}unknown flag '{}'{}", in, name, help);
  }
  if (const auto subs = subcommand_names(at); !subs.empty()) {
    if (auto best = nearest(arg, subs)) return fmt::format("{}unknown command '{}' (did you mean '{}'?)", in, arg, *best);
    return fmt::format("{}unknown command '{}' (valid: {})", in, arg, fmt::join(subs, ", "));
  }
  return fmt::format("{}unexpected argument '{}'{}", in, arg, help);
}

}  // namespace

CLI::Validator count_value() {
  return CLI::Validator(
      [](std::string& v) -> std::string {
        const auto c = parse_count(v);
        if (!c && v.starts_with('-')) return fmt::format("must not be negative, got '{}'", v);
        if (!c) return fmt::format("expected a count (1000, 1e6, 2^20, 1_000_000), got '{}'", v);
        v = std::to_string(*c);
        return {};
      },
      "COUNT", "count");
}

CLI::Validator duration_value(double plain_unit_seconds, const std::string& unit_name) {
  return CLI::Validator(
      [plain_unit_seconds, unit_name](std::string& v) -> std::string {
        const auto s = parse_duration(v, plain_unit_seconds);
        if (!s)
          return fmt::format("expected a duration (90s, 5m, 2h, 1d, HH:MM:SS, or a number of {}), got '{}'", unit_name, v);
        v = fmt::format("{}", *s);
        return {};
      },
      "DURATION", "duration");
}

void add_graph_file_flags(CLI::App* cmd, GraphFileFlags& f) {
  cmd->add_flag("--keep-self-loops", f.keep_self_loops, "graph.keep_self_loops: keep self loops instead of dropping them");
  cmd->add_flag("--keep-duplicates", f.keep_duplicates, "graph.keep_duplicates: keep duplicate edges instead of removing them");
  cmd->add_option("--format", f.format, "graph.format: auto (from the extension), edgelist, mtx, metis, ligra or gcsr")
      ->check(CLI::IsMember(std::vector<std::string>(std::begin(kGraphFormats), std::end(kGraphFormats))));
  cmd->add_flag("--directed", f.directed, "graph.directed: keep a file's edges as arcs (default: symmetrize)");
  cmd->add_flag("--one-based", f.one_based, "graph.one_based: edge-list ids start at 1");
  cmd->add_option("--skip-lines", f.skip_lines, "graph.skip_lines: skip this many lines first (header rows)")
      ->transform(count_value());
  cmd->add_option("--latency", f.latency, "graph.latency: per-arc latencies from column K of the file (column:K, K >= 3)");
}

void apply_graph_file_flags(const GraphFileFlags& f, GraphOptions& g) {
  if (f.format) g.format = *f.format;
  if (f.skip_lines) g.skip_lines = *f.skip_lines;
  if (f.latency) g.latency = *f.latency;
  g.directed |= f.directed;
  g.one_based |= f.one_based;
  g.keep_self_loops |= f.keep_self_loops;
  g.keep_duplicates |= f.keep_duplicates;
}

std::string parse_error_message(const CLI::App& app, const CLI::ParseError& e) {
  const CLI::App* deepest = &app;
  for (auto subs = app.get_subcommands(); !subs.empty(); subs = deepest->get_subcommands()) deepest = subs.front();
  // An argument nobody took explains the failure best, whatever CLI11 stopped at (a missing
  // subcommand after a misspelt one, a missing positional after a misspelt flag).
  for (const CLI::App* a = deepest; a; a = a->get_parent())
    if (const auto rest = a->remaining(); !rest.empty()) return unexpected(deepest, rest.front());
  std::string what = e.what();
  std::ranges::replace(what, '\n', ' ');
  const std::string where = command_path(deepest);
  return where.empty() ? what : where + ": " + what;
}

}  // namespace gossip::cli
