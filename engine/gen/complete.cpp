// complete:n — K_n, implicit: no adjacency is stored (graph/complete.hpp).
#include "gen/families.hpp"

namespace gossip::gen {

Graph make_complete(const GenSpec& spec, const GenOptions&) {
  const Params p(spec, {"n"});
  return CompleteGraph(p.nodes("n"));
}

}  // namespace gossip::gen
