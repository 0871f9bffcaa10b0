// `gossipsim graph info SOURCE`: build (or load) a graph and report its size, degrees,
// components and memory, as a table or one JSON object (--json). SOURCE is a generator spec or
// a graph file (io/source.hpp); the graph flags here mirror the graph.* config keys.
#include <fmt/format.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "core/memory.hpp"
#include "graph/stats.hpp"
#include "io/source.hpp"
#include "log.hpp"
#include "config/config.hpp"

namespace gossip::cli {
namespace {

struct InfoFlags {
  CommonFlags common;
  GraphOptions graph = SimConfig{}.graph;  // the defaults of graph.*
  GraphFileFlags file;
  bool json = false;
};

nlohmann::ordered_json to_json(const GraphStats& s, const LoadedGraph& lg) {
  const auto* csr = std::get_if<CsrGraph>(&lg.graph);
  nlohmann::ordered_json j = {{"source", lg.source},
          {"format", lg.notes.format.empty() ? "generator" : lg.notes.format},
          {"n", s.n},
          {"edges", s.edges},
          {"arcs", s.arcs},
          {"directed", s.directed},
          {"degree_min", s.degree_min},
          {"degree_max", s.degree_max},
          {"degree_mean", s.degree_mean},
          {"isolated", s.isolated},
          {"self_loops_dropped", s.self_loops_dropped},
          {"duplicates_dropped", s.duplicates_dropped},
          {"self_loops", s.self_loops},
          {"components", s.components},
          {"largest_component", s.largest_component},
          {"renumbered", csr && csr->renumbered()},
          {"gzip", lg.notes.gzip},
          {"file_bytes", lg.notes.file_bytes},
          {"lines", lg.notes.lines},
          {"memory_bytes", s.memory_bytes},
          {"build_seconds", lg.seconds},
          {"peak_rss_bytes", peak_rss_bytes()}};
  j["latencies"] = s.latencies;  // per-arc latencies (graph.latency): their range over arcs
  if (s.latencies) {
    j["latency_min"] = s.latency_min;
    j["latency_max"] = s.latency_max;
    j["latency_mean"] = s.latency_mean;
  }
  return j;
}

int graph_info(InfoFlags f) {
  apply_threads(f.common);
  apply_graph_file_flags(f.file, f.graph);
  const LoadedGraph lg = load_graph(f.graph);
  const GraphStats s = graph_stats(lg.graph);
  const auto j = to_json(s, lg);
  if (f.json) {
    fmt::print("{}\n", j.dump());
    return 0;
  }
  for (const auto& [key, value] : j.items())
    fmt::print("{:<19} {}\n", key, value.is_string() ? value.get<std::string>() : value.dump());
  return 0;
}

}  // namespace

LoadedGraph load_graph(const GraphOptions& opt) {
  LoadedGraph lg;
  lg.source = opt.source;
  const bool file = is_graph_file(opt.source);
  if (file)
    log_info("loading {}", opt.source);
  else
    log_info("building {} (seed {})", opt.source, opt.seed);
  const auto t0 = std::chrono::steady_clock::now();
  lg.graph = open_graph(opt, lg.notes);
  lg.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  for (const std::string& w : lg.notes.warnings) log_warn("{}", w);
  log_info("{} in {:.3f} s", file ? "loaded" : "built", lg.seconds);
  return lg;
}

void add_graph_options(CLI::App* cmd, GraphOptions& g, GraphFileFlags& file) {
  cmd->add_option("--seed", g.seed, "graph.seed: the generator seed")->transform(count_value());
  add_graph_file_flags(cmd, file);
}

void add_graph_commands(CLI::App& app, Action& action) {
  CLI::App* graph = app.add_subcommand("graph", "build or load a graph and inspect or convert it");
  graph->require_subcommand(1);
  auto flags = std::make_shared<InfoFlags>();
  CLI::App* info = graph->add_subcommand("info", "print n, edges, degrees, components and memory of a graph");
  info->add_option("source", flags->graph.source,
                   "generator spec FAMILY:key=value,... or a graph file (.txt .el .tsv .csv [.gz], .mtx, .gcsr)")
      ->required();
  info->add_flag("--json", flags->json, "print one JSON object on stdout");
  info->add_option("--threads", flags->common.threads, "worker threads; 0 or none: OMP_NUM_THREADS, SLURM_CPUS_PER_TASK, affinity")
      ->transform(count_value());
  add_graph_options(info, flags->graph, flags->file);
  info->callback([flags, &action] { action = [flags] { return graph_info(*flags); }; });
  add_convert_command(graph, action);
}

}  // namespace gossip::cli
