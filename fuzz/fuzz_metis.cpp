// libFuzzer target: any bytes as a METIS graph file (fuzz/text_target.hpp says what must hold).
#include "io/metis.hpp"
#include "text_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return gossip::fuzz::text_target(data, size, gossip::io::load_metis);
}
