// The fault keys (faults.crashed, faults.churn, faults.churn_fraction) and [[events]]: what
// parses into which FaultSpec, that to_toml and the flat /parameters keys carry them back, and
// every error with the key, the entry and the file position (docs/model.md, "Faults").
#include <doctest/doctest.h>

#include <filesystem>

#include "config/config_flat.hpp"
#include "config/config_toml.hpp"
#include "core/error.hpp"
#include "protocol/faults.hpp"
#include "temp_file.hpp"

using namespace gossip;
using gossip::test::TempFile;

namespace {

SimConfig from_text(const std::string& text, const std::vector<std::string>& sets = {}) {
  const TempFile f(text);
  return load_config(f.path, sets);
}

std::string error_of(const std::string& text, const std::vector<std::string>& sets = {}) {
  const TempFile f(text);
  try {
    load_config(f.path, sets);
  } catch (const UsageError& e) {
    std::string m = e.what();
    if (m.starts_with(f.path)) m = "F" + m.substr(f.path.size());
    return m;
  }
  return {};
}

}  // namespace

TEST_CASE("faults.churn: bernoulli and sessions with each period distribution") {
  SimConfig c = from_text("[faults]\nchurn = \"bernoulli:fail=0.1,recover=0.3\"\nchurn_fraction = 0.5\ncrashed = 0.2\n");
  const FaultSpec& f = c.protocol.faults;
  CHECK(f.crashed == 0.2);
  CHECK(f.churn.kind == ChurnSpec::bernoulli);
  CHECK(f.churn.up.kind == PeriodDist::geometric);
  CHECK(f.churn.up.a == 0.1);
  CHECK(f.churn.down.a == 0.3);
  CHECK(f.churn.fraction == 0.5);
  CHECK(faults::up_probability(f.churn) == doctest::Approx(0.75));  // 10 rounds up, 10/3 down

  c = from_text("", {"faults.churn_fraction=0.25", "faults.churn=sessions:up=weibull:shape=0.5,scale=20,down=pareto:shape=2.5,scale=3"});
  const ChurnSpec& s = c.protocol.faults.churn;
  CHECK(s.kind == ChurnSpec::sessions);
  CHECK(s.fraction == 0.25);  // set before the churn, kept
  CHECK((s.up.kind == PeriodDist::weibull && s.up.a == 0.5 && s.up.b == 20));
  CHECK((s.down.kind == PeriodDist::pareto && s.down.a == 2.5 && s.down.b == 3));
  c = from_text("", {"faults.churn=sessions:up=geometric:mean=4,down=geometric:mean=1"});
  CHECK(c.protocol.faults.churn.up.a == 0.25);
  CHECK(c.protocol.faults.churn.down.a == 1.0);
  CHECK(faults::up_probability(c.protocol.faults.churn) == doctest::Approx(0.8));
}

TEST_CASE("period lengths: inversion at U, rounded up, at least 1; means of the rounded lengths") {
  const PeriodDist geo{PeriodDist::geometric, 0.5, 0};
  CHECK(faults::period_length(geo, 1.0) == 1);
  CHECK(faults::period_length(geo, 0.5) == 1);       // ln 0.5 / ln 0.5 = 1
  CHECK(faults::period_length(geo, 0.25) == 2);
  CHECK(faults::period_length(geo, 0.2) == 3);       // 2.32 -> 3
  CHECK(faults::period_length({PeriodDist::geometric, 1.0, 0}, 0.01) == 1);
  CHECK(faults::period_length({PeriodDist::geometric, 0.0, 0}, 0.01) == kNever);
  CHECK(faults::period_length({PeriodDist::weibull, 1.0, 10.0}, std::exp(-1.0)) == 10);
  CHECK(faults::period_length({PeriodDist::pareto, 2.0, 4.0}, 0.25) == 8);   // 4 * 0.25^-0.5
  CHECK(faults::period_length({PeriodDist::pareto, 2.0, 4.0}, 1e-300) == kNever);
  CHECK(faults::mean_length(geo) == 2.0);
  // Weibull shape 1 scale l: P(X > k) = e^(-k/l), E = 1 + sum_k e^(-k/l) = 1 / (1 - e^(-1/l)).
  CHECK(faults::mean_length({PeriodDist::weibull, 1.0, 3.0}) == doctest::Approx(1.0 / (1.0 - std::exp(-1.0 / 3.0))));
  // Pareto shape 2 scale 1: P(X > k) = 1 / k^2 for k >= 1: E = 1 + pi^2 / 6.
  CHECK(faults::mean_length({PeriodDist::pareto, 2.0, 1.0}) == doctest::Approx(1.0 + M_PI * M_PI / 6).epsilon(1e-6));
}

TEST_CASE("[[events]]: fail and recover by fraction or nodes, partition and heal") {
  const SimConfig c = from_text(
      "[[events]]\nround = 3\naction = \"fail\"\nfraction = 0.25\n"
      "[[events]]\nround = 2\naction = \"partition\"\ngroups = \"blocks:3\"\n"
      "[[events]]\nround = 9\naction = \"heal\"\n"
      "[[events]]\nround = 10\naction = \"recover\"\nnodes = [1, 5]\n");
  const auto& e = c.protocol.faults.events;
  REQUIRE(e.size() == 4);
  CHECK((e[0].kind == FaultEvent::fail && e[0].round == 3 && e[0].fraction == 0.25 && e[0].nodes.empty()));
  CHECK((e[1].kind == FaultEvent::partition && e[1].groups == 3));
  CHECK(e[2].kind == FaultEvent::heal);
  CHECK((e[3].kind == FaultEvent::recover && e[3].nodes == std::vector<NodeId>{1, 5}));
  // Written back and read again: the same config, and the flat keys of /parameters name them.
  const std::string text = to_toml(c);
  CHECK(to_toml(from_text(text)) == text);
  bool found = false;
  for (const auto& [k, v] : flat_config(c)) found |= k == "events.1.groups" && v == FlatValue(std::string("blocks:3"));
  CHECK(found);
  SimConfig d = c;
  d.protocol.faults.events[3].nodes = {1, 6};
  CHECK(first_difference(c, d) == "events.3.nodes");
}

TEST_CASE("fault errors name the key or the [[events]] entry, with the file position") {
  CHECK(error_of("", {"faults.churn=bernoulli:fail=1.5,recover=0.1"}) ==
        "--set faults.churn=bernoulli:fail=1.5,recover=0.1: faults.churn = 'bernoulli:fail=1.5,recover=0.1': "
        "bernoulli fail must be a probability in [0, 1], got 1.5");
  CHECK(error_of("", {"faults.churn=sessions:up=weibull:shape=-1,scale=2,down=geometric:mean=3"}).ends_with(
      "weibull shape and scale must be positive, got shape=-1, scale=2"));
  CHECK(error_of("", {"faults.churn=sessions:up=pareto:shape=1,scale=2,down=geometric:mean=3"}).ends_with(
      "pareto shape must exceed 1 (a finite mean period), got 1"));
  CHECK(error_of("", {"faults.churn=sessions:up=geometric:mean=0.5,down=geometric:mean=3"}).ends_with(
      "geometric mean must be at least 1 round, got 0.5"));
  CHECK(error_of("", {"faults.churn=sessions:up=geometric:mean=2"}).ends_with(
      "expected sessions:up=DIST,down=DIST, got 'sessions:up=geometric:mean=2'"));
  CHECK(error_of("", {"faults.churn=bernoulli:fail=0.1"}).ends_with("bernoulli needs recover"));
  CHECK(error_of("", {"faults.churn=flaky"}).ends_with(
      "unknown churn 'flaky' (valid: none, bernoulli:fail=A,recover=B, sessions:up=DIST,down=DIST)"));
  CHECK(error_of("", {"faults.crashed=1.2"}) == "--set faults.crashed=1.2: faults.crashed must be in [0, 1], got 1.2");
  CHECK(error_of("", {"faults.churn_fraction=-0.1"}) ==
        "--set faults.churn_fraction=-0.1: faults.churn_fraction must be in [0, 1], got -0.1");
  CHECK(error_of("[[events]]\nround = -1\naction = \"fail\"\nfraction = 0.1\n") ==
        "F:2:9: events[0]: round must be in [0, 2147483646], got -1");
  CHECK(error_of("[[events]]\nround = 1\naction = \"explode\"\n") ==
        "F:3:10: events[0]: unknown action 'explode' (valid: fail, recover, partition, heal)");
  CHECK(error_of("[[events]]\nround = 1\naction = \"fail\"\n") ==
        "F:1:1: events[0]: fail needs exactly one of fraction = F or nodes = [...]");
  CHECK(error_of("[[events]]\nround = 1\naction = \"fail\"\nfraction = 1.5\n") ==
        "F:4:12: events[0]: fraction must be a number in (0, 1], got float 1.5");
  CHECK(error_of("[[events]]\nround = 1\naction = \"heal\"\ngroups = \"halves\"\n") ==
        "F:4:1: events[0]: heal takes no key 'groups'");
  CHECK(error_of("[[events]]\nround = 1\naction = \"partition\"\ngroups = \"blocks:1\"\n") ==
        "F:4:10: events[0]: groups must be \"halves\", \"blocks:K\" (K >= 2) or \"file:COLUMN\", got string 'blocks:1'");
  CHECK(error_of("[[events]]\nround = 4\naction = \"heal\"\n") ==
        "events[0]: heal at round 4 without a partition before it");
  CHECK(error_of("[[events]]\nround = 4\naction = \"partition\"\ngroups = \"halves\"\n"
                 "[[events]]\nround = 2\naction = \"partition\"\ngroups = \"halves\"\n") ==
        "events[0]: partition at round 4 while events[1]'s partition (round 2) is not healed (add a heal event before it)");
  CHECK(error_of("[[events]]\nround = 4\naction = \"fail\"\nnodes = [1, -2]\n") ==
        "F:4:13: events[0]: nodes must hold node ids in [0, 4294967293], got integer -2");
  CHECK(error_of("events = 3\n") == "F:1:10: 'events' must be an array of tables ([[events]]), got integer 3");
  CHECK(error_of("[faults]\ncrashed = 0.1\n", {"run.packed=on", "protocol.mode=flood"}) ==
        "run.packed = 'on' cannot run faults (crashed, churn, [[events]], network.join): use run.packed = 'auto' or 'off'");
}

TEST_CASE("node file columns and latencies: network.join and groups = file:COLUMN, graph.latency, graph.node_file") {
  const TempFile dir_probe("");
  const std::string dir = std::filesystem::path(dir_probe.path).parent_path().string();
  const SimConfig c = from_text(
      "[graph]\nnode_file = \"nodes.csv\"\nlatency = \"column:3\"\n[network]\njoin = \"file:joined\"\n"
      "[[events]]\nround = 2\naction = \"partition\"\ngroups = \"file:region\"\n");
  CHECK(c.graph.node_file == (std::filesystem::path(dir) / "nodes.csv").string());  // beside the config file
  CHECK(c.graph.latency == "column:3");
  CHECK(c.protocol.faults.join.kind == JoinSpec::file);
  CHECK(c.protocol.faults.join.column == "joined");
  REQUIRE(c.protocol.faults.events.size() == 1);
  CHECK(c.protocol.faults.events[0].group_column == "region");
  const SimConfig back = load_config_text(to_toml(c), "T");
  CHECK(to_toml(back) == to_toml(c));
  CHECK(back.protocol.faults.events[0].group_column == "region");
  CHECK(back.protocol.faults.join.column == "joined");
  bool flat_groups = false;
  for (const auto& [k, v] : flat_config(c))
    flat_groups = flat_groups || (k == "events.0.groups" && std::get<std::string>(v) == "file:region");
  CHECK(flat_groups);

  CHECK(error_of("", {"network.join=file:joined"}) ==
        "network.join = 'file:joined' needs graph.node_file (the file holding column 'joined')");
  CHECK(error_of("[[events]]\nround = 1\naction = \"partition\"\ngroups = \"file:region\"\n") ==
        "events[0]: groups = 'file:region' needs graph.node_file (the file holding that column)");
  CHECK(error_of("", {"network.join=file:"}).ends_with(
      "expected file:COLUMN with a column name of letters, digits, '_', '-' or '.', got 'file:'"));
  CHECK(error_of("[[events]]\nround = 1\naction = \"partition\"\ngroups = \"file:a b\"\n") ==
        "F:4:10: events[0]: groups must be \"halves\", \"blocks:K\" (K >= 2) or \"file:COLUMN\", got string 'file:a b'");
  for (const char* bad : {"column:2", "column:x", "col:3", "3"})
    CHECK(error_of("", {std::string("graph.latency=") + bad}) ==
          std::string("graph.latency must be none or column:K (K >= 3, the column of per-arc latencies), got '") + bad + "'");
  CHECK(error_of("", {"graph.latency=none", "graph.node_file="}).empty());
}
