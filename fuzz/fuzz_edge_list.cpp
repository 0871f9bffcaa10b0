// libFuzzer target: any bytes as an edge list (fuzz/text_target.hpp says what must hold).
#include "io/edge_list.hpp"
#include "text_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return gossip::fuzz::text_target(data, size, gossip::io::load_edge_list);
}
