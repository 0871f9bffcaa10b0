// `gossipsim graph info SOURCE`: build (or load) a graph and report its size, degrees,
// components and memory, as a table or one JSON object (--json).
#include <fmt/format.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "core/memory.hpp"
#include "graph/stats.hpp"
#include "io/source.hpp"
#include "sim/config.hpp"
#include "log.hpp"

namespace gossip::cli {
namespace {

struct InfoFlags {
  CommonFlags common;
  GraphOptions graph = SimConfig{}.graph;  // the defaults of graph.*
  bool json = false;
};

nlohmann::ordered_json to_json(const GraphStats& s, double build_seconds) {
  return {{"n", s.n},
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
          {"memory_bytes", s.memory_bytes},
          {"build_seconds", build_seconds},
          {"peak_rss_bytes", peak_rss_bytes()}};
}

int graph_info(const InfoFlags& f) {
  apply_threads(f.common);
  log_info("building {} (seed {})", f.graph.source, f.graph.seed);
  const auto t0 = std::chrono::steady_clock::now();
  const Graph g = open_graph(f.graph);
  const double build_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  log_info("built in {:.3f} s", build_seconds);
  const GraphStats s = graph_stats(g);
  const auto j = to_json(s, build_seconds);
  if (f.json) {
    fmt::print("{}\n", j.dump());
    return 0;
  }
  fmt::print("source              {}\n", f.graph.source);
  for (const auto& [key, value] : j.items()) fmt::print("{:<19} {}\n", key, value.dump());
  return 0;
}

}  // namespace

void add_graph_commands(CLI::App& app, Action& action) {
  CLI::App* graph = app.add_subcommand("graph", "build or load a graph and inspect it");
  graph->require_subcommand(1);
  auto flags = std::make_shared<InfoFlags>();
  CLI::App* info = graph->add_subcommand("info", "print n, edges, degrees, components and memory of a graph");
  info->add_option("source", flags->graph.source, "generator spec FAMILY:key=value,... (see README)")->required();
  info->add_flag("--json", flags->json, "print one JSON object on stdout");
  info->add_option("--threads", flags->common.threads, "worker threads (default: OMP_NUM_THREADS, SLURM_CPUS_PER_TASK, affinity)");
  info->add_option("--seed", flags->graph.seed, "graph.seed: the generator seed");
  info->add_flag("--keep-self-loops", flags->graph.keep_self_loops, "keep self loops instead of dropping them");
  info->add_flag("--keep-duplicates", flags->graph.keep_duplicates, "keep duplicate edges instead of removing them");
  info->callback([flags, &action] { action = [flags] { return graph_info(*flags); }; });
}

}  // namespace gossip::cli
