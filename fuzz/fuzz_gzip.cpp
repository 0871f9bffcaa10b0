// libFuzzer target: any bytes through the gzip reader (io/mapped_file.hpp), then, when they
// inflate, through the edge-list loader: InputError for truncated or corrupt streams, never a
// crash (zlib inflates at most ~1000:1, so a fuzz input of a few KiB stays a few MiB).
#include <zlib.h>

#include <cstdint>

#include "core/error.hpp"
#include "io/edge_list.hpp"
#include "io/mapped_file.hpp"

using namespace gossip;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  if (size > 4096 && !io::is_gzip(in)) return 0;
  try {
    std::size_t n = 0;
    auto text = io::gunzip(in, "f", n);
    io::LoadNotes notes;
    (void)io::load_edge_list({text.get(), n}, "f", {.max_nodes = 1 << 16}, notes);
  } catch (const InputError&) {
  } catch (const ResourceError&) {
  }
  return 0;
}
