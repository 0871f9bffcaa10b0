// A test body run once under each instruction-set path this processor has (scalar, AVX2,
// AVX-512: core/isa.hpp), each forced in turn and named in doctest's INFO; the best path is
// restored afterwards, and at least one path (scalar) must have run.
#pragma once
#include <doctest/doctest.h>

#include <string>

#include "core/isa.hpp"

namespace gossip::test {

template <class F>
void on_every_isa(F&& body) {
  const char* best = active_isa_name();
  int paths = 0;
  for (const char* isa : {"scalar", "avx2", "avx512"}) {
    if (!force_isa(isa)) continue;
    ++paths;
    INFO(isa);
    CHECK(std::string(active_isa_name()) == isa);
    body(isa);
  }
  CHECK(paths >= 1);
  REQUIRE(force_isa(best));  // leave the process as it was
}

}  // namespace gossip::test
