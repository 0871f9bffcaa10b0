// ws: placeholder until the family lands.
#include "core/error.hpp"
#include "gen/families.hpp"

namespace gossip::gen {

Graph make_ws(const GenSpec&, const GenOptions&) {
  throw UsageError("graph family 'ws' is not implemented yet");
}

}  // namespace gossip::gen
