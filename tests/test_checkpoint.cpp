// Checkpoints: a run stopped at any round boundary (mid-trial, at a trial's last round, in
// sparse and dense rounds) and resumed from its checkpoint, written to a file and read back,
// equals the uninterrupted run in every per-round counter, node state and trial summary, for
// every mode and the options with extra per-node state (TTL hops, no_repeat contacts, stop
// counters), at 1 and 2 threads. Corrupt or mismatched checkpoints are refused.
#include "sim/checkpoint.hpp"

#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "graph/fingerprint.hpp"
#include "sim/simulate.hpp"
#include "sim/trial_summary.hpp"
#include "support.hpp"
#include "temp_file.hpp"

using namespace gossip;

namespace {

struct Record {
  std::vector<std::tuple<std::uint32_t, Round, RoundStats>> rounds;
  std::vector<std::vector<Round>> informed_at;
  std::vector<std::vector<std::uint16_t>> hops;
  std::vector<TrialSummary> summaries;
};

// Records everything; stops (with a checkpoint) at the `stop_at`-th round boundary it sees.
struct Recorder : Sink {
  Record rec;
  std::int64_t stop_at = -1, seen = 0;
  std::optional<TrialCheckpoint> saved;
  void on_round(std::uint32_t t, Round r, const RoundStats& s) override { rec.rounds.emplace_back(t, r, s); }
  void on_trial_end(const TrialSummary& s, std::span<const Round> ia, std::span<const std::uint16_t> h) override {
    rec.summaries.push_back(s);
    rec.informed_at.emplace_back(ia.begin(), ia.end());
    rec.hops.emplace_back(h.begin(), h.end());
  }
  unsigned at_boundary(std::uint32_t, Round) override { return seen++ == stop_at ? kStop : kGoOn; }
  void on_checkpoint(const TrialCheckpoint& c) override {
    saved = c;
    saved->materialize();  // the engine's views die with the round
  }
};

void check_same(const Record& a, const Record& b) {
  REQUIRE(a.rounds.size() == b.rounds.size());
  for (std::size_t i = 0; i < a.rounds.size(); ++i) CHECK(a.rounds[i] == b.rounds[i]);
  CHECK(a.informed_at == b.informed_at);
  CHECK(a.hops == b.hops);
  REQUIRE(a.summaries.size() == b.summaries.size());
  for (std::size_t i = 0; i < a.summaries.size(); ++i) {
    TrialSummary x = a.summaries[i], y = b.summaries[i];
    x.wall_seconds = y.wall_seconds = 0;
    CHECK(summary_fields(x) == summary_fields(y));
    CHECK(x.truncated == y.truncated);
  }
}

ProtocolSpec spec(Mode m) {
  return {.mode = m, .fanout = 1, .no_repeat = false, .forward_prob = 1.0, .ttl = 0, .stop = StopRule::none, .k = 1,
          .sources = 1, .source_nodes = {}, .loss = 0.0, .recovery_prob = 1.0};
}

}  // namespace

TEST_CASE("stop anywhere, resume from the checkpoint file: equal to the uninterrupted run") {
  const Graph g = gossip::test::gen_csr("er:n=3000,d=5");
  std::vector<ProtocolSpec> specs;
  for (Mode m : {Mode::push, Mode::pull, Mode::push_pull, Mode::flood}) specs.push_back(spec(m));
  ProtocolSpec ttl = spec(Mode::push);
  ttl.ttl = 6, ttl.no_repeat = true, ttl.fanout = 2, ttl.loss = 0.1;
  ProtocolSpec stop = spec(Mode::push);
  stop.stop = StopRule::feedback_counter, stop.k = 2;
  ProtocolSpec flood = spec(Mode::flood);
  flood.forward_prob = 0.6, flood.ttl = 9;
  ProtocolSpec sir = spec(Mode::flood);  // recovered nodes live in stop_count
  sir.forward_prob = 0.7, sir.recovery_prob = 0.4;
  ProtocolSpec sir_ttl = sir;
  sir_ttl.ttl = 4, sir_ttl.loss = 0.1;
  specs.insert(specs.end(), {ttl, stop, flood, sir, sir_ttl});
  // Faults: the state of the resumed round is computed afresh (each node's periods replayed, the
  // events up to it applied) and must equal the one kept round by round.
  const ChurnSpec bernoulli{.kind = ChurnSpec::bernoulli, .up = {PeriodDist::geometric, 0.2, 0},
                            .down = {PeriodDist::geometric, 0.3, 0}, .fraction = 0.7};
  const ChurnSpec sessions{.kind = ChurnSpec::sessions, .up = {PeriodDist::weibull, 0.7, 4.0},
                           .down = {PeriodDist::pareto, 1.5, 1.0}, .fraction = 1.0};
  auto event = [](FaultEvent::Kind k, Round r, double fraction, std::vector<NodeId> nodes = {}, std::uint32_t groups = 2) {
    return FaultEvent{.kind = k, .round = r, .fraction = fraction, .nodes = std::move(nodes), .groups = groups, .group_column = {}, .group_map = {}};
  };
  ProtocolSpec churn = spec(Mode::push);
  churn.faults = {.crashed = 0.1, .churn = bernoulli,
                  .events = {event(FaultEvent::fail, 3, 0.3), event(FaultEvent::partition, 2, 0, {}, 3),
                             event(FaultEvent::heal, 6, 0), event(FaultEvent::recover, 8, 0, {1, 2, 3}),
                             event(FaultEvent::recover, 9, 1.0)},
                  .join = {}, .delay = {}};
  ProtocolSpec flood_churn = spec(Mode::flood);
  flood_churn.recovery_prob = 0.5, flood_churn.faults = {.crashed = 0.05, .churn = sessions, .events = {},
                        .join = {.kind = JoinSpec::linear, .per_round = 150, .start = 100, .text = "none", .column = {}, .rounds = {}}, .delay = {}};
  ProtocolSpec pull_crash = spec(Mode::pull);
  pull_crash.faults = {.crashed = 0.2, .churn = ChurnSpec{}, .events = {event(FaultEvent::partition, 0, 0)}, .join = {}, .delay = {}};
  // Join rounds and partition groups as a node file gives them (io/node_file.hpp): present nodes
  // that are no prefix, groups that are no id ranges.
  std::vector<Round> joined(3000);
  auto region = std::make_shared<NodeGroups>();
  region->count = 3;
  for (NodeId v = 0; v < 3000; ++v) {
    joined[v] = v % 4 == 0 ? 0 : static_cast<Round>((v * 7) % 9);
    region->group.push_back((v * 13) % 3);
  }
  ProtocolSpec from_file = spec(Mode::push_pull);
  from_file.faults.join = {.kind = JoinSpec::file, .per_round = 1, .start = 1, .text = "file:joined", .column = "joined",
                           .rounds = std::make_shared<const JoinRounds>(joined)};
  FaultEvent cut = event(FaultEvent::partition, 3, 0, {}, 3);
  cut.group_column = "region", cut.group_map = region;
  from_file.faults.events = {cut, event(FaultEvent::heal, 7, 0)};
  // A stop rule with spreaders that could never stop (failed for good; every contact across a
  // partition that stays): the end test after a resume reads the events still to come.
  ProtocolSpec stop_faults = spec(Mode::push);
  stop_faults.stop = StopRule::feedback_counter, stop_faults.k = 2;
  stop_faults.faults = {.crashed = 0.0, .churn = ChurnSpec{},
                        .events = {event(FaultEvent::partition, 2, 0), event(FaultEvent::fail, 3, 0.3),
                                   event(FaultEvent::recover, 6, 0, {1, 2, 3})},
                        .join = {}, .delay = {}};
  specs.insert(specs.end(), {churn, flood_churn, pull_crash, from_file, stop_faults});
  const RunParams run{7, 3, 5, 40};  // max_rounds 40: some trials end truncated
  gossip::test::TempFile file("", ".ckpt");
  for (const ProtocolSpec& s : specs) {
    Recorder whole;
    REQUIRE(simulate(g, s, run, whole));
    if (s.stop != StopRule::none && s.faults.any()) {
      // Some trial ends before max_rounds with spreaders left, none of them waited for.
      int ended_with_spreaders = 0;
      for (const TrialSummary& sum : whole.rec.summaries) {
        const RoundStats* last = nullptr;
        for (const auto& [t, r, st] : whole.rec.rounds)
          if (t == sum.trial && r == sum.rounds) last = &st;
        REQUIRE(last);
        ended_with_spreaders += !sum.truncated && last->spreaders > 0;
      }
      CHECK(ended_with_spreaders > 0);
    }
    const auto boundaries = static_cast<std::int64_t>(whole.rec.rounds.size());
    for (std::int64_t stop_at : {std::int64_t{0}, std::int64_t{1}, boundaries / 3, boundaries / 2, boundaries - 1}) {
      for (int threads : {1, 2}) {
        INFO("mode ", mode_name(s.mode), " ttl ", s.ttl, " stop ", stop_name(s.stop), " recovery ", s.recovery_prob,
             " faults ", s.faults.any(), " at ", stop_at, " threads ", threads);
        Recorder first;
        first.stop_at = stop_at;
        const bool done = gossip::test::with_threads(threads, [&] { return simulate(g, s, run, first); });
        REQUIRE_FALSE(done);
        REQUIRE(first.saved);
        write_checkpoint(file.path, RunCheckpoint{"cfg", graph_fingerprint(g), first.rec.summaries, *first.saved});
        const RunCheckpoint back = read_checkpoint(file.path);
        CHECK(back.config_toml == "cfg");
        CHECK(back.graph_fingerprint == graph_fingerprint(g));
        Recorder rest;
        rest.rec = first.rec;
        REQUIRE(gossip::test::with_threads(3 - threads, [&] { return simulate(g, s, run, rest, &back.trial); }));
        check_same(whole.rec, rest.rec);
      }
    }
  }
}

TEST_CASE("a checkpoint that does not fit is refused") {
  const Graph g = gossip::test::gen_csr("er:n=500,d=4");
  Recorder first;
  first.stop_at = 3;
  REQUIRE_FALSE(simulate(g, spec(Mode::push), {1, 2, 0, 100}, first));
  Recorder other;
  const Graph smaller = gossip::test::gen_csr("er:n=400,d=4");
  CHECK_THROWS_AS(simulate(smaller, spec(Mode::push), {1, 2, 0, 100}, other, &*first.saved), InputError);
  CHECK_THROWS_AS(simulate(g, spec(Mode::push), {1, 2, 5, 100}, other, &*first.saved), InputError);
  ProtocolSpec ttl = spec(Mode::push);
  ttl.ttl = 3;  // needs hops, the checkpoint has none
  CHECK_THROWS_AS(simulate(g, ttl, {1, 2, 0, 100}, other, &*first.saved), InputError);
  CHECK(graph_fingerprint(g) != graph_fingerprint(smaller));
  CHECK(graph_fingerprint(g) == graph_fingerprint(gossip::test::gen_csr("er:n=500,d=4")));
  CHECK(fingerprint_hex(graph_fingerprint(g)).size() == 16);
}

TEST_CASE("corrupt checkpoint files: InputError naming the file; a missing one: UsageError") {
  const Graph g = gossip::test::gen_csr("er:n=500,d=4");
  Recorder first;
  first.stop_at = 4;
  REQUIRE_FALSE(simulate(g, spec(Mode::push), {1, 2, 0, 100}, first));
  gossip::test::TempFile file("", ".ckpt");
  write_checkpoint(file.path, RunCheckpoint{"cfg", 1, {}, *first.saved});
  std::string bytes;
  {
    std::ifstream in(file.path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto message = [&](const std::string& data) {
    std::ofstream(file.path, std::ios::binary | std::ios::trunc) << data;
    try {
      read_checkpoint(file.path);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  std::string flipped = bytes;
  flipped[bytes.size() / 2] ^= 0x10;
  CHECK(message(flipped) == file.path + ": not a valid gossipsim checkpoint (checksum mismatch)");
  CHECK(message(bytes.substr(0, bytes.size() - 1)) == file.path + ": not a valid gossipsim checkpoint (truncated)");
  CHECK(message("GOSSIPCK") == file.path + ": not a valid gossipsim checkpoint (truncated)");
  CHECK(message("something else entirely") == file.path + ": not a valid gossipsim checkpoint (wrong magic)");
  CHECK(message(bytes + "x") == file.path + ": not a valid gossipsim checkpoint (bad trailer)");
  CHECK(message(bytes) == "accepted");
  CHECK_THROWS_AS(read_checkpoint(file.path + ".missing"), UsageError);
}

TEST_CASE("packed flood runs stop between batches and resume equal") {
  const Graph g = gossip::test::gen_csr("er:n=2000,d=5");
  ProtocolSpec flood = spec(Mode::flood);
  flood.forward_prob = 0.5;
  const RunParams run{3, 150, 10, 1000, Packing::on};  // batches: trials 10..63, 64..127, 128..159
  for (const double recovery : {1.0, 0.5}) {
    flood.recovery_prob = recovery;
    INFO("recovery ", recovery);
    Recorder whole;
    REQUIRE(simulate(g, flood, run, whole));
    for (std::int64_t stop_at : {0, 1}) {
      Recorder first;
      first.stop_at = stop_at;
      REQUIRE_FALSE(simulate(g, flood, run, first));
      REQUIRE(first.saved);
      CHECK(first.saved->round == -1);
      CHECK(first.saved->trial == (stop_at == 0 ? 64u : 128u));
      CHECK(first.rec.summaries.size() == first.saved->trial - 10);
      gossip::test::TempFile file("", ".ckpt");
      write_checkpoint(file.path, RunCheckpoint{"cfg", 0, first.rec.summaries, *first.saved});
      const RunCheckpoint back = read_checkpoint(file.path);
      Recorder rest;
      rest.rec = first.rec;
      REQUIRE(simulate(g, flood, run, rest, &back.trial));
      check_same(whole.rec, rest.rec);
    }
  }
}
