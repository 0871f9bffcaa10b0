// What the command line shares across subcommands: values parsed the same way everywhere
// (counts as 1e6 or 2^20, durations as 90s, 5m, 2h or HH:MM:SS), the graph-file flags of
// graph info, graph convert and run, and the one-line message for an argument-parser error
// with a did-you-mean for flags and subcommands.
#pragma once
#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "io/source.hpp"

namespace gossip::cli {

// A CLI11 transform: a count in the engine's syntax (1000, 1e6, 2^20, 1_000_000), written back
// as decimal digits; negative and fractional values are refused (never wrapped to 2^64 - 5).
CLI::Validator count_value();

// A CLI11 transform: a duration (numbers.hpp parse_duration) written back as seconds; a plain
// number is in the option's unit (`plain_unit_seconds`, named `unit_name`).
CLI::Validator duration_value(double plain_unit_seconds, const std::string& unit_name);

// The graph.* flags that concern reading a file, optional so that they override config keys
// only when given (run) and apply to the defaults otherwise (graph info, graph convert).
struct GraphFileFlags {
  std::optional<std::string> format;
  std::optional<std::uint64_t> skip_lines;
  std::optional<std::string> latency;
  bool directed = false, one_based = false, keep_self_loops = false, keep_duplicates = false;
};
void add_graph_file_flags(CLI::App* cmd, GraphFileFlags& f);
void apply_graph_file_flags(const GraphFileFlags& f, GraphOptions& g);

// "run: unknown flag '--trial' (did you mean '--trials'?)", "unknown command 'grpah' (did you
// mean 'graph'?)" or CLI11's own message on one line, naming the subcommand.
std::string parse_error_message(const CLI::App& app, const CLI::ParseError& e);

}  // namespace gossip::cli
