// Aggregation (docs/model.md, "Aggregation"): the engine's steps against the serial reference
// (tests/aggregate_reference.hpp) value by value, every round, at 1, 2 and 4 threads; mass
// conserved without loss and lost with it; the observables the same for every thread count.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>

#include "aggregate_reference.hpp"
#include "temp_file.hpp"
#include "sim/checkpoint.hpp"
#include "gen/generate.hpp"
#include "gen/spec.hpp"
#include "sim/aggregate.hpp"
#include "sim/simulate.hpp"
#include "support.hpp"

namespace gossip::test {
namespace {

// Every round's s and w and observables of every trial.
struct States : Sink {
  std::vector<std::vector<double>> s, w;
  std::vector<AggregateRound> obs;
  std::vector<TrialSummary> done;
  unsigned at_boundary(std::uint32_t, Round) override { return kWantState; }
  void on_aggregate_state(std::uint32_t, Round, std::span<const double> a, std::span<const double> b) override {
    s.emplace_back(a.begin(), a.end());
    w.emplace_back(b.begin(), b.end());
  }
  void on_aggregate_round(std::uint32_t, Round, const AggregateRound& o) override { obs.push_back(o); }
  void on_trial_end(const TrialSummary& x, std::span<const Round>, std::span<const std::uint16_t>) override {
    done.push_back(x);
  }
};

// Bit for bit (NaN included: a round-0 factor is NaN).
bool same_bits(const std::vector<AggregateRound>& a, const std::vector<AggregateRound>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(AggregateRound)) == 0;
}

ProtocolSpec aggregation(Mode mode, std::string init = "uniform:0,1", std::string target = "average") {
  ProtocolSpec p{.mode = mode, .fanout = 1, .no_repeat = false, .forward_prob = 1.0, .ttl = 0,
                 .stop = StopRule::none, .k = 1, .sources = 1, .source_nodes = {}, .loss = 0.0,
                 .recovery_prob = 1.0};
  p.aggregate = {.init = std::move(init), .target = std::move(target), .eps = 1e-300};
  return p;
}

AggregateParams params_of(const ProtocolSpec& p) {
  std::string why;
  auto a = parse_aggregate(p.aggregate, why);
  REQUIRE_MESSAGE(a, why);
  return *a;
}

States run(const Graph& g, const ProtocolSpec& spec, int threads, Round rounds, std::uint64_t trials = 1) {
  States out;
  RunParams run{.seed = 5, .trials = trials, .trial_offset = 3, .max_rounds = rounds};
  with_threads(threads, [&] { simulate(g, spec, run, out); });
  return out;
}

std::string what(const ProtocolSpec& s) {
  return std::string(mode_name(s.mode)) + " fanout=" + std::to_string(s.fanout) + " loss=" + std::to_string(s.loss) +
         " init=" + s.aggregate.init + " target=" + s.aggregate.target;
}

// Engine (1, 2, 4 threads) against the reference, every round of `trials` trials.
void check_reference(const Graph& g, const ProtocolSpec& spec, Round rounds, std::uint64_t trials = 2) {
  const AggregateParams a = params_of(spec);
  const States one = run(g, spec, 1, rounds, trials);
  for (int threads : {2, 4}) {
    const States more = run(g, spec, threads, rounds, trials);
    CHECK_MESSAGE(more.s == one.s, what(spec), " threads=", threads);
    CHECK_MESSAGE(more.w == one.w, what(spec), " threads=", threads);
    CHECK_MESSAGE(same_bits(more.obs, one.obs), what(spec), " threads=", threads);
  }
  std::size_t at = 0;
  visit_graph(g, [&](const auto& x) {
    for (std::uint32_t t = 3; t < 3 + trials; ++t) {
      RefAggregate ref = ref_init(x, spec.mode, a, 5, t);
      for (Round r = 0; r <= rounds; ++r, ++at) {
        if (r > 0) ref_round(x, spec, 5, t, r, ref);
        REQUIRE(at < one.s.size());
        CHECK_MESSAGE(one.s[at] == ref.s, what(spec), " trial ", t, " round ", r);
        CHECK_MESSAGE(one.w[at] == ref.w, what(spec), " trial ", t, " round ", r);
      }
    }
  });
  CHECK(at == one.s.size());
}

Graph gen(const char* spec) { return generate(parse_spec(spec), {3}); }

}  // namespace

// Graphs: a sparse ER graph with isolated nodes (n above a prefix and a bin span, so averaging
// runs several prefixes and push-sum several blocks and ranges), a directed one, the implicit
// complete graph, and a star (every exchange meets at the hub: long retry chains).
TEST_CASE("aggregation steps equal the serial reference value by value at 1, 2 and 4 threads") {
  const Graph er = gen("er:n=20000,d=3");
  const Graph directed = gen("er:n=3000,d=4,directed=1");
  const Graph kn = gen("complete:n=700");
  const Graph star = gen("star:n=300");
  for (Mode mode : {Mode::push_sum, Mode::averaging, Mode::pairwise})
    for (double loss : {0.0, 0.2}) {
      ProtocolSpec spec = aggregation(mode);
      spec.loss = loss;
      check_reference(er, spec, 6);
      check_reference(directed, spec, 4);
      check_reference(kn, spec, 5);
      check_reference(star, spec, 4);
    }
  ProtocolSpec fan = aggregation(Mode::push_sum, "normal:3,2");
  fan.fanout = 3;
  check_reference(gen("er:n=5000,d=6"), fan, 5);
  check_reference(gen("complete:n=300"), aggregation(Mode::push_sum, "peak", "count"), 6);
  check_reference(gen("er:n=2000,d=5"), aggregation(Mode::push_sum, "uniform:-5,5", "sum"), 6);
  check_reference(gen("ring:n=500"), aggregation(Mode::averaging, "peak", "count"), 6);
  check_reference(gen("grid:rows=40,cols=50"), aggregation(Mode::pairwise, "peak"), 6);
}

TEST_CASE("without loss the mass stays put (1e-12 relative); with loss push-sum loses it and counts it") {
  const Graph er = gen("er:n=20000,d=8");
  for (Mode mode : {Mode::push_sum, Mode::averaging, Mode::pairwise}) {
    const States st = run(er, aggregation(mode, "uniform:1,3"), 2, 30);
    REQUIRE(st.obs.size() == 31);
    for (const AggregateRound& o : st.obs) {
      CHECK(std::fabs(o.drift_s) < 1e-12);
      CHECK(std::fabs(o.drift_w) < 1e-12);
      CHECK(o.lost == 0);
    }
    CHECK(st.obs.back().variance < st.obs.front().variance * 1e-3);
  }
  ProtocolSpec lossy = aggregation(Mode::push_sum, "uniform:1,3");
  lossy.loss = 0.1;
  const States st = run(er, lossy, 2, 10);
  // Each round loses about a tenth of the half that is sent: 5 % of the mass.
  const double kept = std::pow(0.95, 10);
  CHECK(st.obs.back().mass_w == doctest::Approx(20000 * kept).epsilon(0.01));
  CHECK(st.obs.back().drift_w == doctest::Approx(kept - 1).epsilon(0.01));
  std::int64_t lost = 0, sent = 0;
  for (const AggregateRound& o : st.obs) lost += o.lost, sent += o.messages;
  const auto& csr = std::get<CsrGraph>(er);
  std::int64_t senders = 0;
  for (NodeId v = 0; v < csr.num_nodes(); ++v) senders += csr.degree(v) > 0;
  CHECK(sent == 10 * senders);  // one share per node with neighbours and round
  CHECK(std::fabs(z_score(static_cast<double>(lost), static_cast<double>(sent), 0.1)) < 5);
  REQUIRE(st.done.size() == 1);
  CHECK(st.done[0].aggregate->lost == lost);
}

TEST_CASE("a trial ends in the first round within eps; the summary says when") {
  ProtocolSpec spec = aggregation(Mode::averaging, "uniform:1,2");
  spec.aggregate.eps = 1e-3;
  const States st = run(gen("complete:n=2000"), spec, 2, 1000, 2);
  REQUIRE(st.done.size() == 2);
  std::size_t at = 0;
  for (const TrialSummary& t : st.done) {
    REQUIRE(t.aggregate);
    REQUIRE(t.aggregate->round_eps);
    CHECK(*t.aggregate->round_eps == t.rounds);
    CHECK_FALSE(t.truncated);
    CHECK(t.aggregate->last.max_rel_error < 1e-3);
    CHECK(st.obs[at + static_cast<std::size_t>(t.rounds) - 1].max_rel_error >= 1e-3);
    CHECK(t.steps[static_cast<std::size_t>(StepKind::averaging)] == t.rounds);
    at += static_cast<std::size_t>(t.rounds) + 1;
  }
  const States cut = run(gen("complete:n=2000"), spec, 2, 3, 1);
  CHECK(cut.done[0].truncated);
  CHECK_FALSE(cut.done[0].aggregate->round_eps);
}

// Stops trial `stop_trial` after round `stop_round` with a checkpoint, like a batch job's signal.
struct Stopper : States {
  std::uint32_t stop_trial;
  Round stop_round;
  std::optional<TrialCheckpoint> saved;
  Stopper(std::uint32_t t, Round r) : stop_trial(t), stop_round(r) {}
  unsigned at_boundary(std::uint32_t t, Round r) override {
    return t == stop_trial && r == stop_round && !saved ? kStop : kGoOn;
  }
  void on_checkpoint(const TrialCheckpoint& c) override { saved = c; }
};

TEST_CASE("a checkpoint carries the floating-point state: stopped, written, read and resumed equals uninterrupted") {
  const Graph g = gen("er:n=5000,d=6");
  for (Mode mode : {Mode::push_sum, Mode::averaging, Mode::pairwise}) {
    ProtocolSpec spec = aggregation(mode, "normal:1,1");
    spec.loss = 0.05;
    spec.aggregate.eps = 1e-6;
    const RunParams params{.seed = 5, .trials = 3, .trial_offset = 0, .max_rounds = 40};
    States whole;
    simulate(g, spec, params, whole);
    Stopper first(1, 7);
    CHECK_FALSE(simulate(g, spec, params, first));
    REQUIRE(first.saved);
    const TempFile file("", ".ckpt");
    RunCheckpoint rc;
    rc.done = first.done;
    rc.trial = *first.saved;
    write_checkpoint(file.path, rc);
    const RunCheckpoint back = read_checkpoint(file.path);
    CHECK(back.trial.agg_s == first.saved->agg_s);
    CHECK(back.trial.agg_w == first.saved->agg_w);
    States rest;
    rest.done = back.done;
    CHECK(simulate(g, spec, params, rest, &back.trial));
    REQUIRE(rest.done.size() == whole.done.size());
    for (std::size_t i = 0; i < whole.done.size(); ++i) {
      CHECK(rest.done[i].rounds == whole.done[i].rounds);
      CHECK(rest.done[i].messages == whole.done[i].messages);
      const AggregateSummary &x = *rest.done[i].aggregate, &y = *whole.done[i].aggregate;
      CHECK(same_bits({x.last}, {y.last}));
      CHECK(x.truth == y.truth);
      CHECK(x.round_eps == y.round_eps);
      CHECK(std::memcmp(&x.factor, &y.factor, sizeof x.factor) == 0);
      CHECK(x.lost == y.lost);
    }
    CHECK(rest.s.back() == whole.s.back());
  }
}

TEST_CASE("bad aggregation input: peak on an empty graph, unparsable init") {
  const Graph empty = CsrGraph{};
  States st;
  RunParams run{.seed = 1, .trials = 1, .trial_offset = 0, .max_rounds = 5};
  CHECK_THROWS_AS(simulate(empty, aggregation(Mode::averaging, "peak"), run, st), UsageError);
  std::string why;
  for (const char* bad : {"uniform:2,1", "uniform:nan,1", "uniform:0,inf", "normal:0,-1", "normal:1e200,1", "peak:3",
                          "file:x", "uniform:1"}) {
    CHECK_FALSE(parse_aggregate({.init = bad, .target = "average", .eps = 1e-3}, why));
    CHECK(why.find("aggregate.init") != std::string::npos);
  }
  CHECK_FALSE(parse_aggregate({.init = "uniform:0,1", .target = "count", .eps = 1e-3}, why));
  CHECK_FALSE(parse_aggregate({.init = "uniform:0,1", .target = "max", .eps = 1e-3}, why));
}

}  // namespace gossip::test
