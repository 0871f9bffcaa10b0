// `gossipsim graph convert SOURCE OUT`: load a graph file or build a generator spec and write
// it as binary CSR (OUT.gcsr, memory-mapped on load) or a plain edge list (OUT.el, as GAP
// reads it). The output appears only when complete (temporary file, fsync, rename).
#include <fmt/format.h>

#include "commands.hpp"
#include "core/error.hpp"
#include "graph/stats.hpp"
#include "io/gcsr.hpp"
#include "io/write_edge_list.hpp"
#include "log.hpp"
#include "sim/config.hpp"

namespace gossip::cli {
namespace {

struct ConvertFlags {
  CommonFlags common;
  GraphOptions graph = SimConfig{}.graph;
  std::string out;
};

int convert(const ConvertFlags& f) {
  const bool gcsr = f.out.ends_with(".gcsr"), el = f.out.ends_with(".el");
  if (!gcsr && !el)
    throw UsageError("graph convert: the output '" + f.out + "' must end in .gcsr (binary CSR) or .el (edge list)");
  apply_threads(f.common);
  const LoadedGraph lg = load_graph(f.graph);
  const auto* g = std::get_if<CsrGraph>(&lg.graph);
  if (!g)
    throw UsageError("graph convert: '" + f.graph.source + "' is an implicit complete graph (no adjacency to write)");
  if (el) {
    const GraphStats s = graph_stats(lg.graph);
    if (s.isolated)
      log_warn("{} isolated nodes cannot be written to an edge list; reading {} back gives a graph without them",
               s.isolated, f.out);
    io::write_edge_list(*g, f.out);
  } else {
    io::write_gcsr(*g, f.out);
  }
  log_info("wrote {}: n = {}, arcs = {}{}", f.out, g->num_nodes(), g->num_arcs(),
           g->renumbered() ? ", original ids kept" : "");
  return 0;
}

}  // namespace

void add_convert_command(CLI::App* graph, Action& action) {
  auto flags = std::make_shared<ConvertFlags>();
  CLI::App* cmd = graph->add_subcommand("convert", "write a graph file or generator spec as OUT.gcsr or OUT.el");
  cmd->add_option("source", flags->graph.source, "generator spec or graph file")->required();
  cmd->add_option("out", flags->out, "output: OUT.gcsr (binary CSR) or OUT.el (edge list)")->required();
  cmd->add_option("--threads", flags->common.threads, "worker threads (default: OMP_NUM_THREADS, SLURM_CPUS_PER_TASK, affinity)");
  add_graph_options(cmd, flags->graph);
  cmd->callback([flags, &action] { action = [flags] { return convert(*flags); }; });
}

}  // namespace gossip::cli
