#include "io/id_map.hpp"

#include "core/parallel.hpp"

namespace gossip::io {

PresenceBits::PresenceBits(std::uint64_t bound) : bound_(bound), words_((bound + 63) / 64) {
  par::parallel_for(0, words_.size(), [&](std::size_t i) { words_[i] = 0; });
}

IdMap IdMap::from_bits(PresenceBits bits, std::uint64_t base) {
  IdMap m;
  m.base_ = base;
  m.words_ = std::move(bits.words());
  const std::size_t nw = m.words_.size();
  m.rank_ = Array<std::uint32_t>(nw + 1);
  Array<std::uint64_t> counts(nw + 1);
  par::parallel_for(0, nw, [&](std::size_t i) { counts[i] = static_cast<std::uint64_t>(std::popcount(m.words_[i])); });
  counts[nw] = 0;
  m.n_ = par::exclusive_scan(counts.data(), nw + 1);
  // Ranks fit 32 bits whenever n does; the caller refuses n > kMaxNodes before any lookup.
  par::parallel_for(0, nw + 1, [&](std::size_t i) { m.rank_[i] = static_cast<std::uint32_t>(counts[i]); });
  // Identity: the ids are exactly base .. base + n - 1, i.e. the first n bits after `base` set.
  std::uint64_t top = 0;
  for (std::size_t i = nw; i-- > 0;)
    if (m.words_[i]) {
      top = i * 64 + 63 - static_cast<std::uint64_t>(std::countl_zero(m.words_[i]));
      break;
    }
  const bool low_clear = base == 0 || !(m.words_.size() && (m.words_[0] & 1));
  m.identity_ = m.n_ > 0 && low_clear && top + 1 == base + m.n_;
  if (m.identity_) {
    m.words_.reset();
    m.rank_.reset();
  }
  return m;
}

IdMap IdMap::from_ids(std::vector<std::uint64_t> ids, std::uint64_t base) {
  IdMap m;
  m.base_ = base;
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  m.n_ = ids.size();
  m.identity_ = !ids.empty() && ids.front() == base && ids.back() == base + ids.size() - 1;
  if (!m.identity_) m.sorted_ = std::move(ids);
  return m;
}

Array<std::uint64_t> IdMap::original_ids() const {
  if (identity_) return {};
  Array<std::uint64_t> out(n_);
  if (!sorted_.empty()) {
    std::copy(sorted_.begin(), sorted_.end(), out.data());
    return out;
  }
  par::for_blocks(words_.size(), 1 << 12, [&](std::size_t, std::size_t lo, std::size_t hi) {
    std::uint64_t at = rank_[lo];
    for (std::size_t i = lo; i < hi; ++i)
      for (std::uint64_t w = words_[i]; w; w &= w - 1) out[at++] = i * 64 + static_cast<std::uint64_t>(std::countr_zero(w));
  });
  return out;
}

}  // namespace gossip::io
