// Demers et al.'s rumor mongering (PODC 1987, Tables 1 and 2 and their residue/traffic
// relations) against the engine, with an independent serial simulator for the feedback rules.
#include "theory_support.hpp"

using namespace gossip;
using namespace gossip::test::theory;

// ---------------------------------------------------------------------------------------------
// 3. Rumor mongering (Demers, Greene, Hauser, Irish, Larson, Shenker, Sturgis, Swinehart & Terry,
// "Epidemic algorithms for replicated database maintenance", PODC 1987, section 1.4): push, fanout
// 1, one source, K_1000. The paper's Table 1 (feedback, counter) and Table 2 (blind, coin) give
// residue s, traffic m (messages per site) and convergence time t_last for k = 1..5; its
// analysis gives s = exp(-m) for push and, from the deterministic (ODE) model, s = exp(-k(1-s))
// for blind-coin (m = k(1-s)) and s = exp(-(k+1)(1-s)) for feedback-coin.
namespace {

struct TableRow {
  double s, s_half, m, m_half, t_last, t_half;  // value and half a unit of its last printed digit
};
// Demers et al. 1987, Table 1: 1000 sites, feedback and counters.
constexpr TableRow kTable1[5] = {{0.176, 5e-4, 1.74, 5e-3, 16.8, 0.05},
                                 {0.037, 5e-4, 3.30, 5e-3, 16.9, 0.05},
                                 {0.011, 5e-4, 4.53, 5e-3, 17.4, 0.05},
                                 {0.0036, 5e-5, 5.64, 5e-3, 17.5, 0.05},
                                 {0.0012, 5e-5, 6.68, 5e-3, 17.7, 0.05}};
// Demers et al. 1987, Table 2: 1000 sites, blind and coin.
constexpr TableRow kTable2[5] = {{0.960, 5e-4, 0.04, 5e-3, 38, 0.5},
                                 {0.205, 5e-4, 1.59, 5e-3, 33, 0.5},
                                 {0.060, 5e-4, 2.82, 5e-3, 32, 0.5},
                                 {0.021, 5e-4, 3.91, 5e-3, 32, 0.5},
                                 {0.008, 5e-4, 4.95, 5e-3, 32, 0.5}};

struct Outcome {
  double s, m, t_last;
};

std::vector<Outcome> outcomes(const std::vector<TrialSummary>& ts) {
  std::vector<Outcome> out;
  for (const TrialSummary& t : ts) out.push_back({t.residue, t.traffic, static_cast<double>(t.t_last)});
  return out;
}

Sample field(const std::vector<Outcome>& os, double Outcome::*f) {
  std::vector<double> xs;
  for (const Outcome& o : os) xs.push_back(o.*f);
  return sample(xs);
}

// A published average against ours: our standard error, the paper's (it does not say how many
// runs each entry averages; we assume 100, i.e. its standard error is our per-run sd / 10) and the
// rounding of the printed value.
bool matches_table(const Sample& ours, double value, double half) {
  const double tol = kZ * std::hypot(ours.se, ours.sd / 10.0) + half;
  return std::abs(ours.mean - value) <= tol;
}

// Independent serial simulator of push rumor mongering with a feedback stop rule on K_n, written
// from docs/model.md with its own random numbers (std::mt19937_64): synchronous rounds, "the
// target knew" = it was informed before the round, removal after k such contacts (counter) or
// with probability 1/k at each (coin). reset = true: a contact that informs resets the counter,
// so a node stops after k consecutive unnecessary contacts.
std::vector<Outcome> reference_feedback(int n, int k, bool coin, bool reset, int trials, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto below = [&](int m) { return static_cast<int>(rng() % static_cast<std::uint64_t>(m)); };  // bias < 2^-50
  std::vector<Outcome> out;
  for (int t = 0; t < trials; ++t) {
    std::vector<int> at(n, -1), count(n, 0);
    const int src = below(n);
    at[src] = 0;
    std::vector<int> active{src}, next, fresh;
    std::int64_t messages = 0, informed = 1;
    int r = 0, last = 0;
    while (!active.empty()) {
      ++r;
      next.clear();
      fresh.clear();
      for (int v : active) {
        int w = below(n - 1);
        w += w >= v;
        ++messages;
        bool removed = false;
        if (at[w] >= 0 && at[w] < r) {
          removed = coin ? below(k) == 0 : ++count[v] == k;
        } else {
          if (at[w] < 0) at[w] = r, last = r, ++informed, fresh.push_back(w);
          if (reset) count[v] = 0;
        }
        if (!removed) next.push_back(v);
      }
      next.insert(next.end(), fresh.begin(), fresh.end());
      std::swap(active, next);
    }
    out.push_back({1.0 - static_cast<double>(informed) / n, static_cast<double>(messages) / n, static_cast<double>(last)});
  }
  return out;
}

// Root in (0, 1) of s = exp(-a (1 - s)), a > 1 (the final-size equation).
double final_size_root(double a) {
  double s = 0.5;
  for (int i = 0; i < 10000; ++i) s = std::exp(-a * (1.0 - s));
  return s;
}

}  // namespace

// Demers' own simulations are synchronous rounds ("cycles") like ours: at k = 1, where counter
// and coin coincide, his Table 1 (s = 0.176) matches our model and not the ODE's
// s = exp(-2(1-s)) = 0.203, which assumes contacts spread over continuous time (a site informed
// earlier in the same cycle already counts as "knew"). So feedback-coin is not held to that ODE;
// it and feedback-counter are held to the independent reference simulator above instead. The
// paper's t_ave is not compared: for k >= 2 its values exceed ours and the reference simulator's
// by 1.4 to 2.8 cycles while t_last agrees, and the paper does not define the average precisely.
TEST_CASE("rumor mongering on K_1000 (Demers et al. 1987)") {
  constexpr int n = 1000;
  constexpr std::uint32_t T = 1000;
  const Graph g = CompleteGraph(n);
  auto run_rule = [&](StopRule rule, std::uint32_t k) {
    ProtocolSpec spec = spec_of(Mode::push);
    spec.stop = rule;
    spec.k = k;
    return run_trials(g, spec, T).trials;
  };
  std::map<std::pair<StopRule, std::uint32_t>, std::vector<TrialSummary>> runs;
  for (StopRule rule : {StopRule::feedback_counter, StopRule::feedback_coin, StopRule::blind_counter, StopRule::blind_coin})
    for (std::uint32_t k = 1; k <= 5; ++k) runs[{rule, k}] = run_rule(rule, k);

  {  // k = 1: coin (probability 1) and counter are the same rule, trial by trial
    // floor(2^32 / 1) = 2^32: a coin threshold computed in 32 bits would wrap to 0 and never stop.
    for (auto [coin, counter] : {std::pair{StopRule::feedback_coin, StopRule::feedback_counter},
                                 std::pair{StopRule::blind_coin, StopRule::blind_counter}}) {
      const auto& a = runs[{coin, 1}];
      const auto& b = runs[{counter, 1}];
      std::size_t differ = 0;
      for (std::size_t i = 0; i < a.size(); ++i)
        differ += a[i].final_informed != b[i].final_informed || a[i].messages != b[i].messages || a[i].rounds != b[i].rounds;
      INFO(stop_name(coin), " vs ", stop_name(counter));
      CHECK(differ == 0);
    }
  }

  {  // exact identity behind s = exp(-m): E[s (1 - 1/(n-1))^-M] = 1 - 1/n
    // Demers: for push, s = exp(-m). Exactly: a site not yet informed is the target of each
    // message with probability 1/(n-1) (uniform over the sender's n-1 neighbours, drawn afresh),
    // so 1{v missed so far} (1 - 1/(n-1))^-j is a martingale in the message count j; optional
    // stopping at the last message M, summed over the n-1 non-sources, gives the identity for
    // every stop rule and k. A biased target draw, a message counted but not sent (or sent but
    // not counted: one per informed site shifts M by ~n(1-s), a factor e^0.8) breaks it.
    for (const auto& [key, ts] : runs) {
      std::vector<double> x;
      for (const TrialSummary& t : ts) x.push_back(t.residue * std::pow(1.0 - 1.0 / (n - 1), -static_cast<double>(t.messages)));
      const Sample id = sample(x);
      const Sample s = sample_of(ts, [](const TrialSummary& t) { return t.residue; });
      const Sample m = sample_of(ts, [](const TrialSummary& t) { return t.traffic; });
      INFO(stop_name(key.first), " k=", key.second, ": E[s c^-M] = ", id.mean, " +- ", id.se, "; s ", s.mean,
           " exp(-m) ", std::exp(-m.mean));
      CHECK(std::abs(id.mean - (1.0 - 1.0 / n)) <= kZ * id.se);
    }
  }

  {  // Table 1 (feedback, counter) at k = 1 and Table 2 (blind, coin), k = 1..5
    auto compare = [](const char* what, int k, const std::vector<TrialSummary>& ts, const TableRow& row) {
      const std::vector<Outcome> os = outcomes(ts);
      const Sample s = field(os, &Outcome::s), m = field(os, &Outcome::m), tl = field(os, &Outcome::t_last);
      INFO(what, " k=", k, ": s ", s.mean, " (paper ", row.s, ") m ", m.mean, " (", row.m, ") t_last ", tl.mean, " (",
           row.t_last, ")");
      CHECK(matches_table(s, row.s, row.s_half));
      CHECK(matches_table(m, row.m, row.m_half));
      CHECK(matches_table(tl, row.t_last, row.t_half));
    };
    compare("feedback-counter", 1, runs[{StopRule::feedback_counter, 1}], kTable1[0]);
    for (std::uint32_t k = 1; k <= 5; ++k) compare("blind-coin", static_cast<int>(k), runs[{StopRule::blind_coin, k}], kTable2[k - 1]);
  }

  {  // blind rules: m = k (1 - s) and the final-size equation s = exp(-k (1 - s))
    for (std::uint32_t k = 1; k <= 5; ++k) {
      // Blind-counter: every informed site sends exactly k messages.
      std::size_t wrong = 0;
      for (const TrialSummary& t : runs[{StopRule::blind_counter, k}]) wrong += t.messages != std::int64_t{k} * t.final_informed;
      INFO("blind-counter k=", k, ": trials with messages != k * informed: ", wrong);
      CHECK(wrong == 0);
      // Blind-coin: a geometric number of messages per informed site, mean 1/P(stop) with
      // P(stop) = floor(2^32 / k) / 2^32 (Wald): E[m] = E[1 - s] / P(stop).
      const double p_stop = std::floor(std::ldexp(1.0, 32) / k) / std::ldexp(1.0, 32);
      const Sample d = sample_of(runs[{StopRule::blind_coin, k}],
                                 [&](const TrialSummary& t) { return t.traffic - t.coverage / p_stop; });
      INFO("blind-coin k=", k, ": E[m - (1-s) k] = ", d.mean, " +- ", d.se);
      CHECK(std::abs(d.mean) <= kZ * d.se);
    }
    // With s = exp(-m) this is Demers' s = exp(-k (1 - s)) for the outbreaks that take off
    // (coverage > 1/2; k = 1 has none: the root is 1). Allowance 2/n for the finite-size terms of
    // order 1/n (the source itself, n - 1 possible targets, the spread of m). A coin with
    // probability 1/(k+1) would give the k+1 root (0.060 instead of 0.203 at k = 2).
    for (StopRule rule : {StopRule::blind_counter, StopRule::blind_coin})
      for (std::uint32_t k = 2; k <= 5; ++k) {
        std::vector<double> major;
        for (const TrialSummary& t : runs[{rule, k}])
          if (t.coverage > 0.5) major.push_back(t.residue);
        const Sample s = sample(major);
        const double root = final_size_root(k);
        INFO(stop_name(rule), " k=", k, ": ", s.n, " outbreaks, s ", s.mean, " +- ", s.se, " root ", root);
        CHECK(s.n >= T * 9 / 10);  // nearly every run takes off: each informed site contacts >= 1
        CHECK(std::abs(s.mean - root) <= kZ * s.se + 2.0 / n);
      }
  }

  {  // feedback rules agree with an independent simulator of the model; Table 1 needs a resetting counter
    // Our feedback-counter counts all unnecessary contacts (docs/model.md). Demers' Table 1 rows
    // k >= 2 are reproduced, to their printed digits, by a counter that a necessary contact
    // resets (the reference simulator with reset = true); ours gives a higher residue there
    // (0.048 against 0.037 at k = 2). Both facts are checked, so the table stays meaningful.
    for (std::uint32_t k = 1; k <= 5; ++k) {
      for (bool coin : {false, true}) {
        const auto& ts = runs[{coin ? StopRule::feedback_coin : StopRule::feedback_counter, k}];
        const std::vector<Outcome> ours = outcomes(ts);
        const std::vector<Outcome> ref = reference_feedback(n, static_cast<int>(k), coin, false, T, kSeed + 100 + 2 * k + coin);
        for (double Outcome::*f : {&Outcome::s, &Outcome::m, &Outcome::t_last}) {
          const Sample a = field(ours, f), b = field(ref, f);
          const std::string name = coin ? "feedback-coin" : "feedback-counter";
          INFO(name, " k=", k, ": engine ", a.mean, " reference ", b.mean);
          CHECK(std::abs(a.mean - b.mean) <= kZ * std::hypot(a.se, b.se));
        }
      }
      // Synchronous feedback lags the ODE's (a contact with a site informed in the same round is
      // not "unnecessary"), so sites stay hot longer: residue below exp(-(k+1)(1-s))'s root
      // (0.175 against 0.203 at k = 1). Same-round feedback would sit on the root.
      const Sample coin_s = sample_of(runs[{StopRule::feedback_coin, k}], [](const TrialSummary& t) { return t.residue; });
      INFO("feedback-coin k=", k, ": s ", coin_s.mean, " ODE root ", final_size_root(k + 1.0));
      CHECK(coin_s.mean + kZ * coin_s.se < final_size_root(k + 1.0));
      const std::vector<Outcome> reset = reference_feedback(n, static_cast<int>(k), false, true, T, kSeed + 200 + k);
      const Sample s = field(reset, &Outcome::s), m = field(reset, &Outcome::m), tl = field(reset, &Outcome::t_last);
      const TableRow& row = kTable1[k - 1];
      INFO("resetting counter k=", k, ": s ", s.mean, " (paper ", row.s, ") m ", m.mean, " (", row.m, ") t_last ", tl.mean,
           " (", row.t_last, ")");
      CHECK(matches_table(s, row.s, row.s_half));
      CHECK(matches_table(m, row.m, row.m_half));
      CHECK(matches_table(tl, row.t_last, row.t_half));
    }
  }
}
