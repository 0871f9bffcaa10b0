// ba: placeholder until the family lands.
#include "core/error.hpp"
#include "gen/families.hpp"

namespace gossip::gen {

Graph make_ba(const GenSpec&, const GenOptions&) {
  throw UsageError("graph family 'ba' is not implemented yet");
}

}  // namespace gossip::gen
