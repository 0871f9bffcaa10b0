// What a file loader needs to know (values only: defaults live in SimConfig, config/config.hpp) and
// what it reports back besides the graph (the CLI logs the notes; the engine never prints).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/types.hpp"
#include "io/text_lines.hpp"

namespace gossip::io {

struct LoadOptions {
  bool directed = false;  // false: an edge list's or general mtx's edges are symmetrized
  bool one_based = false;  // edge lists: ids 1..n are the identity (mtx, METIS always 1-based; Ligra 0-based)
  bool keep_self_loops = false;
  bool keep_duplicates = false;
  std::uint64_t skip_lines = 0;  // text formats: lines skipped before parsing (header rows)
  std::uint32_t latency_column = 0;  // edge lists, mtx: the 1-based column of per-arc latencies (0: none; >= 3)
  std::size_t chunk_bytes = kDefaultChunkBytes;  // parallel parse unit (tests force tiny chunks)
  std::uint64_t max_nodes = kMaxNodes;  // larger graphs are refused (ResourceError); fuzzers lower it
};

struct LoadNotes {
  std::string format;       // "edgelist", "mtx", "metis", "ligra" or "gcsr"
  bool gzip = false;
  std::uint64_t file_bytes = 0;
  std::uint64_t lines = 0;  // data lines read (edges, entries, METIS vertex lines; Ligra: arcs); 0 for gcsr
  std::vector<std::string> warnings;
};

}  // namespace gossip::io
