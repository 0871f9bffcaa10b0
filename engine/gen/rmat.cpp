// rmat: placeholder until the family lands.
#include "core/error.hpp"
#include "gen/families.hpp"

namespace gossip::gen {

Graph make_rmat(const GenSpec&, const GenOptions&) {
  throw UsageError("graph family 'rmat' is not implemented yet");
}

}  // namespace gossip::gen
