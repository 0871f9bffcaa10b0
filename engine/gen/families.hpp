// One function per generator family (one file each in engine/gen/), registered in generate.cpp.
#pragma once
#include "gen/generate.hpp"

namespace gossip::gen {

Graph make_complete(const GenSpec&, const GenOptions&);
Graph make_ring(const GenSpec&, const GenOptions&);
Graph make_path(const GenSpec&, const GenOptions&);
Graph make_star(const GenSpec&, const GenOptions&);
Graph make_grid(const GenSpec&, const GenOptions&);
Graph make_hypercube(const GenSpec&, const GenOptions&);
Graph make_er(const GenSpec&, const GenOptions&);
Graph make_sbm(const GenSpec&, const GenOptions&);
Graph make_regular(const GenSpec&, const GenOptions&);
Graph make_ba(const GenSpec&, const GenOptions&);
Graph make_ws(const GenSpec&, const GenOptions&);
Graph make_rmat(const GenSpec&, const GenOptions&);

}  // namespace gossip::gen
