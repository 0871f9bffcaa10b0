// Serial reference simulator of posts (docs/model.md, "Posts: many rumors in one run"), written
// from the text alone, one trial at a time, so that the parallel engine (sim/posts_trial.cpp) can be
// compared with it user by user and post by post. Like tests/reference_sim.hpp it is a plain loop
// over rounds; each round copies the state into "old" arrays first and computes every node's
// contacts from them, then delivers the messages due, then creates the round's posts. A message
// is an explicit list of post copies, each with its hop count and its acceptance coin. It shares
// with the engine only the random numbers (core/rng.hpp, the fault draws through the rumor
// reference's RefFaults, its Lemire index, flood fate word and delay formulas) and plain data types
// (RoundStats, PostOutcome, PostArrival). Slow on purpose.
//
// Readings of the model chosen here (docs/model.md leaves them open; each is a question to the
// model's author, listed in the report that added this file):
// - push-pull: a contact that is both a push and a pull counts both (`messages += 1` for the
//   push, `requests += 1` for the request) and each meets the faults and the loss word B2 on its
//   own: one contact into a partition adds 2 to `lost` and `lost_partition`. The push message and
//   the reply of one contact share the contact's delay (x = j).
// - The acceptance coin of a copy is drawn at sending, in the sending round r.
// - A pull request is answered from the state at the end of round r - 1; the reply meets no
//   partition or down check at sending (as a rumor's reply).
// - `informed`, the reach and the outcome's reach count holders (informed_at <= r) whether or not
//   the post is still alive: expiry takes a post off timelines, not out of the counts.
// - Crashes: posts have no sources, so every node may crash, authors included (the author still
//   gets its post: "whatever its faults").
// - End of a run: an in-flight copy keeps a run going when it is accepted, its post is alive in
//   its arrival round and its target does not hold it; the arc rule takes v and w "may be up
//   later" (RefFaults::may_be_up_later), except that in flood v must be up in round r + 1
//   (w: may be up later), both in one group of round r + 1. With loss = 1 a run ends once every
//   post is created and the last event is past.
// - Hop counts stop growing at 254 without a TTL (one byte, 255 = none), as a rumor's at 2^16 - 2.
// - Stop rules (push): per node and post, after each push contact, for each post the message
//   carried: "the target knew" when the contact was not lost (faults, B2) and the target held the
//   post before the round; the coin is the post's acceptance word at arc 2^31 + j. A post that
//   loses interest is not carried by the node's later contacts of the round.
// - run.stop_coverage = q: post k's reachable set is its author plus what a search from a
//   non-crashed author reaches through non-crashed nodes along the mode's arcs; after the first
//   round s_k >= c_k with reach >= ceil(q reachable_k), post k is dead from round s_k + 1 on.
#pragma once
#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/rng.hpp"
#include "core/types.hpp"
#include "protocol/posts.hpp"
#include "protocol/spec.hpp"
#include "reference_sim.hpp"
#include "sim/posts.hpp"
#include "sim/round_stats.hpp"

namespace gossip::test {

struct RefPostsTrial {
  std::vector<RoundStats> rounds;                   // index r = 0 .. R
  std::vector<PostOutcome> posts;                   // in list order
  std::vector<std::int64_t> reach;                  // [r * P + k]: holders of post k at the end of round r
  std::vector<PostArrival> arrivals;                // by (list index, user)
  std::vector<std::vector<Round>> informed_at;      // [k][v], kNever = never
  std::vector<std::vector<std::uint32_t>> hops;     // [k][v], kNoHops = never
  bool truncated = false;
  // (k, w, r): w accepted copies of post k with different hop counts in round r (the hop tests
  // look for such cases: there, min and max differ).
  std::vector<std::array<std::int64_t, 3>> mixed_hops;
  Round last_round() const { return static_cast<Round>(rounds.size()) - 1; }
  std::int64_t messages() const {
    std::int64_t m = 0;
    for (const RoundStats& s : rounds) m += s.messages;
    return m;
  }
  std::int64_t requests() const {
    std::int64_t m = 0;
    for (const RoundStats& s : rounds) m += s.requests;
    return m;
  }
};


namespace posts_detail {

// Philox4x32-10, key = key, counter {item, draw, sub, stream}.
inline r123::Philox4x32::ctr_type philox4(std::uint64_t key, std::uint32_t item, std::uint32_t draw,
                                          std::uint32_t sub, std::uint32_t stream) {
  const r123::Philox4x32::key_type k{{static_cast<std::uint32_t>(key), static_cast<std::uint32_t>(key >> 32)}};
  return r123::Philox4x32{}(r123::Philox4x32::ctr_type{{item, draw, sub, stream}}, k);
}

// K_t = C0 + 2^32 C1 of C = philox(seed; {t, 0, 2^31 + 9, 0}).
inline std::uint64_t post_key(std::uint64_t seed, std::uint32_t trial) {
  const auto c = philox4(seed, trial, 0, 0x80000009u, 0);
  return std::uint64_t{c.v[0]} + (std::uint64_t{c.v[1]} << 32);
}

// W_p: the flood fate word of lane p mod 64 of batch floor(p / 64) under the key K_t, at item v,
// arc x, round r (ref_detail::flood_word reads the batch and lane from its "trial" argument).
inline std::uint32_t accept_word(std::uint64_t key, std::uint32_t post_id, Round r, NodeId v, std::uint32_t x) {
  return ref_detail::flood_word(key, post_id, r, v, x);
}

}  // namespace posts_detail

// One posts trial of docs/model.md on graph g (a CsrGraph).
template <class G>
RefPostsTrial reference_posts_trial(const G& g, const ProtocolSpec& spec, std::uint64_t seed, std::uint32_t trial,
                                    Round max_rounds, double stop_coverage = 1.0) {
  using namespace ref_detail;
  const NodeId n = g.num_nodes();
  const std::vector<PostSeed>& list = spec.posts.list;
  const std::size_t P = list.size();
  const Round L = spec.posts.lifetime;
  const std::uint64_t key = posts_detail::post_key(seed, trial);
  const std::uint64_t loss_thr = loss_threshold(spec.loss);
  const std::uint64_t accept_thr = floor_mul(spec.forward_prob, kTwo32);  // W_p < floor(forward_prob 2^32)
  const bool flood = spec.mode == Mode::flood;
  const bool pushes = spec.mode == Mode::push || spec.mode == Mode::push_pull;
  const bool pulls = spec.mode == Mode::pull || spec.mode == Mode::push_pull;

  RefPostsTrial out;
  // no_repeat: every contact a node makes counts, whatever posts it carries (docs/model.md).
  std::vector<std::uint64_t> contacts(n, 0);
  const Rng perm_rng(seed, trial, kTwo31);
  RefFaults fault(spec.faults, n, seed, trial, {});  // posts have no sources: every node may crash

  std::vector<std::vector<Round>> ia(n, std::vector<Round>(P, kNever));           // informed_at[v][k]
  std::vector<std::vector<std::uint32_t>> hp(n, std::vector<std::uint32_t>(P, kNoHops));  // hops[v][k]
  std::vector<std::vector<std::int64_t>> dup(P);  // dup[k][r]: post k's duplicates that arrived in round r
  struct Copy {
    std::size_t k;     // the post's list index
    std::uint32_t h;   // the sender's hops of it when sent
    bool accepted;     // its acceptance coin
  };
  struct Message {
    Round at;  // arrives at the end of this round
    NodeId w;
    std::vector<Copy> copies;
  };
  std::vector<Message> pending;

  // run.stop_coverage: post k's target ceil(q reachable_k) and the round s_k it was met.
  std::vector<std::int64_t> coverage_target(P, -1);
  std::vector<Round> stopped(P, kNever);
  if (stop_coverage < 1.0)
    for (std::size_t k = 0; k < P; ++k) {
      std::vector<bool> seen(n, false);
      std::vector<NodeId> todo{list[k].author};
      seen[list[k].author] = true;
      std::int64_t count = 1;
      while (!todo.empty()) {
        const NodeId v = todo.back();
        todo.pop_back();
        if (fault.crashed(v)) continue;  // a crashed author keeps its post and passes nothing
        for (NodeId u = 0; u < n; ++u) {
          if (seen[u] || fault.crashed(u)) continue;
          bool arc = false;  // the post can travel v -> u
          if (spec.mode != Mode::pull)
            for (NodeId i = 0; i < g.degree(v); ++i) arc |= g.neighbor(v, i) == u;
          if (spec.mode == Mode::pull || spec.mode == Mode::push_pull)
            for (NodeId i = 0; i < g.degree(u); ++i) arc |= g.neighbor(u, i) == v;
          if (arc) {
            seen[u] = true;
            ++count;
            todo.push_back(u);
          }
        }
      }
      coverage_target[k] = static_cast<std::int64_t>(std::ceil(stop_coverage * static_cast<double>(count)));
    }
  // Post k is alive in round r: L = 0 or r < c + L; and not halted by run.stop_coverage (r <= s_k).
  auto alive = [&](std::size_t k, Round r) {
    if (r > stopped[k]) return false;
    return L == 0 || std::int64_t{r} < std::int64_t{list[k].created} + std::int64_t{L};
  };
  // On a state (informed_at, hops), for round r: v holds k, can pass it on (S_v), lacks it (M_v),
  // has it new (F_v).
  using IA = std::vector<std::vector<Round>>;
  using HP = std::vector<std::vector<std::uint32_t>>;
  auto holds = [&](const IA& a, NodeId v, std::size_t k, Round r) { return a[v][k] < r; };
  // Flood with recovery: removed[v][k] once v's recovery coin for post k came up (it then no
  // longer passes k on); a node sends each post it can pass on every round, not only new ones.
  const bool sir = flood && spec.recovery_prob < 1.0;
  const std::uint64_t recover_thr = floor_mul(spec.recovery_prob, kTwo32);
  std::vector<std::vector<bool>> removed(n, std::vector<bool>(P, false));  // recovered, or lost interest (stop rules)
  std::vector<std::vector<std::uint32_t>> count(n, std::vector<std::uint32_t>(P, 0));  // stop rules' counters
  const bool feedback = spec.stop == StopRule::feedback_counter || spec.stop == StopRule::feedback_coin;
  const std::uint64_t coin_thr = kTwo32 / spec.k;  // the stop coin: W < floor(2^32 / k)
  auto can_pass = [&](const IA& a, const HP& h, NodeId v, std::size_t k, Round r) {
    return holds(a, v, k, r) && alive(k, r) && (spec.ttl == 0 || h[v][k] < spec.ttl) && !removed[v][k];
  };
  auto lacks = [&](const IA& a, NodeId v, std::size_t k, Round r) {
    return list[k].created < r && alive(k, r) && !holds(a, v, k, r);
  };
  auto set_S = [&](const IA& a, const HP& h, NodeId v, Round r) {
    std::vector<std::size_t> s;
    for (std::size_t k = 0; k < P; ++k)
      if (can_pass(a, h, v, k, r)) s.push_back(k);
    return s;
  };
  auto set_M = [&](const IA& a, NodeId v, Round r) {
    std::vector<std::size_t> s;
    for (std::size_t k = 0; k < P; ++k)
      if (lacks(a, v, k, r)) s.push_back(k);
    return s;
  };
  auto set_F = [&](const IA& a, const HP& h, NodeId v, Round r) {
    std::vector<std::size_t> s;
    for (std::size_t k = 0; k < P; ++k)
      if (can_pass(a, h, v, k, r) && (sir || a[v][k] == r - 1)) s.push_back(k);
    return s;
  };

  auto up_in = [&](Round r) {
    std::vector<bool> up(n, true);
    if (fault.any())
      for (NodeId v = 0; v < n; ++v) up[v] = fault.up(v, r);
    return up;
  };

  // The end of round r: the round's posts are created, then its counters of the state.
  auto finish_round = [&](Round r, RoundStats& st, const std::vector<bool>& up) {
    for (std::size_t k = 0; k < P; ++k)
      if (list[k].created == r) {
        ia[list[k].author][k] = r;
        hp[list[k].author][k] = 0;
      }
    // Reach per post; run.stop_coverage halts a post from round r + 1 on (before S_v(r + 1) below).
    for (std::size_t k = 0; k < P; ++k) {
      std::int64_t c = 0;
      for (NodeId v = 0; v < n; ++v) c += ia[v][k] <= r;
      out.reach.push_back(c);
      if (coverage_target[k] >= 0 && stopped[k] == kNever && list[k].created <= r && c >= coverage_target[k]) stopped[k] = r;
    }
    for (NodeId v = 0; v < n; ++v) {
      for (std::size_t k = 0; k < P; ++k) {
        st.informed += ia[v][k] <= r;
        st.newly_informed += ia[v][k] == r;
      }
      st.spreaders += g.degree(v) > 0 && !(flood ? set_F(ia, hp, v, r + 1) : set_S(ia, hp, v, r + 1)).empty();
      st.up += up[v];
    }
    st.present = fault.present(r);
    st.in_flight = static_cast<std::int64_t>(pending.size());
    out.rounds.push_back(st);
  };

  // "Counters and end": whether the run ends after round r.
  Round last_created = 0;
  for (const PostSeed& p : list) last_created = std::max(last_created, p.created);
  auto run_ends = [&](Round r) {
    if (r < last_created) return false;
    if (fault.any() && r < fault.last_event_round()) return false;
    if (spec.loss >= 1.0) return true;  // nothing can arrive
    for (const Message& m : pending)
      for (const Copy& c : m.copies)
        if (c.accepted && alive(c.k, m.at) && ia[m.w][c.k] == kNever) return false;
    std::vector<bool> sender(n, true), target(n, true);
    std::vector<std::uint32_t> group(n, 0);
    if (fault.any())
      for (NodeId v = 0; v < n; ++v) {
        target[v] = fault.may_be_up_later(v, r);
        sender[v] = flood && !sir ? fault.up(v, r + 1) : target[v];
        group[v] = fault.group(v, r + 1);
      }
    for (NodeId v = 0; v < n; ++v) {
      const auto carries = flood ? set_F(ia, hp, v, r + 1) : set_S(ia, hp, v, r + 1);
      const auto missing = set_M(ia, v, r + 1);
      for (NodeId i = 0; i < g.degree(v); ++i) {
        const NodeId w = g.neighbor(v, i);
        if (group[v] != group[w] || !sender[v] || !target[w]) continue;
        // push and flood: v -> w carries a post w does not hold.
        if (pushes || flood)
          for (std::size_t k : carries)
            if (ia[w][k] == kNever) return false;
        // pull: v asks w, who can pass on a post v lacks.
        if (pulls)
          for (std::size_t k : missing)
            if (can_pass(ia, hp, w, k, r + 1)) return false;
      }
    }
    return true;
  };

  // Round 0: only the creations of round 0.
  {
    RoundStats st;
    finish_round(0, st, up_in(0));
  }
  for (Round r = 0;; ++r) {
    if (r > 0) {
      const IA old_ia = ia;
      const HP old_hp = hp;
      const Rng rng(seed, trial, static_cast<std::uint32_t>(r));
      RoundStats st;
      const std::vector<bool> up = up_in(r);
      std::vector<std::uint32_t> group(n, 0);
      if (fault.any())
        for (NodeId v = 0; v < n; ++v) group[v] = fault.group(v, r);

      // The delay of v's copy with draw index x along v's arc i.
      auto delay = [&](NodeId v, std::uint32_t x, NodeId i) -> Round {
        const DelaySpec& d = spec.faults.delay;
        if (d.kind == DelaySpec::none) return 0;
        if constexpr (requires { g.has_latencies(); }) {
          if (d.kind == DelaySpec::edge) return static_cast<Round>(g.latency(v)[i]);
        }
        (void)i;
        return ref_delay(d, Rng(seed, trial, 0xC0000000u + static_cast<std::uint32_t>(r)).block(v, x));
      };
      // A message that travels: posts `ks` with the hops `holder` had of them, acceptance coins of
      // item `item`, arc x, round r; it arrives at the end of round r + d.
      auto travel = [&](NodeId holder, NodeId w, const std::vector<std::size_t>& ks, NodeId item, std::uint32_t x, Round d) {
        Message m{r + d, w, {}};
        for (std::size_t k : ks)
          m.copies.push_back({k, old_hp[holder][k], posts_detail::accept_word(key, list[k].id, r, item, x) < accept_thr});
        pending.push_back(std::move(m));
      };

      for (NodeId v = 0; v < n; ++v) {
        const NodeId deg = g.degree(v);
        if (!up[v] || deg == 0) continue;
        if (flood) {
          const auto F = set_F(old_ia, old_hp, v, r);
          if (F.empty()) continue;
          for (NodeId i = 0; i < deg; ++i) {
            const NodeId w = g.neighbor(v, i);
            st.messages += 1;
            if (lost_to_faults(group, up, v, w, st)) continue;
            if (posts_detail::philox4(key, v, i, static_cast<std::uint32_t>(r), 0xFFFFFFFFu).v[0] < loss_thr) {
              st.lost += 1;
              continue;
            }
            travel(v, w, F, v, i, delay(v, i, i));
          }
          if (sir)  // after its copies, v's coin for each post it sent: W < floor(recovery_prob 2^32)
            for (std::size_t k : F)
              if (posts_detail::accept_word(key, list[k].id, r, v, 0xFFFFFFFFu) < recover_thr) removed[v][k] = true;
          continue;
        }
        auto S = set_S(old_ia, old_hp, v, r);
        const auto M = set_M(old_ia, v, r);
        const bool push = pushes && !S.empty(), pull = pulls && !M.empty();
        if (!push && !pull) continue;
        for (std::uint32_t j = 0; j < spec.fanout; ++j) {
          if (spec.stop != StopRule::none) {  // posts that lost interest leave the node's later messages
            std::erase_if(S, [&](std::size_t k) { return removed[v][k]; });
            if (S.empty()) break;  // push only: nothing left to carry, no further contact
          }
          const auto b = rng.block(v, j);
          NodeId i = 0;
          if (spec.no_repeat) {
            const std::uint64_t c = contacts[v]++;
            i = RandomPermutation(deg, perm_rng.block(v, static_cast<std::uint32_t>(c / deg)))
                    .apply(static_cast<std::uint32_t>(c % deg));
          } else {
            i = lemire_index((std::uint64_t{b.v[0]} << 32) | b.v[1], deg, Rng::Stream(rng, v, kTwo31 + j));
          }
          const NodeId w = g.neighbor(v, i);
          const Round d = delay(v, j, i);
          if (push) {
            st.messages += 1;
            bool delivered = false;
            if (!lost_to_faults(group, up, v, w, st)) {
              if (b.v[2] < loss_thr) {
                st.lost += 1;
              } else {
                travel(v, w, S, v, j, d);
                delivered = true;
              }
            }
            // The stop rule, post by post, after the contact.
            for (std::size_t k : S) {
              const bool knew = delivered && holds(old_ia, w, k, r);
              if (feedback && !knew) continue;
              if (spec.stop == StopRule::feedback_counter || spec.stop == StopRule::blind_counter) {
                if (++count[v][k] == spec.k) removed[v][k] = true;
              } else if (spec.stop != StopRule::none) {
                if (posts_detail::accept_word(key, list[k].id, r, v, kTwo31 + j) < coin_thr) removed[v][k] = true;
              }
            }
          }
          if (pull) {
            st.requests += 1;
            if (lost_to_faults(group, up, v, w, st)) continue;
            if (b.v[2] < loss_thr) {
              st.lost += 1;
              continue;
            }
            std::vector<std::size_t> answer;  // S_w ∩ M_v
            for (std::size_t k : M)
              if (can_pass(old_ia, old_hp, w, k, r)) answer.push_back(k);
            if (answer.empty()) continue;
            st.messages += 1;  // the reply
            if (b.v[3] < loss_thr)
              st.lost += 1;
            else
              travel(w, v, answer, v, kTwo31 + j, d);
          }
        }
      }

      // The messages due this round arrive.
      std::vector<Message> later;
      for (Message& m : pending) {
        if (m.at != r) {
          later.push_back(std::move(m));
          continue;
        }
        if (!up[m.w]) {
          st.lost += 1;
          st.lost_down += 1;
          continue;
        }
        for (const Copy& c : m.copies) {
          if (!alive(c.k, r)) continue;
          if (ia[m.w][c.k] < r) {
            st.redundant += 1;
            dup[c.k].resize(static_cast<std::size_t>(r) + 1, 0);
            dup[c.k][static_cast<std::size_t>(r)] += 1;
          } else if (c.accepted) {
            // Hops stop growing at 254 (one byte; kPostNoHops = 255 is "never"), as a rumor's
            // stop at 2^16 - 2; docs/model.md does not say so for posts (see the report).
            const std::uint32_t next = std::min<std::uint32_t>(c.h + 1, kPostNoHops - 1);
            if (ia[m.w][c.k] == r && hp[m.w][c.k] != next)
              out.mixed_hops.push_back({static_cast<std::int64_t>(c.k), m.w, r});
            ia[m.w][c.k] = r;
            hp[m.w][c.k] = std::min(hp[m.w][c.k], next);
          }
        }
      }
      pending = std::move(later);
      finish_round(r, st, up);
    }
    if (run_ends(r)) break;
    if (r == max_rounds) {
      out.truncated = true;
      break;
    }
  }

  // Per post: reach, rounds to ceil(f reach) holders after created, max hops, duplicates; arrivals.
  const auto R = static_cast<std::size_t>(out.last_round());
  out.informed_at.assign(P, std::vector<Round>(n, kNever));
  out.hops.assign(P, std::vector<std::uint32_t>(n, kNoHops));
  for (std::size_t k = 0; k < P; ++k) {
    PostOutcome o;
    o.id = list[k].id;
    o.author = list[k].author;
    o.created = list[k].created;
    o.reach = out.reach[R * P + k];
    auto rounds_to = [&](std::int64_t pct) -> std::optional<Round> {
      if (o.reach == 0) return std::nullopt;
      const std::int64_t need = (pct * o.reach + 99) / 100;
      for (std::size_t r = 0; r <= R; ++r)
        if (out.reach[r * P + k] >= need) return static_cast<Round>(r) - o.created;
      return std::nullopt;
    };
    o.rounds_50 = rounds_to(50);
    o.rounds_90 = rounds_to(90);
    o.rounds_99 = rounds_to(99);
    o.rounds_full = rounds_to(100);
    // Duplicates of the rounds up to c + rounds_full, the round of the last new holder.
    if (o.rounds_full)
      for (std::size_t r = 0; r < dup[k].size() && static_cast<Round>(r) <= o.created + *o.rounds_full; ++r)
        o.duplicates += dup[k][r];
    for (NodeId v = 0; v < n; ++v) {
      out.informed_at[k][v] = ia[v][k];
      out.hops[k][v] = hp[v][k];
      if (ia[v][k] == kNever) continue;
      o.max_hops = std::max<std::int32_t>(o.max_hops, static_cast<std::int32_t>(hp[v][k]));
      out.arrivals.push_back({list[k].id, v, ia[v][k], static_cast<std::uint16_t>(hp[v][k])});
    }
    out.posts.push_back(o);
  }
  return out;
}

// The posts run of one post alone: the spec with only list entry k.
inline ProtocolSpec post_alone(const ProtocolSpec& spec, std::size_t k) {
  ProtocolSpec one = spec;
  one.posts.list = {spec.posts.list[k]};
  return one;
}

}  // namespace gossip::test
