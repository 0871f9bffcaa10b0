// The posts part of the HDF5 output (docs/output.md, "Posts"): a made-up two-trial posts run
// (tests/posts_fixture.hpp) handed to the real writer and read back, value by value; the
// optional parts (arrivals, names); and a resume that must leave the posts datasets equal to an
// uninterrupted run's.
#include <doctest/doctest.h>

#include <filesystem>
#include <tuple>

#include "core/error.hpp"
#include "output/h5.hpp"
#include "output/h5_posts.hpp"
#include "posts_fixture.hpp"
#include "temp_file.hpp"

using namespace gossip;
using gossip::test::PostsFixture;
using gossip::test::TempFile;

namespace {

template <class T>
std::vector<T> read_all(const std::string& path, const std::string& name, hid_t type) {
  h5::Id f = h5::open_file(path, false, false, true);
  h5::Id d = h5::open_dataset(f, name);
  const std::vector<hsize_t> dims = h5::dims(d);
  std::size_t count = 1;
  for (hsize_t x : dims) count *= x;
  std::vector<T> v(count);
  h5::read(d, type, std::vector<hsize_t>(dims.size(), 0), dims, v.data());
  return v;
}

std::vector<hsize_t> dims_of(const std::string& path, const std::string& name) {
  h5::Id f = h5::open_file(path, false, false, true);
  return h5::dims(h5::open_dataset(f, name));
}

bool has(const std::string& path, const std::string& name) {
  h5::Id f = h5::open_file(path, false, false, true);
  return h5::exists(f, name);
}

const char* kMetrics[] = {"reach", "rounds_50", "rounds_90", "rounds_99", "rounds_full", "max_hops", "duplicates"};

}  // namespace

TEST_CASE("the posts output holds users, posts, per-trial results, reach per round and arrivals") {
  const PostsFixture fx;
  TempFile out("", ".h5");
  fx.write(out.path, 3, true, true);

  const StoredPosts s = read_posts(out.path, true);
  CHECK(s.user_id == std::vector<std::uint64_t>{10, 11, 12, 13, 14});
  CHECK(s.user_name == fx.names);
  CHECK(s.list == fx.list);
  CHECK(s.text == fx.texts);
  CHECK(s.lifetime == 3);
  CHECK(s.arrivals);
  CHECK(s.trial == std::vector<std::int64_t>{0, 1});
  CHECK(s.rounds == std::vector<std::int64_t>{5, 3});

  // Per post and trial [P][T], -1 = absent.
  const std::size_t P = fx.list.size();
  for (const char* name : kMetrics) CHECK(dims_of(out.path, std::string("/posts/") + name) == std::vector<hsize_t>{P, 2});
  const auto reach = read_all<std::int64_t>(out.path, "/posts/reach", H5T_NATIVE_INT64);
  const auto full = read_all<std::int64_t>(out.path, "/posts/rounds_full", H5T_NATIVE_INT64);
  const auto r50 = read_all<std::int64_t>(out.path, "/posts/rounds_50", H5T_NATIVE_INT64);
  const auto hops = read_all<std::int64_t>(out.path, "/posts/max_hops", H5T_NATIVE_INT64);
  const auto dup = read_all<std::int64_t>(out.path, "/posts/duplicates", H5T_NATIVE_INT64);
  // Alice's post (row 1): trial 0 reaches all four friends by round 3 (2 of them by round 1);
  // trial 1 reaches Alice and Bob (Bob in round 2).
  CHECK(reach[1 * 2 + 0] == 4);
  CHECK(reach[1 * 2 + 1] == 2);
  CHECK(full[1 * 2 + 0] == 3);
  CHECK(r50[1 * 2 + 0] == 1);
  CHECK(full[1 * 2 + 1] == 2);
  CHECK(hops[1 * 2 + 0] == 2);
  CHECK(dup[3 * 2 + 1] == 13);  // trial 1, row 3: 10 t + i
  for (std::uint32_t t = 0; t < 2; ++t) {
    const PostsTrialResult r = fx.result(t);
    for (std::size_t i = 0; i < P; ++i) {
      CHECK(reach[i * 2 + t] == r.posts[i].reach);
      CHECK(full[i * 2 + t] == r.posts[i].rounds_full.value_or(-1));
    }
  }

  // Reach per round [R][T][P]: R = the longest trial's rounds + 1; -1 after a trial's end.
  CHECK(dims_of(out.path, "/posts/reach_round") == std::vector<hsize_t>{6, 2, P});
  const auto rr = read_all<std::int64_t>(out.path, "/posts/reach_round", H5T_NATIVE_INT64);
  auto at = [&](std::size_t r, std::size_t t, std::size_t i) { return rr[(r * 2 + t) * P + i]; };
  CHECK(at(0, 0, 1) == 1);  // Alice's post: Alice in round 0, Bob in 1, Charlie in 2, Dave in 3
  CHECK(at(1, 0, 1) == 2);
  CHECK(at(2, 0, 1) == 3);
  CHECK(at(5, 0, 1) == 4);
  CHECK(at(0, 0, 0) == 0);  // Dave's post, created in round 2
  CHECK(at(2, 0, 0) == 1);
  CHECK(at(3, 1, 1) == 2);
  CHECK(at(4, 1, 1) == -1);  // trial 1 ended after round 3
  CHECK(at(5, 1, 3) == -1);

  // Arrivals: a sparse table, trial by trial; first and count index it.
  CHECK(read_all<std::int64_t>(out.path, "/posts/arrivals/first", H5T_NATIVE_INT64) == std::vector<std::int64_t>{0, 14});
  CHECK(read_all<std::int64_t>(out.path, "/posts/arrivals/count", H5T_NATIVE_INT64) == std::vector<std::int64_t>{14, 6});
  const auto trial_col = read_all<std::uint32_t>(out.path, "/posts/arrivals/trial", H5T_NATIVE_UINT32);
  REQUIRE(trial_col.size() == 20);
  CHECK(std::count(trial_col.begin(), trial_col.end(), 1u) == 6);
  CHECK(trial_col[13] == 0);
  CHECK(trial_col[14] == 1);
  for (std::uint32_t t = 0; t < 2; ++t) {
    const auto a = read_arrivals(out.path, t, true);
    REQUIRE(a.size() == fx.arrivals[t].size());
    for (std::size_t k = 0; k < a.size(); ++k) {
      CHECK(a[k].post == fx.arrivals[t][k].row);
      CHECK(a[k].user == fx.arrivals[t][k].user);
      CHECK(a[k].round == fx.arrivals[t][k].round);
      CHECK(a[k].hops == fx.arrivals[t][k].hops);
    }
  }
  // One user's arrivals alone (what timeline reads): the same rows, in the same order.
  for (std::uint32_t t = 0; t < 2; ++t)
    for (NodeId v = 0; v < 5; ++v) {
      std::vector<std::tuple<std::uint32_t, Round, std::uint16_t>> want, got;
      for (const auto& a : fx.arrivals[t])
        if (a.user == v) want.emplace_back(a.row, a.round, a.hops);
      for (const StoredArrival& a : read_arrivals(out.path, t, true, v)) {
        CHECK(a.user == v);
        got.emplace_back(a.post, a.round, a.hops);
      }
      CHECK(got == want);
    }
  // A posts run keeps no per-node rumor rows.
  CHECK_FALSE(has(out.path, "/nodes/informed_at"));
}

TEST_CASE("the posts output without arrivals or names") {
  const PostsFixture fx;
  TempFile out("", ".h5");
  fx.write(out.path, 0, false, false);
  const StoredPosts s = read_posts(out.path, true);
  CHECK_FALSE(s.arrivals);
  CHECK_FALSE(has(out.path, "/posts/arrivals"));
  CHECK(s.user_name == std::vector<std::string>{"10", "11", "12", "13", "14"});  // the id is the name
  CHECK(s.lifetime == 0);
  CHECK(dims_of(out.path, "/posts/reach_round") == std::vector<hsize_t>{6, 2, fx.list.size()});
}

TEST_CASE("a file without posts is refused by the posts reader") {
  TempFile out("", ".h5");
  {
    auto w = H5Writer::create(out.path, true, PostsFixture{}.config(0), OutputMeta{});
    w->begin(PostsFixture{}.graph());
    w->finish(RunStatus::complete);
  }
  CHECK_THROWS_AS(read_posts(out.path, true), InputError);
  TempFile not_h5("plain text", ".h5");
  CHECK_THROWS_AS(read_posts(not_h5.path, true), InputError);
}

TEST_CASE("a resumed posts run equals an uninterrupted one") {
  const PostsFixture fx;
  TempFile whole("", ".h5"), resumed("", ".h5");
  fx.write(whole.path, 2, true, true);
  {
    // Killed after trial 1 had been written with more rounds and arrivals than its rerun gives.
    PostsFixture longer = fx;
    longer.rounds[1] = 8;
    longer.arrivals[1].push_back({3, 4, 7, 3});
    auto w = H5Writer::create(resumed.path, true, fx.config(2), OutputMeta{});
    w->set_posts(PostsMeta{fx.spec(2, true), fx.names, fx.texts});
    w->begin(fx.graph());
    longer.run_trials(*w, 0, 2);
    w->flush();
    w->fail();
  }
  CHECK(dims_of(resumed.path, "/posts/reach_round")[0] == 9);
  {
    auto w = H5Writer::reopen(resumed.path, fx.config(2), OutputMeta{});
    w->set_posts(PostsMeta{fx.spec(2, true), fx.names, fx.texts});
    RunCheckpoint c;
    c.done = {fx.summary(0)};
    c.trial.trial = 1;
    c.trial.round = -1;
    w->begin_resumed(fx.graph(), c);
    fx.run_trials(*w, 1, 2);
    w->finish(RunStatus::complete);
  }
  for (const char* name : kMetrics) {
    const std::string p = std::string("/posts/") + name;
    CHECK(read_all<std::int64_t>(resumed.path, p, H5T_NATIVE_INT64) == read_all<std::int64_t>(whole.path, p, H5T_NATIVE_INT64));
  }
  CHECK(dims_of(resumed.path, "/posts/reach_round") == dims_of(whole.path, "/posts/reach_round"));
  CHECK(read_all<std::int64_t>(resumed.path, "/posts/reach_round", H5T_NATIVE_INT64) ==
        read_all<std::int64_t>(whole.path, "/posts/reach_round", H5T_NATIVE_INT64));
  for (const char* name : {"first", "count"}) {
    const std::string p = std::string("/posts/arrivals/") + name;
    CHECK(read_all<std::int64_t>(resumed.path, p, H5T_NATIVE_INT64) == read_all<std::int64_t>(whole.path, p, H5T_NATIVE_INT64));
  }
  for (const char* name : {"trial", "post", "user"}) {
    const std::string p = std::string("/posts/arrivals/") + name;
    CHECK(read_all<std::uint32_t>(resumed.path, p, H5T_NATIVE_UINT32) ==
          read_all<std::uint32_t>(whole.path, p, H5T_NATIVE_UINT32));
  }
  CHECK(read_all<std::int32_t>(resumed.path, "/posts/arrivals/round", H5T_NATIVE_INT32) ==
        read_all<std::int32_t>(whole.path, "/posts/arrivals/round", H5T_NATIVE_INT32));
}
