// Every error path of the configuration layer, with its exact message: unknown keys (with the
// nearest valid key or the valid ones), wrong types, out-of-range values, bad enum names,
// combinations, TOML syntax errors with path:line:col, unreadable files, bad --set syntax.
#include <doctest/doctest.h>

#include "core/error.hpp"
#include "config/config_toml.hpp"
#include "temp_file.hpp"

using namespace gossip;
using gossip::test::TempFile;

namespace {

// The message of the UsageError load_config throws for one --set (empty when none is thrown).
std::string set_error(const std::string& set) {
  try {
    load_config(std::nullopt, {set});
  } catch (const UsageError& e) {
    return e.what();
  }
  return {};
}

// The same for a file; the temp file's path is replaced by "F".
std::string file_error(const std::string& text) {
  const TempFile f(text);
  try {
    load_config(f.path, {});
  } catch (const UsageError& e) {
    std::string m = e.what();
    if (m.starts_with(f.path)) m = "F" + m.substr(f.path.size());
    return m;
  }
  return {};
}

}  // namespace

TEST_CASE("unknown keys suggest the nearest valid key or list the valid ones") {
  CHECK(set_error("protocol.fanot=2") ==
        "--set protocol.fanot=2: unknown key 'protocol.fanot' (did you mean 'protocol.fanout'?)");
  CHECK(set_error("run.trails=2") == "--set run.trails=2: unknown key 'run.trails' (did you mean 'run.trials'?)");
  CHECK(set_error("grph.source=x") == "--set grph.source=x: unknown key 'grph.source' (did you mean 'graph.source'?)");
  CHECK(set_error("protocol.loss=0.1") ==
        "--set protocol.loss=0.1: unknown key 'protocol.loss' (did you mean 'faults.loss'?)");
  CHECK(set_error("trials=3") == "--set trials=3: unknown key 'trials' (did you mean 'run.trials'?)");
  CHECK(set_error("run.x=1") ==
        "--set run.x=1: unknown key 'run.x' (valid keys of [run]: run.seed, run.trials, run.trial_offset, "
        "run.max_rounds, run.stop_coverage, run.packed, run.threads)");
  CHECK(set_error("foo.bar=1") ==
        "--set foo.bar=1: unknown key 'foo.bar' (valid sections: graph, protocol, faults, network, aggregate, posts, run, output)");
  CHECK(file_error("[protocol]\nmode = \"pull\"\nfanot = 2\n") ==
        "F:3:1: unknown key 'protocol.fanot' (did you mean 'protocol.fanout'?)");
  CHECK(file_error("[protocol]\nzzz = 1\n") ==
        "F:2:1: unknown key 'protocol.zzz' (valid keys of [protocol]: protocol.mode, protocol.fanout, "
        "protocol.no_repeat, protocol.forward_prob, protocol.ttl, protocol.stop, protocol.k, protocol.sources, "
        "protocol.source_nodes, protocol.recovery_prob)");
  CHECK(file_error("[grph]\nsource = \"x\"\n") == "F:1:2: unknown section 'grph' (did you mean 'graph'?)");
  CHECK(file_error("[outptu]\n") == "F:1:2: unknown section 'outptu' (did you mean 'output'?)");
  CHECK(file_error("[results]\n") ==
        "F:1:2: unknown section 'results' (valid sections: graph, protocol, faults, network, aggregate, posts, run, output)");
  CHECK(file_error("seed = 3\n") == "F:1:1: unknown key 'seed' (valid sections: graph, protocol, faults, network, aggregate, posts, run, output)");
}

TEST_CASE("wrong types name the key, the expected type and what was found") {
  CHECK(set_error("run.trials=abc") == "--set run.trials=abc: key 'run.trials' must be an integer, got string 'abc'");
  CHECK(set_error("run.trials=1.5") == "--set run.trials=1.5: key 'run.trials' must be an integer, got float 1.5");
  CHECK(set_error("protocol.ttl=true") ==
        "--set protocol.ttl=true: key 'protocol.ttl' must be an integer, got boolean true");
  CHECK(set_error("graph.keep_self_loops=1") ==
        "--set graph.keep_self_loops=1: key 'graph.keep_self_loops' must be a boolean (true or false), got integer 1");
  CHECK(set_error("protocol.forward_prob=high") ==
        "--set protocol.forward_prob=high: key 'protocol.forward_prob' must be a number, got string 'high'");
  CHECK(set_error("protocol.source_nodes=[1, \"a\"]") ==
        "--set protocol.source_nodes=[1, \"a\"]: key 'protocol.source_nodes' must be an array of node ids, got "
        "string 'a'");
  CHECK(set_error("graph.seed=\"2^64\"") ==
        "--set graph.seed=\"2^64\": key 'graph.seed' must be an integer, got string '2^64'");
  CHECK(file_error("[run]\ntrials = \"abc\"\n") == "F:2:10: key 'run.trials' must be an integer, got string 'abc'");
  CHECK(file_error("[protocol]\nmode = 3\n") == "F:2:8: key 'protocol.mode' must be a string, got integer 3");
  CHECK(file_error("graph = 3\n") == "F:1:9: key 'graph' must be a table, got integer 3");
  CHECK(file_error("[protocol.mode]\n") == "F:1:1: key 'protocol.mode' must be a string, got table");
}

TEST_CASE("out-of-range values name the key and the valid range") {
  CHECK(set_error("protocol.forward_prob=0") ==
        "--set protocol.forward_prob=0: protocol.forward_prob must be in (0, 1], got 0");
  CHECK(set_error("protocol.forward_prob=1.5") ==
        "--set protocol.forward_prob=1.5: protocol.forward_prob must be in (0, 1], got 1.5");
  CHECK(set_error("protocol.forward_prob=nan") ==
        "--set protocol.forward_prob=nan: protocol.forward_prob must be in (0, 1], got nan");
  CHECK(set_error("faults.loss=-0.5") == "--set faults.loss=-0.5: faults.loss must be in [0, 1], got -0.5");
  CHECK(set_error("protocol.fanout=0") == "--set protocol.fanout=0: protocol.fanout must be in [1, 4294967295], got 0");
  CHECK(set_error("protocol.k=0") == "--set protocol.k=0: protocol.k must be in [1, 4294967295], got 0");
  CHECK(set_error("protocol.recovery_prob=0") ==
        "--set protocol.recovery_prob=0: protocol.recovery_prob must be in (0, 1], got 0");
  CHECK(set_error("protocol.recovery_prob=1.01") ==
        "--set protocol.recovery_prob=1.01: protocol.recovery_prob must be in (0, 1], got 1.01");
  CHECK(set_error("protocol.ttl=-1") == "--set protocol.ttl=-1: protocol.ttl must be in [0, 65535], got -1");
  CHECK(set_error("protocol.ttl=65536") == "--set protocol.ttl=65536: protocol.ttl must be in [0, 65535], got 65536");
  CHECK(set_error("protocol.sources=0") ==
        "--set protocol.sources=0: protocol.sources must be in [1, 4294967294], got 0");
  CHECK(set_error("protocol.source_nodes=[0, -1]") ==
        "--set protocol.source_nodes=[0, -1]: protocol.source_nodes must hold node ids in [0, 4294967293], got -1");
  CHECK(set_error("run.trials=0") == "--set run.trials=0: run.trials must be in [1, 2147483647], got 0");
  CHECK(set_error("run.max_rounds=2^31") ==
        "--set run.max_rounds=2^31: run.max_rounds must be in [1, 2147483646], got 2147483648");
  CHECK(set_error("run.threads=-1") == "--set run.threads=-1: run.threads must be in [0, 4096], got -1");
  CHECK(set_error("run.seed=-1") == "--set run.seed=-1: run.seed must be at least 0, got -1");
  CHECK(file_error("[protocol]\nforward_prob = 0\n") == "F:2:16: protocol.forward_prob must be in (0, 1], got 0");
}

TEST_CASE("bad enum names list the valid ones") {
  CHECK(set_error("protocol.mode=gossip") ==
        "--set protocol.mode=gossip: unknown protocol.mode 'gossip' (valid: push, pull, push-pull, flood, push-sum, averaging, pairwise)");
  CHECK(set_error("protocol.stop=counter") ==
        "--set protocol.stop=counter: unknown protocol.stop 'counter' (valid: none, feedback-counter, "
        "feedback-coin, blind-counter, blind-coin)");
}

TEST_CASE("combinations and validate() on a config built in code") {
  CHECK_THROWS_WITH_AS(load_config(std::nullopt, {"protocol.stop=feedback-coin", "protocol.mode=pull"}),
                       "protocol.stop = 'feedback-coin' requires protocol.mode = 'push'", UsageError);
  CHECK_NOTHROW(load_config(std::nullopt, {"protocol.mode=pull", "protocol.stop=blind-coin", "protocol.mode=push"}));
  CHECK_THROWS_WITH_AS(load_config(std::nullopt, {"run.trial_offset=2147483647"}),
                       "run.trial_offset + run.trials must be below 2^31 = 2147483648 (a trial index is a 31-bit "
                       "RNG stream), got 2147483648",
                       UsageError);
  CHECK_THROWS_WITH_AS(load_config(std::nullopt, {"protocol.source_nodes=[3, 1, 3]"}),
                       "protocol.source_nodes lists node 3 twice", UsageError);
  CHECK_THROWS_WITH_AS(load_config(std::nullopt, {"protocol.recovery_prob=0.5"}),
                       "protocol.recovery_prob = 0.5 requires protocol.mode = 'flood' (push's Demers rules stop "
                       "spreaders: protocol.stop)",
                       UsageError);
  CHECK_THROWS_WITH_AS(
      load_config(std::nullopt, {"protocol.mode=flood", "protocol.recovery_prob=0.5", "protocol.ttl=3", "run.packed=on"}),
      "run.packed = 'on' cannot run protocol.recovery_prob below 1 with protocol.ttl (a node's hops then differ from "
      "trial to trial)",
      UsageError);
  CHECK_NOTHROW(load_config(std::nullopt, {"protocol.mode=flood", "protocol.recovery_prob=0.5", "run.packed=on"}));
  CHECK_NOTHROW(load_config(std::nullopt, {"protocol.mode=flood", "protocol.recovery_prob=0.5", "protocol.ttl=3"}));
  CHECK_THROWS_WITH_AS(load_config(std::nullopt, {"graph.source=\"\""}), "graph.source must not be empty", UsageError);

  SimConfig c;
  c.protocol.forward_prob = 0;
  CHECK_THROWS_WITH_AS(validate(c), "protocol.forward_prob must be in (0, 1], got 0", UsageError);
  c = {};
  c.protocol.fanout = 0;
  CHECK_THROWS_WITH_AS(validate(c), "protocol.fanout must be in [1, 4294967295], got 0", UsageError);
  c = {};
  c.protocol.loss = 2;
  CHECK_THROWS_WITH_AS(validate(c), "faults.loss must be in [0, 1], got 2", UsageError);
  c = {};
  c.run.max_rounds = -5;
  CHECK_THROWS_WITH_AS(validate(c), "run.max_rounds must be in [1, 2147483646], got -5", UsageError);
  c = {};
  c.run.threads = 5000;
  CHECK_THROWS_WITH_AS(validate(c), "run.threads must be in [0, 4096], got 5000", UsageError);
  c = {};
  c.protocol.mode = Mode::flood;
  c.protocol.stop = StopRule::blind_counter;
  CHECK_THROWS_WITH_AS(validate(c), "protocol.stop = 'blind-counter' requires protocol.mode = 'push'", UsageError);
}

TEST_CASE("TOML syntax errors carry path:line:col; missing files and bad --set syntax") {
  const std::string e = file_error("[protocol]\nmode = pull\n");
  CHECK(e.starts_with("F:2:8: "));
  CHECK(file_error("[run]\ntrials = 1\ntrials = 2\n").starts_with("F:3:"));
  CHECK_THROWS_WITH_AS(load_config("no/such/file.toml", {}),
                       "cannot read config file 'no/such/file.toml': No such file or directory", UsageError);
  CHECK(set_error("protocol.mode") == "--set protocol.mode: expected section.key=value");
  // --set errors come after the file's: the file is read first.
  const TempFile f("[run]\ntrials = 5\n");
  CHECK_THROWS_WITH_AS(load_config(f.path, {"run.trials=0"}), "--set run.trials=0: run.trials must be in [1, 2147483647], got 0",
                       UsageError);
}
