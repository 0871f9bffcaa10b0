// Aggregation (docs/model.md, "Aggregation"): the engine's steps against the serial reference
// (tests/aggregate_reference.hpp) value by value, every round, at 1, 2 and 4 threads; mass
// conserved without loss and lost with it; the observables the same for every thread count.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <map>
#include <random>
#include <tuple>

#include <fmt/format.h>
#include <zlib.h>

#include "aggregate_reference.hpp"
#include "temp_file.hpp"
#include "sim/checkpoint.hpp"
#include "gen/generate.hpp"
#include "gen/spec.hpp"
#include "graph/build_impl.hpp"
#include "io/node_file.hpp"
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
         " init=" + s.aggregate.init + " target=" + s.aggregate.target + " crashed=" + std::to_string(s.faults.crashed) +
         " churn=" + std::to_string(s.faults.churn.kind) + " events=" + std::to_string(s.faults.events.size()) +
         " join=" + s.faults.join.text + " delay=" + s.faults.delay.text;
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
      RefFaults faults(spec.faults, x.num_nodes(), 5, t, {});
      for (Round r = 0; r <= rounds; ++r, ++at) {
        RefCounts c;
        if (r > 0) c = ref_round(x, spec, 5, t, r, ref, &faults);
        REQUIRE(at < one.s.size());
        CHECK_MESSAGE(one.s[at] == ref.s, what(spec), " trial ", t, " round ", r);
        CHECK_MESSAGE(one.w[at] == ref.w, what(spec), " trial ", t, " round ", r);
        if (r == 0) continue;
        const AggregateRound& o = one.obs[at];
        CHECK_MESSAGE(o.messages == c.messages, what(spec), " trial ", t, " round ", r);
        CHECK_MESSAGE(o.lost == c.lost, what(spec), " trial ", t, " round ", r);
        CHECK_MESSAGE(o.lost_down == c.lost_down, what(spec), " trial ", t, " round ", r);
        CHECK_MESSAGE(o.lost_partition == c.lost_partition, what(spec), " trial ", t, " round ", r);
        CHECK_MESSAGE(o.up == c.up, what(spec), " trial ", t, " round ", r);
        CHECK_MESSAGE(o.lost_s == doctest::Approx(c.lost_s).epsilon(1e-12), what(spec), " trial ", t, " round ", r);
        CHECK_MESSAGE(o.lost_w == doctest::Approx(c.lost_w).epsilon(1e-12), what(spec), " trial ", t, " round ", r);
        CHECK_MESSAGE(o.in_flight == c.in_flight, what(spec), " trial ", t, " round ", r);
        CHECK_MESSAGE(o.flight_s == doctest::Approx(c.flight_s).epsilon(1e-12), what(spec), " trial ", t, " round ", r);
        CHECK_MESSAGE(o.flight_w == doctest::Approx(c.flight_w).epsilon(1e-12), what(spec), " trial ", t, " round ", r);
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

// aggregate.init = "file:COLUMN": the node file's values (rows in any order) are round 0, and
// every mode then runs as from drawn values.
TEST_CASE("aggregate.init = file:COLUMN: the node file's column is round 0; engine = reference") {
  const char* spec_text = "er:n=3000,d=4";
  const Graph g = gen(spec_text);
  std::string text = "id x other\n";
  std::vector<double> x(3000);
  for (NodeId v = 3000; v-- > 0;) {  // rows in descending order
    x[v] = (v % 7 == 0 ? -1.0 : 1.0) * (0.125 * (v % 97) + 1e-3 * v);
    text += fmt::format("{} {:.17g} 1\n", v, x[v]);
  }
  const TempFile nodes(text, ".csv");
  GraphOptions opt;
  opt.source = spec_text;
  opt.node_file = nodes.path;
  for (Mode mode : {Mode::push_sum, Mode::averaging, Mode::pairwise})
    for (std::string target : {"average", "sum"}) {
      if (target == "sum" && mode != Mode::push_sum) continue;
      ProtocolSpec spec = aggregation(mode, "file:x", target);
      spec.loss = 0.1;
      io::load_aggregate_values(spec.aggregate, g, opt);
      REQUIRE(spec.aggregate.values);
      CHECK(*spec.aggregate.values == x);
      const States st = run(g, spec, 2, 3);
      REQUIRE(!st.s.empty());
      CHECK(st.s[0] == x);
      check_reference(g, spec, 5);
    }
  ProtocolSpec unread = aggregation(Mode::averaging, "file:x");
  States st;
  CHECK_THROWS_AS(simulate(g, unread, RunParams{.seed = 1, .trials = 1, .trial_offset = 0, .max_rounds = 2}, st),
                  std::logic_error);
  opt.node_file.clear();
  CHECK_THROWS_AS(io::load_aggregate_values(unread.aggregate, g, opt), UsageError);
}

// Faults (docs/model.md, "Aggregation", "Faults"), as in tests/test_reference_faults.cpp.
FaultEvent event(FaultEvent::Kind kind, Round r, double fraction = 0.0, std::uint32_t groups = 2) {
  return {.kind = kind, .round = r, .fraction = fraction, .nodes = {}, .groups = groups, .group_column = {}, .group_map = {}};
}
ChurnSpec churn_of(const char* text) {
  std::string why;
  const auto c = parse_churn(text, why);
  REQUIRE_MESSAGE(c, why);
  return *c;
}
JoinSpec join_of(const char* text) {
  std::string why;
  const auto j = parse_join(text, why);
  REQUIRE_MESSAGE(j, why);
  return *j;
}
std::vector<FaultSpec> fault_cases() {
  std::vector<FaultSpec> out(5);
  out[0].crashed = 0.2;
  out[1].churn = churn_of("bernoulli:fail=0.2,recover=0.3");
  out[2].events = {event(FaultEvent::fail, 2, 0.4), event(FaultEvent::recover, 4, 0.7)};
  out[3].events = {event(FaultEvent::partition, 1, 0.0, 3), event(FaultEvent::heal, 4)};
  out[4].join = join_of("linear:per_round=700,start=2000");
  out[4].crashed = 0.05;
  return out;
}

TEST_CASE("with faults (crashed, churn, fail and recover, partition and heal, join) engine = reference") {
  const Graph er = gen("er:n=6000,d=4");
  const Graph directed = gen("er:n=2500,d=5,directed=1");
  for (Mode mode : {Mode::push_sum, Mode::averaging, Mode::pairwise})
    for (const FaultSpec& f : fault_cases()) {
      ProtocolSpec spec = aggregation(mode, "uniform:-1,3");
      spec.faults = f;
      check_reference(er, spec, 6);
      spec.loss = 0.15;
      if (mode == Mode::push_sum) spec.fanout = 2;
      check_reference(directed, spec, 5);
    }
}

DelaySpec delay_of(const char* text) {
  std::string why;
  const auto d = parse_delay(text, why);
  REQUIRE_MESSAGE(d, why);
  return *d;
}


TEST_CASE("push-sum with delays (and faults): engine = reference, shares in flight included") {
  const Graph er = gen("er:n=6000,d=4");
  const Graph directed = gen("er:n=2500,d=5,directed=1");
  std::vector<FaultSpec> cases = fault_cases();
  cases.insert(cases.begin(), FaultSpec{});
  const char* delays[] = {"fixed:2", "uniform:min=0,max=3", "geometric:p=0.4", "lognormal:median=1,sigma=0.8"};
  std::size_t k = 0;
  for (const FaultSpec& f : cases) {
    ProtocolSpec spec = aggregation(Mode::push_sum, "uniform:-1,3");
    spec.faults = f;
    spec.faults.delay = delay_of(delays[k++ % 4]);
    check_reference(er, spec, 7);
    spec.loss = 0.15;
    spec.fanout = 2;
    spec.faults.delay = delay_of(delays[k++ % 4]);
    check_reference(directed, spec, 6);
  }
  // faults.delay = edge: each share takes its arc's latency.
  ProtocolSpec edge = aggregation(Mode::push_sum, "uniform:-1,3");
  edge.faults.delay = delay_of("edge");
  edge.faults.churn = churn_of("bernoulli:fail=0.2,recover=0.4");
  const Graph weighted = weighted_graph(5000, 12000, false, 7);
  check_reference(weighted, edge, 9);
  CHECK(run(weighted, edge, 2, 3).obs[3].in_flight > 0);
  edge.fanout = 3;
  check_reference(weighted_graph(3000, 9000, true, 8), edge, 9);
}

TEST_CASE("push-sum with delays: the mass held plus the mass in flight falls by exactly the lost shares") {
  const Graph g = gen("er:n=3000,d=6");
  ProtocolSpec spec = aggregation(Mode::push_sum, "peak");
  spec.fanout = 2;
  spec.loss = 0.05;
  spec.faults.delay = delay_of("uniform:min=0,max=3");
  spec.faults.churn = churn_of("bernoulli:fail=0.2,recover=0.4");
  const States st = run(g, spec, 2, 12);
  double lost_s = 0, lost_w = 0;
  for (std::size_t r = 1; r < st.obs.size(); ++r) {
    const AggregateRound& o = st.obs[r];
    lost_s += o.lost_s, lost_w += o.lost_w;
    CHECK(o.mass_s + o.flight_s == st.obs[0].mass_s - lost_s);
    CHECK(o.mass_w + o.flight_w == st.obs[0].mass_w - lost_w);
    CHECK(o.in_flight > 0);
  }
  // Without faults and loss the estimates still converge to the truth (the mass all arrives).
  ProtocolSpec clean = aggregation(Mode::push_sum, "uniform:1,2");
  clean.faults.delay = delay_of("uniform:min=0,max=4");
  clean.aggregate.eps = 1e-6;
  const States c = run(gen("complete:n=2000"), clean, 2, 400);
  REQUIRE(c.done.size() == 1);
  CHECK(c.done[0].aggregate->round_eps);
  CHECK(c.done[0].aggregate->last.lost == 0);
}

// The component of each node v with keep(v) in the graph of the arcs v -> u with keep(u) and
// same(v, u) (union-find; the graph is undirected), -1 for the others.
template <class Keep, class Same>
std::vector<std::int64_t> components(const Graph& g, Keep&& keep, Same&& same) {
  const auto& csr = std::get<CsrGraph>(g);
  const NodeId n = csr.num_nodes();
  std::vector<NodeId> parent(n);
  for (NodeId v = 0; v < n; ++v) parent[v] = v;
  auto find = [&](NodeId v) {
    while (parent[v] != v) v = parent[v] = parent[parent[v]];
    return v;
  };
  for (NodeId v = 0; v < n; ++v)
    if (keep(v))
      for (NodeId u : csr.neighbors(v))
        if (keep(u) && same(v, u)) parent[find(v)] = find(u);
  std::vector<std::int64_t> out(n, -1);
  for (NodeId v = 0; v < n; ++v)
    if (keep(v)) out[v] = find(v);
  return out;
}

// Every kept node's value is its component's initial average (within tol).
void check_component_averages(const std::vector<std::int64_t>& comp, const std::vector<double>& x,
                              const std::vector<double>& last, double tol, const std::string& what) {
  std::map<std::int64_t, std::pair<double, double>> sum;  // component: (sum, count)
  for (std::size_t v = 0; v < x.size(); ++v)
    if (comp[v] >= 0) sum[comp[v]].first += x[v], sum[comp[v]].second += 1;
  CHECK(sum.size() >= 1);
  double worst = 0;
  for (std::size_t v = 0; v < x.size(); ++v)
    if (comp[v] >= 0) worst = std::max(worst, std::fabs(last[v] - sum[comp[v]].first / sum[comp[v]].second));
  CHECK_MESSAGE(worst < tol, what, " components ", sum.size());
}

// The sum over the nodes v with keep(v) of f(v).
template <class Keep, class F>
double sum_if(std::size_t n, Keep&& keep, F&& f) {
  double x = 0;
  for (std::size_t v = 0; v < n; ++v)
    if (keep(v)) x += f(v);
  return x;
}

TEST_CASE("crashed nodes: averaging and pairwise keep the up nodes' sum and reach their average; push-sum a consensus") {
  // On K_n the up nodes stay connected (on a sparse graph a node whose neighbours are mostly
  // crashed mixes slowly, one with none not at all).
  const Graph g = gen("complete:n=5000");
  for (Mode mode : {Mode::averaging, Mode::pairwise, Mode::push_sum}) {
    ProtocolSpec spec = aggregation(mode, "uniform:0,10");
    spec.faults.crashed = 0.3;
    const Round rounds = mode == Mode::pairwise ? 200 : 60;
    const States st = run(g, spec, 2, rounds);
    REQUIRE(st.s.size() == static_cast<std::size_t>(rounds) + 1);
    const RefFaults faults(spec.faults, 5000, 5, 3, {});
    auto up = [&](std::size_t v) { return !faults.crashed(static_cast<NodeId>(v)); };
    const std::int64_t n_up = static_cast<std::int64_t>(sum_if(5000, up, [](std::size_t) { return 1.0; }));
    CHECK(n_up == doctest::Approx(3500).epsilon(0.05));
    const std::vector<double>& x = st.s.front();
    const double avg_up = sum_if(5000, up, [&](std::size_t v) { return x[v]; }) / static_cast<double>(n_up);
    double lo = 1e300, hi = -1e300;
    for (std::size_t v = 0; v < 5000; ++v)
      if (up(v)) lo = std::min(lo, x[v]), hi = std::max(hi, x[v]);
    for (std::size_t r = 0; r < st.s.size(); ++r) {
      CHECK(st.obs[r].up == n_up);
      for (std::size_t v = 0; v < 5000; ++v)
        if (!up(v)) REQUIRE(st.s[r][v] == x[v]);  // a crashed node keeps its value
      if (mode != Mode::push_sum) {
        const double sum_up = sum_if(5000, up, [&](std::size_t v) { return st.s[r][v]; });
        CHECK(sum_up == doctest::Approx(avg_up * static_cast<double>(n_up)).epsilon(1e-12));
        CHECK(st.obs[r].lost == st.obs[r].lost_down);
      }
    }
    std::vector<std::int64_t> comp(5000);
    for (std::size_t v = 0; v < 5000; ++v) comp[v] = up(v) ? 0 : -1;
    if (mode != Mode::push_sum) check_component_averages(comp, x, st.s.back(), 1e-9, std::string(mode_name(mode)));
    for (std::size_t v = 0; v < 5000; ++v) {
      if (!up(v) || mode != Mode::push_sum) continue;
      const double e = st.s.back()[v] / st.w.back()[v];
      CHECK(e >= lo);  // a weighted average of the up nodes' values
      CHECK(e <= hi);
    }
    if (mode != Mode::push_sum) CHECK(st.obs.back().mean == doctest::Approx(avg_up).epsilon(1e-12));
    // Against the truth of all nodes the crashed ones' values show as error.
    CHECK(st.done[0].aggregate->truth == doctest::Approx(sum_if(5000, [](std::size_t) { return true; },
                                                                [&](std::size_t v) { return x[v]; }) / 5000));
    double err = 0;
    for (std::size_t v = 0; v < 5000; ++v) {
      const double e = mode == Mode::push_sum ? st.s.back()[v] / st.w.back()[v] : st.s.back()[v];
      if (up(v)) err = std::max(err, std::fabs(e - st.done[0].aggregate->truth));
    }
    CHECK(st.obs.back().max_abs_error == err);  // over the up nodes only
  }
}

TEST_CASE("a permanent partition into halves: each half reaches its own average (averaging, pairwise)") {
  const Graph g = gen("er:n=4000,d=24");
  for (Mode mode : {Mode::averaging, Mode::pairwise}) {
    ProtocolSpec spec = aggregation(mode, "normal:0,1");
    spec.faults.events = {event(FaultEvent::partition, 0, 0.0, 2)};
    const States st = run(g, spec, 2, mode == Mode::averaging ? 150 : 300);
    const auto comp = components(g, [](NodeId) { return true; }, [](NodeId v, NodeId u) { return v / 2000 == u / 2000; });
    CHECK(comp[0] != comp[3999]);
    check_component_averages(comp, st.s.front(), st.s.back(), 1e-7, std::string(mode_name(mode)));
    std::int64_t cut = 0;
    for (const AggregateRound& o : st.obs) {
      cut += o.lost_partition;
      CHECK(o.lost == o.lost_partition);
    }
    CHECK(cut > 0);
  }
}

TEST_CASE("push-sum with faults and loss: the mass falls by exactly the lost shares") {
  // peak values and fanout 2 (shares of a quarter): every sum is exact over these rounds.
  const Graph g = gen("er:n=3000,d=6");
  ProtocolSpec spec = aggregation(Mode::push_sum, "peak");
  spec.fanout = 2;
  spec.loss = 0.1;
  spec.faults.churn = churn_of("bernoulli:fail=0.2,recover=0.4");
  spec.faults.events = {event(FaultEvent::partition, 3, 0.0, 2), event(FaultEvent::heal, 7)};
  const States st = run(g, spec, 2, 12);
  double lost_s = 0, lost_w = 0;
  std::int64_t down = 0, partition = 0;
  for (std::size_t r = 1; r < st.obs.size(); ++r) {
    const AggregateRound& o = st.obs[r];
    lost_s += o.lost_s, lost_w += o.lost_w, down += o.lost_down, partition += o.lost_partition;
    CHECK(o.mass_s == st.obs[0].mass_s - lost_s);
    CHECK(o.mass_w == st.obs[0].mass_w - lost_w);
    CHECK(o.lost > o.lost_down + o.lost_partition);  // loss too
    CHECK(o.up < 3000);
  }
  CHECK(down > 0);
  CHECK(partition > 0);
  CHECK(st.obs.back().drift_w < -0.2);
}

TEST_CASE("with faults a trial does not end before the last event's round") {
  ProtocolSpec spec = aggregation(Mode::averaging, "uniform:1,2");
  spec.aggregate.eps = 1e-2;
  spec.faults.events = {event(FaultEvent::fail, 25, 0.1)};
  const States st = run(gen("complete:n=1000"), spec, 2, 200);
  REQUIRE(st.done.size() == 1);
  CHECK(st.done[0].rounds == 25);  // within eps long before; the failed nodes keep their (good) values
  CHECK(st.obs[10].max_rel_error < 1e-2);
  CHECK(st.obs[25].up < 1000);
  CHECK(st.obs[24].up == 1000);
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
  for (Mode mode : {Mode::push_sum, Mode::averaging, Mode::pairwise})
  for (bool faults : {false, true}) {
    ProtocolSpec spec = aggregation(mode, "normal:1,1");
    spec.loss = 0.05;
    spec.aggregate.eps = 1e-6;
    if (faults) {  // the up nodes of the round resumed from: churn and events before and after it
      spec.faults.churn = churn_of("bernoulli:fail=0.1,recover=0.5");
      spec.faults.events = {event(FaultEvent::fail, 3, 0.2), event(FaultEvent::partition, 5, 0.0, 2),
                            event(FaultEvent::recover, 9, 1.0), event(FaultEvent::heal, 12)};
      if (mode == Mode::push_sum) spec.faults.delay = delay_of("uniform:min=0,max=4");  // shares in flight
    }
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
    CHECK(back.trial.agg_flight_s == first.saved->agg_flight_s);
    CHECK(back.trial.agg_flight_round == first.saved->agg_flight_round);
    CHECK((faults && mode == Mode::push_sum) == !back.trial.agg_flight_s.empty());
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
    REQUIRE(whole.obs.size() >= rest.obs.size());
    CHECK(same_bits(rest.obs, std::vector<AggregateRound>(whole.obs.end() - static_cast<std::ptrdiff_t>(rest.obs.size()),
                                                          whole.obs.end())));
  }
}

// A checkpoint as format version 5 wrote it (sim/checkpoint.cpp): AggregateRound without the
// fault fields, no shares in flight.
struct V5Writer {
  std::string bytes;
  template <class T>
  void value(const T& v) {
    bytes.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  template <class T>
  void array(const std::vector<T>& v) {
    value<std::uint64_t>(v.size());
    bytes.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
  }
  void round(const AggregateRound& a) {
    for (double x : {a.mean, a.variance, a.max_abs_error, a.max_rel_error, a.mass_s, a.mass_w, a.drift_s, a.drift_w,
                     a.factor})
      value(x);
    value(a.undefined), value(a.messages), value(a.lost);
  }
};
std::string version5(const RunCheckpoint& c) {
  V5Writer o;
  auto opt = [](const std::optional<Round>& r) { return r ? *r : Round{-1}; };
  o.bytes = "GOSSIPCK";
  o.value(std::uint32_t{5});
  o.value<std::uint64_t>(c.config_toml.size());
  o.bytes += c.config_toml;
  o.value(c.graph_fingerprint), o.value(c.inputs_fingerprint);
  o.value<std::uint64_t>(c.done.size());
  for (const TrialSummary& s : c.done) {
    o.value(s.trial), o.value(s.rounds), o.value<std::uint8_t>(s.truncated), o.value(s.final_informed);
    o.value(s.coverage), o.value(s.residue), o.value(s.messages), o.value(s.requests), o.value(s.traffic);
    o.value(s.t_avg), o.value(s.t_last), o.value(opt(s.round_50)), o.value(opt(s.round_90));
    o.value(opt(s.round_99)), o.value(opt(s.round_full)), o.value(s.wall_seconds);
    o.array(std::vector<std::int64_t>(s.steps.begin(), s.steps.end()));
    o.value(opt(s.round_95)), o.value(s.reachable), o.value(s.coverage_reachable), o.value(opt(s.reach_50));
    o.value(opt(s.reach_90)), o.value(opt(s.reach_95)), o.value(opt(s.reach_99)), o.value(opt(s.reach_full));
    o.value<std::uint8_t>(s.coverage_stop), o.value(opt(s.max_hops));
    o.value<std::uint8_t>(1);
    const AggregateSummary& a = *s.aggregate;
    o.value(a.truth), o.round(a.last), o.value(opt(a.round_eps)), o.value(a.factor), o.value(a.lost);
    o.value<std::uint8_t>(s.posts);
  }
  const TrialCheckpoint& t = c.trial;
  o.value(t.trial), o.value(t.round), o.value(t.cur), o.value(t.messages), o.value(t.requests);
  o.value(t.elapsed_seconds), o.value<std::uint8_t>(t.sparse);
  o.array(std::vector<NodeId>{}), o.array(std::vector<std::int64_t>{}), o.array(std::vector<Round>{});
  o.array(std::vector<std::uint16_t>{}), o.array(std::vector<std::uint32_t>{}), o.array(std::vector<std::uint16_t>{});
  o.array(std::vector<std::int64_t>(t.steps.begin(), t.steps.end()));
  o.array(std::vector<Round>{}), o.array(std::vector<std::uint64_t>{});
  o.array(t.agg_s), o.array(t.agg_w), o.value(t.agg_truth), o.value(t.agg_lost), o.round(t.agg_first), o.round(t.agg_cur);
  o.array(std::vector<std::uint8_t>{});
  o.value(static_cast<std::uint32_t>(crc32_z(crc32_z(0, nullptr, 0), reinterpret_cast<const Bytef*>(o.bytes.data()),
                                             o.bytes.size())));
  o.bytes += "GOSSIPCK";
  return o.bytes;
}

// a as version 5 stored it (lost_s and lost_w were not kept: 0), every node up.
AggregateRound as_version5(AggregateRound a, std::int64_t n) {
  a.lost_s = a.lost_w = a.flight_s = a.flight_w = 0;
  a.lost_down = a.lost_partition = a.in_flight = 0;
  a.up = n;
  return a;
}

TEST_CASE("a version-5 checkpoint (before faults) still resumes: every node up, equal to an uninterrupted run") {
  const Graph g = gen("er:n=5000,d=6");
  ProtocolSpec spec = aggregation(Mode::push_sum, "normal:1,1");
  spec.loss = 0.05;
  spec.aggregate.eps = 1e-6;
  const RunParams params{.seed = 5, .trials = 3, .trial_offset = 0, .max_rounds = 40};
  States whole;
  simulate(g, spec, params, whole);
  Stopper first(1, 7);
  CHECK_FALSE(simulate(g, spec, params, first));
  REQUIRE(first.saved);
  RunCheckpoint rc;
  rc.config_toml = "x = 1";
  rc.done = first.done;
  rc.trial = *first.saved;
  const TempFile file(version5(rc), ".ckpt");
  const RunCheckpoint back = read_checkpoint(file.path);
  CHECK(back.config_toml == "x = 1");
  REQUIRE(back.done.size() == 1);
  CHECK(same_bits({back.done[0].aggregate->last}, {as_version5(first.done[0].aggregate->last, 5000)}));
  CHECK(back.trial.agg_s == first.saved->agg_s);
  CHECK(same_bits({back.trial.agg_cur}, {as_version5(first.saved->agg_cur, 5000)}));
  CHECK(same_bits({back.trial.agg_first}, {as_version5(first.saved->agg_first, 5000)}));
  States rest;
  rest.done = back.done;
  CHECK(simulate(g, spec, params, rest, &back.trial));
  REQUIRE(rest.done.size() == 3);
  for (std::size_t i = 1; i < 3; ++i) CHECK(same_bits({rest.done[i].aggregate->last}, {whole.done[i].aggregate->last}));
  CHECK(rest.s.back() == whole.s.back());
}

TEST_CASE("bad aggregation input: peak on an empty graph, unparsable init") {
  const Graph empty = CsrGraph{};
  States st;
  RunParams run{.seed = 1, .trials = 1, .trial_offset = 0, .max_rounds = 5};
  CHECK_THROWS_AS(simulate(empty, aggregation(Mode::averaging, "peak"), run, st), UsageError);
  std::string why;
  for (const char* bad : {"uniform:2,1", "uniform:nan,1", "uniform:0,inf", "normal:0,-1", "normal:1e200,1", "peak:3",
                          "file:", "uniform:1"}) {
    CHECK_FALSE(parse_aggregate({.init = bad, .target = "average", .eps = 1e-3}, why));
    CHECK(why.find("aggregate.init") != std::string::npos);
  }
  CHECK_FALSE(parse_aggregate({.init = "uniform:0,1", .target = "count", .eps = 1e-3}, why));
  CHECK_FALSE(parse_aggregate({.init = "uniform:0,1", .target = "max", .eps = 1e-3}, why));
}

}  // namespace gossip::test
