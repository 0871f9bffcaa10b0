// libFuzzer target: any bytes as a binary CSR. Either InputError, or a graph whose every row
// can be walked: offsets in range, neighbor ids below n (what the validator promises).
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "core/error.hpp"
#include "io/gcsr.hpp"

using namespace gossip;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::uint64_t> aligned((size + 7) / 8);  // a mapping is page-aligned; so is this
  if (size) std::memcpy(aligned.data(), data, size);
  try {
    const CsrGraph g = io::gcsr_from_bytes({reinterpret_cast<const char*>(aligned.data()), size}, "f", nullptr);
    std::uint64_t arcs = 0;
    for (NodeId v = 0; v < g.num_nodes(); ++v)
      for (NodeId w : g.neighbors(v)) {
        if (w >= g.num_nodes()) std::abort();
        ++arcs;
      }
    if (arcs != g.num_arcs()) std::abort();
  } catch (const InputError&) {
  }
  return 0;
}
