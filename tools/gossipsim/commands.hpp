// Each subcommand registers its flags on the CLI11 app and sets `action` to the function main
// runs after a successful parse. Commands return an exit code and throw typed errors.
#pragma once
#include <CLI/CLI.hpp>

#include <functional>
#include <optional>
#include <string>

#include "cli_args.hpp"
#include "graph/graph.hpp"
#include "io/source.hpp"

#include "output/h5_writer.hpp"

namespace gossip::cli {

using Action = std::function<int()>;

// Flags every command that computes shares.
struct CommonFlags {
  std::optional<long> threads;
};

void add_graph_commands(CLI::App& app, Action& action);
void add_config_commands(CLI::App& app, Action& action);
void add_run_command(CLI::App& app, Action& action);
void add_merge_command(CLI::App& app, Action& action);
void add_timeline_command(CLI::App& app, Action& action);

// The command line as typed (shell-quoted), recorded by main; provenance for output files.
void set_command_line(int argc, char** argv);
OutputMeta output_meta(int threads);

// A graph with where it came from and what its loader noticed.
struct LoadedGraph {
  Graph graph;
  std::string source;
  io::LoadNotes notes;  // format empty for a generator spec
  double seconds = 0;
};

// Builds or loads the graph (io/source.hpp), logging progress and the loader's warnings.
LoadedGraph load_graph(const GraphOptions& opt);
// The graph.* flags of graph info and graph convert: --seed (graph.seed) and the file flags,
// which the command applies to g before it runs (apply_graph_file_flags).
void add_graph_options(CLI::App* cmd, GraphOptions& g, GraphFileFlags& file);
void add_convert_command(CLI::App* graph, Action& action);

// Resolves and applies the thread count (CONVENTIONS precedence) and logs it; returns it.
int apply_threads(const CommonFlags& flags);

}  // namespace gossip::cli
