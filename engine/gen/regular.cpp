// regular: placeholder until the family lands.
#include "core/error.hpp"
#include "gen/families.hpp"

namespace gossip::gen {

Graph make_regular(const GenSpec&, const GenOptions&) {
  throw UsageError("graph family 'regular' is not implemented yet");
}

}  // namespace gossip::gen
