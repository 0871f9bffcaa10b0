// A made-up posts run handed to the HDF5 writer as the engine would hand it (tests of the posts
// output and, through tests/posts_fixture_main.cpp, of `gossipsim timeline` and the Python tools
// before a real posts run exists). Five users with graph file ids 10 .. 14: Alice, Bob, Charlie,
// Dave and a second "Bob" (id 14, who sees nothing); four posts listed in neither id nor created
// order, so that the timeline's order (created round, then id) differs from both; two trials.
#pragma once
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "graph/meta.hpp"
#include "output/h5_writer.hpp"
#include "sim/checkpoint.hpp"
#include "sim/posts.hpp"

namespace gossip::test {

struct PostsFixture {
  std::vector<std::uint64_t> original_id{10, 11, 12, 13, 14};
  std::vector<std::string> names{"Alice", "Bob", "Charlie", "Dave", "Bob"};
  // Rows: Dave's (id 0, created 2), Alice's (id 5, created 0), Bob's (id 3, created 0),
  // Charlie's (id 1, created 1, two lines).
  std::vector<PostSeed> list{{0, 3, 2}, {5, 0, 0}, {3, 1, 0}, {1, 2, 1}};
  std::vector<std::string> texts{"Hello from Dave!", "Hello, this is my first post!", "Hey, I'm new here too!",
                                 "Greetings from Charlie!\nSecond line, \"quoted\", comma"};
  // Per trial: the last round and (post row, user, round, hops), sorted by (row, user).
  struct Arr {
    std::uint32_t row;
    NodeId user;
    Round round;
    std::uint16_t hops;
  };
  std::vector<Round> rounds{5, 3};
  std::vector<std::vector<Arr>> arrivals{
      {{0, 0, 3, 1}, {0, 1, 4, 2}, {0, 3, 2, 0},
       {1, 0, 0, 0}, {1, 1, 1, 1}, {1, 2, 2, 2}, {1, 3, 3, 1},
       {2, 0, 1, 1}, {2, 1, 0, 0}, {2, 2, 1, 1}, {2, 3, 4, 2},
       {3, 0, 5, 2}, {3, 1, 2, 1}, {3, 2, 1, 0}},
      {{0, 3, 2, 0}, {1, 0, 0, 0}, {1, 1, 2, 1}, {2, 0, 3, 1}, {2, 1, 0, 0}, {3, 2, 1, 0}}};

  PostsSpec spec(Round lifetime, bool with_arrivals) const { return PostsSpec{list, lifetime, with_arrivals}; }

  GraphMeta graph() const {
    GraphMeta g;
    g.source = "four_friends.csv";
    g.n = original_id.size();
    g.edges = 3;
    g.arcs = 6;
    g.fingerprint = 0x1234;
    g.original_id = original_id;
    return g;
  }

  SimConfig config(Round lifetime) const {
    SimConfig cfg;
    cfg.graph.source = "four_friends.csv";
    cfg.run.trials = 2;
    cfg.protocol.mode = Mode::flood;
    (void)lifetime;  // posts.lifetime is a config key of the scenario input (io/social.hpp), not set here
    return cfg;
  }

  // What the engine hands the sink at the end of trial t: outcomes, reach per round, arrivals.
  PostsTrialResult result(std::uint32_t t) const {
    PostsTrialResult r;
    r.trial = t;
    r.rounds = rounds[t];
    const std::size_t P = list.size();
    r.reach.assign((static_cast<std::size_t>(r.rounds) + 1) * P, 0);
    for (std::size_t i = 0; i < P; ++i) {
      PostOutcome o;
      o.id = list[i].id;
      o.author = list[i].author;
      o.created = list[i].created;
      std::vector<Round> when;
      for (const Arr& a : arrivals[t])
        if (a.row == i) {
          when.push_back(a.round);
          o.max_hops = std::max<std::int32_t>(o.max_hops, a.hops);
          for (Round x = a.round; x <= r.rounds; ++x) ++r.reach[static_cast<std::size_t>(x) * P + i];
        }
      std::ranges::sort(when);
      o.reach = static_cast<std::int64_t>(when.size());
      auto to = [&](double f) -> std::optional<Round> {
        if (when.empty()) return std::nullopt;
        return when[static_cast<std::size_t>(std::ceil(f * static_cast<double>(when.size()))) - 1] - o.created;
      };
      o.rounds_50 = to(0.5), o.rounds_90 = to(0.9), o.rounds_99 = to(0.99), o.rounds_full = to(1.0);
      o.duplicates = static_cast<std::int64_t>(10 * t + i);
      r.posts.push_back(o);
    }
    for (const Arr& a : arrivals[t]) r.arrivals.push_back(PostArrival{list[a.row].id, a.user, a.round, a.hops});
    return r;
  }

  TrialSummary summary(std::uint32_t t) const {
    TrialSummary s;
    s.trial = t;
    s.rounds = rounds[t];
    s.final_informed = static_cast<std::int64_t>(arrivals[t].size());
    return s;
  }

  // Hands trials [from, to) to the writer as simulate() would: rounds, the posts result, the end.
  void run_trials(H5Writer& w, std::uint32_t from, std::uint32_t to) const {
    const std::size_t P = list.size();
    for (std::uint32_t t = from; t < to; ++t) {
      const PostsTrialResult r = result(t);
      for (Round x = 0; x <= rounds[t]; ++x) {
        RoundStats st;
        for (std::size_t i = 0; i < P; ++i) st.informed += r.reach[static_cast<std::size_t>(x) * P + i];
        w.on_round(t, x, st);
      }
      w.on_posts_trial(r);
      w.on_trial_end(summary(t), {}, {});
    }
  }

  // A complete file at `path`.
  void write(const std::string& path, Round lifetime, bool with_arrivals, bool with_names) const {
    auto w = H5Writer::create(path, true, config(lifetime), OutputMeta{});
    w->set_posts(PostsMeta{spec(lifetime, with_arrivals), with_names ? names : std::vector<std::string>{}, texts});
    w->begin(graph());
    run_trials(*w, 0, 2);
    w->finish(RunStatus::complete);
  }
};

}  // namespace gossip::test
