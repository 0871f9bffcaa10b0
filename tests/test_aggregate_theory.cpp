// Aggregation against theory (docs/model.md, "Aggregation", "Convergence factors"): on the
// complete graph push-pull averaging shrinks the variance by 1/(2 sqrt(e)) per round (Jelasity,
// Montresor, Babaoglu 2005) and push-sum the potential sum (s - mu w)^2 by the factor derived in
// model.md; on a ring the rounds to eps grow as n^2 (spectral gap ~ 1/n^2); peak with target
// count estimates n. Tolerances are from the spread of the trials (standard errors).
#include <doctest/doctest.h>

#include <cmath>
#include <numeric>

#include "gen/generate.hpp"
#include "gen/spec.hpp"
#include "sim/aggregate.hpp"
#include "sim/simulate.hpp"
#include "support.hpp"

namespace gossip::test {
namespace {

struct Record : Sink {
  bool states = false;
  double mu = 0;  // push-sum: the trial's average, for the potential
  std::vector<std::vector<double>> potential;  // per trial, per round: sum (s - mu w)^2
  std::vector<std::vector<AggregateRound>> obs;
  std::vector<TrialSummary> done;
  unsigned at_boundary(std::uint32_t, Round) override { return states ? kWantState : kGoOn; }
  void on_aggregate_state(std::uint32_t, Round r, std::span<const double> s, std::span<const double> w) override {
    if (r == 0) {  // the trial's average: the mass stays put without loss
      potential.emplace_back();
      mu = std::accumulate(s.begin(), s.end(), 0.0) / std::accumulate(w.begin(), w.end(), 0.0);
    }
    double phi = 0;
    for (std::size_t v = 0; v < s.size(); ++v) phi += (s[v] - mu * w[v]) * (s[v] - mu * w[v]);
    potential.back().push_back(phi);
  }
  void on_aggregate_round(std::uint32_t, Round r, const AggregateRound& o) override {
    if (r == 0) obs.emplace_back();
    obs.back().push_back(o);
  }
  void on_trial_end(const TrialSummary& x, std::span<const Round>, std::span<const std::uint16_t>) override {
    done.push_back(x);
  }
};

ProtocolSpec aggregation(Mode mode, const char* init, const char* target, double eps, std::uint32_t fanout = 1) {
  ProtocolSpec p{.mode = mode, .fanout = fanout, .no_repeat = false, .forward_prob = 1.0, .ttl = 0,
                 .stop = StopRule::none, .k = 1, .sources = 1, .source_nodes = {}, .loss = 0.0,
                 .recovery_prob = 1.0};
  p.aggregate = {.init = init, .target = target, .eps = eps};
  return p;
}

Record run(const char* graph, const ProtocolSpec& spec, std::uint64_t trials, Round rounds, bool states = false) {
  const Graph g = generate(parse_spec(graph), {1});
  Record out;
  out.states = states;
  simulate(g, spec, RunParams{.seed = 9, .trials = trials, .trial_offset = 0, .max_rounds = rounds}, out);
  return out;
}

struct MeanSem {
  double mean, sem;
};
MeanSem mean_sem(const std::vector<double>& x) {
  const double m = std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
  double ss = 0;
  for (double v : x) ss += (v - m) * (v - m);
  return {m, std::sqrt(ss / static_cast<double>(x.size() - 1) / static_cast<double>(x.size()))};
}

// Per trial, the geometric mean of the ratios x[r] / x[r - 1] over rounds 1 .. R.
std::vector<double> per_trial_factor(const std::vector<std::vector<double>>& series) {
  std::vector<double> out;
  for (const auto& x : series) out.push_back(std::pow(x.back() / x.front(), 1.0 / static_cast<double>(x.size() - 1)));
  return out;
}

// docs/model.md: push-sum's expected factor of sum (s - mu w)^2 per round on K_n, fanout f.
double push_sum_factor(double n, double f) {
  return 0.25 + 0.25 / f - 0.5 / (n - 1) + (f - 1) / (4 * f * (n - 1)) - (n - 2) / (4 * (n - 1) * (n - 1));
}

}  // namespace

TEST_CASE("averaging on the complete graph: the variance shrinks by 1/(2 sqrt(e)) per round") {
  const Record rec = run("complete:n=10000", aggregation(Mode::averaging, "uniform:0,1", "average", 1e-300), 24, 8);
  std::vector<std::vector<double>> var;
  for (const auto& t : rec.obs) {
    var.emplace_back();
    for (const AggregateRound& o : t) var.back().push_back(o.variance);
  }
  const MeanSem f = mean_sem(per_trial_factor(var));
  const double expect = 1 / (2 * std::sqrt(std::exp(1.0)));
  MESSAGE("averaging factor ", f.mean, " +- ", f.sem, " (theory ", expect, ")");
  CHECK(std::fabs(f.mean - expect) < 4 * f.sem + 0.002);  // + the O(1/n) of a finite graph
  // The summary's factor is the same geometric mean.
  CHECK(rec.done[0].aggregate->factor == doctest::Approx(per_trial_factor(var)[0]).epsilon(1e-9));
}

TEST_CASE("pairwise on the complete graph shrinks the variance more slowly than averaging") {
  const Record rec = run("complete:n=10000", aggregation(Mode::pairwise, "uniform:0,1", "average", 1e-300), 12, 8);
  std::vector<std::vector<double>> var;
  for (const auto& t : rec.obs) {
    var.emplace_back();
    for (const AggregateRound& o : t) var.back().push_back(o.variance);
  }
  const MeanSem f = mean_sem(per_trial_factor(var));
  // A matched pair halves its part of the variance: factor 1 - m / 2 for a matched fraction m.
  MESSAGE("pairwise factor ", f.mean, " +- ", f.sem);
  CHECK(f.mean > 0.303);
  CHECK(f.mean < 1.0);
}

TEST_CASE("push-sum on the complete graph: sum (s - mu w)^2 shrinks by the factor of docs/model.md") {
  for (std::uint32_t fanout : {1u, 2u, 4u}) {
    const Record rec =
        run("complete:n=5000", aggregation(Mode::push_sum, "uniform:0,1", "average", 1e-300, fanout), 16, 10, true);
    const MeanSem f = mean_sem(per_trial_factor(rec.potential));
    std::vector<std::vector<double>> var;
    for (const auto& t : rec.obs) {
      var.emplace_back();
      for (const AggregateRound& o : t) var.back().push_back(o.variance);
    }
    const MeanSem fe = mean_sem(per_trial_factor(var));
    const double expect = push_sum_factor(5000, fanout);
    MESSAGE("push-sum fanout ", fanout, " potential factor ", f.mean, " +- ", f.sem, " (model.md ", expect,
            "); estimates' variance factor ", fe.mean, " +- ", fe.sem);
    CHECK(std::fabs(f.mean - expect) < 4 * f.sem);
  }
}

TEST_CASE("averaging on a ring: the rounds to eps grow as n^2") {
  auto rounds = [](const char* ring) {
    const Record rec = run(ring, aggregation(Mode::averaging, "uniform:0,1", "average", 1e-4), 30, 100000);
    std::vector<double> r;
    for (const TrialSummary& t : rec.done) {
      REQUIRE(t.aggregate->round_eps);
      r.push_back(static_cast<double>(t.rounds));
    }
    return mean_sem(r);
  };
  const MeanSem a = rounds("ring:n=40"), b = rounds("ring:n=80");
  const double ratio = b.mean / a.mean, sem = ratio * std::hypot(a.sem / a.mean, b.sem / b.mean);
  MESSAGE("ring rounds to eps: n=40 ", a.mean, " +- ", a.sem, ", n=80 ", b.mean, " +- ", b.sem, ", ratio ", ratio);
  CHECK(std::fabs(ratio - 4.0) < 4 * sem + 0.4);  // + the log(n) of the initial error's spread
}

TEST_CASE("peak with target count: every estimate comes within eps of n") {
  for (Mode mode : {Mode::push_sum, Mode::averaging, Mode::pairwise}) {
    const Record rec = run("er:n=3000,d=10", aggregation(mode, "peak", "count", 1e-3), 3, 5000);
    for (const TrialSummary& t : rec.done) {
      REQUIRE(t.aggregate->round_eps);
      CHECK(t.aggregate->truth == 3000);
      CHECK(t.aggregate->last.mean == doctest::Approx(3000).epsilon(1e-3));
      CHECK(t.aggregate->last.max_rel_error < 1e-3);
      CHECK(t.aggregate->last.undefined == 0);
    }
  }
  const Record sum = run("er:n=3000,d=10", aggregation(Mode::push_sum, "uniform:0,2", "sum", 1e-6), 2, 5000);
  for (const TrialSummary& t : sum.done) {
    CHECK(t.aggregate->truth == doctest::Approx(3000).epsilon(0.05));
    CHECK(t.aggregate->last.mean == doctest::Approx(t.aggregate->truth).epsilon(1e-6));
  }
}

}  // namespace gossip::test
