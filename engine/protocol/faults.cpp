// The period lengths of churn (docs/model.md, "Churn"): inversion of the distribution at U,
// rounded up to whole rounds, and the means of those rounded lengths.
#include "protocol/faults.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace gossip::faults {
namespace {

// A real length as whole rounds: ceil, at least 1, kNever from 2^31 - 1 on (never ends).
Round rounds_of(double x) {
  if (!(x < static_cast<double>(kNever))) return kNever;  // also NaN and infinity
  return std::max<Round>(1, static_cast<Round>(std::ceil(x)));
}

// P(X > x) of the continuous length before rounding.
double survival(const PeriodDist& d, double x) {
  switch (d.kind) {
    case PeriodDist::geometric: return std::pow(1.0 - d.a, std::floor(x));
    case PeriodDist::weibull: return std::exp(-std::pow(x / d.b, d.a));
    case PeriodDist::pareto: return x < d.b ? 1.0 : std::pow(d.b / x, d.a);
  }
  return 0.0;
}

}  // namespace

Round period_length(const PeriodDist& d, double u) {
  switch (d.kind) {
    case PeriodDist::geometric:
      if (d.a >= 1.0) return 1;
      if (d.a <= 0.0) return kNever;
      return rounds_of(std::log(u) / std::log1p(-d.a));
    case PeriodDist::weibull: return rounds_of(d.b * std::pow(-std::log(u), 1.0 / d.a));
    case PeriodDist::pareto: return rounds_of(d.b * std::pow(u, -1.0 / d.a));
  }
  return 1;
}

namespace {

// The uniforms U_0, U_1, ... of the first period's draws: U_{2b} from words 0, 1 and U_{2b+1}
// from words 2, 3 of block {v, 2^31 + b} of the period stream.
class ResidualUniforms {
 public:
  ResidualUniforms(std::uint64_t seed, std::uint32_t trial, NodeId v) : rng_(seed, trial, kPeriodSub), v_(v) {}
  double next() {
    if ((k_ & 1) == 0) b_ = rng_.block(v_, 0x80000000u + static_cast<std::uint32_t>(k_ >> 1));
    const int w = 2 * static_cast<int>(k_++ & 1);
    return unit(b_.v[w], b_.v[w + 1]);
  }

 private:
  Rng rng_;
  NodeId v_;
  std::uint64_t k_ = 0;
  Block b_{};
};

// Gamma(alpha, 1) by Marsaglia and Tsang, boosted by U^(1/alpha) below alpha = 1; the boost is
// returned apart (boost = U, G = G' U^(1/alpha)) so that a Weibull residual can use G'^(1/k) U.
double gamma_marsaglia_tsang(double alpha, ResidualUniforms& u, double& boost) {
  const double a = alpha >= 1.0 ? alpha : alpha + 1.0;
  const double d = a - 1.0 / 3.0, c = 1.0 / std::sqrt(9.0 * d);
  double g = 0.0;
  for (;;) {
    const double u1 = u.next(), u2 = u.next();
    const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
    const double w0 = 1.0 + c * z;
    if (!(w0 > 0.0)) continue;
    const double w = w0 * w0 * w0;
    if (std::log(u.next()) < z * z / 2.0 + d - d * w + d * std::log(w)) {
      g = d * w;
      break;
    }
  }
  boost = alpha < 1.0 ? u.next() : 1.0;
  return g;
}

// ln P(X > x) of a Weibull or Pareto length.
double log_survival(const PeriodDist& d, double x) {
  if (d.kind == PeriodDist::weibull) return -std::pow(x / d.b, d.a);
  return x > d.b ? -d.a * std::log(x / d.b) : 0.0;
}

}  // namespace

Round first_period_length(const PeriodDist& d, std::uint64_t seed, std::uint32_t trial, NodeId v, const Block& b0) {
  if (d.kind == PeriodDist::geometric) return period_length(d, unit(b0.v[0], b0.v[1]));
  const bool weibull = d.kind == PeriodDist::weibull;
  const double k = d.a, l = d.b;
  const double mu = weibull ? l * std::tgamma(1.0 + 1.0 / k) : k * l / (k - 1.0);
  ResidualUniforms u(seed, trial, v);
  for (;;) {
    if (u.next() * (1.0 + mu) <= 1.0) return 1;
    double y = 0.0;
    if (weibull) {
      double boost = 1.0;
      const double g = gamma_marsaglia_tsang(1.0 / k, u, boost);
      y = l * std::pow(g, 1.0 / k) * boost;
    } else {
      const double x = u.next();
      y = x > 1.0 / k ? (1.0 - x) * k * l / (k - 1.0) : l * std::pow(k * x, -1.0 / (k - 1.0));
    }
    if (!(y + 2.0 < static_cast<double>(kNever))) return kNever;  // also NaN and infinity
    const double i = std::floor(y) + 1.0;
    if (std::log(u.next()) <= log_survival(d, i) - log_survival(d, y)) return static_cast<Round>(i) + 1;
  }
}

double mean_length(const PeriodDist& d) {
  if (d.kind == PeriodDist::geometric) return d.a > 0.0 ? 1.0 / d.a : INFINITY;
  if (d.kind == PeriodDist::pareto) {
    if (d.a <= 1.0) return INFINITY;
    // 1 + sum_{k >= 1} min(1, (m / k)^a): the terms up to K exactly, the rest by Euler-Maclaurin,
    // sum_{k >= K} f(k) = int_K^inf f + f(K) / 2 - f'(K) / 12 + ... (relative error below 1e-12).
    // Below k0 = ceil(m) every term is 1 (X >= m).
    const double k0 = std::max(1.0, std::ceil(d.b)), K = k0 + 1000.0;
    double sum = k0;
    for (double k = k0; k < K; k += 1.0) sum += survival(d, k);
    const double c = std::pow(d.b, d.a);
    return sum + c * (std::pow(K, 1.0 - d.a) / (d.a - 1.0) + std::pow(K, -d.a) / 2.0 + d.a * std::pow(K, -d.a - 1.0) / 12.0);
  }
  // E[max(1, ceil X)] = 1 + sum_{k >= 1} P(X > k), summed until the terms vanish; past kTerms,
  // E[X] + 1/2 (the scale is then millions of rounds and the rounding's share negligible).
  double sum = 1.0;
  constexpr std::int64_t kTerms = 4'000'000;
  std::int64_t k = 1;
  for (; k <= kTerms; ++k) {
    const double s = survival(d, static_cast<double>(k));
    sum += s;
    if (s < 1e-17 * sum) return sum;
  }
  return d.b * std::tgamma(1.0 + 1.0 / d.a) + 0.5;
}

double up_probability(const ChurnSpec& c) {
  const double up = mean_length(c.up), down = mean_length(c.down);
  if (!std::isfinite(up) || !std::isfinite(down)) return 1.0;
  return up / (up + down);
}

}  // namespace gossip::faults
