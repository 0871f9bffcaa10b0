// Posts (docs/model.md, "Posts: many rumors in one run"): the parallel engine (simulate() with
// spec.posts, sim/posts.cpp) against the serial reference simulator of posts
// (tests/reference_posts.hpp), which shares only the random numbers with it: every round's
// counters, every post's outcome, reach per round, and every (user, post) arrival with its hops,
// over graphs (er, a directed graph, isolated nodes, a ring), modes, fanout, forward probability,
// loss, TTL, lifetime, posts created in different rounds with ids in several 64-lane words,
// faults, delays and joins, at 1, 2 and 4 threads. Then: many posts = each post alone in the
// engine; data/social's four friends by hand; the options posts refuse. Stop rules (push) and
// run.stop_coverage against the reference and each post alone.
#include <map>
#include <string>
#include <tuple>

#include "config/config_toml.hpp"
#include "core/error.hpp"
#include "io/node_file.hpp"
#include "io/social.hpp"
#include "io/source.hpp"
#include "graph/build_impl.hpp"
#include "posts_support.hpp"
#include "reference_posts.hpp"
#include "sanitizer.hpp"
#include "sim/posts.hpp"
#include "sim/simulate.hpp"

using namespace gossip;
using namespace gossip::test;

namespace {

constexpr bool kSmall = kSanitizer;
std::vector<int> thread_counts() { return kSmall ? std::vector<int>{1, 4} : std::vector<int>{1, 2, 4}; }

// What the engine hands a sink in a posts run, trial by trial.
struct PostsCollect : Sink {
  std::map<std::uint32_t, std::vector<RoundStats>> rounds;
  std::map<std::uint32_t, PostsTrialResult> results;
  std::map<std::uint32_t, TrialSummary> summaries;
  std::vector<std::string> problems;  // calls out of the documented order
  void on_round(std::uint32_t t, Round r, const RoundStats& s) override {
    auto& v = rounds[t];
    if (static_cast<std::size_t>(r) != v.size()) problems.push_back("on_round out of order");
    v.push_back(s);
  }
  void on_posts_trial(const PostsTrialResult& res) override {
    if (results.count(res.trial)) problems.push_back("on_posts_trial twice");
    results[res.trial] = res;
  }
  void on_trial_end(const TrialSummary& s, std::span<const Round> ia, std::span<const std::uint16_t> h) override {
    if (!results.count(s.trial)) problems.push_back("on_trial_end before on_posts_trial");
    if (!ia.empty() || !h.empty()) problems.push_back("on_trial_end with node rows");
    summaries[s.trial] = s;
  }
};

// The fields of two round counters that differ, "name got/want".
std::string diff(const RoundStats& a, const RoundStats& b) {
  std::string out;
  auto f = [&](const char* name, std::int64_t x, std::int64_t y) {
    if (x != y) out += std::string(name) + " " + std::to_string(x) + "/" + std::to_string(y) + " ";
  };
  f("informed", a.informed, b.informed);
  f("newly_informed", a.newly_informed, b.newly_informed);
  f("messages", a.messages, b.messages);
  f("requests", a.requests, b.requests);
  f("redundant", a.redundant, b.redundant);
  f("lost", a.lost, b.lost);
  f("spreaders", a.spreaders, b.spreaders);
  f("up", a.up, b.up);
  f("lost_down", a.lost_down, b.lost_down);
  f("lost_partition", a.lost_partition, b.lost_partition);
  f("present", a.present, b.present);
  f("in_flight", a.in_flight, b.in_flight);
  return out;
}
std::string opt(const std::optional<Round>& r) { return r ? std::to_string(*r) : "-"; }
std::string show(const PostOutcome& o) {
  return "id " + std::to_string(o.id) + " author " + std::to_string(o.author) + " created " + std::to_string(o.created) +
         " reach " + std::to_string(o.reach) + " r50 " + opt(o.rounds_50) + " r90 " + opt(o.rounds_90) + " r99 " +
         opt(o.rounds_99) + " full " + opt(o.rounds_full) + " max_hops " + std::to_string(o.max_hops) +
         " duplicates " + std::to_string(o.duplicates);
}
std::string show(const PostArrival& a) {
  return "post " + std::to_string(a.post) + " user " + std::to_string(a.user) + " round " + std::to_string(a.round) +
         " hops " + std::to_string(a.hops);
}

RunParams run_of(std::uint64_t seed, std::uint64_t trials, std::uint64_t offset, Round max_rounds, double stop_coverage = 1.0) {
  RunParams run;
  run.stop_coverage = stop_coverage;
  run.seed = seed;
  run.trials = trials;
  run.trial_offset = offset;
  run.max_rounds = max_rounds;
  return run;
}

// The engine's trials offset .. offset + trials - 1 at `threads` workers.
PostsCollect engine_run(const Graph& any, const ProtocolSpec& spec, std::uint64_t seed, std::uint64_t trials,
                        std::uint64_t offset, Round max_rounds, int threads, double stop_coverage = 1.0) {
  PostsCollect c;
  const bool done = with_threads(threads, [&] {
    return simulate(any, spec, run_of(seed, trials, offset, max_rounds, stop_coverage), c);
  });
  CHECK(done);
  CHECK(c.problems.empty());
  return c;
}

// One engine trial against the reference, field by field; returns whether all matched (the
// first difference is reported, not every consequence of it).
bool same_trial(const PostsCollect& c, const RefPostsTrial& ref, std::uint32_t t, std::int64_t n) {
  const std::vector<RoundStats>& rounds = c.rounds.at(t);
  const PostsTrialResult& res = c.results.at(t);
  const TrialSummary& sum = c.summaries.at(t);
  const std::size_t R = ref.rounds.size();
  // Per round counters, up to the first round that differs.
  for (std::size_t r = 0; r < std::min(R, rounds.size()); ++r) {
    const std::string d = diff(rounds[r], ref.rounds[r]);
    if (!d.empty()) {
      FAIL_CHECK("round ", r, " of ", R - 1, ": engine/reference ", d);
      return false;
    }
  }
  CHECK(rounds.size() == R);
  CHECK(res.trial == t);
  CHECK(res.rounds == ref.last_round());
  CHECK(sum.rounds == ref.last_round());
  CHECK(sum.truncated == ref.truncated);
  CHECK(sum.messages == ref.messages());
  CHECK(sum.requests == ref.requests());
  CHECK(sum.final_informed == ref.rounds.back().informed);
  CHECK(sum.traffic == static_cast<double>(ref.messages()) / static_cast<double>(n));
  REQUIRE(res.posts.size() == ref.posts.size());
  bool ok = rounds.size() == R && res.rounds == ref.last_round();
  for (std::size_t k = 0; k < ref.posts.size(); ++k)
    if (!(res.posts[k] == ref.posts[k])) {
      FAIL_CHECK("post ", k, ": engine ", show(res.posts[k]), "; reference ", show(ref.posts[k]));
      ok = false;
    }
  if (res.reach != ref.reach) {
    const std::size_t P = ref.posts.size();
    for (std::size_t x = 0; x < std::min(res.reach.size(), ref.reach.size()); ++x)
      if (res.reach[x] != ref.reach[x]) {
        FAIL_CHECK("reach of post ", x % P, " in round ", x / P, ": engine ", res.reach[x], ", reference ", ref.reach[x]);
        break;
      }
    CHECK(res.reach.size() == ref.reach.size());
    ok = false;
  }
  if (res.arrivals != ref.arrivals) {
    for (std::size_t x = 0; x < std::min(res.arrivals.size(), ref.arrivals.size()); ++x)
      if (!(res.arrivals[x] == ref.arrivals[x])) {
        FAIL_CHECK("arrival ", x, ": engine ", show(res.arrivals[x]), "; reference ", show(ref.arrivals[x]));
        break;
      }
    CHECK(res.arrivals.size() == ref.arrivals.size());
    ok = false;
  }
  return ok;
}

// The engine = the reference for trials 0 and 3 (different post keys) at every thread count.
void compare(const Graph& any, const ProtocolSpec& spec, std::uint64_t seed = 11, Round max_rounds = 400,
             const std::vector<std::uint32_t>& trials = {0, 3}, double stop_coverage = 1.0) {
  const CsrGraph& g = std::get<CsrGraph>(any);
  std::vector<RefPostsTrial> refs;
  for (std::uint32_t t : trials) refs.push_back(reference_posts_trial(g, spec, seed, t, max_rounds, stop_coverage));
  for (int threads : thread_counts()) {
    INFO(describe_posts(spec), " stop ", stop_name(spec.stop), " k ", spec.k, " stop_coverage ", stop_coverage, " seed ",
         seed, " threads ", threads);
    // Trials 0 .. last in one run (the engine's per-trial state reset between trials).
    const PostsCollect c = engine_run(any, spec, seed, trials.back() + 1, 0, max_rounds, threads, stop_coverage);
    for (std::size_t x = 0; x < trials.size(); ++x) {
      INFO("trial ", trials[x]);
      if (!same_trial(c, refs[x], trials[x], g.num_nodes())) return;  // one report per spec
    }
  }
}

// An er-like graph with a latency per edge (0 .. 4 rounds), built as a weighted edge list is.
struct WeightedEdges {
  static constexpr bool weighted = true;
  NodeId n;
  std::vector<std::tuple<NodeId, NodeId, Latency>> edges;
  NodeId num_nodes() const { return n; }
  std::size_t num_blocks() const { return (edges.size() + 15) / 16; }
  template <class Emit>
  void block(std::size_t b, Emit&& emit) const {
    for (std::size_t i = 16 * b; i < std::min(edges.size(), 16 * (b + 1)); ++i)
      emit(std::get<0>(edges[i]), std::get<1>(edges[i]), std::get<2>(edges[i]));
  }
};
Graph weighted_graph(NodeId n, std::size_t m, bool directed) {
  WeightedEdges list{n, {}};
  std::uint64_t x = 12345;
  auto next = [&] { return static_cast<std::uint32_t>((x = x * 6364136223846793005ull + 1442695040888963407ull) >> 33); };
  for (std::size_t k = 0; k < m; ++k) list.edges.emplace_back(next() % n, next() % n, static_cast<Latency>(next() % 5));
  return build_csr(list, {.directed = directed});
}

struct Case {
  const char* name;
  Graph g;
  std::vector<PostSeed> posts;  // ids 0, 5, 64, 130 (three 64-lane words), in different rounds
};
std::vector<Case> cases() {
  std::vector<Case> out;
  out.push_back({"er:n=40,d=4", gen_csr("er:n=40,d=4", 3), {{0, 0, 0}, {5, 7, 0}, {64, 3, 2}, {130, 11, 5}}});
  // List order is not id order: outcomes and arrivals follow the list.
  out.push_back({"digraph", posts_digraph(), {{64, 5, 2}, {0, 0, 0}, {130, 4, 0}, {5, 2, 1}}});
  out.push_back({"isolated", posts_isolated(), {{0, 0, 0}, {5, 3, 1}, {64, 6, 2}, {130, 10, 4}}});
  out.push_back({"ring:n=16", gen_csr("ring:n=16"), {{0, 0, 0}, {5, 8, 0}, {64, 3, 3}, {130, 12, 6}}});
  return out;
}

// Fault and delay variants: none; uniform delays; crashed + churn + a partition and its heal;
// joins with delays and churn.
void add_faults(ProtocolSpec& spec, int variant, NodeId n) {
  if (variant == 1 || variant == 3) spec.faults.delay = uniform_delay(0, 2);
  if (variant == 2) {
    spec.faults.crashed = 0.15;
    spec.faults.churn = churn_bernoulli(0.2, 0.5);
    spec.faults.events = {event(FaultEvent::partition, 2), event(FaultEvent::fail, 3, {1, 2}),
                          event(FaultEvent::heal, 5), event(FaultEvent::recover, 6, {1})};
  }
  if (variant == 3) {
    spec.faults.churn = churn_bernoulli(0.1, 0.5);
    spec.faults.join = join_linear(2, n / 2);
  }
}

void compare_matrix(const Case& c, bool faults_only) {
  for (Mode m : {Mode::push, Mode::pull, Mode::push_pull, Mode::flood})
    for (std::uint32_t fanout : {1u, 2u})
      for (double p : {1.0, 0.5})
        for (double loss : {0.0, 0.2})
          for (std::uint32_t ttl : {0u, 2u})
            for (Round lifetime : {0, 3})
              for (int variant = 0; variant < 4; ++variant) {
                if (m == Mode::flood && fanout == 2) continue;
                if (faults_only != (variant != 0)) continue;
                ProtocolSpec spec = posts_spec(m, c.posts, {.fanout = fanout, .forward_prob = p, .loss = loss, .ttl = ttl,
                                                            .lifetime = lifetime});
                add_faults(spec, variant, std::get<CsrGraph>(c.g).num_nodes());
                INFO(std::string(c.name));
                compare(c.g, spec);
              }
}

}  // namespace

TEST_CASE("posts: engine = reference without faults") {
  for (const Case& c : cases()) compare_matrix(c, false);
}

TEST_CASE("posts: engine = reference with delays, faults and joins") {
  for (const Case& c : cases()) compare_matrix(c, true);
}

TEST_CASE("posts: engine = reference, edge cases") {
  const Graph er = gen_csr("er:n=40,d=4", 3);
  // max_rounds before the last post is created: truncated, that post never created (reach 0).
  compare(er, posts_spec(Mode::push, {{0, 0, 0}, {9, 5, 6}}), 11, 4);
  // An author that joins after its post's round still gets it ("whatever its faults").
  ProtocolSpec join = posts_spec(Mode::push_pull, {{0, 0, 0}, {3, 39, 1}}, {.fanout = 2});
  join.faults.join = join_linear(4, 20);
  compare(er, join);
  // Every node crashed but authors' own copies; a post at a large id (lane 63 of a far word).
  ProtocolSpec crash = posts_spec(Mode::push, {{0, 0, 0}, {(1u << 20) + 63, 1, 0}}, {.fanout = 2});
  crash.faults.crashed = 0.6;
  compare(er, crash);
  // no_repeat: the node's contact count runs over every contact, whatever it carries (every mode
  // that contacts; fanout 2 crosses a cycle of the permutation on small degrees).
  for (Mode m : {Mode::push, Mode::pull, Mode::push_pull}) {
    ProtocolSpec nr = posts_spec(m, {{0, 0, 0}, {5, 9, 2}, {64, 20, 4}}, {.fanout = 2, .forward_prob = 0.5});
    nr.no_repeat = true;
    compare(er, nr);
  }
  // Flood with recovery (SIR per post): each holder sends every round until its coin for the post;
  // with a TTL and with delays (hops kept), lifetime, loss, and churn (a recovered node stays so).
  for (int variant = 0; variant < 4; ++variant) {
    ProtocolSpec sir = posts_spec(Mode::flood, {{0, 0, 0}, {5, 9, 2}, {64, 20, 4}, {70, 33, 1}},
                                  {.forward_prob = variant % 2 ? 0.5 : 1.0, .ttl = variant == 1 ? 3u : 0u});
    sir.recovery_prob = 0.4;
    if (variant == 2) sir.faults.delay = uniform_delay(0, 2);
    if (variant == 3) {
      sir.loss = 0.2;
      sir.posts.lifetime = 6;
      sir.faults.churn = churn_bernoulli(0.1, 0.5);
    }
    compare(er, sir);
  }
  // One post: the smallest run; and a post created late on a ring (the run waits for it).
  compare(gen_csr("ring:n=16"), posts_spec(Mode::flood, {{7, 3, 0}}));
  compare(gen_csr("ring:n=16"), posts_spec(Mode::pull, {{7, 3, 0}, {8, 9, 30}}, {.forward_prob = 0.5}));
  // Delays with a lifetime: copies in flight past a post's end are ignored on arrival.
  ProtocolSpec late = posts_spec(Mode::push, {{0, 0, 0}, {1, 4, 1}, {2, 9, 3}}, {.fanout = 2, .lifetime = 3});
  late.faults.delay = uniform_delay(0, 4);
  compare(er, late);
  // Every delay kind (edge: the arc's latency, the reply's the requester's arc) and the other
  // fault forms (blocks, a fraction failing and recovering).
  for (bool directed : {false, true}) {
    const Graph w = weighted_graph(30, 70, directed);
    for (Mode m : {Mode::push, Mode::pull, Mode::push_pull, Mode::flood}) {
      ProtocolSpec e = posts_spec(m, {{0, 0, 0}, {70, 5, 1}, {3, 9, 4}}, {.fanout = 2, .forward_prob = 0.5, .loss = 0.1, .ttl = 0});
      if (m == Mode::flood) e.fanout = 1;
      e.faults.delay = {.kind = DelaySpec::edge, .a = 0, .b = 0, .text = "edge"};
      compare(w, e);
      e.faults.delay = {.kind = DelaySpec::geometric, .a = 0.4, .b = 0, .text = "geometric"};
      e.faults.events = {event(FaultEvent::partition, 1, {}, 0.0, 3), event(FaultEvent::fail, 2, {}, 0.3),
                         event(FaultEvent::heal, 3), event(FaultEvent::recover, 5, {}, 0.5)};
      compare(w, e);
      e.faults.delay = {.kind = DelaySpec::lognormal, .a = 1.5, .b = 0.8, .text = "lognormal"};
      e.posts.lifetime = 4;
      compare(w, e);
    }
  }
  // Loss 1: nothing arrives; a run ends once every post is created (and the events are past).
  for (Mode m : {Mode::push, Mode::pull, Mode::push_pull, Mode::flood})
    compare(er, posts_spec(m, {{0, 0, 0}, {9, 5, 2}}, {.loss = 1.0}), 11, 30);
  // Paths longer than 254 hops (delays keep hops apart from rounds): hops stop growing at 254.
  ProtocolSpec far = posts_spec(Mode::flood, {{0, 0, 0}, {1, 300, 2}});
  far.faults.delay = fixed_delay(1);
  compare(gen_csr("ring:n=540"), far, 11, 2000, {0});
  // Copies in flight that arrive when their post is dead keep no run going (fixed delay 2,
  // lifetime 3: the author's copies of round c + 1 arrive in c + 3).
  for (Mode m : {Mode::flood, Mode::push}) {
    ProtocolSpec dead = posts_spec(m, {{0, 5, 4}}, {.lifetime = 3});
    dead.faults.delay = fixed_delay(2);
    compare(gen_csr("ring:n=12"), dead);
    dead.faults.delay = fixed_delay(1);
    compare(gen_csr("ring:n=12"), dead);
  }
}

TEST_CASE("posts: engine = reference with stop rules (push) and run.stop_coverage") {
  for (const Case& c : cases()) {
    INFO(std::string(c.name));
    const NodeId n = std::get<CsrGraph>(c.g).num_nodes();
    for (StopRule rule : {StopRule::feedback_counter, StopRule::feedback_coin, StopRule::blind_counter, StopRule::blind_coin})
      for (std::uint32_t k : {1u, 3u})
        for (std::uint32_t fanout : {1u, 2u})
          for (int variant = 0; variant < 4; ++variant) {
            ProtocolSpec spec = posts_spec(Mode::push, c.posts, {.fanout = fanout, .forward_prob = 0.5, .loss = 0.2,
                                                                 .ttl = variant == 0 ? 2u : 0u, .lifetime = variant == 1 ? 3 : 0});
            spec.stop = rule;
            spec.k = k;
            add_faults(spec, variant, n);
            compare(c.g, spec);
            if (k == 3 && fanout == 2) compare(c.g, spec, 11, 400, {0, 3}, 0.5);
          }
    for (Mode m : {Mode::push, Mode::pull, Mode::push_pull, Mode::flood})
      for (double q : {0.0, 0.4, 0.8})
        for (int variant = 0; variant < 4; ++variant) {
          ProtocolSpec spec = posts_spec(m, c.posts, {.fanout = 1, .forward_prob = q == 0.4 ? 1.0 : 0.5, .loss = 0.0,
                                                      .ttl = 0, .lifetime = variant == 2 ? 3 : 0});
          add_faults(spec, variant, n);
          compare(c.g, spec, 11, 400, {0, 3}, q);
        }
  }
}

TEST_CASE("posts: many posts = each post alone in the engine, node by node") {
  // docs/model.md: a post's informed_at, hops and duplicates in a many-post run equal its run
  // alone with the same seed and id; the run lasts as long as its longest post alone.
  const Graph any = gen_csr("er:n=40,d=4", 3);
  const std::vector<PostSeed> list{{0, 0, 0}, {5, 7, 0}, {64, 3, 2}, {130, 11, 5}};
  for (Mode m : {Mode::push, Mode::pull, Mode::push_pull, Mode::flood})
    for (double p : {1.0, 0.5})
      for (int variant = 0; variant < 4; ++variant) {
        ProtocolSpec spec = posts_spec(m, list, {.fanout = 2, .forward_prob = p, .loss = 0.2, .ttl = 0, .lifetime = 0});
        if (m == Mode::flood) spec.fanout = 1;
        add_faults(spec, variant, 40);
        INFO(describe_posts(spec));
        // Push also with a stop rule (per user and post), every mode with run.stop_coverage.
        const double q = variant == 1 ? 0.6 : 1.0;
        if (m == Mode::push && variant >= 2) {
          spec.stop = variant == 2 ? StopRule::feedback_counter : StopRule::blind_coin;
          spec.k = 2;
        }
        const PostsCollect all = engine_run(any, spec, 5, 1, 2, 400, 2, q);
        const PostsTrialResult& a = all.results.at(2);
        Round longest = 0;
        for (std::size_t k = 0; k < list.size(); ++k) {
          INFO("post ", list[k].id, " stop ", stop_name(spec.stop), " q ", q);
          const PostsCollect one = engine_run(any, post_alone(spec, k), 5, 1, 2, 400, 2, q);
          const PostsTrialResult& o = one.results.at(2);
          std::vector<PostArrival> mine;
          for (const PostArrival& x : a.arrivals)
            if (x.post == list[k].id) mine.push_back(x);
          CHECK(mine == o.arrivals);  // user by user: round and hops
          CHECK(a.posts[k].reach == o.posts[0].reach);
          CHECK(a.posts[k].max_hops == o.posts[0].max_hops);
          CHECK(a.posts[k].duplicates == o.posts[0].duplicates);
          longest = std::max(longest, o.rounds);
        }
        CHECK(a.rounds == longest);
      }
}

// data/social's scenario as `gossipsim run data/social/social.toml` builds it: the config, the
// friendships file, the users file's join column, users.csv and posts.csv.
struct Social {
  Graph g;
  ProtocolSpec spec;
  io::Scenario scenario;
  std::uint64_t seed;
};
Social social_example() {
  const SimConfig cfg = load_config(std::string(GOSSIPSIM_DATA_DIR) + "/social/social.toml", {});
  Graph g = open_graph(cfg.graph);
  ProtocolSpec spec = cfg.protocol;
  io::load_node_columns(spec.faults, g, cfg.graph);
  io::Scenario s = io::load_scenario(cfg.posts, g, cfg.graph, spec.faults.join);
  spec.posts = s.spec;
  spec.posts.arrivals = true;
  return {std::move(g), std::move(spec), std::move(s), cfg.run.seed};
}

TEST_CASE("posts: the four friends of data/social, by hand, in the engine") {
  // tests/test_reference_posts.cpp derives these by hand for data/social's users, friendships,
  // join rounds and posts with flood, forward probability 1, TTL 3 and no delays.
  Social social = social_example();
  CHECK(social.scenario.names == std::vector<std::string>{"Alice", "Bob", "Charlie", "Dave"});
  const ProtocolSpec hand = four_friends_spec();
  CHECK(social.spec.posts.list == hand.posts.list);
  CHECK(social.spec.faults.join.round_of(3) == 3);
  CHECK(to_vector(std::get<CsrGraph>(social.g).adjacency()) == to_vector(four_friends().adjacency()));
  ProtocolSpec spec = social.spec;
  spec.forward_prob = 1.0;
  spec.faults.delay = {};
  REQUIRE(spec.ttl == 3);
  for (int threads : thread_counts()) {
    const PostsCollect c = engine_run(social.g, spec, social.seed, 1, 0, 400, threads);
    const PostsTrialResult& r = c.results.at(0);
    CHECK(r.arrivals == four_friends_arrivals());
    CHECK(r.posts == four_friends_posts());
    CHECK(r.reach == four_friends_reach());
    REQUIRE(r.rounds == 6);
    const std::vector<RoundStats> rounds = four_friends_rounds();
    REQUIRE(c.rounds.at(0).size() == rounds.size());
    for (std::size_t x = 0; x < rounds.size(); ++x) {
      INFO("round ", x, ": ", diff(c.rounds.at(0)[x], rounds[x]));
      CHECK(c.rounds.at(0)[x] == rounds[x]);
    }
    CHECK(c.summaries.at(0).messages == 19);
    CHECK(c.summaries.at(0).final_informed == 14);
  }
  // The example's own settings (forward probability 0.5, TTL 3, delays of 0 to 2 rounds, seed
  // 1): the engine = the reference, for its seed and others, several trials.
  CHECK(social.spec.forward_prob == 0.5);
  CHECK(social.spec.faults.delay.kind == DelaySpec::uniform);
  for (std::uint64_t seed : {social.seed, std::uint64_t{2}, std::uint64_t{3}}) compare(social.g, social.spec, seed);
}

TEST_CASE("posts: the options posts refuse, and a bad post list") {
  const NodeId n = 10;
  auto ok = posts_spec(Mode::push, {{0, 0, 0}, {5, 9, 3}});
  CHECK_NOTHROW(check_posts(n, ok));
  auto bad = [&](auto change) {
    ProtocolSpec s = ok;
    change(s);
    return s;
  };
  CHECK_NOTHROW(check_posts(n, bad([](ProtocolSpec& s) { s.stop = StopRule::feedback_counter; })));
  CHECK_NOTHROW(check_posts(n, bad([](ProtocolSpec& s) {
    s.stop = StopRule::blind_counter;
    s.k = 255;
  })));
  CHECK_THROWS_AS(check_posts(n, bad([](ProtocolSpec& s) {
    s.stop = StopRule::blind_counter;
    s.k = 256;
  })), UsageError);
  CHECK_NOTHROW(check_posts(n, bad([](ProtocolSpec& s) {
    s.stop = StopRule::blind_coin;
    s.k = 1000;
  })));
  CHECK_THROWS_AS(check_posts(n, bad([](ProtocolSpec& s) {
    s.mode = Mode::pull;
    s.stop = StopRule::blind_coin;
  })), UsageError);
  CHECK_NOTHROW(check_posts(n, bad([](ProtocolSpec& s) { s.no_repeat = true; })));
  CHECK_NOTHROW(check_posts(n, bad([](ProtocolSpec& s) {
    s.mode = Mode::flood;
    s.recovery_prob = 0.5;
  })));
  CHECK_THROWS_AS(check_posts(n, bad([](ProtocolSpec& s) { s.ttl = 255; })), UsageError);
  CHECK_NOTHROW(check_posts(n, bad([](ProtocolSpec& s) { s.ttl = 254; })));
  CHECK_THROWS_AS(check_posts(n, bad([](ProtocolSpec& s) { s.posts.list[1].author = 10; })), UsageError);
  CHECK_THROWS_AS(check_posts(n, bad([](ProtocolSpec& s) { s.posts.list[1].id = 0; })), UsageError);
  CHECK_THROWS_AS(check_posts(n, bad([](ProtocolSpec& s) { s.posts.list[1].id = 1u << 31; })), UsageError);
  CHECK_THROWS_AS(check_posts(n, bad([](ProtocolSpec& s) { s.posts.list[1].created = -1; })), UsageError);
  // simulate() refuses them too (it checks before running).
  const Graph g = gen_csr("ring:n=10");
  PostsCollect c;
  CHECK_THROWS_AS(simulate(g, bad([](ProtocolSpec& s) {
                    s.stop = StopRule::feedback_counter;
                    s.k = 300;
                  }), run_of(1, 1, 0, 50), c),
                  UsageError);
}
