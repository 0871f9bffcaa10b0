// The trial summary (docs/model.md, "Trial summary") field by field: every field but
// wall_seconds, so that a failure names the field. Doubles (coverage, residue, traffic, t_avg)
// are compared exactly: both sides divide the same integers.
#pragma once
#include <doctest/doctest.h>

#include "sim/simulate.hpp"

namespace gossip::test {

inline void check_summary(const TrialSummary& got, const TrialSummary& want) {
  CHECK(got.trial == want.trial);
  CHECK(got.rounds == want.rounds);
  CHECK(got.truncated == want.truncated);
  CHECK(got.final_informed == want.final_informed);
  CHECK(got.coverage == want.coverage);
  CHECK(got.residue == want.residue);
  CHECK(got.messages == want.messages);
  CHECK(got.requests == want.requests);
  CHECK(got.traffic == want.traffic);
  CHECK(got.t_avg == want.t_avg);
  CHECK(got.t_last == want.t_last);
  auto mark = [](const std::optional<Round>& r) { return r ? *r : Round{-1}; };  // -1: never reached
  CHECK(mark(got.round_50) == mark(want.round_50));
  CHECK(mark(got.round_90) == mark(want.round_90));
  CHECK(mark(got.round_99) == mark(want.round_99));
  CHECK(mark(got.round_full) == mark(want.round_full));
}

}  // namespace gossip::test
