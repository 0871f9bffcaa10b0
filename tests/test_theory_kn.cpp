// Push, pull and push-pull on K_n against published theory (Frieze & Grimmett 1985; Pittel 1987;
// Karp, Schindelhauer, Shenker & Voecking 2000), and push with message loss.
#include "theory_support.hpp"

using namespace gossip;
using namespace gossip::test::theory;

// ---------------------------------------------------------------------------------------------
// 1. Push on K_n. Frieze & Grimmett (1985) and Pittel (1987, "On spreading a rumor", SIAM J. Appl.
// Math. 47): the rounds S_n to inform everyone satisfy S_n = log2 n + ln n + O(1) in probability;
// the O(1) term stays bounded but its mean oscillates with n and does not converge (Pittel). The
// first phase doubles the informed set (log2 n), the last is a coupon collector (ln n).
TEST_CASE("push on K_n: log2 n + ln n rounds (Frieze & Grimmett 1985, Pittel 1987)") {
  constexpr std::uint32_t T = 200;
  const int e1 = 12, e2 = 17;
  const double n1 = std::ldexp(1.0, e1), n2 = std::ldexp(1.0, e2);
  const Sample& r1 = kn_rounds(Mode::push, e1, T);
  const Sample& r2 = kn_rounds(Mode::push, e2, T);
  const double lead1 = std::log2(n1) + ln(n1), lead2 = std::log2(n2) + ln(n2);

  // Growth of the mean between the two sizes: the O(1) terms cancel up to Pittel's oscillation,
  // for which we allow 1 round. A wrong growth law fails: push whose last phase were doubly
  // exponential (pull-like) would grow by about 5.5, a push-pull-like one by about 3.7, whereas
  // (log2 + ln) grows by 8.47.
  const double want = lead2 - lead1;
  const double tol = kZ * std::hypot(r1.se, r2.se) + 1.0;
  MESSAGE("push rounds: n=2^12 mean ", r1.mean, " sd ", r1.sd, " (log2 n + ln n = ", lead1, "); n=2^17 mean ",
          r2.mean, " sd ", r2.sd, " (", lead2, "); growth ", r2.mean - r1.mean, " want ", want, " +- ", tol);
  CHECK(std::abs((r2.mean - r1.mean) - want) <= tol);

  // The mean itself within [lead - 2, lead + 3] (Pittel 1987: bounded O(1) term; observed ~ +1).
  // I_r <= 2^r (fanout 1) makes log2 n a hard floor for every trial.
  for (const auto& [r, lead, e] : {std::tuple{r1, lead1, e1}, std::tuple{r2, lead2, e2}}) {
    CHECK(r.mean >= lead - 2.0);
    CHECK(r.mean <= lead + 3.0);
    CHECK(r.min >= e);
  }
}

// Round_50 of push: the informed set at most doubles each round (I_r <= 2^r), so round_50 >=
// log2 n - 1 in every trial; collisions slow the doubling a little. The mean-field recursion
// I' = I + (n - I)(1 - (1 - 1/(n-1))^I) crosses n/2 in round log2 n for n = 2^17 (I/n = 0.36 one
// round earlier, 0.55 then), far beyond the O(n^-1/2) fluctuations, so every trial should hit
// it. Sequential (same-round) spreading would give a much smaller round_50; an off-by-one in the
// round count would miss by 1.
TEST_CASE("push on K_n: round_50 = mean-field doubling round") {
  constexpr std::uint32_t T = 50;
  const int e = 17;
  const double n = std::ldexp(1.0, e);
  double informed = 1;
  int mean_field = 0;
  while (informed < n / 2) {
    informed += (n - informed) * (1.0 - std::pow(1.0 - 1.0 / (n - 1), informed));
    ++mean_field;
  }
  CHECK(mean_field == e);
  const Runs runs = run_trials(CompleteGraph(NodeId{1} << e), spec_of(Mode::push), T);
  const Sample r50 = sample_of(runs.trials, [](const TrialSummary& t) { return static_cast<double>(t.round_50.value_or(-1)); });
  MESSAGE("push round_50 n=2^17: mean ", r50.mean, " min ", r50.min, " max ", r50.max, " mean-field ", mean_field);
  CHECK(r50.min >= e - 1);
  CHECK(std::abs(r50.mean - mean_field) <= kZ * r50.se + 0.25);
}

// ---------------------------------------------------------------------------------------------
// 2. Push-pull and pull on K_n. Karp, Schindelhauer, Shenker & Voecking (FOCS 2000): push-pull
// informs everyone in log3 n + O(log log n) rounds. Early on each informed node informs about two
// new ones per round (push + being pulled), so E[I_r] <= 3^r; the last phase is pull's, in which
// the uninformed fraction squares each round (u -> u^2), doubly exponential, O(log log n). Pull
// alone: E[I_r] <= 2^r (each uninformed node pulls once, succeeding with probability I/(n-1)),
// then the same doubly exponential end: log2 n + O(log log n). The observed means sit near
// log_c n + log2 ln n + O(1) (c = 3, 2); the growth between two sizes is compared with that,
// allowing 1 round for the oscillating O(1) term as for push.
TEST_CASE("push-pull and pull on K_n: log3 n and log2 n plus O(log log n) (Karp et al. 2000)") {
  constexpr std::uint32_t T = 150;
  const int e1 = 12, e2 = 17;
  const double n1 = std::ldexp(1.0, e1), n2 = std::ldexp(1.0, e2);
  const double loglog = std::log2(std::log2(n2));
  const Sample& push2 = kn_rounds(Mode::push, e2, 200);

  for (const auto& [mode, base] : {std::pair{Mode::push_pull, 3.0}, std::pair{Mode::pull, 2.0}}) {
    const Sample& r1 = kn_rounds(mode, e1, T);
    const Sample& r2 = kn_rounds(mode, e2, T);
    const double want = log_base(base, n2 / n1) + std::log2(ln(n2) / ln(n1));
    const double tol = kZ * std::hypot(r1.se, r2.se) + 1.0;
    const double lower = markov_lower_bound(base, n2);
    const double upper = log_base(base, n2) + 3.0 * loglog;
    MESSAGE(mode_name(mode), " rounds: n=2^12 mean ", r1.mean, " sd ", r1.sd, "; n=2^17 mean ", r2.mean, " sd ", r2.sd,
            " in [", lower, ", ", upper, "]; growth ", r2.mean - r1.mean, " want ", want, " +- ", tol,
            "; push at 2^17: ", push2.mean);
    // Growth: push's ln n tail would add ~8.5 rounds, pull's log2 law ~5.5, push-pull's ~3.7.
    CHECK(std::abs((r2.mean - r1.mean) - want) <= tol);
    // [Markov lower bound from E[I_r] <= base^r, log_base n + 3 log2 log2 n].
    CHECK(r2.mean >= lower);
    CHECK(r2.mean <= upper);
    // Both beat push (log2 n + ln n + O(1)) clearly at n = 2^17: no ln n coupon-collector tail.
    CHECK(r2.mean + kZ * r2.se < push2.mean - 0.2 * ln(n2));
    if (mode == Mode::push_pull) {
      // Faster even than push's hard floor log2 n (I_r <= 2^r): growth factor 3, not 2.
      CHECK(r2.mean + kZ * r2.se < std::log2(n2) - 1.0);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// 6. Loss. Push on K_n where each copy is lost with probability q: the informed set grows by the
// factor 2 - q per round early on, and in the last phase an uninformed node stays so with
// probability ~ exp(-(1 - q)) per round, so the rounds are ~ log_{2-q} n + ln n / (1 - q) (the
// Pittel-type generalisation; q = 0 is Frieze & Grimmett / Pittel). Its O(1) term comes mostly
// from the coupon-collector phase (Gumbel mean gamma, rounding) and so scales like 1 / (1 - q):
// allowed window [f - 2, f + 3 / (1 - q)]. Lost copies are counted among the messages, each lost
// independently: lost / messages = floor(q 2^32) / 2^32 within binomial error.
TEST_CASE("push on K_n with message loss q") {
  constexpr std::uint32_t T = 150;
  const int e = 14;
  const double n = std::ldexp(1.0, e);
  const Graph g = CompleteGraph(NodeId{1} << e);
  std::map<double, Sample> rounds;
  for (double q : {0.0, 0.5}) {
    ProtocolSpec spec = spec_of(Mode::push);
    spec.loss = q;
    const Runs runs = run_trials(g, spec, T);
    rounds[q] = sample_of(runs.trials, rounds_of);
    const double f = log_base(2 - q, n) + ln(n) / (1 - q);
    const double m = static_cast<double>(runs.totals.messages), lost = static_cast<double>(runs.totals.lost);
    const double q_eff = std::floor(q * std::ldexp(1.0, 32)) / std::ldexp(1.0, 32);
    MESSAGE("push loss ", q, ": rounds ", rounds[q].mean, " (sd ", rounds[q].sd, "), log_{2-q} n + ln n/(1-q) = ", f,
            "; lost/messages ", lost / m, " of ", m);
    CHECK(rounds[q].mean >= f - 2.0);
    CHECK(rounds[q].mean <= f + 3.0 / (1 - q));
    CHECK(std::abs(lost / m - q_eff) <= kZ * std::sqrt(q_eff * (1 - q_eff) / m));
    CHECK(runs.totals.requests == 0);
    CHECK(sample_of(runs.trials, [](const TrialSummary& t) { return t.coverage; }).min == 1.0);
  }
  // Loss slows push down, clearly beyond sampling error and by at least half the predicted
  // (log_{1.5} n + 2 ln n) - (log2 n + ln n), about 19 rounds at n = 2^14.
  const double predicted = (log_base(1.5, n) + 2 * ln(n)) - (std::log2(n) + ln(n));
  const double diff = rounds[0.5].mean - rounds[0.0].mean;
  MESSAGE("loss 0.5 slows push by ", diff, " rounds (predicted ", predicted, ")");
  CHECK(diff - kZ * std::hypot(rounds[0.5].se, rounds[0.0].se) > 0.5 * predicted);
}
