// Matrix Market coordinate files (Boisvert, Pozo & Remington, "The Matrix Market Exchange
// Formats", NIST 1996): a banner "%%MatrixMarket matrix coordinate FIELD SYMMETRY" with FIELD
// pattern|integer|real and SYMMETRY general|symmetric, '%' comments, a size line "M N NNZ" with
// M = N (graphs are square), then NNZ entries "i j [value]" with 1 <= i, j <= M. Node v is
// row/column v + 1; n = M (no renumbering). A symmetric entry stands for both directions; a
// general matrix is symmetrized unless directed. Entries are parsed in parallel chunks like
// edge lists (io/edge_list.hpp), with the same memory behaviour. With LoadOptions::latency_column
// = 3 the values of an integer or real matrix are per-arc latencies (a symmetric entry's for
// both arcs).
#pragma once
#include <string>
#include <string_view>

#include "graph/csr.hpp"
#include "io/load_options.hpp"

namespace gossip::io {

CsrGraph load_mtx(std::string_view text, const std::string& path, const LoadOptions& opt, LoadNotes& notes);

}  // namespace gossip::io
