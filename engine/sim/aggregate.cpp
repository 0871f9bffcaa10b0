// The aggregation steps and their trial driver (aggregate.hpp; docs/model.md, "Aggregation").
// push_sum bins each round's shares by (sender block, target range), both cut from n alone, and
// each range's owner adds them block by block: ascending (sender, share) order per target; a
// delayed share waits in its range's lists until its arrival round.
// averaging applies the round's exchanges in the order drawn: at 1 and 2 threads one by one on one
// worker while the others draw the next chunk's contacts; with more, as prefixes of deterministic
// reservations: an exchange commits once it holds both its nodes (write-min of its index), and
// the rest retry in the next prefix. pairwise is one such reservation pass over proposals.
// Contacts are drawn 64 at a time (LaneContacts: Philox in lanes, the rows' loads together).
#include "sim/aggregate.hpp"

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <numbers>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/philox_lanes.hpp"
#include "protocol/contact.hpp"
#include "protocol/delay.hpp"
#include "sim/checkpoint.hpp"
#include "sim/faults.hpp"

namespace gossip {
namespace {

constexpr std::uint32_t kFree = std::numeric_limits<std::uint32_t>::max();
constexpr std::uint64_t kFree64 = std::numeric_limits<std::uint64_t>::max();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

template <class T>
void write_min(T& slot, T v) {
  std::atomic_ref<T> a(slot);
  T cur = a.load(std::memory_order_relaxed);
  while (v < cur && !a.compare_exchange_weak(cur, v, std::memory_order_relaxed)) {
  }
}
template <class T>
T load(const T& slot) {
  return std::atomic_ref<T>(const_cast<T&>(slot)).load(std::memory_order_relaxed);
}
template <class T>
void store(T& slot, T v) {
  std::atomic_ref<T>(slot).store(v, std::memory_order_relaxed);
}

// A block-ordered sum of f(v) over [0, n).
template <class F>
double sum_over(std::size_t n, F&& f) {
  return par::reduce_blocks(
      n, kObserveBlock, 0.0,
      [&](std::size_t, std::size_t lo, std::size_t hi) {
        double x = 0;
        for (std::size_t v = lo; v < hi; ++v) x += f(v);
        return x;
      },
      [](double a, double b) { return a + b; });
}

// The contact of node v (degree deg > 0) numbered j in round r: target and the fate words
// (docs/model.md, "Random numbers": B0,B1 the target, B2 the message, B3 the reply).
struct Contact {
  NodeId target;
  std::uint32_t index;  // the target's index in v's row (its arc)
  bool lost;            // B2 < L
  bool reply_lost;      // B3 < L
};
template <class G>
Contact contact(const G& g, const Rng& rng, NodeId v, std::uint32_t j, std::uint32_t deg, std::uint64_t lost) {
  const Block b = rng.block(v, j);
  const std::uint32_t i = pick_index(rng, b, v, j, deg);
  return {g.neighbor(v, i), i, b.v[2] < lost, b.v[3] < lost};
}

// Contacts j of up to kPhiloxLanes nodes at once: the same targets, indices and fate words as
// contact(), with the Philox blocks drawn in lanes (philox_lanes) and the rows' loads issued
// together (prefetched) rather than one dependent chain per node.
struct LaneContacts {
  static_assert(kPhiloxLanes <= RandomPermutation::kMaxLanes);
  alignas(64) std::uint32_t node[kPhiloxLanes]{};  // filled by the caller, lanes past m ignored
  alignas(64) std::uint32_t deg[kPhiloxLanes]{};
  alignas(64) std::uint32_t index[kPhiloxLanes]{};
  alignas(64) std::uint32_t target[kPhiloxLanes]{};
  PhiloxLanes b;
  Contact at(std::size_t l, std::uint64_t lost) const {
    return {target[l], index[l], b.w[2][l] < lost, b.w[3][l] < lost};
  }
};
template <class G>
void prefetch_row(const G& g, NodeId v) {
  if constexpr (requires { g.offsets(); }) __builtin_prefetch(g.offsets().data() + v);
}
// deg[l] for every lane; index[l] and target[l] where deg[l] > 0.
template <class G>
void lane_contacts(const G& g, const Rng& rng, std::uint32_t j, std::size_t m, LaneContacts& c) {
  philox_lanes(rng, j, c.node, m, c.b);
  for (std::size_t l = 0; l < m; ++l) c.deg[l] = g.degree(c.node[l]);
  for (std::uint64_t redo = pick_lanes(c.b, c.deg, 0, m, c.index); redo; redo &= redo - 1) {
    const auto l = static_cast<std::size_t>(__builtin_ctzll(redo));
    if (c.deg[l] == 0) continue;
    const Block b{{c.b.w[0][l], c.b.w[1][l], c.b.w[2][l], c.b.w[3][l]}};
    c.index[l] = pick_index(rng, b, c.node[l], j, c.deg[l]);
  }
  if constexpr (requires { g.offsets(); }) {
    const auto off = g.offsets();
    const NodeId* adj = g.adjacency().data();
    for (std::size_t l = 0; l < m; ++l)
      if (c.deg[l] > 0) __builtin_prefetch(adj + off[c.node[l]] + c.index[l]);
  }
  for (std::size_t l = 0; l < m; ++l)
    if (c.deg[l] > 0) c.target[l] = g.neighbor(c.node[l], c.index[l]);
}

// The delay of v's share j along its arc i in round r (docs/model.md, "Delays").
template <class G>
Round share_delay(const G& g, const DelaySpec& d, std::uint64_t seed, std::uint32_t trial, Round r, NodeId v,
                  std::uint32_t j, std::uint32_t i) {
  if constexpr (requires { g.has_latencies(); }) {
    if (d.kind == DelaySpec::edge) return static_cast<Round>(g.latency(v)[i]);
  }
  return copy_delay(d, seed, trial, r, v, j);
}

// A message of up node v to u that a fault drops before its fate word is read (docs/model.md,
// "Aggregation", "Faults"): across the partition, or to a down node; counted in c.
bool dropped(const FaultState* f, NodeId v, NodeId u, AggregateCounts& c) {
  if (!f) return false;
  if (f->cut(v, u)) {
    ++c.lost, ++c.lost_partition;
    return true;
  }
  if (f->up(u)) return false;
  ++c.lost, ++c.lost_down;
  return true;
}
bool down(const FaultState* f, NodeId v) { return f && !f->up(v); }

// ---- push-sum ----

// Sender blocks and target ranges: cut from n alone (at most 1024 of each).
std::size_t bin_span(std::size_t n) { return std::max<std::size_t>(4096, (n + 1023) / 1024); }

// t / d for 32-bit t and a fixed d > 1 by one multiplication (Lemire, Kaser and Kurz 2019,
// "Faster remainder by direct computation": exact for every 32-bit t with a 64-bit multiplier).
struct RangeOf {
  std::uint64_t m;
  explicit RangeOf(std::uint64_t d) : m(~std::uint64_t{0} / d + 1) {}
  std::size_t of(std::uint32_t t) const { return static_cast<std::size_t>((static_cast<Uint128>(m) * t) >> 64); }
};

template <class G>
AggregateCounts push_sum_round(const G& g, const ProtocolSpec& spec, std::uint64_t lost_below, const Rng& rng,
                               std::uint64_t seed, std::uint32_t trial, Round round, const FaultState* faults,
                               AggregateState& st, AggregateScratch& x) {
  const std::size_t n = g.num_nodes(), f = spec.fanout;
  const std::size_t span = bin_span(n), nb = par::num_blocks(n, span), nr = nb;
  const double split = 2.0 * static_cast<double>(f);
  const RangeOf range(span);
  const DelaySpec* delay = spec.faults.delay.on() ? &spec.faults.delay : nullptr;
  if (delay && x.flight.by_range.size() != nr) throw std::logic_error("push-sum: shares in flight not reset");
  x.target.resize(n * f);
  if (delay) x.delay.resize(n * f);
  x.counts.assign(nb * nr + 1, 0);
  std::vector<AggregateCounts> part(nb);
  // Pass 1: every share's target (kFree: lost, or none), counted per (block, range); a lost
  // share's mass summed in (sender, j) order.
  par::for_blocks(n, span, [&](std::size_t b, std::size_t lo, std::size_t hi) {
    std::uint64_t* count = &x.counts[b * nr];
    AggregateCounts p;
    LaneContacts c;
    std::vector<std::uint8_t> gone(kPhiloxLanes * f);  // gone[l * f + j]: that share is lost
    for (std::size_t at = lo; at < hi; at += kPhiloxLanes) {
      const std::size_t m = std::min(kPhiloxLanes, hi - at);
      for (std::size_t l = 0; l < m; ++l) c.node[l] = static_cast<NodeId>(at + l);
      for (std::size_t j = 0; j < f; ++j) {
        lane_contacts(g, rng, static_cast<std::uint32_t>(j), m, c);
        for (std::size_t l = 0; l < m; ++l) {
          const std::size_t v = at + l;
          std::uint32_t& t = x.target[v * f + j];
          t = kFree;
          gone[l * f + j] = 0;
          if (c.deg[l] == 0 || down(faults, static_cast<NodeId>(v))) continue;
          const Contact ct = c.at(l, lost_below);
          ++p.messages;
          bool lost = dropped(faults, static_cast<NodeId>(v), ct.target, p);
          if (!lost && ct.lost) ++p.lost, lost = true;
          if (lost) {
            gone[l * f + j] = 1;
            continue;
          }
          t = ct.target;
          ++count[range.of(t)];
          if (delay)
            x.delay[v * f + j] = share_delay(g, *delay, seed, trial, round, static_cast<NodeId>(v),
                                             static_cast<std::uint32_t>(j), ct.index);
        }
      }
      for (std::size_t l = 0; l < m; ++l) {  // the lost shares' mass in (sender, j) order
        const double ss = st.s[at + l] / split, sw = st.w[at + l] / split;
        for (std::size_t j = 0; j < f; ++j)
          if (gone[l * f + j]) p.lost_s += ss, p.lost_w += sw;
      }
    }
    part[b] = p;
  });
  const std::uint64_t total = par::exclusive_scan(x.counts.data(), nb * nr + 1);
  x.share_s.resize(total);
  x.share_w.resize(total);
  x.u.resize(total);
  if (delay) x.share_delay.resize(total);
  // Pass 2: the shares into their bins, in sender order within each (block, range).
  par::for_blocks(n, span, [&](std::size_t b, std::size_t lo, std::size_t hi) {
    std::vector<std::uint64_t> cursor(x.counts.begin() + static_cast<std::ptrdiff_t>(b * nr),
                                      x.counts.begin() + static_cast<std::ptrdiff_t>(b * nr + nr));
    const std::uint32_t* const target = x.target.data();
    std::uint32_t* const u = x.u.data();
    double* const share_s = x.share_s.data();
    double* const share_w = x.share_w.data();
    const double* const s = st.s.data();
    const double* const w = st.w.data();
    for (std::size_t v = lo; v < hi; ++v) {
      const double ss = s[v] / split, sw = w[v] / split;
      for (std::size_t j = 0; j < f; ++j) {
        const std::uint32_t t = target[v * f + j];
        if (t == kFree) continue;
        const std::uint64_t at = cursor[range.of(t)]++;
        u[at] = t;
        share_s[at] = ss;
        share_w[at] = sw;
        if (delay) x.share_delay[at] = x.delay[v * f + j];
      }
    }
  });
  // Pass 3: each range keeps its halves, then adds its bins block by block (a delayed share goes
  // into flight instead), then the shares in flight that arrive at the end of this round, in
  // their order; it sums what it has still in flight.
  std::vector<AggregateCounts> arrived(delay ? nr : 0);
  par::for_blocks(n, span, [&](std::size_t r, std::size_t lo, std::size_t hi) {
    for (std::size_t v = lo; v < hi; ++v)
      if (g.degree(static_cast<NodeId>(v)) > 0 && !down(faults, static_cast<NodeId>(v))) st.s[v] *= 0.5, st.w[v] *= 0.5;
    if (!delay) {
      const std::uint32_t* const u = x.u.data();
      const double* const share_s = x.share_s.data();
      const double* const share_w = x.share_w.data();
      double* const s = st.s.data();
      double* const w = st.w.data();
      for (std::size_t b = 0; b < nb; ++b)
        for (std::uint64_t i = x.counts[b * nr + r], end = x.counts[b * nr + r + 1]; i < end; ++i) {
          s[u[i]] += share_s[i];
          w[u[i]] += share_w[i];
        }
      return;
    }
    for (std::size_t b = 0; b < nb; ++b)
      for (std::uint64_t i = x.counts[b * nr + r], end = x.counts[b * nr + r + 1]; i < end; ++i) {
        if (x.share_delay[i] > 0) {
          x.flight.by_range[r][round + x.share_delay[i]].push_back({x.u[i], x.share_s[i], x.share_w[i]});
          continue;
        }
        st.s[x.u[i]] += x.share_s[i];
        st.w[x.u[i]] += x.share_w[i];
      }
    auto& lists = x.flight.by_range[r];
    AggregateCounts a;
    if (auto due = lists.find(round); due != lists.end()) {
      for (const AggregateShare& y : due->second) {
        if (down(faults, y.target)) {  // docs/model.md: a share arriving at a down node is lost
          ++a.lost, ++a.lost_down;
          a.lost_s += y.s, a.lost_w += y.w;
          continue;
        }
        st.s[y.target] += y.s;
        st.w[y.target] += y.w;
      }
      lists.erase(due);
    }
    for (const auto& [arrival, list] : lists)
      for (const AggregateShare& y : list) ++a.in_flight, a.flight_s += y.s, a.flight_w += y.w;
    arrived[r] = a;
  });
  AggregateCounts out;
  for (const AggregateCounts& p : part) out += p;
  for (const AggregateCounts& p : arrived) out += p;
  return out;
}

// ---- averaging: the round's exchanges in order, by deterministic reservations ----

constexpr std::uint8_t kReplyLost = 1;
// Up to this many threads averaging applies its exchanges one by one on one worker while the
// others draw the next ones' contacts (measured faster than the reservations at 1 and 2 threads,
// bench/README.md); with more, the reservations below. Both give the sequential order's values.
constexpr int kSequentialAveragingThreads = 2;

template <class G>
AggregateCounts averaging_round(const G& g, std::uint64_t lost_below, const Rng& rng, std::uint64_t seed,
                                std::uint32_t trial, Round r, const FaultState* faults, AggregateState& st,
                                AggregateScratch& x) {
  const std::size_t n = g.num_nodes();
  const RandomPermutation order(static_cast<std::uint32_t>(n),
                                Rng(seed, trial, kOrderSub).block(0, static_cast<std::uint32_t>(r)));
  x.u.resize(n);
  x.w.resize(n);
  x.flags.resize(n);
  // Exchange i: node order(i) with its contact 0. A down node's turn, a lost request or a self
  // loop changes nothing: it needs no turn (kFree).
  constexpr std::size_t kBlock = 1 << 14;
  struct Partial : AggregateCounts {
    std::uint32_t active = 0;
  };
  std::vector<Partial> part(par::num_blocks(n, kBlock));
  auto contacts = [&](std::size_t b) {
    const std::size_t lo = b * kBlock, hi = std::min(n, lo + kBlock);
    Partial p;
    LaneContacts c;
    for (std::size_t at = lo; at < hi; at += kPhiloxLanes) {
      const std::size_t m = std::min(kPhiloxLanes, hi - at);
      order.apply_lanes(static_cast<std::uint32_t>(at), m, c.node);
      for (std::size_t l = 0; l < m; ++l) prefetch_row(g, c.node[l]);
      lane_contacts(g, rng, 0, m, c);
      for (std::size_t l = 0; l < m; ++l) {
        const std::size_t i = at + l;
        const NodeId v = c.node[l];
        x.u[i] = kFree;
        if (c.deg[l] == 0 || down(faults, v)) continue;
        const Contact ct = c.at(l, lost_below);
        ++p.messages;
        if (dropped(faults, v, ct.target, p)) continue;
        if (ct.lost) {
          ++p.lost;
          continue;
        }
        ++p.messages;  // the reply
        p.lost += ct.reply_lost;
        if (ct.target == v) continue;
        x.u[i] = v;
        x.w[i] = ct.target;
        x.flags[i] = ct.reply_lost ? kReplyLost : 0;
        ++p.active;
      }
    }
    part[b] = p;
  };
  if (par::threads() <= kSequentialAveragingThreads) {
    // The exchanges one after another, as the order says, in chunks: the contacts of chunk c are
    // drawn (in blocks, in parallel) while chunk c - 1 is applied on one worker.
    constexpr std::size_t kChunkBlocks = 4;
    const std::size_t nb = part.size(), nc = par::num_blocks(nb, kChunkBlocks);
    double* const val = st.s.data();
    auto apply = [&](std::size_t lo, std::size_t hi) {
      constexpr std::size_t kAhead = 16;  // exchanges between a prefetch and its use
      for (std::size_t i = lo; i < hi; ++i) {
        if (i + kAhead < hi && x.u[i + kAhead] != kFree) {
          __builtin_prefetch(val + x.u[i + kAhead], 1);
          __builtin_prefetch(val + x.w[i + kAhead], 1);
        }
        const NodeId a = x.u[i];
        if (a == kFree) continue;
        const NodeId b = x.w[i];
        const double m = (val[a] + val[b]) * 0.5;
        val[b] = m;
        if (!(x.flags[i] & kReplyLost)) val[a] = m;
      }
    };
    for (std::size_t ch = 0; ch <= nc; ++ch) {
      const std::size_t b0 = ch * kChunkBlocks, b1 = std::min(nb, b0 + kChunkBlocks);
      const std::size_t first = ch > 0 ? 1 : 0, tasks = first + (ch < nc ? b1 - b0 : 0);
      par::for_blocks(tasks, 1, [&](std::size_t t, std::size_t, std::size_t) {
        if (t < first) {
          apply((ch - 1) * kChunkBlocks * kBlock, std::min(n, ch * kChunkBlocks * kBlock));
          return;
        }
        contacts(b0 + t - first);
      });
    }
    AggregateCounts out;
    for (const Partial& p : part) out += p;
    return out;
  }
  if (x.res.size() != n) x.res.assign(n, kFree);
  par::for_blocks(n, kBlock, [&](std::size_t b, std::size_t, std::size_t) { contacts(b); });
  // The active exchanges, in order.
  std::vector<std::uint32_t> offset(part.size() + 1, 0);
  AggregateCounts out;
  for (std::size_t b = 0; b < part.size(); ++b) {
    offset[b + 1] = offset[b] + part[b].active;
    out += part[b];
  }
  x.pending.resize(offset.back());
  par::for_blocks(n, kBlock, [&](std::size_t b, std::size_t lo, std::size_t hi) {
    std::uint32_t at = offset[b];
    for (std::size_t i = lo; i < hi; ++i)
      if (x.u[i] != kFree) x.pending[at++] = static_cast<std::uint32_t>(i);
  });
  x.spare.resize(x.pending.size());
  // Prefixes of the pending exchanges: reserve, commit the winners, release, keep the losers
  // (in order) before the rest.
  const std::size_t prefix_len = std::max<std::size_t>(4096, n / 16);
  std::size_t start = 0;
  const std::size_t end = x.pending.size();
  constexpr std::size_t kPackBlock = 4096;
  std::vector<std::uint32_t> kept;
  while (start < end) {
    const std::size_t len = std::min(prefix_len, end - start);
    const std::uint32_t* pre = x.pending.data() + start;
    par::parallel_for(0, len, [&](std::size_t k) {
      const std::uint32_t i = pre[k];
      write_min(x.res[x.u[i]], i);
      write_min(x.res[x.w[i]], i);
    });
    par::parallel_for(0, len, [&](std::size_t k) {
      const std::uint32_t i = pre[k];
      const NodeId a = x.u[i], b = x.w[i];
      if (load(x.res[a]) != i || load(x.res[b]) != i) return;
      const double m = (st.s[a] + st.s[b]) * 0.5;
      st.s[b] = m;
      if (!(x.flags[i] & kReplyLost)) st.s[a] = m;
      x.flags[i] |= 2;  // committed
    });
    // Release the prefix's reservations and count the uncommitted, per block of the prefix.
    const std::size_t nb = par::num_blocks(len, kPackBlock);
    kept.assign(nb + 1, 0);
    par::for_blocks(len, kPackBlock, [&](std::size_t b, std::size_t lo, std::size_t hi) {
      std::uint32_t c = 0;
      for (std::size_t k = lo; k < hi; ++k) {
        const std::uint32_t i = pre[k];
        if (load(x.res[x.u[i]]) == i) store(x.res[x.u[i]], kFree);
        if (load(x.res[x.w[i]]) == i) store(x.res[x.w[i]], kFree);
        c += !(x.flags[i] & 2);
      }
      kept[b + 1] = c;
    });
    for (std::size_t b = 0; b < nb; ++b) kept[b + 1] += kept[b];
    const std::size_t left = kept[nb];
    std::uint32_t* dst = x.spare.data();
    par::for_blocks(len, kPackBlock, [&](std::size_t b, std::size_t lo, std::size_t hi) {
      std::uint32_t at = kept[b];
      for (std::size_t k = lo; k < hi; ++k)
        if (!(x.flags[pre[k]] & 2)) dst[at++] = pre[k];
    });
    const std::size_t next = start + len - left;
    std::copy(dst, dst + left, x.pending.data() + next);
    start = next;
  }
  return out;
}

// ---- pairwise: one reservation pass over the proposals, by random priority ----

template <class G>
AggregateCounts pairwise_round(const G& g, std::uint64_t lost_below, const Rng& rng, std::uint64_t seed,
                               std::uint32_t trial, Round r, const FaultState* faults, AggregateState& st,
                               AggregateScratch& x) {
  const std::size_t n = g.num_nodes();
  const Rng prio(seed, trial, kMatchSub);
  if (x.res64.size() != n) x.res64.assign(n, kFree64);
  x.w.resize(n);
  x.flags.resize(n);
  constexpr std::size_t kBlock = 1 << 14;
  std::vector<AggregateCounts> part(par::num_blocks(n, kBlock));
  // Proposals: v to its contact 0 with priority (key << 32) | v, reserved at both ends.
  par::for_blocks(n, kBlock, [&](std::size_t b, std::size_t lo, std::size_t hi) {
    AggregateCounts p;
    LaneContacts c;
    PhiloxLanes key;
    for (std::size_t at = lo; at < hi; at += kPhiloxLanes) {
      const std::size_t m = std::min(kPhiloxLanes, hi - at);
      for (std::size_t l = 0; l < m; ++l) c.node[l] = static_cast<NodeId>(at + l);
      lane_contacts(g, rng, 0, m, c);
      philox_lanes(prio, static_cast<std::uint32_t>(r), c.node, m, key);
      for (std::size_t l = 0; l < m; ++l) {
        const auto v = static_cast<NodeId>(at + l);
        x.w[v] = kFree;
        if (c.deg[l] == 0 || down(faults, v)) continue;
        const Contact ct = c.at(l, lost_below);
        ++p.messages;
        if (dropped(faults, v, ct.target, p)) continue;
        if (ct.lost) {
          ++p.lost;
          continue;
        }
        if (ct.target == v) continue;
        x.w[v] = ct.target;
        x.flags[v] = ct.reply_lost ? kReplyLost : 0;
        const std::uint64_t k = (std::uint64_t{key.w[0][l]} << 32) | v;
        write_min(x.res64[v], k);
        write_min(x.res64[ct.target], k);
      }
    }
    part[b] = p;
  });
  // The proposals that hold both ends form the matching; each pair exchanges.
  std::vector<AggregateCounts> matched(part.size());
  par::for_blocks(n, kBlock, [&](std::size_t b, std::size_t lo, std::size_t hi) {
    AggregateCounts p;
    for (std::size_t i = lo; i < hi; ++i) {
      const auto v = static_cast<NodeId>(i);
      const NodeId t = x.w[v];
      if (t == kFree) continue;
      const std::uint64_t key = load(x.res64[v]);
      if ((key & 0xffffffffu) != v || load(x.res64[t]) != key) continue;
      const double m = (st.s[v] + st.s[t]) * 0.5;
      st.s[t] = m;
      if (!(x.flags[v] & kReplyLost)) st.s[v] = m;
      ++p.messages;  // the reply
      p.lost += (x.flags[v] & kReplyLost) != 0;
    }
    matched[b] = p;
  });
  par::parallel_for(0, n, [&](std::size_t v) { x.res64[v] = kFree64; });
  AggregateCounts out;
  for (std::size_t b = 0; b < part.size(); ++b) out += part[b], out += matched[b];
  return out;
}

double rel(double d, double base) { return base != 0 ? d / std::fabs(base) : d; }

}  // namespace

double initial_draw(const AggregateParams& a, const r123::Philox4x32::ctr_type& b) {
  const std::uint64_t x = (std::uint64_t{b.v[0]} << 32) | b.v[1], y = (std::uint64_t{b.v[2]} << 32) | b.v[3];
  if (a.init == AggregateInit::uniform) {
    const double u = static_cast<double>(x >> 11) * 0x1.0p-53;
    return a.a + (a.b - a.a) * u;
  }
  if (a.init == AggregateInit::normal) {  // Box-Muller, the cosine branch
    const double u1 = static_cast<double>((x >> 11) + 1) * 0x1.0p-53, u2 = static_cast<double>(y >> 11) * 0x1.0p-53;
    return a.a + a.b * (std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2));
  }
  return 0.0;
}

void SharesInFlight::reset(std::size_t n) {
  span = bin_span(n);
  by_range.assign(par::num_blocks(n, span), {});
}

NodeId peak_node(NodeId n, std::uint64_t seed, std::uint32_t trial) {
  Rng::Stream s(Rng(seed, trial, kPeakSub), 0);
  return s.below(n);
}

void aggregate_init(NodeId n, Mode mode, const AggregateParams& a, std::uint64_t seed, std::uint32_t trial,
                    AggregateState& st) {
  if (n == 0) throw UsageError("aggregation needs a graph with at least one node (the graph is empty)");
  if (st.s.size() != n) st.s = Array<double>(n);
  const bool weights = mode == Mode::push_sum;
  if (weights && st.w.size() != n) st.w = Array<double>(n);
  if (!weights) st.w = Array<double>();
  const Rng rng(seed, trial, kInitSub);
  const bool count = a.target == AggregateTarget::count;
  if (a.init == AggregateInit::file && (!a.values || a.values->size() != n))
    throw std::logic_error("aggregate.init 'file:" + a.column + "' not read for this graph (io/node_file.hpp)");
  par::parallel_for(0, n, [&](std::size_t v) {
    const double x = a.init == AggregateInit::peak   ? 0.0
                     : a.init == AggregateInit::file ? (*a.values)[v]
                                                     : initial_draw(a, rng.block(static_cast<NodeId>(v), 0));
    // push-sum: average (x, 1); sum (x, 0) but the leader's 1; count (1, 0) but the leader's 1.
    st.s[v] = weights && count ? 1.0 : x;
    if (weights) st.w[v] = a.target == AggregateTarget::average ? 1.0 : 0.0;
  });
  if (a.init == AggregateInit::peak || (weights && a.target != AggregateTarget::average)) {
    const NodeId p = peak_node(n, seed, trial);
    if (a.init == AggregateInit::peak && !(weights && count)) st.s[p] = 1.0;
    if (weights && a.target != AggregateTarget::average) st.w[p] = 1.0;
  }
}

double aggregate_truth(NodeId n, Mode mode, const AggregateParams& a, const AggregateState& st) {
  if (a.target == AggregateTarget::count) return static_cast<double>(n);
  const double sum = sum_over(n, [&](std::size_t v) { return st.s[v]; });
  if (a.target == AggregateTarget::sum) return sum;
  (void)mode;
  return sum / static_cast<double>(n);
}

AggregateRound observe(Mode mode, const AggregateParams& a, const AggregateState& st, double truth,
                       const AggregateRound* prev, const AggregateRound* mass0, const FaultState* faults) {
  const std::size_t n = st.s.size();
  if (faults && !faults->on()) faults = nullptr;
  auto counted = [&](std::size_t v) { return !faults || faults->up(static_cast<NodeId>(v)); };
  struct Part {
    std::int64_t defined = 0;
    double sum = 0, s = 0, w = 0, err = 0;
  };
  const Part p = par::reduce_blocks(
      n, kObserveBlock, Part{},
      [&](std::size_t, std::size_t lo, std::size_t hi) {
        Part q;
        for (std::size_t v = lo; v < hi; ++v) {
          q.s += st.s[v];
          if (!st.w.empty()) q.w += st.w[v];
          if (!counted(v)) continue;
          const double e = estimate(mode, a, st, v);
          if (std::isnan(e)) {
            q.err = std::numeric_limits<double>::infinity();
            continue;
          }
          ++q.defined;
          q.sum += e;
          q.err = std::max(q.err, std::fabs(e - truth));
        }
        return q;
      },
      [](Part x, const Part& y) {
        x.defined += y.defined, x.sum += y.sum, x.s += y.s, x.w += y.w, x.err = std::max(x.err, y.err);
        return x;
      });
  AggregateRound o;
  o.up = faults ? faults->up_count() : static_cast<std::int64_t>(n);
  o.undefined = o.up - p.defined;
  o.mean = p.defined ? p.sum / static_cast<double>(p.defined) : kNaN;
  const double ss = sum_over(n, [&](std::size_t v) {
    const double e = counted(v) ? estimate(mode, a, st, v) : kNaN;
    return std::isnan(e) ? 0.0 : (e - o.mean) * (e - o.mean);
  });
  o.variance = p.defined ? ss / static_cast<double>(p.defined) : kNaN;
  o.max_abs_error = p.err;
  o.max_rel_error = rel(p.err, truth);
  o.mass_s = p.s;
  o.mass_w = st.w.empty() ? static_cast<double>(n) : p.w;
  const AggregateRound& base = mass0 ? *mass0 : o;
  o.drift_s = rel(o.mass_s - base.mass_s, base.mass_s);
  o.drift_w = rel(o.mass_w - base.mass_w, base.mass_w);
  o.factor = prev && prev->variance > 0 ? o.variance / prev->variance : kNaN;
  return o;
}

AggregateCounts aggregate_round(StepKind kind, const Graph& g, const ProtocolSpec& spec, std::uint64_t seed,
                                std::uint32_t trial, Round r, AggregateState& st, AggregateScratch& scratch,
                                const FaultState* faults) {
  const std::uint64_t lost = Thresholds::of(spec).lost;
  const Rng rng(seed, trial, static_cast<std::uint32_t>(r));
  if (faults && !faults->on()) faults = nullptr;
  return visit_graph(g, [&](const auto& x) {
    switch (kind) {
      case StepKind::push_sum: return push_sum_round(x, spec, lost, rng, seed, trial, r, faults, st, scratch);
      case StepKind::averaging: return averaging_round(x, lost, rng, seed, trial, r, faults, st, scratch);
      case StepKind::pairwise: return pairwise_round(x, lost, rng, seed, trial, r, faults, st, scratch);
      default: throw std::logic_error("aggregate_round: not an aggregation step");
    }
  });
}

std::uint64_t aggregate_bytes(NodeId n, const ProtocolSpec& spec) {
  const std::uint64_t nodes = n, faults = FaultState::bytes(n, spec.faults);
  // Shares in flight, an estimate: fanout a node a round, each held for its delay (the mean, at
  // most the longest); 16 bytes a share, twice for the lists' growth, and a delay per share.
  const DelaySpec& d = spec.faults.delay;
  const double held = d.on() ? std::min<double>(mean_delay(d, 4.0), max_delay(d, kMaxDelay)) + 1 : 0;
  const auto flight = static_cast<std::uint64_t>(held * static_cast<double>(nodes) * spec.fanout * 32) +
                      (d.on() ? nodes * spec.fanout * 2 * sizeof(Round) : 0);
  switch (spec.mode) {
    case Mode::push_sum: return faults + flight + nodes * (16 + spec.fanout * std::uint64_t{24});  // s, w; targets, bins
    case Mode::averaging: return faults + nodes * (8 + 4 * 5 + 1);  // s; u, w, pending, spare, reservations; flags
    default: return faults + nodes * (8 + 4 + 1 + 8);               // s; proposals, flags, reservations
  }
}

namespace {

// One aggregation trial, round by round, until the estimates are within eps or max_rounds.
class AggregateTrial {
 public:
  AggregateTrial(const Graph& g, const ProtocolSpec& spec, const AggregateParams& a, StepKind kind,
                 const TrialParams& p, AggregateState& st, AggregateScratch& scratch, FaultState& faults)
      : g_(g), spec_(spec), a_(a), kind_(kind), p_(p), st_(st), x_(scratch), faults_(faults),
        n_(visit_graph(g, [](const auto& y) { return y.num_nodes(); })) {}

  std::optional<TrialSummary> run(Sink& sink, const TrialCheckpoint* from) {
    const auto t0 = std::chrono::steady_clock::now();
    if (from) {
      restore(*from);
    } else {
      aggregate_init(n_, spec_.mode, a_, p_.seed, p_.trial, st_);
      if (faults_.on()) faults_.start(p_.seed, p_.trial, {}, 0);
      x_.flight.reset(n_);
      sink.on_trial_start(p_.trial, {});
      truth_ = aggregate_truth(n_, spec_.mode, a_, st_);
      first_ = cur_ = observe(spec_.mode, a_, st_, truth_, nullptr, nullptr, &faults_);
      sink.on_aggregate_round(p_.trial, 0, cur_);
      if (boundary(sink, t0)) return std::nullopt;
    }
    bool truncated = false;
    while (true) {
      if (cur_.max_rel_error < a_.eps && (!faults_.on() || r_ >= faults_.last_event_round())) {
        round_eps_ = r_;
        break;
      }
      if (r_ == p_.max_rounds) {
        truncated = true;
        break;
      }
      ++r_;
      if (faults_.on()) faults_.advance(r_);
      const AggregateCounts c = aggregate_round(kind_, g_, spec_, p_.seed, p_.trial, r_, st_, x_, &faults_);
      AggregateRound next = observe(spec_.mode, a_, st_, truth_, &cur_, &first_, &faults_);
      next.messages = c.messages;
      next.lost = c.lost;
      next.lost_down = c.lost_down;
      next.lost_partition = c.lost_partition;
      next.lost_s = c.lost_s;
      next.lost_w = c.lost_w;
      next.in_flight = c.in_flight;
      next.flight_s = c.flight_s;
      next.flight_w = c.flight_w;
      cur_ = next;
      messages_ += c.messages;
      lost_ += c.lost;
      ++steps_[static_cast<std::size_t>(kind_)];
      sink.on_aggregate_round(p_.trial, r_, cur_);
      if (boundary(sink, t0)) return std::nullopt;
    }
    TrialSummary s;
    s.trial = p_.trial;
    s.rounds = r_;
    s.truncated = truncated;
    s.messages = messages_;
    s.traffic = static_cast<double>(messages_) / static_cast<double>(n_);
    s.wall_seconds = elapsed_ + std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    s.steps = steps_;
    AggregateSummary a;
    a.truth = truth_;
    a.last = cur_;
    a.round_eps = round_eps_;
    a.factor = r_ > 0 && first_.variance > 0 && cur_.variance > 0
                   ? std::pow(cur_.variance / first_.variance, 1.0 / static_cast<double>(r_))
                   : kNaN;
    a.lost = lost_;
    s.aggregate = a;
    sink.on_trial_end(s, {}, {});
    return s;
  }

 private:
  bool boundary(Sink& sink, std::chrono::steady_clock::time_point t0) {
    const unsigned want = sink.at_boundary(p_.trial, r_);
    if (want & kWantState) sink.on_aggregate_state(p_.trial, r_, st_.s.span(), st_.w.span());
    if (want & (kWantCheckpoint | kStop))
      sink.on_checkpoint(checkpoint(elapsed_ + std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()));
    return (want & kStop) != 0;
  }

  TrialCheckpoint checkpoint(double elapsed) const {
    TrialCheckpoint c = checkpoint_head(p_.trial, r_, {}, messages_, 0, elapsed, steps_);
    c.agg_s.assign(st_.s.begin(), st_.s.end());
    c.agg_w.assign(st_.w.begin(), st_.w.end());
    c.agg_truth = truth_;
    c.agg_lost = lost_;
    c.agg_first = first_;
    c.agg_cur = cur_;
    x_.flight.each([&](Round arrival, const AggregateShare& y) {
      c.agg_flight_round.push_back(arrival);
      c.agg_flight_target.push_back(y.target);
      c.agg_flight_s.push_back(y.s);
      c.agg_flight_w.push_back(y.w);
    });
    return c;
  }

  void restore(const TrialCheckpoint& c) {
    const bool weights = spec_.mode == Mode::push_sum;
    if (c.trial != p_.trial || c.round < 0 || c.agg_s.size() != n_ || c.agg_w.size() != (weights ? n_ : 0))
      throw InputError(fmt::format("checkpoint does not fit this run: trial {} round {} (aggregation state of {} "
                                   "nodes, expected {})", c.trial, c.round, c.agg_s.size(), n_));
    st_.s = Array<double>(n_);
    std::copy(c.agg_s.begin(), c.agg_s.end(), st_.s.begin());
    st_.w = weights ? Array<double>(n_) : Array<double>();
    std::copy(c.agg_w.begin(), c.agg_w.end(), st_.w.begin());
    r_ = c.round;
    messages_ = c.messages;
    lost_ = c.agg_lost;
    elapsed_ = c.elapsed_seconds;
    steps_ = c.steps;
    truth_ = c.agg_truth;
    first_ = c.agg_first;
    cur_ = c.agg_cur;
    x_.flight.reset(n_);
    const std::size_t flying = c.agg_flight_round.size();
    if (c.agg_flight_target.size() != flying || c.agg_flight_s.size() != flying || c.agg_flight_w.size() != flying ||
        (flying > 0 && !spec_.faults.delay.on()))
      throw InputError("checkpoint does not fit this run: its push-sum shares in flight");
    for (std::size_t i = 0; i < flying; ++i) {
      if (c.agg_flight_target[i] >= n_ || c.agg_flight_round[i] <= r_)
        throw InputError(fmt::format("checkpoint does not fit this run: a share in flight to node {} arriving in round {}",
                                     c.agg_flight_target[i], c.agg_flight_round[i]));
      x_.flight.add(c.agg_flight_round[i], {c.agg_flight_target[i], c.agg_flight_s[i], c.agg_flight_w[i]});
    }
    if (faults_.on()) faults_.start(p_.seed, p_.trial, {}, r_);  // the up nodes of the checkpoint's round
  }

  const Graph& g_;
  const ProtocolSpec& spec_;
  const AggregateParams& a_;
  StepKind kind_;
  TrialParams p_;
  AggregateState& st_;
  AggregateScratch& x_;
  FaultState& faults_;
  NodeId n_;
  Round r_ = 0;
  double truth_ = 0, elapsed_ = 0;
  AggregateRound first_, cur_;
  std::optional<Round> round_eps_;
  std::int64_t messages_ = 0, lost_ = 0;
  std::array<std::int64_t, kStepKinds> steps_{};
};

}  // namespace

bool run_aggregate(const Graph& g, const ProtocolSpec& spec, const RunParams& run, StepKind step, Sink& sink,
                   const TrialCheckpoint* from, std::uint64_t first) {
  std::string why;
  const std::optional<AggregateParams> a = parse_aggregate(spec.aggregate, why);
  if (!a) throw UsageError(why);
  AggregateState st;
  AggregateScratch scratch;
  const NodeId n = visit_graph(g, [](const auto& x) { return x.num_nodes(); });
  FaultState faults = spec.faults.any() ? FaultState(n, spec.faults) : FaultState();
  for (std::uint64_t i = first; i < run.trials; ++i) {
    const TrialParams params{run.seed, static_cast<std::uint32_t>(run.trial_offset + i), run.max_rounds};
    AggregateTrial trial(g, spec, *a, step, params, st, scratch, faults);
    if (!trial.run(sink, i == first ? from : nullptr)) return false;
  }
  return true;
}

}  // namespace gossip
