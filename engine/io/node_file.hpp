// Node files (graph.node_file): per-node values in named columns, read by network.join =
// "file:COLUMN" (the round each node joins), by a partition's groups = "file:COLUMN" (each
// node's group) and by aggregate.init = "file:COLUMN" (each node's initial value). A text file
// with the separators and comments of edge lists (spaces, tabs or commas; '#' and '%' lines,
// blank lines): the first data line is a header naming the columns, the first of which holds
// node ids; then exactly one row per node of the graph, in any order. Ids are the graph file's
// own: a renumbered graph's original ids, else node v is id v + base, base 1 for Matrix Market,
// METIS and edge lists read with graph.one_based, 0 otherwise (and for generators). Values are
// whole numbers in [0, max] (aggregate.init's: finite reals). Every violation is an InputError
// "path:line:col: expected ..., found ...".
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "graph/graph.hpp"
#include "io/source.hpp"
#include "protocol/fault_spec.hpp"
#include "protocol/spec.hpp"

namespace gossip::io {

// How the node file names the nodes of a graph of n nodes (original ids, or v + base).
struct NodeIds {
  NodeId n = 0;
  std::span<const std::uint64_t> original;  // empty: node v is id v + base
  std::uint64_t base = 0;
};

// The columns `names` of the node file text: out[i][v] is node v's value in column names[i]; a
// value above max_value[i] is an error.
std::vector<std::vector<std::uint32_t>> read_node_columns(std::string_view text, const std::string& path,
                                                          std::span<const std::string> names,
                                                          std::span<const std::uint32_t> max_value,
                                                          const NodeIds& ids);

// Column `name` of the node file text as finite reals of magnitude at most `bound`: out[v] is node
// v's value.
std::vector<double> read_node_reals(std::string_view text, const std::string& path, const std::string& name,
                                    double bound, const NodeIds& ids);

// The id base of the graph graph.source names (see above).
std::uint64_t node_id_base(const GraphOptions& opt);

// How files name the nodes of g, read from opt (the span points into g: g must outlive it).
NodeIds node_ids(const Graph& g, const GraphOptions& opt);

// The node the file id `id` names, or kNoNode when it names none.
NodeId node_of(const NodeIds& ids, std::uint64_t id);

// The file id of node v (its original id, or v + base).
inline std::uint64_t file_id(const NodeIds& ids, NodeId v) { return ids.original.empty() ? ids.base + v : ids.original[v]; }

// "n = 4, ids 0 to 3" or "n = 4, its original ids": which ids a graph's nodes have, for errors.
std::string describe_ids(const NodeIds& ids);

// Reads opt.node_file once and fills the columns `faults` names: network.join = "file:COLUMN"
// (JoinSpec::rounds) and partitions with groups = "file:COLUMN" (FaultEvent::group_map and
// groups). Nothing to do (and no file read) when none is named.
void load_node_columns(FaultSpec& faults, const Graph& g, const GraphOptions& opt);

// aggregate.init = "file:COLUMN": reads that column of opt.node_file into a.values (the file read
// again when faults name columns too). Nothing to do for other inits.
void load_aggregate_values(AggregateSpec& a, const Graph& g, const GraphOptions& opt);

}  // namespace gossip::io
