// Shared pieces of the statistical tests against published theory (test_theory_*.cpp): the
// fixed seed and the allowed standard errors, trials run through simulate() with every round's
// counters summed, sample means and standard errors, push/pull rounds on K_{2^e}, and a Markov
// lower bound on the rounds. Every tolerance is kZ sample standard errors of the trials run plus
// a stated model term; the seed is fixed (the engine is deterministic), and the tolerances are
// chosen so that the checks would pass for almost every seed.
#pragma once
#include <algorithm>
#include <cmath>
#include <map>
#include <queue>
#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "sim/simulate.hpp"
#include "support.hpp"

namespace gossip::test::theory {

inline constexpr std::uint64_t kSeed = 20250601;
inline constexpr double kZ = 5.0;  // standard errors allowed for sampling noise (two-sided p ~ 6e-7)

inline ProtocolSpec spec_of(Mode m) {
  return {.mode = m, .fanout = 1, .no_repeat = false, .forward_prob = 1.0, .ttl = 0, .stop = StopRule::none, .k = 1,
          .sources = 1, .source_nodes = {}, .loss = 0.0, .recovery_prob = 1.0};
}

// Sums every round's counters over all trials (TrialSummary has no `lost`).
struct Totals : Sink {
  RoundStats sum;
  void on_round(std::uint32_t, Round, const RoundStats& s) override {
    sum.messages += s.messages;
    sum.requests += s.requests;
    sum.redundant += s.redundant;
    sum.lost += s.lost;
  }
};

struct Runs {
  std::vector<TrialSummary> trials;
  RoundStats totals;
};

// Trials 0 .. T-1 of one configuration, seed kSeed, 2 worker threads.
inline Runs run_trials(const Graph& g, const ProtocolSpec& spec, std::uint32_t trials) {
  Runs out;
  Totals sink;
  gossip::test::with_threads(2, [&] {
    for (std::uint32_t t = 0; t < trials; ++t) out.trials.push_back(run_trial(g, spec, {kSeed, t, 100000}, sink));
    return 0;
  });
  out.totals = sink.sum;
  return out;
}

struct Sample {
  double mean = 0, sd = 0, se = 0, min = 0, max = 0;
  std::size_t n = 0;
};

inline Sample sample(const std::vector<double>& xs) {
  Sample s;
  s.n = xs.size();
  if (xs.empty()) return s;
  s.min = *std::min_element(xs.begin(), xs.end());
  s.max = *std::max_element(xs.begin(), xs.end());
  for (double x : xs) s.mean += x;
  s.mean /= static_cast<double>(s.n);
  if (s.n < 2) return s;
  for (double x : xs) s.sd += (x - s.mean) * (x - s.mean);
  s.sd = std::sqrt(s.sd / static_cast<double>(s.n - 1));
  s.se = s.sd / std::sqrt(static_cast<double>(s.n));
  return s;
}

template <class F>
Sample sample_of(const std::vector<TrialSummary>& ts, F f) {
  std::vector<double> xs;
  for (const TrialSummary& t : ts) xs.push_back(f(t));
  return sample(xs);
}

double rounds_of(const TrialSummary& t) { return static_cast<double>(t.rounds); }
double ln(double x) { return std::log(x); }
double log_base(double b, double x) { return std::log(x) / std::log(b); }

// Mean rounds of `mode` on K_{2^e} over T trials, computed once per process (several test cases
// compare the modes).
inline const Sample& kn_rounds(Mode mode, int e, std::uint32_t trials) {
  static std::map<std::tuple<int, int, std::uint32_t>, Sample> cache;
  const auto key = std::make_tuple(static_cast<int>(mode), e, trials);
  auto it = cache.find(key);
  if (it == cache.end()) {
    const Graph g = CompleteGraph(NodeId{1} << e);
    it = cache.emplace(key, sample_of(run_trials(g, spec_of(mode), trials).trials, rounds_of)).first;
  }
  return it->second;
}

// Lower bound on E[rounds] when E[informed after r rounds] <= growth^r: P(rounds <= r) =
// P(informed_r = n) <= growth^r / n (Markov), and E[rounds] = sum_r P(rounds > r).
inline double markov_lower_bound(double growth, double n) {
  double sum = 0;
  for (double r = 0, g = 1; g < n; ++r, g *= growth) sum += 1.0 - g / n;
  return sum;
}

}  // namespace gossip::test::theory
