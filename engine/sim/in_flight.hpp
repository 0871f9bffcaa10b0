// Copies in flight (docs/model.md, "Delays"): a copy sent in round r with delay d > 0 waits here
// until the end of round r + d. A timing wheel: per worker slot, W buckets (W a power of two
// above the usual delays) indexed by arrival round mod W, and a far list for the rare longer
// delays (geometric and lognormal tails), moved into the wheel every W / 2 rounds, at least W / 2
// rounds before they arrive. Keyed by worker: what a copy does at arrival commutes (a claim keeps
// the first round and the fewest hops; counters are sums), so the order in which a round's
// copies are applied cannot change a result; a checkpoint stores them sorted.
#pragma once
#include <algorithm>
#include <bit>
#include <cstdint>
#include <utility>
#include <vector>

#include "core/parallel.hpp"
#include "core/types.hpp"

namespace gossip {

class InFlight {
 public:
  using Copy = std::uint64_t;  // binned::pack(target, sender's hops, accepted)

  // A wheel of W >= max(4 mean, 16) slots, W <= 2^12 and no larger than the longest delay needs,
  // for `workers` worker slots.
  static std::size_t slots_for(Round max_delay, double mean_delay) {
    std::uint64_t want = std::max<std::uint64_t>(16, static_cast<std::uint64_t>(4.0 * mean_delay) + 1);
    want = std::min<std::uint64_t>({want, 4096, static_cast<std::uint64_t>(max_delay) + 1});
    return static_cast<std::size_t>(std::bit_ceil(std::max<std::uint64_t>(want, 2)));
  }
  void size_for(Round max_delay, double mean_delay, int workers) {
    const std::size_t w = slots_for(max_delay, mean_delay);
    if (w == slots_ && static_cast<std::size_t>(workers) == workers_.size()) return clear(0);
    slots_ = w;
    workers_.assign(static_cast<std::size_t>(workers), Worker{});
    for (Worker& k : workers_) k.ring.assign(slots_, {});
    clear(0);
  }

  // Empty, in round `now`, the buckets' memory freed: within a trial a bucket keeps its capacity
  // from round to round, so a trial holds at most what it placed (docs/engine.md, "Memory"), never
  // the largest bucket of each slot over several trials.
  void clear(Round now) {
    for (Worker& k : workers_) {
      for (auto& b : k.ring) std::vector<Copy>().swap(b);
      std::vector<std::pair<Round, Copy>>().swap(k.far);
    }
    now_ = now;
    count_ = 0;
  }

  bool empty() const { return count_ == 0; }
  std::int64_t count() const { return count_; }
  std::size_t bytes() const {
    std::size_t b = 0;
    for (const Worker& k : workers_) {
      for (const auto& v : k.ring) b += v.capacity() * sizeof(Copy);
      b += k.far.capacity() * sizeof(std::pair<Round, Copy>);
    }
    return b;
  }

  // From the calling worker during round now(): copy c arrives at the end of round a > now().
  void add(Round a, Copy c) {
    Worker& k = workers_[static_cast<std::size_t>(par::worker_index())];
    if (static_cast<std::uint64_t>(a - now_) < slots_)
      k.ring[static_cast<std::size_t>(a) & (slots_ - 1)].push_back(c);
    else
      k.far.emplace_back(a, c);
    ++k.added;
  }

  // After the step of round r = now(): applies f(copy, newly_list) to every copy arriving in round
  // r, in parallel chunks, summing what f returns (an integer sum: any order gives it); the
  // nodes the chunks append to their lists are appended to `newly` in chunk order. Then the
  // wheel moves on to round r + 1.
  template <class T, class F>
  T deliver(T init, std::vector<NodeId>* newly, F&& f) {
    settle();
    const std::size_t slot = static_cast<std::size_t>(now_) & (slots_ - 1);
    std::vector<std::pair<std::size_t, std::size_t>> chunks;  // (worker, first copy)
    for (std::size_t w = 0; w < workers_.size(); ++w)
      for (std::size_t lo = 0; lo < workers_[w].ring[slot].size(); lo += kChunk) chunks.emplace_back(w, lo);
    std::vector<std::vector<NodeId>> parts(chunks.size());
    std::vector<T> sums(chunks.size(), T{});
    par::for_blocks(chunks.size(), 1, [&](std::size_t c, std::size_t, std::size_t) {
      const std::vector<Copy>& bucket = workers_[chunks[c].first].ring[slot];
      const std::size_t hi = std::min(bucket.size(), chunks[c].second + kChunk);
      T s{};
      for (std::size_t i = chunks[c].second; i < hi; ++i) f(bucket[i], parts[c], s);
      sums[c] = s;
    });
    for (const T& s : sums) init += s;
    for (Worker& k : workers_) {
      count_ -= static_cast<std::int64_t>(k.ring[slot].size());
      k.ring[slot].clear();
    }
    if (newly)
      for (const auto& p : parts) newly->insert(newly->end(), p.begin(), p.end());
    ++now_;
    if (now_ % static_cast<Round>(slots_ / 2) == 0) pull_far();
    return init;
  }

  Round now() const { return now_; }

  // Whether some copy in flight satisfies pred (between rounds: after deliver()).
  template <class Pred>
  bool any_of(Pred&& pred) const {
    for (const Worker& k : workers_) {
      for (const auto& b : k.ring)
        for (Copy c : b)
          if (pred(c)) return true;
      for (const auto& [a, c] : k.far)
        if (pred(c)) return true;
    }
    return false;
  }

  // Every copy in flight as (arrival round, copy), sorted: a checkpoint's canonical form.
  std::vector<std::pair<Round, Copy>> snapshot() {
    settle();
    std::vector<std::pair<Round, Copy>> out;
    for (const Worker& k : workers_) {
      for (std::size_t s = 0; s < slots_; ++s)
        for (Copy c : k.ring[s]) out.emplace_back(arrival_of_slot(s), c);
      out.insert(out.end(), k.far.begin(), k.far.end());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  // The state of a snapshot taken in round `now` (after its deliveries: arrivals > now).
  void restore(Round now, const std::vector<std::pair<Round, Copy>>& copies) {
    clear(now + 1);
    for (const auto& [a, c] : copies) {
      Worker& k = workers_[0];
      if (static_cast<std::uint64_t>(a - now_) < slots_)
        k.ring[static_cast<std::size_t>(a) & (slots_ - 1)].push_back(c);
      else
        k.far.emplace_back(a, c);
    }
    count_ = static_cast<std::int64_t>(copies.size());
  }

 private:
  static constexpr std::size_t kChunk = 1 << 14;
  struct Worker {
    std::vector<std::vector<Copy>> ring;
    std::vector<std::pair<Round, Copy>> far;
    std::int64_t added = 0;
  };

  // The workers' adds since the last call, into count_.
  void settle() {
    for (Worker& k : workers_) {
      count_ += k.added;
      k.added = 0;
    }
  }
  // The round a copy in slot s arrives: the one of now_ .. now_ + W - 1 congruent to s.
  Round arrival_of_slot(std::size_t s) const {
    return now_ + static_cast<Round>((s - (static_cast<std::size_t>(now_) & (slots_ - 1))) & (slots_ - 1));
  }
  // Far copies arriving within the wheel's horizon (before now_ + W) move into it.
  void pull_far() {
    for (Worker& k : workers_) {
      auto keep = std::partition(k.far.begin(), k.far.end(),
                                 [&](const auto& x) { return static_cast<std::uint64_t>(x.first - now_) >= slots_; });
      for (auto it = keep; it != k.far.end(); ++it) k.ring[static_cast<std::size_t>(it->first) & (slots_ - 1)].push_back(it->second);
      k.far.erase(keep, k.far.end());
    }
  }

  std::size_t slots_ = 0;
  std::vector<Worker> workers_;
  Round now_ = 0;
  std::int64_t count_ = 0;
};

}  // namespace gossip
