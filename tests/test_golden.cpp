// Golden checksums of whole trials: FNV-1a over every round's counters and every node's
// informed_at. They pin the random-number layout of docs/model.md (a change to it must change
// these constants, on purpose) and prove that the OpenMP and oneTBB builds agree bit for bit:
// the same constants are checked in every preset (release, release-tbb, asan, tsan).
#include "sim/simulate.hpp"
#include "support.hpp"

using namespace gossip;

namespace {

struct Fnv : Sink {
  std::uint64_t h = 0xcbf29ce484222325ull;
  void mix(std::uint64_t x) {
    for (int i = 0; i < 8; ++i) {
      h ^= (x >> (8 * i)) & 0xff;
      h *= 0x100000001b3ull;
    }
  }
  void on_round(std::uint32_t, Round r, const RoundStats& s) override {
    for (std::int64_t x : {std::int64_t{r}, s.informed, s.newly_informed, s.messages, s.requests, s.redundant, s.lost, s.spreaders})
      mix(static_cast<std::uint64_t>(x));
  }
  void on_trial_end(const TrialSummary&, std::span<const Round> ia, std::span<const std::uint16_t> hops) override {
    for (Round t : ia) mix(static_cast<std::uint32_t>(t));
    for (std::uint16_t x : hops) mix(x);
  }
};

std::uint64_t checksum(const char* graph, ProtocolSpec spec, int threads, bool packed = false) {
  const Graph g = generate(parse_spec(graph), {42});
  Fnv f;
  gossip::test::with_threads(threads, [&] { simulate(g, spec, {2024, 3, 7, 10000, packed ? Packing::on : Packing::off}, f); });
  return f.h;
}

struct Golden {
  const char* graph;
  ProtocolSpec spec;
  std::uint64_t expected;
};

}  // namespace

TEST_CASE("golden trials are identical for 1, 2, 3 threads and equal the recorded checksums") {
  const Golden cases[] = {
      {"er:n=50000,d=6", {.mode = Mode::push, .fanout = 1, .no_repeat = false, .forward_prob = 1.0, .ttl = 0,
                          .stop = StopRule::none, .k = 1, .sources = 1, .source_nodes = {}, .loss = 0.0,
                          .recovery_prob = 1.0}, 0x629288d6b66e5ce3ull},
      {"er:n=50000,d=6", {.mode = Mode::pull, .fanout = 2, .no_repeat = true, .forward_prob = 0.8, .ttl = 0,
                          .stop = StopRule::none, .k = 1, .sources = 3, .source_nodes = {}, .loss = 0.1,
                          .recovery_prob = 1.0}, 0x355358be20fdfbcbull},
      {"er:n=50000,d=6", {.mode = Mode::push_pull, .fanout = 1, .no_repeat = false, .forward_prob = 1.0, .ttl = 5,
                          .stop = StopRule::none, .k = 1, .sources = 1, .source_nodes = {}, .loss = 0.0,
                          .recovery_prob = 1.0}, 0x9f296826f24c3bcbull},
      {"er:n=50000,d=6", {.mode = Mode::flood, .fanout = 1, .no_repeat = false, .forward_prob = 0.5, .ttl = 0,
                          .stop = StopRule::none, .k = 1, .sources = 1, .source_nodes = {}, .loss = 0.05,
                          .recovery_prob = 1.0}, 0xc0df5b509950f049ull},
      {"er:n=50000,d=6", {.mode = Mode::flood, .fanout = 1, .no_repeat = false, .forward_prob = 0.4, .ttl = 0,
                          .stop = StopRule::none, .k = 1, .sources = 1, .source_nodes = {}, .loss = 0.05,
                          .recovery_prob = 0.35}, 0x365aed1d27cda8e0ull},  // SIR
      {"complete:n=20000", {.mode = Mode::push, .fanout = 1, .no_repeat = false, .forward_prob = 1.0, .ttl = 0,
                            .stop = StopRule::feedback_coin, .k = 3, .sources = 1, .source_nodes = {}, .loss = 0.0,
                            .recovery_prob = 1.0}, 0x3354711e49b8963cull},
      {"ba:n=30000,m=3", {.mode = Mode::push, .fanout = 2, .no_repeat = false, .forward_prob = 0.7, .ttl = 0,
                          .stop = StopRule::blind_counter, .k = 4, .sources = 2, .source_nodes = {}, .loss = 0.0,
                          .recovery_prob = 1.0}, 0x8d0c0ead76d09375ull},
  };
  for (const Golden& c : cases) {
    const std::uint64_t one = checksum(c.graph, c.spec, 1);
    INFO(c.graph, " mode ", mode_name(c.spec.mode), " checksum ", one);
    CHECK(checksum(c.graph, c.spec, 2) == one);
    CHECK(checksum(c.graph, c.spec, 3) == one);
    CHECK(one == c.expected);
    if (c.spec.mode == Mode::flood) {  // 64 trials per pass: the same trials, bit for bit
      CHECK(checksum(c.graph, c.spec, 1, true) == c.expected);
      CHECK(checksum(c.graph, c.spec, 2, true) == c.expected);
    }
  }
}
