// SNAP-style edge lists: one edge "u v" per line, ids unsigned decimal (up to 2^64 - 1),
// separated by spaces, tabs or commas; '#' and '%' lines are comments; extra columns (weights,
// timestamps) are ignored unless LoadOptions::latency_column names one as per-arc latencies;
// CRLF, a UTF-8 BOM, blank lines and a missing final newline are accepted. The text is parsed in parallel chunks cut at line boundaries, three passes over
// the same bytes: (1) validate, count, mark ids present, (2-3) build_csr's count and fill
// replays. No edge list is materialised: the peak is the CSR build (graph/build.hpp) plus the
// id bitmap (max id / 8 * 1.5 bytes) and, for gzip input, the decompressed text.
#pragma once
#include <string>
#include <string_view>

#include "graph/csr.hpp"
#include "io/load_options.hpp"

namespace gossip::io {

// Throws InputError "path:line:col: expected ..., found '...'" for malformed text,
// ResourceError when the graph cannot fit.
CsrGraph load_edge_list(std::string_view text, const std::string& path, const LoadOptions& opt, LoadNotes& notes);

}  // namespace gossip::io
