// IdMap: original node ids (uint64, as read from a file) -> compact NodeIds 0..n-1 in
// ascending original order. Identity when the ids present are exactly 0..n-1 (or 1..n with
// base 1); otherwise the ids are renumbered and original_ids() lists them (node v was
// original_ids()[v]). Two representations: a presence bitmap with per-word ranks when every id
// is below a bound the caller picks (O(1) lookup, bound / 8 * 1.5 bytes), else a sorted array of
// the distinct ids (binary search; for sparse, huge ids).
#pragma once
#include <algorithm>
#include <atomic>
#include <bit>
#include <cstdint>
#include <vector>

#include "core/array.hpp"
#include "core/types.hpp"

namespace gossip::io {

// Marks ids seen by a parallel scan (ids below `bound`): atomic OR into a zeroed bitmap.
class PresenceBits {
 public:
  explicit PresenceBits(std::uint64_t bound);
  std::uint64_t bound() const { return bound_; }
  void mark(std::uint64_t id) {
    std::uint64_t& w = words_[id >> 6];
    const std::uint64_t bit = std::uint64_t{1} << (id & 63);
    std::atomic_ref<std::uint64_t> a(w);
    if (!(a.load(std::memory_order_relaxed) & bit)) a.fetch_or(bit, std::memory_order_relaxed);
  }
  Array<std::uint64_t>& words() { return words_; }

 private:
  std::uint64_t bound_;
  Array<std::uint64_t> words_;
};

class IdMap {
 public:
  // From the bitmap of every id seen; base 1 makes 1..n (not 0..n-1) the identity.
  static IdMap from_bits(PresenceBits bits, std::uint64_t base);
  // From all ids seen (any order, repeats allowed); base as above.
  static IdMap from_ids(std::vector<std::uint64_t> ids, std::uint64_t base);

  std::uint64_t size() const { return n_; }
  bool identity() const { return identity_; }
  std::uint64_t base() const { return base_; }
  NodeId operator()(std::uint64_t id) const {
    if (identity_) return static_cast<NodeId>(id - base_);
    if (!sorted_.empty())
      return static_cast<NodeId>(std::lower_bound(sorted_.begin(), sorted_.end(), id) - sorted_.begin());
    const std::uint64_t w = words_[id >> 6];
    return static_cast<NodeId>(rank_[id >> 6] + std::popcount(w & ((std::uint64_t{1} << (id & 63)) - 1)));
  }
  // The original id of every node, ascending (empty for the identity).
  Array<std::uint64_t> original_ids() const;

 private:
  std::uint64_t n_ = 0, base_ = 0;
  bool identity_ = true;
  Array<std::uint64_t> words_;
  Array<std::uint32_t> rank_;
  std::vector<std::uint64_t> sorted_;
};

}  // namespace gossip::io
