// A plain serial simulator of aggregation rounds, written from docs/model.md ("Aggregation"):
// push-sum, averaging in the round's order one exchange after another, and pairwise over the
// matching of proposals; with faults ("Faults" there) from RefFaults' up nodes and groups of each
// round. It shares only the random numbers with the engine (initial_draw, peak_node, Philox
// blocks, RandomPermutation, the fault draws) and must agree with it value by value.
#pragma once
#include <cstdint>
#include <vector>

#include "core/rng.hpp"
#include "protocol/contact.hpp"
#include "reference_sim.hpp"
#include "sim/aggregate.hpp"

namespace gossip::test {

struct RefAggregate {
  std::vector<double> s, w;  // w: push-sum only
  struct Share {
    Round at;  // arrives at the end of this round
    NodeId u;
    double s, w;
  };
  std::vector<Share> flight;  // push-sum with delays: in (send round, sender, j) order
};

// The target index of contact j of v (Lemire on B0,B1; rejected draws from {v, 2^31 + j, r, t}).
inline std::uint32_t ref_index(const Rng& rng, NodeId v, std::uint32_t j, std::uint32_t deg) {
  const Block b = rng.block(v, j);
  std::uint64_t x = (std::uint64_t{b.v[0]} << 32) | b.v[1];
  const std::uint64_t threshold = (0 - std::uint64_t{deg}) % deg;
  Rng::Stream more(rng, v, 0x80000000u + j);
  while (static_cast<std::uint64_t>(static_cast<Uint128>(x) * deg) < threshold) x = more.next_u64();
  return static_cast<std::uint32_t>((static_cast<Uint128>(x) * deg) >> 64);
}

template <class G>
RefAggregate ref_init(const G& g, Mode mode, const AggregateParams& a, std::uint64_t seed, std::uint32_t t) {
  const NodeId n = g.num_nodes();
  RefAggregate st;
  st.s.assign(n, 0.0);
  const Rng rng(seed, t, 0x80000005u);
  for (NodeId v = 0; v < n; ++v)
    st.s[v] = a.init == AggregateInit::peak ? 0.0 : a.init == AggregateInit::file ? (*a.values)[v] : initial_draw(a, rng.block(v, 0));
  const NodeId leader = peak_node(n, seed, t);
  if (mode == Mode::push_sum) {
    st.w.assign(n, a.target == AggregateTarget::average ? 1.0 : 0.0);
    if (a.target != AggregateTarget::average) st.w[leader] = 1.0;
    if (a.target == AggregateTarget::count) st.s.assign(n, 1.0);
    else if (a.init == AggregateInit::peak) st.s[leader] = 1.0;
  } else if (a.init == AggregateInit::peak) {
    st.s[leader] = 1.0;
  }
  return st;
}

// What a round sent and lost (lost_s, lost_w summed in sender order: equal to the engine's up to
// rounding only).
struct RefCounts {
  std::int64_t messages = 0, lost = 0, lost_down = 0, lost_partition = 0, up = 0, in_flight = 0;
  double lost_s = 0, lost_w = 0, flight_s = 0, flight_w = 0;
};

// Round r in place; `faults` (null: none) gives the up nodes and groups of round r.
template <class G>
RefCounts ref_round(const G& g, const ProtocolSpec& spec, std::uint64_t seed, std::uint32_t t, Round r,
                    RefAggregate& st, RefFaults* faults = nullptr) {
  const NodeId n = g.num_nodes();
  const Rng rng(seed, t, static_cast<std::uint32_t>(r));
  const std::uint64_t lost = Thresholds::of(spec).lost;
  auto target = [&](NodeId v, std::uint32_t j) { return g.neighbor(v, ref_index(rng, v, j, g.degree(v))); };
  RefCounts c;
  std::vector<bool> up(n, true);
  if (faults && faults->any())
    for (NodeId v = 0; v < n; ++v) up[v] = faults->up(v, r);
  for (NodeId v = 0; v < n; ++v) c.up += up[v];
  auto group = [&](NodeId v) { return faults && faults->any() ? faults->group(v, r) : 0u; };
  // A message of v to u: after messages += 1, lost to the partition, else to a down target,
  // else to its fate word B2.
  auto delivered = [&](NodeId v, std::uint32_t j, NodeId u) {
    ++c.messages;
    if (group(v) != group(u)) return ++c.lost, ++c.lost_partition, false;
    if (!up[u]) return ++c.lost, ++c.lost_down, false;
    if (rng.block(v, j).v[2] < lost) return ++c.lost, false;
    return true;
  };
  auto acts = [&](NodeId v) { return g.degree(v) > 0 && up[v]; };
  if (spec.mode == Mode::push_sum) {
    std::vector<double> s(n), w(n);
    for (NodeId v = 0; v < n; ++v) {
      s[v] = acts(v) ? st.s[v] * 0.5 : st.s[v];
      w[v] = acts(v) ? st.w[v] * 0.5 : st.w[v];
    }
    const double split = 2.0 * spec.fanout;
    const DelaySpec& delay = spec.faults.delay;
    for (NodeId v = 0; v < n; ++v) {
      if (!acts(v)) continue;
      for (std::uint32_t j = 0; j < spec.fanout; ++j) {
        const std::uint32_t i = ref_index(rng, v, j, g.degree(v));
        const NodeId u = g.neighbor(v, i);
        if (!delivered(v, j, u)) {
          c.lost_s += st.s[v] / split;
          c.lost_w += st.w[v] / split;
          continue;
        }
        Round d = 0;
        if (delay.on()) {
          d = copy_delay(delay, seed, t, r, v, j);
          if constexpr (requires { g.has_latencies(); })
            if (delay.kind == DelaySpec::edge) d = static_cast<Round>(g.latency(v)[i]);
        }
        if (d > 0) {
          st.flight.push_back({r + d, u, st.s[v] / split, st.w[v] / split});
          continue;
        }
        s[u] += st.s[v] / split;
        w[u] += st.w[v] / split;
      }
    }
    // The shares in flight due at the end of round r, after the round's own: lost at a down node.
    std::vector<RefAggregate::Share> later;
    for (const RefAggregate::Share& x : st.flight) {
      if (x.at != r) {
        later.push_back(x);
        ++c.in_flight, c.flight_s += x.s, c.flight_w += x.w;
        continue;
      }
      if (!up[x.u]) {
        ++c.lost, ++c.lost_down;
        c.lost_s += x.s, c.lost_w += x.w;
        continue;
      }
      s[x.u] += x.s;
      w[x.u] += x.w;
    }
    st.flight = later;
    st.s = s;
    st.w = w;
    return c;
  }
  // The reply of u to v: messages += 1; lost to its fate word B3.
  auto reply = [&](NodeId v) {
    ++c.messages;
    const bool gone = rng.block(v, 0).v[3] < lost;
    c.lost += gone;
    return !gone;
  };
  if (spec.mode == Mode::averaging) {
    const RandomPermutation order(n, Rng(seed, t, 0x80000007u).block(0, static_cast<std::uint32_t>(r)));
    for (NodeId i = 0; i < n; ++i) {
      const NodeId v = order.apply(i);
      if (!acts(v)) continue;
      const NodeId u = target(v, 0);
      if (!delivered(v, 0, u)) continue;
      const bool back = reply(v);
      const double m = (st.s[v] + st.s[u]) * 0.5;
      st.s[u] = m;
      if (back) st.s[v] = m;
    }
    return c;
  }
  // pairwise: proposal v -> p(v) with key (K << 32) | v; it is matched when its key is the
  // smallest of all proposals made by or to v and by or to p(v).
  constexpr std::uint64_t kNone = ~std::uint64_t{0};
  std::vector<NodeId> p(n, n);
  std::vector<std::uint64_t> key(n, kNone), least(n, kNone);
  const Rng prio(seed, t, 0x80000008u);
  for (NodeId v = 0; v < n; ++v) {
    if (!acts(v)) continue;
    const NodeId u = target(v, 0);
    if (!delivered(v, 0, u) || u == v) continue;
    p[v] = u;
    key[v] = (std::uint64_t{prio.block(v, static_cast<std::uint32_t>(r)).v[0]} << 32) | v;
    least[v] = std::min(least[v], key[v]);
    least[u] = std::min(least[u], key[v]);
  }
  for (NodeId v = 0; v < n; ++v) {
    if (p[v] == n || least[v] != key[v] || least[p[v]] != key[v]) continue;
    const bool back = reply(v);
    const double m = (st.s[v] + st.s[p[v]]) * 0.5;
    st.s[p[v]] = m;
    if (back) st.s[v] = m;
  }
  return c;
}

}  // namespace gossip::test
