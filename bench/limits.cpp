// Measures the limits of limits.hpp. Kernels are plain loops over fixed blocks (par::for_blocks);
// the timed loops touch every element once per repetition; results feed a sink so the compiler
// keeps them.
#include "limits.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>

#include "core/array.hpp"
#include "core/parallel.hpp"
#include "core/threads.hpp"

namespace gossip::bench {
namespace {

constexpr int kRepeats = 3;
constexpr std::size_t kBlock = std::size_t{1} << 16;

std::uint64_t splitmix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

template <class F>
double best_seconds(F&& f) {
  double best = 1e300;
  for (int k = 0; k < kRepeats; ++k) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return best;
}

volatile std::uint64_t g_sink;

}  // namespace

std::uint64_t llc_bytes() {
  std::uint64_t best = 0;
  for (int i = 0; i < 8; ++i) {
    std::ifstream f("/sys/devices/system/cpu/cpu0/cache/index" + std::to_string(i) + "/size");
    std::string s;
    if (!(f >> s) || s.empty()) continue;
    std::uint64_t mult = 1;
    if (s.back() == 'K') mult = 1024;
    if (s.back() == 'M') mult = 1024 * 1024;
    if (mult != 1) s.pop_back();
    best = std::max<std::uint64_t>(best, std::stoull(s) * mult);
  }
  return best ? best : std::uint64_t{32} << 20;
}

Limits measure_limits(int threads) {
  par::set_threads(threads);
  Limits l;
  l.threads = threads;
  l.llc_bytes = llc_bytes();
  const std::size_t n = std::max<std::uint64_t>(8 * l.llc_bytes, std::uint64_t{256} << 20) / sizeof(std::uint32_t);
  l.array_bytes = n * sizeof(std::uint32_t);
  {
    Array<double> a(n), b(n), c(n);
    par::for_blocks(n, kBlock, [&](std::size_t, std::size_t lo, std::size_t hi) {
      for (std::size_t i = lo; i < hi; ++i) a[i] = 0, b[i] = 1.0, c[i] = 2.0;
    });
    const double s = best_seconds([&] {
      par::for_blocks(n, kBlock, [&](std::size_t, std::size_t lo, std::size_t hi) {
        for (std::size_t i = lo; i < hi; ++i) a[i] = b[i] + 3.0 * c[i];
      });
    });
    l.triad_bytes_per_s = 3.0 * sizeof(double) * static_cast<double>(n) / s;
    g_sink = static_cast<std::uint64_t>(a[n / 2]);
  }
  Array<std::uint32_t> x(n), idx(n);
  par::for_blocks(n, kBlock, [&](std::size_t, std::size_t lo, std::size_t hi) {
    for (std::size_t i = lo; i < hi; ++i) {
      x[i] = static_cast<std::uint32_t>(i);
      idx[i] = static_cast<std::uint32_t>((splitmix(i) >> 32) * n >> 32);
    }
  });
  const double g = best_seconds([&] {
    const std::uint64_t sum = par::reduce_blocks(
        n, kBlock, std::uint64_t{0},
        [&](std::size_t, std::size_t lo, std::size_t hi) {
          std::uint64_t s = 0;
          for (std::size_t i = lo; i < hi; ++i) s += x[idx[i]];
          return s;
        },
        [](std::uint64_t a, std::uint64_t b) { return a + b; });
    g_sink = sum;
  });
  l.gather_per_s = static_cast<double>(n) / g;
  const double sc = best_seconds([&] {
    par::for_blocks(n, kBlock, [&](std::size_t, std::size_t lo, std::size_t hi) {
      for (std::size_t i = lo; i < hi; ++i) x[idx[i]] = static_cast<std::uint32_t>(i);
    });
  });
  l.scatter_per_s = static_cast<double>(n) / sc;
  g_sink = x[n / 3];
  return l;
}

const Limits& limits_at(int threads) {
  static std::mutex m;
  static std::map<int, Limits> cache;
  std::lock_guard lock(m);
  auto it = cache.find(threads);
  if (it == cache.end()) {
    const int before = par::threads();
    it = cache.emplace(threads, measure_limits(threads)).first;
    par::set_threads(before);
  }
  return it->second;
}

std::string to_json(const Limits& l) {
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "{\"threads\": %d, \"llc_bytes\": %llu, \"array_bytes\": %llu, \"triad_bytes_per_s\": %.4g, "
                "\"gather_per_s\": %.4g, \"scatter_per_s\": %.4g}",
                l.threads, static_cast<unsigned long long>(l.llc_bytes),
                static_cast<unsigned long long>(l.array_bytes), l.triad_bytes_per_s, l.gather_per_s,
                l.scatter_per_s);
  return buf;
}

}  // namespace gossip::bench
