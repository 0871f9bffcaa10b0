// sbm: placeholder until the family lands.
#include "core/error.hpp"
#include "gen/families.hpp"

namespace gossip::gen {

Graph make_sbm(const GenSpec&, const GenOptions&) {
  throw UsageError("graph family 'sbm' is not implemented yet");
}

}  // namespace gossip::gen
