// er: placeholder until the family lands.
#include "core/error.hpp"
#include "gen/families.hpp"

namespace gossip::gen {

Graph make_er(const GenSpec&, const GenOptions&) {
  throw UsageError("graph family 'er' is not implemented yet");
}

}  // namespace gossip::gen
