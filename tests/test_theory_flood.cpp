// Flood with forward probability p as bond percolation on G(n, D/n) (S = 1 - exp(-D p S)), and
// flood with p = 1 as BFS on a connected G(n, p).
#include "theory_support.hpp"

using namespace gossip;
using namespace gossip::test::theory;

// ---------------------------------------------------------------------------------------------
// 4. Flood with forward probability p is bond percolation. Every arc v -> w is tried once (when v
// has just been informed) and accepted with probability p independently, so the informed set is
// the source's cluster in bond percolation with occupation p (with one try per arc and a fixed
// infectious period the epidemic and percolation clusters have the same law: Grassberger 1983;
// Newman 2002; Kenah & Robins 2007). On G(n, D/n) the percolated graph is G(n, D p / n): the giant
// component holds a fraction S = 1 - exp(-D p S) (Erdos & Renyi 1960), which is both the chance
// that a random source starts a large outbreak and that outbreak's size. Finite-size allowance:
// the giant component's standard deviation sqrt(S (1-S) / n) / (1 - c (1-S)), c = D p (its central
// limit theorem: Pittel 1990; Barraez, Boucheron & Fernandez de la Vega 2000), since all trials
// share one graph. Below the threshold (c < 1) the cluster of a random node is a Poisson(c)
// Galton-Watson tree in the limit: mean size 1 / (1 - c), variance c / (1 - c)^3.
namespace {
double giant_fraction(double c) {
  double s = 0.5;
  for (int i = 0; i < 100000; ++i) s = 1.0 - std::exp(-c * s);
  return s;
}
}  // namespace

TEST_CASE("flood with forward probability p on G(n, D/n) = bond percolation") {
  constexpr double n = 2e5, D = 4;
  const Graph g = gossip::test::gen_csr("er:n=2e5,d=4", kSeed + 7);
  for (const auto& [p, T] : {std::pair{0.5, 300u}, std::pair{0.3, 1000u}}) {
    ProtocolSpec spec = spec_of(Mode::flood);
    spec.forward_prob = p;
    const Runs runs = run_trials(g, spec, T);
    const double c = D * p, S = giant_fraction(c);
    const double sigma_giant = std::sqrt(S * (1 - S) / n) / (1 - c * (1 - S));
    // Large outbreaks: above 2 % of n. The clusters outside the giant are subcritical
    // (c (1 - S) < 1), at most O(log n) nodes: a few hundred at c = 1.2, far below 4000.
    std::vector<double> large;
    double largest_small = 0;
    for (const TrialSummary& t : runs.trials) {
      if (t.coverage > 0.02) large.push_back(t.coverage);
      else largest_small = std::max(largest_small, t.coverage);
    }
    const Sample cov = sample(large);
    const double frac = static_cast<double>(large.size()) / T;
    const double frac_se = std::sqrt(S * (1 - S) / T);
    MESSAGE("flood p=", p, " (c=", c, ", S=", S, "): large outbreaks ", large.size(), "/", T, " = ", frac, " +- ", frac_se,
            "; their coverage ", cov.mean, " (sd ", cov.sd, "), sigma_giant ", sigma_giant, "; largest small ", largest_small * n);
    // A wrong model moves these far: per-node refusal (a refused node never informed later)
    // is site-like percolation, much smaller outbreaks; trying both directions of an edge
    // gives occupation 1 - (1 - p)^2 (S = 0.98 at c = 2).
    CHECK(std::abs(cov.mean - S) <= kZ * std::hypot(cov.se, sigma_giant));
    CHECK(std::abs(frac - S) <= kZ * std::hypot(frac_se, sigma_giant));
    CHECK(largest_small < 0.002);
  }

  // Subcritical: c = 0.8, mean cluster size 1 / (1 - c) = 5 nodes, coverage tiny.
  {
    constexpr std::uint32_t T = 2000;
    ProtocolSpec spec = spec_of(Mode::flood);
    spec.forward_prob = 0.2;
    const Runs runs = run_trials(g, spec, T);
    const Sample size = sample_of(runs.trials, [](const TrialSummary& t) { return static_cast<double>(t.final_informed); });
    const double c = D * 0.2, want = 1 / (1 - c), sd = std::sqrt(c / std::pow(1 - c, 3));
    MESSAGE("flood p=0.2 (c=0.8): mean size ", size.mean, " (sd ", size.sd, "), want ", want, " (sd ", sd, "); max ", size.max);
    // Standard error from the Galton-Watson variance (the sample's own is noisy for this
    // heavy-tailed size), plus 1/sqrt(n) for the finite graph.
    CHECK(std::abs(size.mean - want) <= kZ * sd / std::sqrt(static_cast<double>(T)) + want / std::sqrt(n));
    CHECK(size.max < 0.01 * n);
  }
}

// ---------------------------------------------------------------------------------------------
// 5. Flood with p = 1 is breadth-first search: informed_at = the BFS distance from the source, the
// run ends at the source's eccentricity (docs/model.md: the last layer sends nothing), and the
// messages are the out-degrees of the nodes closer than that. Exact.
TEST_CASE("flood with p = 1 on a connected G(n, p): rounds = eccentricity of the source") {
  const Graph g = gossip::test::gen_csr("er:n=2e4,d=20", kSeed + 5);
  const CsrGraph& csr = std::get<CsrGraph>(g);
  const NodeId n = csr.num_nodes();
  struct Collect : Sink {
    std::vector<Round> at;
    void on_trial_end(const TrialSummary&, std::span<const Round> ia, std::span<const std::uint16_t>) override {
      at.assign(ia.begin(), ia.end());
    }
  };
  for (NodeId source : {NodeId{0}, NodeId{1}, NodeId{777}, NodeId{12345}, n - 1}) {
    std::vector<Round> dist(n, kNever);
    std::queue<NodeId> q;
    dist[source] = 0;
    q.push(source);
    while (!q.empty()) {
      const NodeId v = q.front();
      q.pop();
      for (NodeId w : csr.neighbors(v))
        if (dist[w] == kNever) dist[w] = dist[v] + 1, q.push(w);
    }
    const Round ecc = *std::max_element(dist.begin(), dist.end());
    REQUIRE(std::count(dist.begin(), dist.end(), kNever) == 0);  // connected (P(isolated node) ~ n e^-20)
    std::int64_t want_messages = 0;
    for (NodeId v = 0; v < n; ++v)
      if (dist[v] < ecc) want_messages += csr.degree(v);

    ProtocolSpec spec = spec_of(Mode::flood);
    spec.source_nodes = {source};
    Collect sink;
    const TrialSummary t = gossip::test::with_threads(2, [&] { return run_trial(g, spec, {kSeed, 0, 100000}, sink); });
    INFO("source ", source, ": eccentricity ", ecc, ", rounds ", t.rounds);
    CHECK(t.rounds == ecc);
    CHECK(t.final_informed == n);
    CHECK(t.messages == want_messages);
    CHECK(sink.at == dist);
  }
}

// ---------------------------------------------------------------------------------------------
// 6. Flood with recovery (SIR): an infectious node sends to every out-neighbour each round until
// it recovers (probability gamma after each sending round), each copy accepted with probability
// beta = forward_prob (1 - loss). Its sending rounds K are geometric, so an edge transmits with
// probability T = sum_k gamma (1-gamma)^(k-1) (1 - (1-beta)^k) = beta / (beta + gamma - beta gamma),
// but the edges out of one node are correlated through its K (Kenah & Robins 2007: semi-directed
// percolation). On G(n, D/n) the final size of a large outbreak is the giant in-component,
// S = 1 - exp(-D T S) (transmissions into a node come from different senders: independent), while
// the chance of a large outbreak is pi = 1 - E_K[exp(-D (1 - (1-beta)^K) pi)] < S (Jensen).
// Bond percolation with occupation T (one independent coin per edge) would make both S.
namespace {
struct Summaries : Sink {
  std::vector<TrialSummary> trials;
  void on_trial_end(const TrialSummary& s, std::span<const Round>, std::span<const std::uint16_t>) override {
    trials.push_back(s);
  }
};
std::vector<TrialSummary> packed_trials(const Graph& g, const ProtocolSpec& spec, std::uint32_t trials) {
  Summaries sink;
  gossip::test::with_threads(2, [&] { return simulate(g, spec, {kSeed, trials, 0, 100000, Packing::on}, sink); });
  return sink.trials;
}
double sir_transmissibility(double beta, double gamma) { return beta / (beta + gamma - beta * gamma); }
}  // namespace

TEST_CASE("flood with recovery (SIR) on a star: each leaf is informed with probability T") {
  // The centre is the source: leaf i is informed iff one of the centre's K rounds of copies to it
  // is accepted, probability T. The leaves share K, so the per-trial fraction's spread is wider
  // than binomial: the standard error is the sample's own.
  const Graph g = gossip::test::gen_csr("star:n=1001", kSeed);
  ProtocolSpec spec = spec_of(Mode::flood);
  spec.source_nodes = {0};
  for (const auto& [p, loss, gamma] : {std::tuple{0.3, 0.2, 0.4}, std::tuple{1.0, 0.5, 0.7}, std::tuple{0.1, 0.0, 0.1}}) {
    spec.forward_prob = p;
    spec.loss = loss;
    spec.recovery_prob = gamma;
    const Runs runs = run_trials(g, spec, 400);
    const Sample f = sample_of(runs.trials, [](const TrialSummary& t) { return (t.final_informed - 1) / 1000.0; });
    const double T = sir_transmissibility(p * (1 - loss), gamma);
    MESSAGE("SIR star p=", p, " loss=", loss, " gamma=", gamma, ": leaf fraction ", f.mean, " +- ", f.se, ", T = ", T);
    CHECK(std::abs(f.mean - T) <= kZ * f.se);
    // The same trials packed, 64 at a time: equal to the one by one runs.
    const std::vector<TrialSummary> packed = packed_trials(g, spec, 400);
    REQUIRE(packed.size() == runs.trials.size());
    for (std::size_t i = 0; i < packed.size(); ++i) CHECK(packed[i].final_informed == runs.trials[i].final_informed);
  }
}

TEST_CASE("flood with recovery (SIR) on G(n, D/n): outbreak size S and outbreak chance pi < S") {
  constexpr double n = 5e4, D = 4, p = 0.2, loss = 0.5, gamma = 0.2, beta = p * (1 - loss);
  constexpr std::uint32_t T = 2000;
  const Graph g = gossip::test::gen_csr("er:n=5e4,d=4", kSeed + 8);
  ProtocolSpec spec = spec_of(Mode::flood);
  spec.forward_prob = p;
  spec.loss = loss;
  spec.recovery_prob = gamma;
  const std::vector<TrialSummary> trials = packed_trials(g, spec, T);
  const double c = D * sir_transmissibility(beta, gamma), S = giant_fraction(c);
  double pi = 0.5;
  for (int it = 0; it < 5000; ++it) {
    double e = 0;
    for (int k = 1; k < 600; ++k) e += gamma * std::pow(1 - gamma, k - 1) * std::exp(-D * (1 - std::pow(1 - beta, k)) * pi);
    pi = 1 - e;
  }
  std::vector<double> large;
  for (const TrialSummary& t : trials)
    if (t.coverage > 0.02) large.push_back(t.coverage);
  const Sample cov = sample(large);
  const double frac = static_cast<double>(large.size()) / T, frac_se = std::sqrt(pi * (1 - pi) / T);
  const double sigma_giant = std::sqrt(S * (1 - S) / n) / (1 - c * (1 - S));  // the shared graph, as in 4.
  MESSAGE("SIR G(n, 4/n) beta=", beta, " gamma=", gamma, " (c=", c, "): large outbreaks ", frac, " +- ", frac_se,
          " (pi = ", pi, ", S = ", S, "); their coverage ", cov.mean, " (sd ", cov.sd, ")");
  CHECK(S - pi > 10 * frac_se);  // the test tells SIR from bond percolation
  CHECK(std::abs(frac - pi) <= kZ * std::hypot(frac_se, sigma_giant));
  CHECK(std::abs(cov.mean - S) <= kZ * std::hypot(cov.se, sigma_giant));
}
