// Tuning: every size and cost ratio the engine's choices read, in one struct passed by value
// from simulate()'s caller down to the kernels (RunParams::tuning). None of them can change a
// result, only which step runs and how the work is cut; tests pass their own to reach every
// path on small graphs. Measurements behind the values are in bench/README.md.
#pragma once
#include <cstddef>
#include <cstdint>

namespace gossip {

struct Tuning {
  // A round iterates a list of its actors (sparse) while actors x sparse_divisor < n; with the
  // fused push on the implicit complete graph (its dense round costs little beyond its
  // contacts) while actors x sparse_divisor_fused < n.
  std::int64_t sparse_divisor = 20;
  std::int64_t sparse_divisor_fused = 128;
  // Flood goes bottom-up while the senders' arcs exceed 1 / bottom_up_arcs of the uninformed
  // nodes' arcs and more than n / bottom_up_nodes nodes send (Beamer et al.'s alpha and beta).
  std::int64_t bottom_up_arcs = 15;
  std::int64_t bottom_up_nodes = 18;
  // A dense push round goes from the receivers' side while the uninformed nodes' arcs times
  // receive_cost are fewer than the pushers: a receiver's arc costs two random loads (the
  // sender's row start and the picked slot), a pusher none.
  double receive_cost = 3.0;

  // The dense sweep's bitmaps (sweep_bitmaps.hpp). The summary bitmap has one bit per 2^s
  // bitmap words, s the least that keeps it within summary_max_bits; bitmaps of up to
  // summary_min_words words have none (they mostly stay in cache); bitmaps of more than
  // prefetch_words words are out of cache, so the sweep prefetches the words it probes and the
  // complete graph's fused push keeps its test two units behind its draw (complete_far).
  std::size_t summary_min_words = std::size_t{1} << 19;
  std::size_t summary_max_bits = std::size_t{1} << 21;
  std::size_t prefetch_words = std::size_t{1} << 18;

  // The binned sparse round (binned.hpp): ranges of at least 2^bin_min_shift nodes (256 KiB of
  // informed_at), at most bin_max_ranges of them (a block's write cursors stay in L1), at most
  // bin_chunk_copies copies binned before they are delivered (32 MiB); the actors cut into
  // blocks of at least bin_block_actors, and of at least bin_block_copies_per_range copies a
  // range (a block's counting sort and the owners' reads of its parts stay small beside its
  // copies).
  unsigned bin_min_shift = 16;
  std::size_t bin_max_ranges = 4096;
  std::size_t bin_chunk_copies = std::size_t{1} << 22;
  std::size_t bin_block_actors = 2048;
  std::size_t bin_block_copies_per_range = 8;

  // run.packed = auto packs 64 flood trials per pass from packed_min_trials trials on, or from
  // packed_min_trials_bottom_up where one by one goes bottom-up (packing pays for full batches
  // only against that step).
  std::uint64_t packed_min_trials = 2;
  std::uint64_t packed_min_trials_bottom_up = 64;
};

}  // namespace gossip
