// SimConfig from TOML: defaults, file < --set precedence, value syntax (counts, bare words,
// arrays), enum names and the to_toml round trip. Error messages: test_config_errors.cpp.
#include <doctest/doctest.h>

#include <limits>

#include "protocol/spec.hpp"
#include "config/config_toml.hpp"
#include "temp_file.hpp"

using namespace gossip;
using gossip::test::TempFile;

namespace {

SimConfig from_text(const std::string& text, const std::vector<std::string>& sets = {}) {
  const TempFile f(text);
  return load_config(f.path, sets);
}

}  // namespace

TEST_CASE("enum names round-trip and nothing else parses") {
  for (Mode m : {Mode::push, Mode::pull, Mode::push_pull, Mode::flood}) CHECK(parse_mode(mode_name(m)) == m);
  for (StopRule s : {StopRule::none, StopRule::feedback_counter, StopRule::feedback_coin, StopRule::blind_counter,
                     StopRule::blind_coin})
    CHECK(parse_stop(stop_name(s)) == s);
  CHECK(mode_name(Mode::push_pull) == "push-pull");
  CHECK(stop_name(StopRule::feedback_coin) == "feedback-coin");
  CHECK(!parse_mode("Push"));
  CHECK(!parse_mode("push_pull"));
  CHECK(!parse_stop(""));
}

TEST_CASE("no file and no --set gives the defaults of config.hpp") {
  const SimConfig d;
  const SimConfig c = load_config(std::nullopt, {});
  CHECK(to_toml(c) == to_toml(d));
  CHECK(c.graph.source == d.graph.source);
  CHECK(c.protocol.mode == d.protocol.mode);
  CHECK(c.run.trials == d.run.trials);
  CHECK(!c.run.threads);
  CHECK_NOTHROW(validate(d));
}

TEST_CASE("the file sets keys, --set overrides them in order") {
  const std::string text =
      "[graph]\nsource = \"ring:n=100\"\nseed = 7\n"
      "[protocol]\nmode = \"pull\"\nfanout = 3\n"
      "[run]\ntrials = 10\nthreads = 2\n";
  const SimConfig c = from_text(text);
  CHECK(c.graph.source == "ring:n=100");
  CHECK(c.graph.seed == 7u);
  CHECK(c.protocol.mode == Mode::pull);
  CHECK(c.protocol.fanout == 3u);
  CHECK(c.run.trials == 10u);
  CHECK(c.run.threads == 2);
  CHECK(c.protocol.ttl == SimConfig{}.protocol.ttl);  // untouched keys keep their defaults

  const SimConfig s = from_text(text, {"protocol.mode=flood", "run.trials=20", "run.trials=30", "graph.seed=8"});
  CHECK(s.protocol.mode == Mode::flood);
  CHECK(s.run.trials == 30u);
  CHECK(s.graph.seed == 8u);
  CHECK(s.protocol.fanout == 3u);
}

TEST_CASE("--set values: TOML scalars, bare words, arrays") {
  const SimConfig c = load_config(std::nullopt, {"protocol.mode=push-pull", "protocol.stop=\"none\"",
                                                 "graph.source=er:n=10,d=2", "graph.keep_duplicates=true",
                                                 "protocol.forward_prob=0.25", "faults.loss=0",
                                                 "protocol.source_nodes=[0, 5, 7]", " run.seed = 42 "});
  CHECK(c.protocol.mode == Mode::push_pull);
  CHECK(c.graph.source == "er:n=10,d=2");
  CHECK(c.graph.keep_duplicates);
  CHECK(c.protocol.forward_prob == 0.25);
  CHECK(c.protocol.loss == 0.0);
  CHECK(c.protocol.source_nodes == std::vector<NodeId>{0, 5, 7});
  CHECK(c.run.seed == 42u);
  CHECK(load_config(std::nullopt, {"protocol.source_nodes=3"}).protocol.source_nodes == std::vector<NodeId>{3});
  CHECK(load_config(std::nullopt, {"protocol.source_nodes=[]"}).protocol.source_nodes.empty());
  CHECK(load_config(std::nullopt, {"graph.source=1e5"}).graph.source == "1e5");  // string keys take the text
}

TEST_CASE("counts: integers, count strings, exact floats; reals accept integers") {
  for (const char* v : {"1000000", "1_000_000", "1e6", "\"1e6\"", "\"1_000_000\"", "1000000.0"})
    CHECK(load_config(std::nullopt, {std::string("protocol.sources=") + v}).protocol.sources == 1000000u);
  CHECK(load_config(std::nullopt, {"protocol.sources=2^20"}).protocol.sources == 1048576u);
  CHECK(load_config(std::nullopt, {"graph.seed=\"2^63\""}).graph.seed == std::uint64_t{1} << 63);
}

TEST_CASE("file syntax: inline tables, dotted keys, counts as strings") {
  const SimConfig c = from_text(
      "protocol = { mode = \"flood\", ttl = 6, forward_prob = 1 }\n"
      "run.trials = \"2^10\"\nrun.max_rounds = 1e3\nfaults.loss = 0.5\n");
  CHECK(c.protocol.mode == Mode::flood);
  CHECK(c.protocol.ttl == 6u);
  CHECK(c.protocol.forward_prob == 1.0);
  CHECK(c.run.trials == 1024u);
  CHECK(c.run.max_rounds == 1000);
  CHECK(c.protocol.loss == 0.5);
}

TEST_CASE("limits: the largest valid values are accepted") {
  const SimConfig c = load_config(std::nullopt, {"protocol.ttl=65535", "run.max_rounds=2147483646",
                                                 "run.trial_offset=2147483646", "run.trials=1",
                                                 "run.seed=18446744073709551615", "protocol.fanout=4294967295"});
  CHECK(c.protocol.ttl == 65535u);
  CHECK(c.run.max_rounds == 2147483646);
  CHECK(c.run.seed == std::numeric_limits<std::uint64_t>::max());
  CHECK(c.protocol.fanout == 4294967295u);
}

TEST_CASE("to_toml lists every key in section order and round-trips") {
  SimConfig c;
  c.graph = {.source = "sbm:\"q\"\\\ttab\x01é", .seed = std::numeric_limits<std::uint64_t>::max(),
             .keep_self_loops = true, .keep_duplicates = true, .format = "mtx", .directed = true,
             .one_based = true, .skip_lines = 3, .latency = "column:4", .node_file = "/data/nodes \"a\".csv"};
  c.protocol.mode = Mode::push;
  c.protocol.fanout = 4;
  c.protocol.no_repeat = true;
  c.protocol.forward_prob = 1.0 / 3.0;
  c.protocol.ttl = 9;
  c.protocol.stop = StopRule::feedback_coin;
  c.protocol.k = 5;
  c.protocol.sources = 17;
  c.protocol.source_nodes = {4, 2, 4000000000u};
  c.protocol.loss = 0.1;
  c.run = {.seed = 99, .trials = 1000, .trial_offset = 12, .max_rounds = 77, .threads = 6};
  const std::string text = to_toml(c);
  const auto pos = [&](const char* s) { return text.find(s); };
  CHECK(pos("[graph]") < pos("[protocol]"));
  CHECK(pos("[protocol]") < pos("[faults]"));
  CHECK(pos("[faults]") < pos("[run]"));
  CHECK(pos("threads = 6\n") != std::string::npos);
  CHECK(pos("source_nodes = [4, 2, 4000000000]\n") != std::string::npos);
  const SimConfig back = from_text(text);
  CHECK(to_toml(back) == text);
  CHECK(back.graph.source == c.graph.source);
  CHECK(back.graph.seed == c.graph.seed);
  CHECK(back.graph.latency == "column:4");
  CHECK(back.graph.node_file == c.graph.node_file);
  CHECK(back.protocol.forward_prob == c.protocol.forward_prob);
  CHECK(back.protocol.loss == c.protocol.loss);
  CHECK(back.protocol.stop == StopRule::feedback_coin);
  CHECK(back.protocol.source_nodes == c.protocol.source_nodes);
  CHECK(back.run.threads == 6);
  CHECK(back.run.trial_offset == 12u);

  c.run.threads.reset();
  const std::string auto_threads = to_toml(c);
  CHECK(auto_threads.find("# threads = auto\n") != std::string::npos);
  CHECK(!from_text(auto_threads).run.threads);
  CHECK(to_toml(from_text(to_toml(SimConfig{}))) == to_toml(SimConfig{}));
}
