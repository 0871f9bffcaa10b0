// The one place that names OpenMP or oneTBB. Kernels call these plain loops; CMake's
// GOSSIPSIM_BACKEND picks the implementation (GOSSIPSIM_USE_TBB defined -> oneTBB, else OpenMP).
// Determinism contract: blocks are cut from (n, block size) alone, never from the thread count,
// so any result keyed by block index (per-block partials, per-block RNG streams) is identical
// for every thread count and both backends. reduce_blocks combines partials in block order.
#pragma once
#include <algorithm>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#ifdef GOSSIPSIM_USE_TBB
#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>
#else
#include <omp.h>
#endif
#include <tbb/version.h>

namespace gossip::par {

#ifdef GOSSIPSIM_USE_TBB
inline std::unique_ptr<tbb::global_control>& tbb_cap() {
  static std::unique_ptr<tbb::global_control> cap;
  return cap;
}
#endif

inline const char* backend_name() {
#ifdef GOSSIPSIM_USE_TBB
  return "oneTBB";
#else
  return "OpenMP";
#endif
}

inline std::string tbb_version() { return TBB_runtime_version(); }

// Caps the worker count of the active backend (n >= 1).
inline void set_threads(int n) {
#ifdef GOSSIPSIM_USE_TBB
  tbb_cap().reset();
  tbb_cap() = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                    static_cast<std::size_t>(n));
#else
  omp_set_num_threads(n);
#endif
}

inline int threads() {
#ifdef GOSSIPSIM_USE_TBB
  return static_cast<int>(
      tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism));
#else
  return omp_get_max_threads();
#endif
}

// Per-worker scratch: inside a loop of this header worker_index() < worker_slots(). A result must
// not depend on which worker ran which index: combine the slots with an order-free operation.
inline int worker_slots() {
#ifdef GOSSIPSIM_USE_TBB
  return tbb::this_task_arena::max_concurrency();
#else
  return omp_get_max_threads();
#endif
}

inline int worker_index() {
#ifdef GOSSIPSIM_USE_TBB
  return std::max(0, tbb::this_task_arena::current_thread_index());
#else
  return omp_get_thread_num();
#endif
}

// f(i) for i in [begin, end), statically partitioned (uniform work per index).
// Below this many items a loop runs on the calling thread: a parallel region costs more.
inline constexpr std::size_t kSerialBelow = 4096;

template <class F>
void parallel_for(std::size_t begin, std::size_t end, F&& f) {
  if (begin >= end) return;
  if (end - begin < kSerialBelow) {
    for (std::size_t i = begin; i < end; ++i) f(i);
    return;
  }
#ifdef GOSSIPSIM_USE_TBB
  tbb::parallel_for(tbb::blocked_range<std::size_t>(begin, end, 1024),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t i = r.begin(); i != r.end(); ++i) f(i);
                    });
#else
#pragma omp parallel for schedule(static)
  for (std::size_t i = begin; i < end; ++i) f(i);
#endif
}

inline std::size_t num_blocks(std::size_t n, std::size_t block) { return (n + block - 1) / block; }

// f(b, lo, hi) for the blocks [lo, hi) = [b*block, min(n, (b+1)*block)), scheduled dynamically
// (for skewed work such as rows of very different degree).
template <class F>
void for_blocks(std::size_t n, std::size_t block, F&& f) {
  const std::size_t nb = num_blocks(n, block);
  auto run = [&](std::size_t b) { f(b, b * block, std::min(n, (b + 1) * block)); };
  if (nb <= 1) {
    if (nb == 1) run(0);
    return;
  }
#ifdef GOSSIPSIM_USE_TBB
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, nb, 1),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t b = r.begin(); b != r.end(); ++b) run(b);
                    });
#else
#pragma omp parallel for schedule(dynamic, 1)
  for (std::size_t b = 0; b < nb; ++b) run(b);
#endif
}

// Per-block partial results f(b, lo, hi) -> T, combined serially in block order: deterministic
// even for non-associative combines (floating point).
template <class T, class F, class Combine>
T reduce_blocks(std::size_t n, std::size_t block, T init, F&& f, Combine&& combine) {
  std::vector<T> part(num_blocks(n, block), init);
  for_blocks(n, block, [&](std::size_t b, std::size_t lo, std::size_t hi) { part[b] = f(b, lo, hi); });
  for (const T& p : part) init = combine(init, p);
  return init;
}

// In-place exclusive prefix sum of a[0..n); returns the total. Parallel over fixed blocks.
template <class T>
T exclusive_scan(T* a, std::size_t n) {
  constexpr std::size_t kBlock = std::size_t{1} << 16;
  const std::size_t nb = num_blocks(n, kBlock);
  std::vector<T> sums(nb);
  for_blocks(n, kBlock, [&](std::size_t b, std::size_t lo, std::size_t hi) {
    T s{};
    for (std::size_t i = lo; i < hi; ++i) s += a[i];
    sums[b] = s;
  });
  T total{};
  for (std::size_t b = 0; b < nb; ++b) {
    T s = sums[b];
    sums[b] = total;
    total += s;
  }
  for_blocks(n, kBlock, [&](std::size_t b, std::size_t lo, std::size_t hi) {
    T run = sums[b];
    for (std::size_t i = lo; i < hi; ++i) {
      T x = a[i];
      a[i] = run;
      run += x;
    }
  });
  return total;
}

}  // namespace gossip::par
