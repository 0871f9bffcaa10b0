// FaultState (sim/faults.hpp): the up bitmap of a trial's current round, from the draws of
// protocol/faults.hpp. Every pass is parallel over bitmap words, each word written by one block.
#include "sim/faults.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "protocol/faults.hpp"

namespace gossip {
namespace {

constexpr std::size_t kWordsBlock = 1024;  // bitmap words (64 Ki nodes) per block of work

std::size_t words_of(NodeId n) { return (std::size_t{n} + 63) / 64; }

// s + len, or kNever when the period never ends.
Round end_of(Round s, Round len) { return len == kNever || s > kNever - len ? kNever : s + len; }

}  // namespace

FaultState::FaultState(NodeId n, const FaultSpec& spec) : on_(true), n_(n), spec_(&spec) {
  const std::size_t words = words_of(n);
  up_ = Array<std::uint64_t>(words);
  crashed_ = Array<std::uint64_t>(words);
  failed_ = Array<std::uint64_t>(words);
  churning_ = Array<std::uint64_t>(words);
  churn_up_ = Array<std::uint64_t>(words);
  if (spec.churn.kind != ChurnSpec::none) {
    next_flip_ = Array<Round>(n);
    up_threshold_ = faults::threshold(faults::up_probability(spec.churn));
  }
  for (std::size_t e = 0; e < spec.events.size(); ++e) {
    for (NodeId v : spec.events[e].nodes)
      if (v >= n) throw UsageError(fmt::format("events[{}]: node {} is outside the graph (n = {})", e, v, n));
    if (!spec.events[e].group_column.empty() && (!spec.events[e].group_map || spec.events[e].group_map->group.size() != n))
      throw std::logic_error(fmt::format("events[{}]: groups 'file:{}' not read for this graph (io/node_file.hpp)", e,
                                         spec.events[e].group_column));
    order_.push_back(e);
    has_fail_ = has_fail_ || spec.events[e].kind == FaultEvent::fail;
    last_event_ = std::max(last_event_, spec.events[e].round);
  }
  if (spec.join.kind == JoinSpec::file) {
    if (!spec.join.rounds || spec.join.rounds->round.size() != n)
      throw std::logic_error("network.join 'file:" + spec.join.column + "' not read for this graph (io/node_file.hpp)");
    present_bits_ = Array<std::uint64_t>(words);
  }
  if (spec.join.kind != JoinSpec::none && n > 0) last_event_ = std::max(last_event_, spec.join.last_round(n));
  std::stable_sort(order_.begin(), order_.end(),
                   [&](std::size_t a, std::size_t b) { return spec.events[a].round < spec.events[b].round; });
}

std::uint64_t FaultState::bytes(NodeId n, const FaultSpec& spec) {
  if (!spec.any()) return 0;
  const std::uint64_t bitmaps = spec.join.kind == JoinSpec::file ? 6 : 5;  // + present_bits_
  return bitmaps * 8 * std::uint64_t{words_of(n)} +
         (spec.churn.kind != ChurnSpec::none ? sizeof(Round) * std::uint64_t{n} : 0);
}

void FaultState::start(std::uint64_t seed, std::uint32_t trial, std::span<const NodeId> sources, Round r) {
  seed_ = seed, trial_ = trial, round_ = r, groups_ = 0, group_map_ = nullptr, next_event_ = 0;
  present_ = spec_->join.present(r, n_);
  join_bits(r);
  const ChurnSpec& churn = spec_->churn;
  const bool churns = churn.kind != ChurnSpec::none;
  const std::uint64_t crash_t = faults::threshold(spec_->crashed), churn_t = faults::threshold(churn.fraction);
  // A churning node's state at round r, and the round its period ends: its periods replayed.
  auto replay = [&](NodeId v, bool& up) {
    Block p = faults::period_block(seed, trial, v, 0);
    up = p.v[2] < up_threshold_;
    Round s = end_of(0, faults::first_period_length(up ? churn.up : churn.down, seed, trial, v, p));
    while (s <= r) {
      up = !up;
      p = faults::period_block(seed, trial, v, s);
      s = end_of(s, faults::period_length(up ? churn.up : churn.down, faults::unit(p.v[0], p.v[1])));
    }
    return s;
  };
  par::for_blocks(words_of(n_), kWordsBlock, [&](std::size_t, std::size_t lo, std::size_t hi) {
    for (std::size_t k = lo; k < hi; ++k) {
      std::uint64_t crashed = 0, churning = 0, churn_up = 0;
      if (crash_t > 0 || churns) {
        const NodeId end = static_cast<NodeId>(std::min<std::uint64_t>(n_, 64 * (k + 1)));
        for (auto v = static_cast<NodeId>(64 * k); v < end; ++v) {
          const std::uint64_t bit = std::uint64_t{1} << (v & 63);
          const Block c = faults::node_coins(seed, trial, v);
          if (c.v[0] < crash_t) crashed |= bit;
          if (!churns) continue;
          next_flip_[v] = kNever;
          if (c.v[1] >= churn_t) continue;
          churning |= bit;
          bool up = false;
          next_flip_[v] = replay(v, up);
          if (up) churn_up |= bit;
        }
      }
      crashed_[k] = crashed, churning_[k] = churning, churn_up_[k] = churn_up, failed_[k] = 0;
    }
  });
  for (NodeId v : sources) crashed_[v >> 6] &= ~(std::uint64_t{1} << (v & 63));
  while (next_event_ < order_.size() && spec_->events[order_[next_event_]].round <= r) apply_event(order_[next_event_++]);
  rebuild_up();
}

void FaultState::advance(Round r) {
  round_ = r;
  const std::uint64_t present = spec_->join.present(r, n_);
  bool changed = present != present_;
  present_ = present;
  if (changed) join_bits(r);
  while (next_event_ < order_.size() && spec_->events[order_[next_event_]].round <= r) {
    apply_event(order_[next_event_++]);
    changed = true;
  }
  if (!next_flip_.empty()) {
    churn_step(r);
  } else if (changed) {
    rebuild_up();
  }
}

bool FaultState::down_for_good(NodeId v) const {
  const std::size_t k = v >> 6;
  const std::uint64_t bit = std::uint64_t{1} << (v & 63);
  if (crashed_[k] & bit) return true;
  if (failed_[k] & bit) {
    // The events not applied yet are those of later rounds: does a recover entry name v?
    for (std::size_t i = next_event_; i < order_.size(); ++i) {
      const FaultEvent& ev = spec_->events[order_[i]];
      if (ev.kind != FaultEvent::recover) continue;
      if (!ev.nodes.empty() ? std::find(ev.nodes.begin(), ev.nodes.end(), v) != ev.nodes.end()
                            : faults::event_block(seed_, trial_, v, static_cast<std::uint32_t>(order_[i])).v[0] <
                                  faults::threshold(ev.fraction))
        return false;
    }
    return true;
  }
  return (churning_[k] & ~churn_up_[k] & bit) && next_flip_[v] == kNever;
}

bool FaultState::groups_final() const {
  for (std::size_t i = next_event_; i < order_.size(); ++i) {
    const FaultEvent::Kind k = spec_->events[order_[i]].kind;
    if (k == FaultEvent::partition || k == FaultEvent::heal) return false;
  }
  return true;
}

void FaultState::apply_event(std::size_t e) {
  const FaultEvent& ev = spec_->events[e];
  switch (ev.kind) {
    case FaultEvent::partition:
      groups_ = ev.groups;
      group_map_ = ev.group_map ? ev.group_map->group.data() : nullptr;
      return;
    case FaultEvent::heal: groups_ = 0, group_map_ = nullptr; return;
    case FaultEvent::fail:
    case FaultEvent::recover: break;
  }
  const bool fail = ev.kind == FaultEvent::fail;
  if (!ev.nodes.empty()) {
    for (NodeId v : ev.nodes) {
      const std::uint64_t bit = std::uint64_t{1} << (v & 63);
      failed_[v >> 6] = fail ? failed_[v >> 6] | bit : failed_[v >> 6] & ~bit;
    }
    return;
  }
  const std::uint64_t t = faults::threshold(ev.fraction);
  if (t == 0) return;
  par::for_blocks(words_of(n_), kWordsBlock, [&](std::size_t, std::size_t lo, std::size_t hi) {
    for (std::size_t k = lo; k < hi; ++k) {
      // fail: every node draws; recover: only the failed ones.
      std::uint64_t cand = fail ? ~failed_[k] : failed_[k], hit = 0;
      if (64 * k + 64 > n_) cand &= (std::uint64_t{1} << (n_ & 63)) - 1;
      for (; cand; cand &= cand - 1) {
        const auto v = static_cast<NodeId>(64 * k + std::countr_zero(cand));
        if (faults::event_block(seed_, trial_, v, static_cast<std::uint32_t>(e)).v[0] < t) hit |= cand & -cand;
      }
      failed_[k] = fail ? failed_[k] | hit : failed_[k] & ~hit;
    }
  });
}

void FaultState::churn_step(Round r) {
  const ChurnSpec& churn = spec_->churn;
  up_count_ = par::reduce_blocks(
      words_of(n_), kWordsBlock, std::int64_t{0},
      [&](std::size_t, std::size_t lo, std::size_t hi) {
        std::int64_t count = 0;
        for (std::size_t k = lo; k < hi; ++k) {
          for (std::uint64_t m = churning_[k]; m; m &= m - 1) {
            const auto v = static_cast<NodeId>(64 * k + std::countr_zero(m));
            if (next_flip_[v] != r) continue;
            churn_up_[k] ^= m & -m;
            const bool up = (churn_up_[k] & m & -m) != 0;
            const Block p = faults::period_block(seed_, trial_, v, r);
            next_flip_[v] = end_of(r, faults::period_length(up ? churn.up : churn.down, faults::unit(p.v[0], p.v[1])));
          }
          up_[k] = up_word(k);
          count += std::popcount(up_[k]);
        }
        return count;
      },
      [](std::int64_t a, std::int64_t b) { return a + b; });
}

void FaultState::join_bits(Round r) {
  if (present_bits_.empty()) return;
  const Round* round = spec_->join.rounds->round.data();
  par::for_blocks(words_of(n_), kWordsBlock, [&](std::size_t, std::size_t lo, std::size_t hi) {
    for (std::size_t k = lo; k < hi; ++k) {
      std::uint64_t w = 0;
      const NodeId end = static_cast<NodeId>(std::min<std::uint64_t>(n_, 64 * (k + 1)));
      for (auto v = static_cast<NodeId>(64 * k); v < end; ++v) w |= std::uint64_t{round[v] <= r} << (v & 63);
      present_bits_[k] = w;
    }
  });
}

// Up: not crashed, not failed, up in its churn (or not churning), and joined.
std::uint64_t FaultState::up_word(std::size_t k) const {
  std::uint64_t w = ~crashed_[k] & ~failed_[k] & (churn_up_[k] | ~churning_[k]);
  if (!present_bits_.empty()) return w & present_bits_[k];
  const std::uint64_t end = std::min<std::uint64_t>(n_, present_);  // nodes [0, end) may be up
  if (64 * k >= end) return 0;
  if (64 * k + 64 > end) w &= (std::uint64_t{1} << (end & 63)) - 1;
  return w;
}

void FaultState::rebuild_up() {
  up_count_ = par::reduce_blocks(
      words_of(n_), kWordsBlock, std::int64_t{0},
      [&](std::size_t, std::size_t lo, std::size_t hi) {
        std::int64_t count = 0;
        for (std::size_t k = lo; k < hi; ++k) {
          up_[k] = up_word(k);
          count += std::popcount(up_[k]);
        }
        return count;
      },
      [](std::int64_t a, std::int64_t b) { return a + b; });
}

}  // namespace gossip
