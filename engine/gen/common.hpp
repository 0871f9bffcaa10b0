// Shared by the generator families: the memory check before a build, and the RNG stream tags
// (one per family, so two families never share draws).
#pragma once
#include <string>

#include "core/memory.hpp"
#include "gen/generate.hpp"
#include "graph/build.hpp"

namespace gossip::gen {

enum Tag : std::uint32_t { kTagEr = 1, kTagRegular, kTagBa, kTagWs, kTagRmat, kTagSbm };

inline BuildOptions build_options(const GenOptions& opt, bool directed) {
  return {directed, opt.keep_self_loops, opt.keep_duplicates};
}

// Refuses (ResourceError) before allocating when the build cannot fit, then builds.
// max_arcs: an upper estimate of the arcs emitted (both directions of undirected edges).
template <EdgeSource Source>
CsrGraph build_checked(const Source& src, std::uint64_t max_arcs, const GenSpec& spec,
                       const GenOptions& opt, bool directed) {
  require_memory(csr_build_bytes(src.num_nodes(), max_arcs), "the graph " + spec.text);
  return build_csr(src, build_options(opt, directed));
}

// Blocks of `per_block` consecutive items over [0, total): the usual EdgeSource block layout.
struct Blocks {
  std::uint64_t total;
  std::uint64_t per_block;
  std::size_t count() const { return static_cast<std::size_t>((total + per_block - 1) / per_block); }
  std::uint64_t lo(std::size_t b) const { return b * per_block; }
  std::uint64_t hi(std::size_t b) const { return std::min(total, (b + 1) * per_block); }
};

}  // namespace gossip::gen
