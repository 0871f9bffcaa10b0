// Many posts in one run (docs/model.md, "Posts"). A node's posts are words of 64 lanes: `have`
// (held before the round), `got` (arrived in the round: OR-ed atomically by any worker), `fresh`
// (flood: arrived in the previous round), and, where hops cannot be derived, one byte per
// user-post (the minimum is taken atomically). Every write of a round is an OR, a minimum or an
// integer sum, so the result is the same in any order: for any thread count. Messages with a
// delay wait in `later_` by arrival round and are applied, after the round's own contacts, the
// same way.
#include "sim/posts.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cstring>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "core/array.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/rng.hpp"
#include "protocol/contact.hpp"
#include "protocol/delay.hpp"
#include "protocol/flood_fate.hpp"
#include "sim/checkpoint.hpp"
#include "sim/faults.hpp"
#include "sim/posts_detail.hpp"

namespace gossip {
namespace {

using posts_detail::LaterWord;
using posts_detail::Word;

// What one worker adds up in a round: order-free integer sums.
struct Tally {
  RoundStats s;
  std::vector<std::int64_t> dup;  // duplicates per lane (post id)
  std::vector<LaterWord> later;   // messages sent with a delay
  void reset(std::size_t lanes) {
    s = {};
    dup.assign(lanes, 0);
    later.clear();
  }
};

// The posts state of a checkpoint: plain values and length-prefixed arrays, native layout (the
// checkpoint file around it has the version, the checksum and the atomic rename). Without `out`
// it only counts, so that the state is written once into a buffer of its exact size, and columns
// are written from the state itself (no copies): the checkpoint costs its size in memory.
struct Bytes {
  std::vector<std::uint8_t>* out = nullptr;
  std::size_t size = 0;
  void raw(const void* p, std::size_t k) {
    size += k;
    if (out) out->insert(out->end(), static_cast<const std::uint8_t*>(p), static_cast<const std::uint8_t*>(p) + k);
  }
  template <class T>
  void value(const T& x) { raw(&x, sizeof(T)); }
  template <class T>
  void array(std::span<const T> a) {
    value(std::uint64_t{a.size()});
    raw(a.data(), a.size_bytes());
  }
  template <class T>
  void vec(const std::vector<T>& v) { array(std::span<const T>(v)); }
  // `count` values of type T, the i-th get(i), read back as a vector of T.
  template <class T, class Get>
  void column(std::size_t count, Get&& get) {
    value(std::uint64_t{count});
    for (std::size_t i = 0; i < count; ++i) value(static_cast<T>(get(i)));
  }
};
struct Reader {
  std::span<const std::uint8_t> in;
  std::size_t pos = 0;
  void need(std::size_t bytes) const {
    if (bytes > in.size() - pos) throw InputError("checkpoint: the posts state is truncated");
  }
  template <class T>
  T value() {
    need(sizeof(T));
    T x;
    std::memcpy(&x, in.data() + pos, sizeof(T));
    pos += sizeof(T);
    return x;
  }
  template <class T>
  std::vector<T> vec() {
    const auto count = value<std::uint64_t>();
    if (count > (in.size() - pos) / sizeof(T)) throw InputError("checkpoint: the posts state is truncated");
    std::vector<T> v(count);
    if (count) std::memcpy(v.data(), in.data() + pos, count * sizeof(T));
    pos += count * sizeof(T);
    return v;
  }
  template <class T>
  void into(Array<T>& a) {
    const auto count = value<std::uint64_t>();
    if (count != a.size()) throw InputError("checkpoint: a posts array has the wrong size");
    need(count * sizeof(T));
    if (count) std::memcpy(a.data(), in.data() + pos, count * sizeof(T));
    pos += count * sizeof(T);
  }
  bool done() const { return pos == in.size(); }
};

// Per post (by lane), the size of its reachable set (docs/model.md, "Posts", run.stop_coverage):
// its author, and the users a path from a non-crashed author reaches through non-crashed users
// along the arcs the mode's posts travel (push and flood: v -> w; pull: w -> u for an arc u -> w;
// push-pull: both). One bit per user and post, 64 posts a word, OR-ed to the least fixed point
// sweep by sweep (any order reaches the same one: the result is the same for any thread count).
template <class G>
std::vector<std::int64_t> post_reachable(const G& g, Mode mode, std::uint32_t words, const std::vector<PostSeed>& list,
                                         const FaultState& faults) {
  const NodeId n = g.num_nodes();
  const std::size_t lanes = std::size_t{words} * 64;
  Array<Word> bits(std::size_t{n} * words);
  par::parallel_for(0, bits.size(), [&](std::size_t i) { bits[i] = 0; });
  for (const PostSeed& q : list) bits[std::size_t{q.author} * words + q.id / 64] |= Word{1} << (q.id % 64);
  const bool forward = mode != Mode::pull, backward = mode == Mode::pull || mode == Mode::push_pull;
  const auto crashed = [&](NodeId v) { return faults.on() && faults.crashed(v); };
  const auto load = [&](std::size_t i) { return std::atomic_ref<Word>(bits[i]).load(std::memory_order_relaxed); };
  const auto add = [&](std::size_t i, Word m) {
    std::atomic_ref<Word> a(bits[i]);
    if ((a.load(std::memory_order_relaxed) & m) == m) return false;
    a.fetch_or(m, std::memory_order_relaxed);
    return true;
  };
  for (bool changed = true; changed;) {
    std::atomic<bool> any{false};
    par::for_blocks(n, 1024, [&](std::size_t, std::size_t lo, std::size_t hi) {
      bool c = false;
      for (auto v = static_cast<NodeId>(lo); v < hi; ++v) {
        if (crashed(v)) continue;
        const NodeId deg = g.degree(v);
        for (NodeId i = 0; i < deg; ++i) {
          const NodeId w = g.neighbor(v, i);
          if (crashed(w)) continue;
          for (std::uint32_t k = 0; k < words; ++k) {
            const std::size_t cv = std::size_t{v} * words + k, cw = std::size_t{w} * words + k;
            if (forward) {
              const Word m = load(cv);
              if (m) c |= add(cw, m);
            }
            if (backward) {
              const Word m = load(cw);
              if (m) c |= add(cv, m);
            }
          }
        }
      }
      if (c) any.store(true, std::memory_order_relaxed);
    });
    changed = any.load();
  }
  const std::size_t block = 4096;
  std::vector<std::vector<std::int64_t>> parts(par::num_blocks(n, block));
  par::for_blocks(n, block, [&](std::size_t bi, std::size_t lo, std::size_t hi) {
    std::vector<std::int64_t>& c = parts[bi];
    c.assign(lanes, 0);
    for (std::size_t v = lo; v < hi; ++v)
      for (std::uint32_t k = 0; k < words; ++k)
        for (Word b = bits[v * words + k]; b; b &= b - 1) ++c[std::size_t{k} * 64 + static_cast<std::size_t>(std::countr_zero(b))];
  });
  std::vector<std::int64_t> out(lanes, 0);
  for (const std::vector<std::int64_t>& c : parts)
    for (std::size_t i = 0; i < c.size(); ++i) out[i] += c[i];
  return out;
}

template <class G>
class PostsTrial {
 public:
  PostsTrial(const G& g, const ProtocolSpec& spec, const TrialParams& p, double stop_coverage)
      : g_(g), spec_(spec), p_(p), stop_coverage_(stop_coverage), n_(g.num_nodes()), words_(spec.posts.words()), lanes_(std::size_t{words_} * 64),
        th_(Thresholds::of(spec)), accept_{0, Thresholds::floor_product(spec.forward_prob, std::uint64_t{1} << 32), 0, 0},
        sir_(spec.mode == Mode::flood && th_.recovering()), recover_{0, th_.recover, 0, 0},
        keep_hops_(!(spec.mode == Mode::flood && !spec.faults.delay.on() && !sir_)), delays_(spec.faults.delay.on()),
        faults_(spec.faults.any() ? FaultState(n_, spec.faults) : FaultState()), stop_(spec.stop != StopRule::none),
        stop_coin_{0, th_.stop, 0, 0} {
    const std::size_t cells = std::size_t{n_} * words_;
    cells_ = Array<Word>(2 * cells);
    if (spec.mode == Mode::flood && !sir_) fresh_ = Array<Word>(cells);
    if (sir_ || stop_) removed_ = Array<Word>(cells);
    if (spec.stop == StopRule::feedback_counter || spec.stop == StopRule::blind_counter) counts_ = Array<std::uint8_t>(cells * 64);
    if (keep_hops_) hops_ = Array<std::uint8_t>(cells * 64);
    if (spec.no_repeat && spec.mode != Mode::flood) contacts_ = Array<std::uint32_t>(n_);
    slot_of_.assign(lanes_, -1);
    for (std::size_t i = 0; i < spec.posts.list.size(); ++i) slot_of_[spec.posts.list[i].id] = static_cast<std::int64_t>(i);
    created_.assign(lanes_, kNever);
    for (const PostSeed& q : spec.posts.list) created_[q.id] = q.created;
    for (const PostSeed& q : spec.posts.list) last_created_ = std::max(last_created_, q.created);
  }

  std::optional<TrialSummary> run(Sink& sink, const TrialCheckpoint* from) {
    const auto t0 = std::chrono::steady_clock::now();
    key_ = post_key(p_.seed, p_.trial);
    if (from) {
      restore(*from);
    } else if (!start(sink, t0)) {
      return std::nullopt;
    }
    bool truncated = false;
    while (!finished()) {
      if (r_ == p_.max_rounds) {
        truncated = true;
        break;
      }
      ++r_;
      RoundStats x = contacts();
      arrive(x);
      create(r_);
      merge(x);
      x.up = up_count();
      x.present = present_count();
      x.in_flight = in_flight_heads();
      if (faults_.on()) faults_.advance(r_ + 1);
      x.spreaders = spreaders(r_ + 1);
      cur_ = x;
      messages_ += x.messages;
      requests_ += x.requests;
      ++steps_[static_cast<std::size_t>(StepKind::posts)];
      sink.on_round(p_.trial, r_, cur_);
      if (boundary(sink, t0)) return std::nullopt;
    }
    return finish(sink, truncated, t0);
  }

 private:
  // Round 0: the posts of round 0 are created. False when the sink stopped the trial.
  bool start(Sink& sink, std::chrono::steady_clock::time_point t0) {
    std::vector<NodeId> authors;
    for (const PostSeed& q : spec_.posts.list) authors.push_back(q.author);
    std::sort(authors.begin(), authors.end());
    authors.erase(std::unique(authors.begin(), authors.end()), authors.end());
    sink.on_trial_start(p_.trial, authors);
    par::parallel_for(0, cells_.size(), [&](std::size_t i) { cells_[i] = 0; });
    if (!fresh_.empty()) par::parallel_for(0, fresh_.size(), [&](std::size_t i) { fresh_[i] = 0; });
    if (!removed_.empty()) par::parallel_for(0, removed_.size(), [&](std::size_t i) { removed_[i] = 0; });
    if (!counts_.empty()) par::parallel_for(0, counts_.size(), [&](std::size_t i) { counts_[i] = 0; });
    if (keep_hops_) par::parallel_for(0, hops_.size(), [&](std::size_t i) { hops_[i] = kPostNoHops; });
    if (!contacts_.empty()) par::parallel_for(0, contacts_.size(), [&](std::size_t i) { contacts_[i] = 0; });
    reach_.assign(lanes_, 0);
    dup_.assign(lanes_, 0);
    max_hops_.assign(lanes_, 0);
    later_.clear();
    arrivals_.clear();
    reach_rows_.clear();
    dup_rows_.clear();
    // Authors are not spared by crashes (sources are): a post's spread must not depend on the others'.
    if (faults_.on()) faults_.start(p_.seed, p_.trial, {}, 0);
    stop_round_.assign(lanes_, kNever);
    stop_target_.assign(lanes_, -1);
    if (stop_coverage_ < 1.0) {
      const std::vector<std::int64_t> reachable = post_reachable(g_, spec_.mode, words_, spec_.posts.list, faults_);
      for (const PostSeed& q : spec_.posts.list)
        stop_target_[q.id] = static_cast<std::int64_t>(std::ceil(stop_coverage_ * static_cast<double>(reachable[q.id])));
    }
    r_ = 0;
    elapsed_ = 0;
    messages_ = requests_ = 0;
    steps_ = {};
    RoundStats s;
    create(0);
    merge(s);
    s.up = up_count();
    s.present = present_count();
    s.spreaders = spreaders(1);
    cur_ = s;
    sink.on_round(p_.trial, 0, cur_);
    if (faults_.on()) faults_.advance(1);
    return !boundary(sink, t0);
  }

  double seconds(std::chrono::steady_clock::time_point t0) const {
    return elapsed_ + std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }

  // At a round boundary: the sink may ask for a checkpoint or a stop (true: stop).
  bool boundary(Sink& sink, std::chrono::steady_clock::time_point t0) {
    const unsigned want = sink.at_boundary(p_.trial, r_);
    if (want & (kWantCheckpoint | kStop)) sink.on_checkpoint(checkpoint(seconds(t0)));
    return (want & kStop) != 0;
  }

  // The trial at the end of round r_ (faults already at r_ + 1), everything a resume needs.
  TrialCheckpoint checkpoint(double elapsed) const {
    TrialCheckpoint c = checkpoint_head(p_.trial, r_, cur_, messages_, requests_, elapsed, steps_);
    Bytes count;
    state(count);
    c.posts_state.reserve(count.size);
    Bytes b{&c.posts_state};
    state(b);
    return c;
  }

  // The posts state as restore() reads it.
  void state(Bytes& b) const {
    b.value(std::uint64_t{n_}), b.value(words_), b.value(keep_hops_);
    b.column<Word>(cells_.size() / 2, [&](std::size_t i) { return have(i); });
    b.array(fresh_.span()), b.array(hops_.span()), b.array(contacts_.span()), b.array(removed_.span());
    // The messages in flight, field by field, in arrival-round order.
    std::vector<const LaterWord*> flight;
    for (const auto& [a, due] : later_)
      for (const LaterWord& l : due) flight.push_back(&l);
    const std::size_t m = flight.size();
    b.column<Round>(m, [&](std::size_t i) { return flight[i]->at; });
    b.column<NodeId>(m, [&](std::size_t i) { return flight[i]->w; });
    b.column<std::uint32_t>(m, [&](std::size_t i) { return flight[i]->k; });
    b.column<std::uint8_t>(m, [&](std::size_t i) { return flight[i]->head; });
    b.column<Word>(m, [&](std::size_t i) { return flight[i]->carried; });
    b.column<Word>(m, [&](std::size_t i) { return flight[i]->accepted; });
    b.value(std::uint64_t{64 * m});
    for (const LaterWord* l : flight) b.raw(l->hops.data(), l->hops.size());
    b.vec(reach_), b.vec(dup_), b.vec(max_hops_), b.vec(reach_rows_), b.vec(dup_rows_);
    const std::size_t a = arrivals_.size();
    b.column<std::uint32_t>(a, [&](std::size_t i) { return arrivals_[i].post; });
    b.column<NodeId>(a, [&](std::size_t i) { return arrivals_[i].user; });
    b.column<Round>(a, [&](std::size_t i) { return arrivals_[i].round; });
    b.column<std::uint16_t>(a, [&](std::size_t i) { return arrivals_[i].hops; });
    // Appended after the arrivals: a file written before stop rules met posts ends above (and
    // then has none of this state).
    b.array(counts_.span()), b.vec(stop_round_), b.vec(stop_target_);
  }

  void restore(const TrialCheckpoint& c) {
    Reader in{c.posts_state};
    if (c.trial != p_.trial || c.round < 0 || c.posts_state.empty() || in.value<std::uint64_t>() != n_ ||
        in.value<std::uint32_t>() != words_ || in.value<bool>() != keep_hops_)
      throw InputError(fmt::format("checkpoint does not fit this posts run: trial {} round {}", c.trial, c.round));
    if (in.value<std::uint64_t>() != cells_.size() / 2) throw InputError("checkpoint: a posts array has the wrong size");
    for (std::size_t i = 0; i < cells_.size() / 2; ++i) have(i) = in.value<Word>(), got(i) = 0;
    in.into(fresh_), in.into(hops_), in.into(contacts_), in.into(removed_);
    const auto at = in.vec<Round>();
    const auto w = in.vec<NodeId>();
    const auto k = in.vec<std::uint32_t>();
    const auto head = in.vec<std::uint8_t>();
    const auto carried = in.vec<Word>(), accepted = in.vec<Word>();
    const auto hops = in.vec<std::uint8_t>();
    const std::size_t m = at.size();
    if (w.size() != m || k.size() != m || head.size() != m || carried.size() != m || accepted.size() != m ||
        hops.size() != 64 * m)
      throw InputError("checkpoint: the posts' messages in flight are inconsistent");
    later_.clear();
    for (std::size_t i = 0; i < m; ++i) {
      if (at[i] <= c.round || w[i] >= n_ || k[i] >= words_) throw InputError("checkpoint: a post message in flight is out of range");
      LaterWord l{at[i], w[i], k[i], head[i] != 0, carried[i], accepted[i], {}};
      std::copy(hops.begin() + static_cast<std::ptrdiff_t>(64 * i), hops.begin() + static_cast<std::ptrdiff_t>(64 * i + 64), l.hops.begin());
      later_[l.at].push_back(l);
    }
    reach_ = in.vec<std::int64_t>(), dup_ = in.vec<std::int64_t>(), max_hops_ = in.vec<std::int32_t>();
    reach_rows_ = in.vec<std::int64_t>(), dup_rows_ = in.vec<std::int64_t>();
    const auto ap = in.vec<std::uint32_t>();
    const auto au = in.vec<NodeId>();
    const auto ar = in.vec<Round>();
    const auto ah = in.vec<std::uint16_t>();
    stop_round_.assign(lanes_, kNever);
    stop_target_.assign(lanes_, -1);
    if (!in.done()) {
      in.into(counts_);
      stop_round_ = in.vec<Round>(), stop_target_ = in.vec<std::int64_t>();
    } else if (!counts_.empty() || stop_coverage_ < 1.0) {
      throw InputError("checkpoint: the posts state has no stop-rule state");
    }
    const std::size_t rows = (static_cast<std::size_t>(c.round) + 1) * spec_.posts.list.size();
    if (stop_round_.size() != lanes_ || stop_target_.size() != lanes_ || reach_.size() != lanes_ || dup_.size() != lanes_ || max_hops_.size() != lanes_ || reach_rows_.size() != rows ||
        dup_rows_.size() != rows || au.size() != ap.size() || ar.size() != ap.size() || ah.size() != ap.size() || !in.done())
      throw InputError("checkpoint: the posts' counters are inconsistent");
    arrivals_.clear();
    for (std::size_t i = 0; i < ap.size(); ++i) arrivals_.push_back({ap[i], au[i], ar[i], ah[i]});
    r_ = c.round;
    cur_ = c.cur;
    messages_ = c.messages;
    requests_ = c.requests;
    elapsed_ = c.elapsed_seconds;
    steps_ = c.steps;
    if (faults_.on()) faults_.start(p_.seed, p_.trial, {}, r_ + 1);  // as the end test after r_ left it
  }

  std::int64_t up_count() const { return faults_.on() ? faults_.up_count() : n_; }
  std::int64_t present_count() const { return faults_.on() ? faults_.present_count() : n_; }
  bool up(NodeId v) const { return !faults_.on() || faults_.up(v); }

  // Word k of the posts alive in round r (a post not in the list is never alive).
  Word alive_word(std::uint32_t k, Round r) const {
    Word m = 0;
    for (std::uint32_t l = 0; l < 64; ++l) {
      const Round c = created_[std::size_t{k} * 64 + l];
      if (c == kNever || r > stop_round_[std::size_t{k} * 64 + l]) continue;  // run.stop_coverage: halted after its round
      if (spec_.posts.lifetime == 0 || static_cast<std::int64_t>(r) < std::int64_t{c} + spec_.posts.lifetime) m |= Word{1} << l;
    }
    return m;
  }
  // The posts that may be passed on and lacked in round r: created before r and alive in r.
  std::vector<Word> live_words(Round r) const {
    std::vector<Word> m(words_);
    for (std::uint32_t k = 0; k < words_; ++k) {
      Word c = 0;
      for (std::uint32_t l = 0; l < 64; ++l)
        if (created_[std::size_t{k} * 64 + l] < r) c |= Word{1} << l;
      m[k] = alive_word(k, r) & c;
    }
    return m;
  }

  Word& have(std::size_t cell) { return cells_[2 * cell]; }
  Word have(std::size_t cell) const { return cells_[2 * cell]; }
  Word& got(std::size_t cell) { return cells_[2 * cell + 1]; }

  std::uint8_t hop(NodeId v, std::size_t lane) const { return hops_[std::size_t{v} * lanes_ + lane]; }

  // The lanes of word k that v can pass on in round r (`live` that round's live words): held,
  // live, and below the TTL. Without kept hops (flood without delays) hops = informed_at - created,
  // and only fresh posts (informed_at = r - 1) are sent: the TTL is a mask on the round.
  Word passable(NodeId v, std::uint32_t k, const std::vector<Word>& live, Round r) const {
    Word m = have(std::size_t{v} * words_ + k) & live[k];
    if (!removed_.empty()) m &= ~removed_[std::size_t{v} * words_ + k];  // recovered from or stopped spreading these posts
    if (spec_.ttl == 0 || m == 0) return m;
    Word out = 0;
    for (Word b = m; b; b &= b - 1) {
      const auto l = static_cast<std::uint32_t>(std::countr_zero(b));
      const std::size_t lane = std::size_t{k} * 64 + l;
      const std::int64_t h = keep_hops_ ? hop(v, lane) : std::int64_t{r} - 1 - created_[lane];
      if (h < spec_.ttl) out |= Word{1} << l;
    }
    return out;
  }

  Round delay(NodeId v, std::uint32_t x, std::uint32_t i) const {
    if (!delays_) return 0;
    if constexpr (requires { g_.has_latencies(); }) {
      if (spec_.faults.delay.kind == DelaySpec::edge) return static_cast<Round>(g_.latency(v)[i]);
    }
    (void)i;
    return copy_delay(spec_.faults.delay, p_.seed, p_.trial, r_, v, x);
  }

  // A fault drops the message or request from v to w (counted as lost).
  bool dropped(NodeId v, NodeId w, RoundStats& s) const {
    if (!faults_.on()) return false;
    if (faults_.cut(v, w)) {
      ++s.lost;
      ++s.lost_partition;
      return true;
    }
    if (faults_.up(w)) return false;
    ++s.lost;
    ++s.lost_down;
    return true;
  }

  // Word k of a message from `from` reaching w: carried posts `c`, accepted `a`. Copies to a
  // holder are duplicates; accepted copies to a non-holder arrive (OR into got, hops minimum).
  void receive(NodeId w, std::uint32_t k, Word c, Word a, const std::uint8_t* from_hops, Tally& t) {
    const std::size_t cell = std::size_t{w} * words_ + k;
    const Word held = have(cell);
    const Word dup = c & held;
    t.s.redundant += std::popcount(dup);
    for (Word b = dup; b; b &= b - 1) ++t.dup[std::size_t{k} * 64 + std::countr_zero(b)];
    const Word fresh = a & c & ~held;
    if (!fresh) return;
    std::atomic_ref<Word> arrived(got(cell));
    if ((arrived.load(std::memory_order_relaxed) & fresh) != fresh) arrived.fetch_or(fresh, std::memory_order_relaxed);
    if (!keep_hops_) return;
    for (Word b = fresh; b; b &= b - 1) {
      const auto l = static_cast<std::uint32_t>(std::countr_zero(b));
      const std::uint8_t h = from_hops[l];
      const auto next = static_cast<std::uint8_t>(h >= kPostNoHops - 1 ? kPostNoHops - 1 : h + 1);
      std::atomic_ref<std::uint8_t> cellh(hops_[std::size_t{w} * lanes_ + std::size_t{k} * 64 + l]);
      std::uint8_t old = cellh.load(std::memory_order_relaxed);
      while (next < old && !cellh.compare_exchange_weak(old, next, std::memory_order_relaxed)) {
      }
    }
  }

  // A message from `src` (whose hops the copies carry) to w with the carried words `carry` (k
  // indexes words_), accepted by each post's coin at item v, arc x; after delay d.
  void send(NodeId src, NodeId v, std::uint32_t x, NodeId w, const Word* carry, Round d, Tally& t) {
    bool head = true;
    for (std::uint32_t k = 0; k < words_; ++k) {
      const Word c = carry[k];
      if (!c) continue;
      const Word a = lane_fates(key_, k, r_, v, x, accept_, c, c).accepted;
      std::array<std::uint8_t, 64> h{};
      if (keep_hops_)
        for (Word b = c; b; b &= b - 1) {
          const auto l = static_cast<std::uint32_t>(std::countr_zero(b));
          h[l] = hop(src, std::size_t{k} * 64 + l);
        }
      if (d == 0) {
        receive(w, k, c, a, h.data(), t);
      } else {
        t.later.push_back({r_ + d, w, k, head, c, a, h});
        head = false;
      }
    }
  }

  // The stop rule after v's push contact j to w (docs/model.md, "Posts": stop rules), post by post
  // of the message S: "the target knew" when the message was not lost and w held the post before
  // the round; the coin rules draw each post's own stop coin (the acceptance word at the pseudo-arc
  // 2^31 + j, which push, having no replies, leaves unused). Posts that lose interest leave S.
  // Only v's turn reads and writes its counts and removed words. True while S is not empty.
  bool stop_after(NodeId v, std::uint32_t j, NodeId w, bool delivered, std::vector<Word>& S) {
    const bool feedback = spec_.stop == StopRule::feedback_counter || spec_.stop == StopRule::feedback_coin;
    bool any = false;
    for (std::uint32_t k = 0; k < words_; ++k) {
      if (!S[k]) continue;
      const Word knew = delivered ? S[k] & have(std::size_t{w} * words_ + k) : 0;
      const Word in = feedback ? knew : S[k];
      Word gone = 0;
      if (in && counts_.empty()) {
        gone = lane_fates(key_, k, r_, v, kReplyArc + j, stop_coin_, in, in).accepted;
      } else {
        for (Word b = in; b; b &= b - 1) {  // counter rules
          const auto l = static_cast<std::uint32_t>(std::countr_zero(b));
          std::uint8_t& c = counts_[std::size_t{v} * lanes_ + std::size_t{k} * 64 + l];
          if (++c == spec_.k) gone |= Word{1} << l;
        }
      }
      removed_[std::size_t{v} * words_ + k] |= gone;
      S[k] &= ~gone;
      any |= S[k] != 0;
    }
    return any;
  }

  // Round r_'s contacts (docs/model.md, "Posts"): every up node with something to do.
  RoundStats contacts() {
    const std::vector<Word> live = live_words(r_);
    const Rng rng(p_.seed, p_.trial, static_cast<std::uint32_t>(r_));
    const int slots = par::worker_slots();
    std::vector<Tally> tallies(static_cast<std::size_t>(slots));
    for (Tally& t : tallies) t.reset(lanes_);
    const bool any_live = std::any_of(live.begin(), live.end(), [](Word w) { return w != 0; });
    if (any_live) {
      par::for_blocks(n_, 256, [&](std::size_t, std::size_t lo, std::size_t hi) {
        Tally& t = tallies[static_cast<std::size_t>(par::worker_index())];
        std::vector<Word> S(words_), M(words_), R(words_);
        for (auto v = static_cast<NodeId>(lo); v < hi; ++v) act(v, live, rng, S, M, R, t);
      });
    }
    RoundStats s;
    for (Tally& t : tallies) {
      s += t.s;
      for (std::size_t i = 0; i < lanes_; ++i) dup_[i] += t.dup[i];
      for (LaterWord& l : t.later) later_[l.at].push_back(l);
    }
    return s;
  }

  void act(NodeId v, const std::vector<Word>& live, const Rng& rng, std::vector<Word>& S, std::vector<Word>& M,
           std::vector<Word>& R, Tally& t) {
    const NodeId deg = g_.degree(v);
    if (deg == 0 || !up(v)) return;
    bool any_s = false, any_m = false;
    const bool pushes = spec_.mode != Mode::pull, pulls = spec_.mode == Mode::pull || spec_.mode == Mode::push_pull;
    for (std::uint32_t k = 0; k < words_; ++k) {
      S[k] = pushes ? passable(v, k, live, r_) : 0;
      if (!fresh_.empty()) S[k] &= fresh_[std::size_t{v} * words_ + k];  // plain flood: the new ones
      M[k] = pulls ? live[k] & ~have(std::size_t{v} * words_ + k) : 0;
      any_s |= S[k] != 0;
      any_m |= M[k] != 0;
    }
    if (!any_s && !any_m) return;
    RoundStats& s = t.s;
    if (spec_.mode == Mode::flood) {
      // The targets' cells are random accesses: fetch the line of the first word sent kAhead arcs ahead.
      constexpr NodeId kAhead = 16;
      std::uint32_t first = 0;
      while (!S[first]) ++first;
      const auto line = [&](NodeId i) { __builtin_prefetch(&cells_[2 * (std::size_t{g_.neighbor(v, i)} * words_ + first)]); };
      for (NodeId i = 0; i < std::min(deg, kAhead); ++i) line(i);
      for (NodeId i = 0; i < deg; ++i) {
        if (i + kAhead < deg) line(i + kAhead);
        const NodeId w = g_.neighbor(v, i);
        ++s.messages;
        if (dropped(v, w, s)) continue;
        if (th_.lost > 0 && Rng(key_, kPostLossStream, static_cast<std::uint32_t>(r_)).block(v, i).v[0] < th_.lost) {
          ++s.lost;
          continue;
        }
        send(v, v, i, w, S.data(), delay(v, i, i), t);
      }
      // Flood with recovery: after sending, each post's own recovery coin (pseudo-arc kRecoveryArc).
      if (sir_)
        for (std::uint32_t k = 0; k < words_; ++k)
          if (S[k]) removed_[std::size_t{v} * words_ + k] |= lane_fates(key_, k, r_, v, kRecoveryArc, recover_, S[k], S[k]).accepted;
      return;
    }
    for (std::uint32_t j = 0; j < spec_.fanout; ++j) {
      if (stop_ && !any_s) break;  // every post it carried lost interest: no further contact (push only)
      const Block b = rng.block(v, j);
      // no_repeat: the node's contact count, whatever the contact carries (docs/model.md, "Posts").
      const std::uint32_t i = contacts_.empty() ? pick_index(rng, b, v, j, deg)
                                                : no_repeat_index(p_.seed, p_.trial, v, contacts_[v]++, deg);
      const NodeId w = g_.neighbor(v, i);
      const Round d = delay(v, j, i);
      if (any_s) {  // the push
        ++s.messages;
        bool delivered = false;
        if (!dropped(v, w, s)) {
          if (b.v[2] < th_.lost) {
            ++s.lost;
          } else {
            send(v, v, j, w, S.data(), d, t);
            delivered = true;
          }
        }
        if (stop_) any_s = stop_after(v, j, w, delivered, S);
      }
      if (any_m) {  // the pull request and its reply
        ++s.requests;
        if (dropped(v, w, s)) continue;
        if (b.v[2] < th_.lost) {
          ++s.lost;
          continue;
        }
        bool reply = false;
        for (std::uint32_t k = 0; k < words_; ++k) {
          R[k] = M[k] ? passable(w, k, live, r_) & M[k] : 0;
          reply |= R[k] != 0;
        }
        if (!reply) continue;
        ++s.messages;
        if (b.v[3] < th_.lost) {
          ++s.lost;
          continue;
        }
        send(w, v, kReplyArc + j, v, R.data(), d, t);
      }
    }
  }

  // The messages due at the end of round r_ (after its own contacts).
  void arrive(RoundStats& s) {
    const auto it = later_.find(r_);
    if (it == later_.end()) return;
    const std::vector<LaterWord>& due = it->second;
    std::vector<Word> alive(words_);
    for (std::uint32_t k = 0; k < words_; ++k) alive[k] = alive_word(k, r_);
    const int slots = par::worker_slots();
    std::vector<Tally> tallies(static_cast<std::size_t>(slots));
    for (Tally& t : tallies) t.reset(lanes_);
    par::for_blocks(due.size(), 1024, [&](std::size_t, std::size_t lo, std::size_t hi) {
      Tally& t = tallies[static_cast<std::size_t>(par::worker_index())];
      for (std::size_t e = lo; e < hi; ++e) {
        const LaterWord& l = due[e];
        if (!up(l.w)) {
          if (l.head) {
            ++t.s.lost;
            ++t.s.lost_down;
          }
          continue;
        }
        receive(l.w, l.k, l.carried & alive[l.k], l.accepted, l.hops.data(), t);
      }
    });
    for (Tally& t : tallies) {
      s.lost += t.s.lost;
      s.lost_down += t.s.lost_down;
      s.redundant += t.s.redundant;
      for (std::size_t i = 0; i < lanes_; ++i) dup_[i] += t.dup[i];
    }
    later_.erase(it);
  }

  std::int64_t in_flight_heads() const {
    std::int64_t c = 0;
    for (const auto& [at, v] : later_)
      for (const LaterWord& l : v) c += l.head;
    return c;
  }

  // The posts created in round r: their authors get them (hops 0).
  void create(Round r) {
    for (const PostSeed& q : spec_.posts.list) {
      if (q.created != r) continue;
      got(std::size_t{q.author} * words_ + q.id / 64) |= Word{1} << (q.id % 64);
      if (keep_hops_) hops_[std::size_t{q.author} * lanes_ + q.id] = 0;
    }
  }

  // End of round r_: the round's arrivals become held; reach, arrivals and hop maxima follow.
  struct MergeBlock {
    std::int64_t newly = 0, informed = 0;
    std::vector<std::int64_t> reach;
    std::vector<std::int32_t> max_hops;
    std::vector<PostArrival> arrivals;
  };
  void merge(RoundStats& s) {
    const std::size_t block = 4096;
    const std::size_t blocks = par::num_blocks(n_, block);
    std::vector<MergeBlock> parts(blocks);
    const bool flood = !fresh_.empty();
    par::for_blocks(n_, block, [&](std::size_t bi, std::size_t lo, std::size_t hi) {
      MergeBlock& m = parts[bi];
      for (std::size_t v = lo; v < hi; ++v) {
        for (std::uint32_t k = 0; k < words_; ++k) {
          const std::size_t cell = v * words_ + k;
          const Word g = got(cell);
          if (flood) fresh_[cell] = g;
          if (g) {
            if (m.reach.empty()) {
              m.reach.assign(lanes_, 0);
              m.max_hops.assign(lanes_, 0);
            }
            have(cell) |= g;
            got(cell) = 0;
            m.newly += std::popcount(g);
            for (Word b = g; b; b &= b - 1) {
              const std::size_t lane = std::size_t{k} * 64 + static_cast<std::size_t>(std::countr_zero(b));
              ++m.reach[lane];
              const std::int32_t h = keep_hops_ ? hop(static_cast<NodeId>(v), lane) : r_ - created_[lane];
              m.max_hops[lane] = std::max(m.max_hops[lane], h);
              if (spec_.posts.arrivals)
                m.arrivals.push_back({static_cast<std::uint32_t>(lane), static_cast<NodeId>(v), r_, static_cast<std::uint16_t>(h)});
            }
          }
          m.informed += std::popcount(have(cell));
        }
      }
    });
    s.newly_informed = 0;
    s.informed = 0;
    for (MergeBlock& m : parts) {
      s.newly_informed += m.newly;
      s.informed += m.informed;
      if (!m.reach.empty())
        for (std::size_t i = 0; i < lanes_; ++i) {
          reach_[i] += m.reach[i];
          max_hops_[i] = std::max(max_hops_[i], m.max_hops[i]);
        }
      arrivals_.insert(arrivals_.end(), m.arrivals.begin(), m.arrivals.end());
    }
    for (const PostSeed& q : spec_.posts.list) {
      reach_rows_.push_back(reach_[q.id]);
      dup_rows_.push_back(dup_[q.id]);
      // run.stop_coverage: the first round (from its creation) its reach meets its target halts it.
      if (stop_target_[q.id] >= 0 && stop_round_[q.id] == kNever && q.created <= r_ && reach_[q.id] >= stop_target_[q.id])
        stop_round_[q.id] = r_;
    }
  }

  // Nodes with out-arcs that can pass a post on in round r (flood: a fresh one).
  std::int64_t spreaders(Round r) const {
    const std::vector<Word> live = live_words(r);
    return par::reduce_blocks(
        n_, 4096, std::int64_t{0},
        [&](std::size_t, std::size_t lo, std::size_t hi) {
          std::int64_t c = 0;
          for (auto v = static_cast<NodeId>(lo); v < hi; ++v) {
            if (g_.degree(v) == 0) continue;
            for (std::uint32_t k = 0; k < words_; ++k) {
              Word m = passable(v, k, live, r);
              if (!fresh_.empty()) m &= fresh_[std::size_t{v} * words_ + k];
              if (m) {
                ++c;
                break;
              }
            }
          }
          return c;
        },
        [](std::int64_t a, std::int64_t b) { return a + b; });
  }

  // A node may act in a later round (faults: after the last event; see FaultState::may_up_later).
  bool may_act(NodeId v) const { return !faults_.on() || faults_.may_up_later(v); }

  // The end rules of docs/model.md ("Posts": counters and end), after round r_ with the faults at r_ + 1.
  bool finished() const {
    if (r_ < last_created_) return false;
    if (faults_.on() && r_ < faults_.last_event_round()) return false;
    if (spec_.loss >= 1.0) return true;  // nothing can arrive
    const Round next = r_ + 1;
    // A message in flight that can still inform.
    for (const auto& [at, due] : later_) {
      std::vector<Word> alive(words_);
      for (std::uint32_t k = 0; k < words_; ++k) alive[k] = alive_word(k, at);
      for (const LaterWord& l : due)
        if (l.accepted & l.carried & alive[l.k] & ~have(std::size_t{l.w} * words_ + l.k)) return false;
    }
    const std::vector<Word> live = live_words(next);
    if (std::none_of(live.begin(), live.end(), [](Word w) { return w != 0; })) return true;
    const bool fresh_only = !fresh_.empty();  // plain flood: only the new posts are sent, by nodes up in r + 1
    const bool pushes = spec_.mode != Mode::pull, pulls = spec_.mode == Mode::pull || spec_.mode == Mode::push_pull;
    std::atomic<bool> found{false};
    par::for_blocks(n_, 1024, [&](std::size_t, std::size_t lo, std::size_t hi) {
      for (auto v = static_cast<NodeId>(lo); v < hi && !found.load(std::memory_order_relaxed); ++v) {
        const NodeId deg = g_.degree(v);
        if (deg == 0) continue;
        if (fresh_only ? !up(v) : !may_act(v)) continue;
        for (NodeId i = 0; i < deg; ++i) {
          const NodeId w = g_.neighbor(v, i);
          if (!may_act(w) || (faults_.on() && faults_.cut(v, w))) continue;
          for (std::uint32_t k = 0; k < words_; ++k) {
            const std::size_t cv = std::size_t{v} * words_ + k, cw = std::size_t{w} * words_ + k;
            Word carry = 0;
            if (pushes) {
              carry = passable(v, k, live, next);
              if (fresh_only) carry &= fresh_[cv];
              carry &= ~have(cw);
            }
            if (pulls) carry |= passable(w, k, live, next) & live[k] & ~have(cv);
            if (carry) {
              found.store(true, std::memory_order_relaxed);
              return;
            }
          }
        }
      }
    });
    return !found.load();
  }

  std::optional<TrialSummary> finish(Sink& sink, bool truncated, std::chrono::steady_clock::time_point t0) {
    PostsTrialResult res;
    res.trial = p_.trial;
    res.rounds = r_;
    const std::size_t P = spec_.posts.list.size();
    res.reach = std::move(reach_rows_);
    res.posts.reserve(P);
    std::int32_t max_hops = 0;
    for (std::size_t i = 0; i < P; ++i) {
      const PostSeed& q = spec_.posts.list[i];
      PostOutcome o;
      o.id = q.id;
      o.author = q.author;
      o.created = q.created;
      o.reach = reach_[q.id];
      o.max_hops = max_hops_[q.id];
      max_hops = std::max(max_hops, o.max_hops);
      const std::array<std::int64_t, 4> pct = {50, 90, 99, 100};
      std::array<std::optional<Round>*, 4> out = {&o.rounds_50, &o.rounds_90, &o.rounds_99, &o.rounds_full};
      for (std::size_t f = 0; f < 4; ++f) {
        if (o.reach == 0) continue;
        const std::int64_t need = (o.reach * pct[f] + 99) / 100;
        for (Round r = q.created; r <= r_; ++r)
          if (res.reach[static_cast<std::size_t>(r) * P + i] >= need) {
            *out[f] = r - q.created;
            break;
          }
      }
      // Duplicates up to the round of the post's last new holder (a run that goes on for other
      // posts must not count more of them than the post alone would).
      if (o.rounds_full) o.duplicates = dup_rows_[static_cast<std::size_t>(q.created + *o.rounds_full) * P + i];
      res.posts.push_back(o);
    }
    if (spec_.posts.arrivals) {
      std::sort(arrivals_.begin(), arrivals_.end(), [&](const PostArrival& a, const PostArrival& b) {
        const std::int64_t sa = slot_of_[a.post], sb = slot_of_[b.post];
        return sa != sb ? sa < sb : a.user < b.user;
      });
      res.arrivals = std::move(arrivals_);
    }
    sink.on_posts_trial(res);
    TrialSummary sum;
    sum.trial = p_.trial;
    sum.posts = true;
    sum.rounds = r_;
    sum.truncated = truncated;
    sum.final_informed = cur_.informed;
    sum.coverage = n_ && P ? static_cast<double>(cur_.informed) / (static_cast<double>(n_) * static_cast<double>(P)) : 0.0;
    sum.residue = 1.0 - sum.coverage;
    sum.messages = messages_;
    sum.requests = requests_;
    sum.traffic = n_ ? static_cast<double>(messages_) / n_ : 0.0;
    sum.max_hops = max_hops;
    sum.wall_seconds = seconds(t0);
    sum.steps = steps_;
    sink.on_trial_end(sum, {}, {});
    return sum;
  }

  const G& g_;
  const ProtocolSpec& spec_;
  TrialParams p_;
  double stop_coverage_;  // run.stop_coverage: a post halts once it holds this fraction of its reachable users
  NodeId n_;
  std::uint32_t words_;
  std::size_t lanes_;
  Thresholds th_, accept_;
  bool sir_;             // flood with recovery: a node sends a post every round until its coin for it
  Thresholds recover_;   // that coin: W < floor(recovery_prob 2^32)
  bool keep_hops_, delays_;
  FaultState faults_;
  bool stop_;             // a stop rule (push): per user and post, `removed` and (counter rules) a count
  Thresholds stop_coin_;  // a post's stop coin: W < floor(2^32 / k)
  std::uint64_t key_ = 0;
  // Word k of node v: held before the round at cells_[2 (v W + k)], arrived in the round next to
  // it (one cache line for both: a message's target costs one miss).
  Array<Word> cells_, fresh_, removed_;  // fresh: plain flood; removed: recovered (flood with recovery) or lost interest (stop rules)
  Array<std::uint8_t> counts_;           // counter stop rules: a count per user and post
  Array<std::uint8_t> hops_;
  Array<std::uint32_t> contacts_;  // no_repeat: each node's contacts so far
  std::vector<std::int64_t> slot_of_;
  std::vector<Round> created_;
  std::vector<Round> stop_round_;          // per lane: the round run.stop_coverage halted it (kNever: not)
  std::vector<std::int64_t> stop_target_;  // per lane: ceil(stop_coverage reachable), -1 without
  Round last_created_ = 0;
  std::vector<std::int64_t> reach_, dup_, reach_rows_, dup_rows_;  // rows: per round, per post in list order
  std::vector<std::int32_t> max_hops_;
  std::vector<PostArrival> arrivals_;
  std::map<Round, std::vector<LaterWord>> later_;
  Round r_ = 0;
  double elapsed_ = 0;
  RoundStats cur_;
  std::int64_t messages_ = 0, requests_ = 0;
  std::array<std::int64_t, kStepKinds> steps_{};
};

}  // namespace

bool run_posts(const Graph& g, const ProtocolSpec& spec, const RunParams& run, Sink& sink,
               const TrialCheckpoint* from, std::uint64_t first) {
  return visit_graph(g, [&](const auto& concrete) {
    check_posts(concrete.num_nodes(), spec);
    using G = std::decay_t<decltype(concrete)>;
    for (std::uint64_t i = first; i < run.trials; ++i) {
      const TrialParams params{run.seed, static_cast<std::uint32_t>(run.trial_offset + i), run.max_rounds};
      PostsTrial<G> trial(concrete, spec, params, run.stop_coverage);
      if (!trial.run(sink, i == first ? from : nullptr)) return false;
    }
    return true;
  });
}

}  // namespace gossip
