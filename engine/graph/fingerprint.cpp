#include "graph/fingerprint.hpp"

#include <fmt/format.h>

#include <span>

#include "core/parallel.hpp"

namespace gossip {
namespace {

constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ull;

std::uint64_t mix(std::uint64_t h, std::uint64_t x) {
  h ^= x + kMul + (h << 6) + (h >> 2);
  h *= 0xBF58476D1CE4E5B9ull;
  return h ^ (h >> 31);
}

// Blocks hashed in parallel, combined in block order: the same value for any thread count.
template <class T>
std::uint64_t hash_array(std::span<const T> a) {
  constexpr std::size_t kBlock = std::size_t{1} << 18;
  return par::reduce_blocks(
      a.size(), kBlock, std::uint64_t{a.size()},
      [&](std::size_t b, std::size_t lo, std::size_t hi) {
        std::uint64_t h = b * kMul;
        for (std::size_t i = lo; i < hi; ++i) h = (h ^ static_cast<std::uint64_t>(a[i])) * kMul;
        return h;
      },
      [](std::uint64_t acc, std::uint64_t part) { return mix(acc, part); });
}

}  // namespace

std::uint64_t graph_fingerprint(const Graph& g) {
  return visit_graph(g, [](const auto& x) -> std::uint64_t {
    using G = std::decay_t<decltype(x)>;
    if constexpr (is_implicit_complete<G>) {
      return mix(mix(1, x.num_nodes()), 0);
    } else {
      std::uint64_t h = mix(2, x.num_nodes());
      h = mix(h, x.num_arcs());
      h = mix(h, x.directed());
      h = mix(h, hash_array(x.offsets()));
      h = mix(h, hash_array(x.adjacency()));
      return x.has_latencies() ? mix(h, hash_array(x.latencies())) : h;  // unchanged without latencies
    }
  });
}

std::string fingerprint_hex(std::uint64_t f) { return fmt::format("{:016x}", f); }

}  // namespace gossip
