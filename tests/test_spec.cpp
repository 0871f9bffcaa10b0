// Spec syntax and Params validation: every error names the family, the parameter, the valid keys.
#include <doctest/doctest.h>

#include "core/error.hpp"
#include "gen/spec.hpp"

using namespace gossip;

TEST_CASE("parse_spec splits family and parameters in order") {
  const GenSpec s = parse_spec("er:n=1e6,d=8");
  CHECK(s.family == "er");
  REQUIRE(s.params.size() == 2);
  CHECK(s.params[0] == std::pair<std::string, std::string>{"n", "1e6"});
  CHECK(s.params[1] == std::pair<std::string, std::string>{"d", "8"});
  CHECK(parse_spec("ring").params.empty());
}

TEST_CASE("syntax errors") {
  CHECK_THROWS_WITH_AS(parse_spec(":n=1"), "graph spec ':n=1': expected FAMILY:key=value,...", UsageError);
  CHECK_THROWS_WITH_AS(parse_spec("er:n"), "graph spec 'er:n': expected key=value, found 'n'", UsageError);
  CHECK_THROWS_WITH_AS(parse_spec("er:=3"), "graph spec 'er:=3': expected key=value, found '=3'", UsageError);
  CHECK_THROWS_WITH_AS(parse_spec("er:n=3,"), "graph spec 'er:n=3,': trailing ','", UsageError);
  CHECK_THROWS_WITH_AS(parse_spec("er:n=3,n=4"), "graph spec 'er:n=3,n=4': parameter 'n' given twice", UsageError);
}

TEST_CASE("Params validates keys and values") {
  const GenSpec s = parse_spec("fam:n=2^10,p=0.25,t=1");
  const Params p(s, {"n", "p", "t", "q"});
  CHECK(p.nodes("n") == 1024u);
  CHECK(p.probability("p") == 0.25);
  CHECK(p.flag_or("t", false));
  CHECK(!p.has("q"));
  CHECK(p.real_or("q", 3.5) == 3.5);
  CHECK(p.count_or("q", 9) == 9u);
  CHECK_THROWS_WITH_AS(p.count("q"), "fam: missing parameter 'q' (valid: n, p, t, q)", UsageError);
  CHECK_THROWS_WITH_AS(Params(s, {"n", "p"}), "fam: unknown parameter 't' (valid: n, p)", UsageError);
  CHECK_THROWS_WITH_AS(p.nodes("n", 2000), "fam: parameter 'n' must be at least 2000, got '2^10'", UsageError);

  const GenSpec bad = parse_spec("fam:p=1.5,n=5e9,t=yes");
  const Params b(bad, {"n", "p", "t"});
  CHECK_THROWS_WITH_AS(b.probability("p"), "fam: parameter 'p' must be a probability in [0, 1], got '1.5'", UsageError);
  CHECK_THROWS_WITH_AS(b.nodes("n"), "fam: parameter 'n' = 5000000000 exceeds the node limit 4294967294 (2^32 - 2)", UsageError);
  CHECK_THROWS_WITH_AS(b.flag_or("t", false), "fam: parameter 't' must be 0 or 1, got 'yes'", UsageError);
}
