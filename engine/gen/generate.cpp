#include "gen/generate.hpp"

#include <array>

#include "core/error.hpp"
#include "gen/families.hpp"

namespace gossip {
namespace {

using namespace gen;
constexpr std::array kFamilies = {
    FamilyInfo{"complete", "n", "complete graph K_n, implicit (no adjacency stored)", "-", make_complete},
    FamilyInfo{"er", "n, p | n, d [, directed]",
               "Erdos-Renyi G(n, p); d sets p = d / (n - 1); geometric skip sampling, O(n + m)",
               "Erdos & Renyi 1959; Batagelj & Brandes 2005", make_er},
    FamilyInfo{"regular", "n, d", "random d-regular simple graph: pairing model + edge switchings",
               "Bollobas 1980; McKay & Wormald 1990", make_regular},
    FamilyInfo{"ba", "n, m", "Barabasi-Albert preferential attachment, m edges per new node",
               "Barabasi & Albert 1999; Batagelj & Brandes 2005; Sanders & Schulz 2016", make_ba},
    FamilyInfo{"ws", "n, k, beta", "Watts-Strogatz small world: ring of degree k, rewired with prob. beta",
               "Watts & Strogatz 1998", make_ws},
    FamilyInfo{"rmat", "scale, ef [, a, b, c]", "R-MAT / Kronecker, 2^scale nodes, ef * 2^scale edges, ids permuted",
               "Chakrabarti, Zhan & Faloutsos 2004; Graph500 (a=.57, b=.19, c=.19)", make_rmat},
    FamilyInfo{"grid", "rows, cols [, torus]", "2-D lattice, 4 neighbours (torus=1 wraps around)", "-", make_grid},
    FamilyInfo{"hypercube", "dim", "hypercube Q_dim, 2^dim nodes, ids adjacent when one bit differs", "-", make_hypercube},
    FamilyInfo{"ring", "n", "cycle C_n", "-", make_ring},
    FamilyInfo{"star", "n", "star: node 0 joined to nodes 1..n-1", "-", make_star},
    FamilyInfo{"path", "n", "path P_n: 0 - 1 - ... - n-1", "-", make_path},
    FamilyInfo{"sbm", "sizes, p_in, p_out", "stochastic block model; sizes=500/500/1000 or 4x250",
               "Holland, Laskey & Leinhardt 1983", make_sbm},
};

}  // namespace

std::span<const FamilyInfo> families() { return kFamilies; }

Graph generate(const GenSpec& spec, const GenOptions& opt) {
  for (const FamilyInfo& f : kFamilies)
    if (f.name == spec.family) return f.make(spec, opt);
  std::string names;
  for (const FamilyInfo& f : kFamilies) names += (names.empty() ? "" : ", ") + std::string(f.name);
  throw UsageError("unknown graph family '" + spec.family + "' (valid: " + names + ")");
}

}  // namespace gossip
