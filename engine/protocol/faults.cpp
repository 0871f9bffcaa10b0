// The period lengths of churn (docs/model.md, "Churn"): inversion of the distribution at U,
// rounded up to whole rounds, and the means of those rounded lengths.
#include "protocol/faults.hpp"

#include <algorithm>
#include <cmath>

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
