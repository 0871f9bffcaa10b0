// Opens the graph a run names: a generator spec ("er:n=1e6,d=8") or a graph file, whose format
// comes from graph.format or, for "auto", from the extension (a trailing .gz is looked
// through): .txt .el .tsv .csv .edges .snap -> edge list, .mtx -> Matrix Market, .graph .metis
// -> METIS, .adj -> Ligra adjacency graph, .gcsr -> binary CSR. GraphOptions is the graph slice of the configuration (values only: defaults live
// in SimConfig, config/config.hpp).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "graph/graph.hpp"
#include "io/load_options.hpp"

namespace gossip {

struct GraphOptions {
  std::string source;  // generator spec or file path
  std::uint64_t seed{};
  bool keep_self_loops{};
  bool keep_duplicates{};
  std::string format;   // auto | edgelist | mtx | metis | ligra | gcsr (files only)
  bool directed{};      // files: keep arcs as given instead of symmetrizing
  bool one_based{};     // edge lists: ids 1..n are nodes 0..n-1
  std::uint64_t skip_lines{};  // text files: lines skipped first (header rows)
  std::string latency;         // "none" or "column:K": per-arc latencies from column K (K >= 3) of a file
  std::string node_file;       // a node file (io/node_file.hpp) or "" (none)
};

inline constexpr std::string_view kGraphFormats[] = {"auto", "edgelist", "mtx", "metis", "ligra", "gcsr"};

// Whether `source` names a file (it exists, or it is not FAMILY:... of a known family).
bool is_graph_file(const std::string& source);

// The format a file is read as (one of kGraphFormats but "auto"); UsageError when "auto" cannot
// tell from the extension or the format is unknown.
std::string file_format(const GraphOptions& opt);

// graph.latency as a 1-based column (0 for "none"); nothing when malformed.
std::optional<std::uint32_t> latency_column(std::string_view text);

// Throws UsageError (bad spec or format), InputError (bad file) or ResourceError (does not fit).
// graph.latency = "column:K" reads per-arc latencies from an edge list (column K) or a Matrix
// Market file with values (K = 3); a .gcsr file brings its own latencies when it has them, and
// must have them when graph.latency asks for them; a generator or a METIS or Ligra file has none
// (UsageError).
Graph open_graph(const GraphOptions& opt);
// The same, and for a file what the loader noticed (warnings the caller logs).
Graph open_graph(const GraphOptions& opt, io::LoadNotes& notes);

}  // namespace gossip
