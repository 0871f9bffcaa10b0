// Generator specs: "family:key=value,key=value". Params validates one family's keys (unknown or
// missing keys name the valid ones) and parses values with core/numbers.hpp. Every error is a
// UsageError whose message names the spec's family and the parameter.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/types.hpp"

namespace gossip {

struct GenSpec {
  std::string text;
  std::string family;
  std::vector<std::pair<std::string, std::string>> params;  // in spec order, keys unique
};

// Syntax only (family known or not is checked by generate()).
GenSpec parse_spec(std::string_view text);

class Params {
 public:
  Params(const GenSpec& spec, std::initializer_list<std::string_view> valid);

  bool has(std::string_view key) const;
  std::uint64_t count(std::string_view key) const;  // required non-negative integer
  std::uint64_t count_or(std::string_view key, std::uint64_t fallback) const;
  double real(std::string_view key) const;
  double real_or(std::string_view key, double fallback) const;
  double probability(std::string_view key) const;  // in [0, 1]
  bool flag_or(std::string_view key, bool fallback) const;  // 0/1/true/false
  std::string text(std::string_view key) const;
  // A node count in [min_n, kMaxNodes].
  NodeId nodes(std::string_view key, std::uint64_t min_n = 1) const;

  // "FAMILY: MESSAGE" as a UsageError.
  [[noreturn]] void fail(const std::string& message) const;
  [[noreturn]] void fail_value(std::string_view key, const std::string& expected) const;
  const std::string& family() const { return spec_.family; }

 private:
  const std::string* find(std::string_view key) const;
  std::string valid_list() const;
  const GenSpec& spec_;
  std::vector<std::string_view> valid_;
};

}  // namespace gossip
