// libFuzzer target: any bytes as an edge list. The loader must return a graph or throw
// InputError/ResourceError, never crash; and the CSR must not depend on the chunk size (the
// first byte picks a tiny chunk, compared with the default).
#include <cstdint>
#include <algorithm>
#include <cstdlib>

#include "core/error.hpp"
#include "io/edge_list.hpp"

using namespace gossip;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const io::LoadOptions base{.directed = (data[0] & 1) != 0, .one_based = (data[0] & 2) != 0,
                             .keep_self_loops = (data[0] & 4) != 0, .keep_duplicates = (data[0] & 8) != 0,
                             .skip_lines = static_cast<std::uint64_t>(data[0] >> 6)};
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  io::LoadOptions tiny = base;
  tiny.chunk_bytes = 1 + (data[0] >> 4) % 4;
  io::LoadNotes notes;
  try {
    const CsrGraph a = io::load_edge_list(text, "f", base, notes);
    const CsrGraph b = io::load_edge_list(text, "f", tiny, notes);
    const bool same = a.num_nodes() == b.num_nodes() && std::equal(a.offsets().begin(), a.offsets().end(), b.offsets().begin(), b.offsets().end()) &&
                      std::equal(a.adjacency().begin(), a.adjacency().end(), b.adjacency().begin(), b.adjacency().end()) &&
                      std::equal(a.original_ids().begin(), a.original_ids().end(), b.original_ids().begin(), b.original_ids().end());
    if (!same) std::abort();
  } catch (const InputError&) {
  } catch (const ResourceError&) {
  }
  return 0;
}
