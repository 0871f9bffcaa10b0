// The posts engine (engine/sim/posts_trial.cpp) against oracles that need no reference simulator:
// flood with forward probability 1 is BFS from each author's creation round; a post's spread in
// a many-post run is its spread alone; 1, 2 and 4 threads agree; lifetime and TTL cut where
// docs/model.md says. (The serial reference simulator's node-by-node comparison: test_posts.cpp.)
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <queue>

#include "core/error.hpp"
#include "gen/generate.hpp"
#include "gen/spec.hpp"
#include "sim/checkpoint.hpp"
#include "sim/posts.hpp"
#include "sim/simulate.hpp"
#include "sanitizer.hpp"
#include "support.hpp"

using namespace gossip;
using namespace gossip::test;

namespace {

struct Capture : Sink {
  std::vector<PostsTrialResult> trials;
  std::vector<std::vector<RoundStats>> rounds;
  std::vector<TrialSummary> summaries;
  void on_trial_start(std::uint32_t, std::span<const NodeId>) override { rounds.emplace_back(); }
  void on_round(std::uint32_t, Round, const RoundStats& s) override {
    if (rounds.empty()) rounds.emplace_back();  // a resumed trial does not start again
    rounds.back().push_back(s);
  }
  void on_posts_trial(const PostsTrialResult& r) override { trials.push_back(r); }
  void on_trial_end(const TrialSummary& s, std::span<const Round>, std::span<const std::uint16_t>) override {
    summaries.push_back(s);
  }
};

ProtocolSpec posts_spec(Mode m, std::vector<PostSeed> list, double p = 1.0, std::uint32_t ttl = 0, double loss = 0.0) {
  ProtocolSpec s{.mode = m, .fanout = 1, .no_repeat = false, .forward_prob = p, .ttl = ttl, .stop = StopRule::none,
                 .k = 1, .sources = 1, .source_nodes = {}, .loss = loss, .recovery_prob = 1.0, .faults = {}};
  s.posts.list = std::move(list);
  s.posts.arrivals = true;
  return s;
}

Capture run(const Graph& g, const ProtocolSpec& spec, std::uint64_t trials = 1, int threads = 2, std::uint64_t seed = 5,
            double stop_coverage = 1.0) {
  Capture c;
  RunParams rp{.seed = seed, .trials = trials, .trial_offset = 0, .max_rounds = 1000};
  rp.stop_coverage = stop_coverage;
  with_threads(threads, [&] { simulate(g, spec, rp, c); });
  return c;
}

// BFS distances from v (kNever: unreachable).
std::vector<Round> bfs(const CsrGraph& g, NodeId s) {
  std::vector<Round> d(g.num_nodes(), kNever);
  std::queue<NodeId> q;
  d[s] = 0;
  q.push(s);
  while (!q.empty()) {
    const NodeId v = q.front();
    q.pop();
    for (NodeId i = 0; i < g.degree(v); ++i) {
      const NodeId w = g.neighbor(v, i);
      if (d[w] == kNever) {
        d[w] = d[v] + 1;
        q.push(w);
      }
    }
  }
  return d;
}

// The arrivals of post id `post` as user -> (round, hops).
std::map<NodeId, std::pair<Round, int>> arrivals_of(const PostsTrialResult& r, std::uint32_t post) {
  std::map<NodeId, std::pair<Round, int>> m;
  for (const PostArrival& a : r.arrivals)
    if (a.post == post) m[a.user] = {a.round, a.hops};
  return m;
}

}  // namespace

TEST_CASE("posts: flood with forward probability 1 is BFS from each author, from its creation round") {
  const Graph g{gen_csr("er:n=300,d=4", 3)};
  const std::vector<PostSeed> list = {{0, 7, 0}, {5, 100, 2}, {64, 7, 1}, {130, 299, 4}};
  const Capture c = run(g, posts_spec(Mode::flood, list));
  REQUIRE(c.trials.size() == 1);
  const PostsTrialResult& r = c.trials[0];
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::vector<Round> d = bfs(std::get<CsrGraph>(g), list[i].author);
    const auto got = arrivals_of(r, list[i].id);
    std::int64_t reach = 0;
    int far = 0;
    for (NodeId v = 0; v < 300; ++v) {
      if (d[v] == kNever) {
        CHECK(got.count(v) == 0);
        continue;
      }
      ++reach;
      far = std::max(far, d[v]);
      REQUIRE(got.count(v) == 1);
      CHECK(got.at(v).first == list[i].created + d[v]);
      CHECK(got.at(v).second == d[v]);
    }
    CHECK(r.posts[i].reach == reach);
    CHECK(r.posts[i].max_hops == far);
    CHECK(r.posts[i].rounds_full == far);
  }
}

TEST_CASE("posts: a post's spread in a many-post run is its spread alone (every mode, loss, p, ttl, delays, faults)") {
  const Graph g{gen_csr("er:n=200,d=5", 11)};
  const std::vector<PostSeed> list = {{0, 3, 0}, {1, 50, 1}, {63, 3, 3}, {64, 120, 0}, {200, 199, 2}};
  for (Mode m : {Mode::push, Mode::pull, Mode::push_pull, Mode::flood}) {
    for (int variant = 0; variant < 4; ++variant) {
      ProtocolSpec spec = posts_spec(m, list, variant % 2 ? 0.5 : 1.0, variant >= 2 ? 3 : 0, variant == 3 ? 0.2 : 0.0);
      std::string why;
      if (variant == 1) spec.faults.delay = *parse_delay("uniform:min=0,max=2", why);
      if (variant == 2) spec.posts.lifetime = 4;
      if (variant == 3) spec.faults.crashed = 0.1;
      CAPTURE(mode_name(m));
      CAPTURE(variant);
      // Sanitizer builds (tests/sanitizer.hpp): one trial, every mode and variant still.
      const std::uint64_t trials = kSanitizer ? 1 : 2;
      const Capture all = run(g, spec, trials);
      for (std::size_t i = 0; i < list.size(); ++i) {
        ProtocolSpec one = spec;
        one.posts.list = {list[i]};
        const Capture alone = run(g, one, trials);
        for (std::size_t t = 0; t < trials; ++t) {
          CHECK(arrivals_of(all.trials[t], list[i].id) == arrivals_of(alone.trials[t], list[i].id));
          CHECK(all.trials[t].posts[i].duplicates == alone.trials[t].posts[0].duplicates);
          CHECK(all.trials[t].posts[i].reach == alone.trials[t].posts[0].reach);
        }
      }
    }
  }
}

TEST_CASE("posts: 1, 2 and 4 threads give the same run") {
  // Sanitizer builds: 600 nodes and 70 posts (two words a node still).
  const NodeId n = kSanitizer ? 600 : 3000;
  const Graph g{gen_csr(kSanitizer ? "er:n=600,d=6" : "er:n=3000,d=6", 2)};
  std::vector<PostSeed> list;
  for (std::uint32_t k = 0; k < (kSanitizer ? 70u : 150u); ++k) list.push_back({k, (k * 37) % n, static_cast<Round>(k / 20)});
  for (Mode m : {Mode::push, Mode::push_pull, Mode::flood}) {
    ProtocolSpec spec = posts_spec(m, list, 0.5, 0, 0.1);
    std::string why;
    spec.faults.delay = *parse_delay("geometric:p=0.5", why);
    const Capture one = run(g, spec, 1, 1), two = run(g, spec, 1, 2), four = run(g, spec, 1, 4);
    CHECK(one.rounds == two.rounds);
    CHECK(one.rounds == four.rounds);
    CHECK(one.trials[0].posts == two.trials[0].posts);
    CHECK(one.trials[0].posts == four.trials[0].posts);
    CHECK(one.trials[0].arrivals == four.trials[0].arrivals);
    CHECK(one.trials[0].reach == four.trials[0].reach);
  }
}

TEST_CASE("posts: lifetime stops a post at created + L; ttl stops forwarding at hops = ttl") {
  // A path 0 - 1 - 2 - ... - 9: flood with p = 1 reaches node d in round created + d.
  std::vector<Edge> edges;
  for (NodeId v = 0; v + 1 < 10; ++v) edges.push_back({v, v + 1});
  const Graph path{build(10, edges)};
  ProtocolSpec spec = posts_spec(Mode::flood, {{0, 0, 2}, {1, 0, 0}});
  spec.posts.lifetime = 4;  // alive in rounds created .. created + 3: reaches nodes up to distance 3
  Capture c = run(path, spec);
  CHECK(c.trials[0].posts[0].reach == 4);
  CHECK(c.trials[0].posts[1].reach == 4);
  CHECK(arrivals_of(c.trials[0], 0).rbegin()->second == std::pair<Round, int>{5, 3});
  spec.posts.lifetime = 0;
  spec.ttl = 2;  // hops 0 and 1 pass on: nodes up to distance 2
  c = run(path, spec);
  CHECK(c.trials[0].posts[0].reach == 3);
  spec.mode = Mode::push;  // push keeps hops: the same cut
  c = run(path, spec);
  for (const PostArrival& a : c.trials[0].arrivals) CHECK(a.hops <= 2);
  CHECK(c.trials[0].posts[1].reach == 3);
}

TEST_CASE("posts: the options posts refuse: a stop rule but push's, a counter above one byte, a bad list") {
  const Graph g{gen_csr("er:n=50,d=4", 1)};
  ProtocolSpec spec = posts_spec(Mode::push, {{0, 1, 0}});
  spec.stop = StopRule::feedback_counter;
  spec.k = 255;
  CHECK_NOTHROW(run(g, spec));
  spec.k = 256;
  CHECK_THROWS_AS(run(g, spec), UsageError);  // a count per user and post is one byte
  spec = posts_spec(Mode::pull, {{0, 1, 0}});
  spec.stop = StopRule::blind_coin;
  CHECK_THROWS_AS(run(g, spec), UsageError);  // stop rules are push's
  spec = posts_spec(Mode::push, {{0, 1, 0}, {0, 2, 0}});
  CHECK_THROWS_AS(run(g, spec), UsageError);  // a duplicate id
  spec = posts_spec(Mode::push, {{0, 60, 0}});
  CHECK_THROWS_AS(run(g, spec), UsageError);  // an author outside the graph
}

TEST_CASE("posts: a checkpoint at any round resumes to the same run, through the checkpoint file") {
  const Graph g{gen_csr("er:n=400,d=5", 4)};
  std::vector<PostSeed> list;
  for (std::uint32_t k = 0; k < 70; ++k) list.push_back({k * 2, (k * 53) % 400, static_cast<Round>(k / 10)});
  for (Mode m : {Mode::push_pull, Mode::flood, Mode::push}) {
    ProtocolSpec spec = posts_spec(m, list, 0.5, 0, 0.1);
    std::string why;
    spec.faults.delay = *parse_delay("uniform:min=0,max=3", why);
    spec.faults.churn = *parse_churn("bernoulli:fail=0.05,recover=0.3", why);
    spec.no_repeat = m == Mode::push_pull;  // the contact counts go through the checkpoint too
    // push: a counter stop rule's counts and removed words, and run.stop_coverage's targets and
    // halted posts, go through the checkpoint too.
    const double q = m == Mode::push ? 0.2 : 1.0;
    if (m == Mode::push) {
      spec.stop = StopRule::feedback_counter;
      spec.k = 2;
      spec.fanout = 2;
    }
    const Capture whole = run(g, spec, 2, 2, 5, q);
    for (Round stop_at : {0, 3, m == Mode::push ? 35 : 8}) {  // push: after some posts are halted
      CAPTURE(stop_at);
      struct Stopper : Capture {
        Round at;
        std::optional<TrialCheckpoint> taken;
        unsigned at_boundary(std::uint32_t trial, Round r) override { return trial == 1 && r == at ? kStop : kGoOn; }
        void on_checkpoint(const TrialCheckpoint& c) override { taken = c; }
      } first;
      first.at = stop_at;
      RunParams rp{.seed = 5, .trials = 2, .trial_offset = 0, .max_rounds = 1000};
      rp.stop_coverage = q;
      CHECK_FALSE(simulate(g, spec, rp, first));
      REQUIRE(first.taken);
      const std::string path = "test_posts_engine.ck";
      RunCheckpoint rc;
      rc.trial = *first.taken;
      write_checkpoint(path, rc);
      const RunCheckpoint back = read_checkpoint(path);
      Capture rest;
      CHECK(simulate(g, spec, rp, rest, &back.trial));
      REQUIRE(rest.trials.size() == 1);
      CHECK(rest.trials[0].posts == whole.trials[1].posts);
      CHECK(rest.trials[0].reach == whole.trials[1].reach);
      CHECK(rest.trials[0].arrivals == whole.trials[1].arrivals);
      CHECK(rest.summaries[0].messages == whole.summaries[1].messages);
      CHECK(rest.summaries[0].rounds == whole.summaries[1].rounds);
      std::vector<RoundStats> tail(whole.rounds[1].begin() + stop_at + 1, whole.rounds[1].end());
      REQUIRE(rest.rounds.size() == 1);
      CHECK(rest.rounds[0] == tail);
      std::remove(path.c_str());
    }
  }
}
