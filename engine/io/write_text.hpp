// Text output in parallel: blocks 0 .. count-1 are formatted by format(b, s) into their own
// strings, kGroup blocks at a time, and written in order, so the file is the same for any thread
// count while the buffers hold only a group of blocks. to_text appends an unsigned number.
#pragma once
#include <charconv>
#include <cstdint>
#include <string>
#include <vector>

#include "core/parallel.hpp"
#include "io/atomic_output.hpp"

namespace gossip::io {

template <class F>
void write_blocks(AtomicOutput& out, std::size_t count, F&& format) {
  constexpr std::size_t kGroup = 64;
  std::vector<std::string> text(kGroup);
  for (std::size_t first = 0; first < count; first += kGroup) {
    const std::size_t group = std::min(kGroup, count - first);
    par::for_blocks(group, 1, [&](std::size_t b, std::size_t, std::size_t) {
      text[b].clear();
      format(first + b, text[b]);
    });
    for (std::size_t b = 0; b < group; ++b) out.write(text[b].data(), text[b].size());
  }
}

// Appends x and then `end` (a separator) to s.
inline void to_text(std::string& s, std::uint64_t x, char end) {
  const std::size_t len = s.size();
  s.resize(len + 21);
  char* p = std::to_chars(s.data() + len, s.data() + len + 20, x).ptr;
  *p++ = end;
  s.resize(static_cast<std::size_t>(p - s.data()));
}

}  // namespace gossip::io
