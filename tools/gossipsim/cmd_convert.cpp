// `gossipsim graph convert SOURCE OUT`: load a graph file or build a generator spec and write
// it as binary CSR (OUT.gcsr, memory-mapped on load), a plain edge list (OUT.el, as GAP reads
// it), a METIS file (OUT.graph, OUT.metis) or a Ligra AdjacencyGraph (OUT.adj). The output
// appears only when complete (temporary file, fsync, rename).
#include <fmt/format.h>

#include "commands.hpp"
#include "core/error.hpp"
#include "graph/stats.hpp"
#include "io/gcsr.hpp"
#include "io/write_adjacency.hpp"
#include "io/write_edge_list.hpp"
#include "log.hpp"
#include "config/config.hpp"

namespace gossip::cli {
namespace {

struct ConvertFlags {
  CommonFlags common;
  GraphOptions graph = SimConfig{}.graph;
  GraphFileFlags file;
  std::string out;
};

int convert(ConvertFlags f) {
  apply_graph_file_flags(f.file, f.graph);
  const bool gcsr = f.out.ends_with(".gcsr"), el = f.out.ends_with(".el"), adj = f.out.ends_with(".adj");
  const bool metis = f.out.ends_with(".graph") || f.out.ends_with(".metis");
  if (!gcsr && !el && !adj && !metis)
    throw UsageError("graph convert: the output '" + f.out +
                     "' must end in .gcsr (binary CSR), .el (edge list), .graph or .metis (METIS) or .adj (Ligra)");
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
  } else if (adj || metis) {
    if (g->has_latencies()) log_warn("{} cannot hold latencies: they are not written (use .gcsr or .el)", f.out);
    if (g->renumbered())
      log_warn("{} holds no original ids: its nodes are 0..{} (1..{} in METIS) in the order of the ids read", f.out,
               g->num_nodes() - 1, g->num_nodes());
    if (metis)
      io::write_metis(*g, f.out);
    else
      io::write_ligra(*g, f.out);
  } else {
    io::write_gcsr(*g, f.out);
  }
  log_info("wrote {}: n = {}, arcs = {}{}{}", f.out, g->num_nodes(), g->num_arcs(),
           g->renumbered() && (gcsr || el) ? ", original ids kept" : "",
           g->has_latencies() && (gcsr || el) ? (el ? ", latencies in column 3" : ", latencies kept") : "");
  return 0;
}

}  // namespace

void add_convert_command(CLI::App* graph, Action& action) {
  auto flags = std::make_shared<ConvertFlags>();
  CLI::App* cmd = graph->add_subcommand("convert", "write a graph file or generator spec as OUT.gcsr, .el, .graph or .adj");
  cmd->add_option("source", flags->graph.source, "generator spec or graph file")->required();
  cmd->add_option("out", flags->out, "output: OUT.gcsr (binary CSR), OUT.el (edge list), OUT.graph (METIS), OUT.adj (Ligra)")->required();
  cmd->add_option("--threads", flags->common.threads, "worker threads; 0 or none: OMP_NUM_THREADS, SLURM_CPUS_PER_TASK, affinity")
      ->transform(count_value());
  add_graph_options(cmd, flags->graph, flags->file);
  cmd->callback([flags, &action] { action = [flags] { return convert(*flags); }; });
}

}  // namespace gossip::cli
