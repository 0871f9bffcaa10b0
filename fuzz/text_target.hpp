// The body of the text-format libFuzzer targets (edge list, mtx, METIS, Ligra): any bytes, the
// first picking the options (directed, one_based, self loops, duplicates, a tiny chunk size,
// skip_lines), the rest as the file; graphs capped at 2^16 nodes so a tiny input cannot ask for
// gigabytes. The loader must return a graph or throw InputError/ResourceError, never crash, and
// give the same CSR and original ids for the tiny chunk size as for the default.
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/error.hpp"
#include "io/load_options.hpp"

namespace gossip::fuzz {

template <class Load>
int text_target(const std::uint8_t* data, std::size_t size, Load&& load) {
  if (size == 0) return 0;
  const io::LoadOptions base{.directed = (data[0] & 1) != 0, .one_based = (data[0] & 2) != 0,
                             .keep_self_loops = (data[0] & 4) != 0, .keep_duplicates = (data[0] & 8) != 0,
                             .skip_lines = static_cast<std::uint64_t>(data[0] >> 6), .max_nodes = 1 << 16};
  io::LoadOptions tiny = base;
  tiny.chunk_bytes = 1 + (data[0] >> 4) % 4;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  io::LoadNotes notes;
  try {
    const CsrGraph a = load(text, "f", base, notes);
    const CsrGraph b = load(text, "f", tiny, notes);
    auto same = [](auto x, auto y) { return std::equal(x.begin(), x.end(), y.begin(), y.end()); };
    if (a.directed() != b.directed() || !same(a.offsets(), b.offsets()) || !same(a.adjacency(), b.adjacency()) ||
        !same(a.original_ids(), b.original_ids()))
      std::abort();
  } catch (const InputError&) {
  } catch (const ResourceError&) {
  }
  return 0;
}

}  // namespace gossip::fuzz
