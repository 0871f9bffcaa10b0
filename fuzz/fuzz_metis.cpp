// libFuzzer target: any bytes as a METIS graph file (graphs capped at 2^16 nodes so a tiny
// input cannot ask for gigabytes); a graph or InputError/ResourceError, and the same CSR for a
// tiny chunk size as for the default.
#include <cstdint>
#include <algorithm>
#include <cstdlib>

#include "core/error.hpp"
#include "io/metis.hpp"

using namespace gossip;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const io::LoadOptions base{.directed = (data[0] & 1) != 0, .keep_self_loops = (data[0] & 4) != 0,
                             .keep_duplicates = (data[0] & 8) != 0, .max_nodes = 1 << 16};
  io::LoadOptions tiny = base;
  tiny.chunk_bytes = 1 + (data[0] >> 4) % 4;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  io::LoadNotes notes;
  try {
    const CsrGraph a = io::load_metis(text, "f", base, notes);
    const CsrGraph b = io::load_metis(text, "f", tiny, notes);
    if (!std::equal(a.offsets().begin(), a.offsets().end(), b.offsets().begin(), b.offsets().end()) || !std::equal(a.adjacency().begin(), a.adjacency().end(), b.adjacency().begin(), b.adjacency().end()))
      std::abort();
  } catch (const InputError&) {
  } catch (const ResourceError&) {
  }
  return 0;
}
