#include "gen/spec.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/numbers.hpp"

namespace gossip {

GenSpec parse_spec(std::string_view text) {
  GenSpec spec;
  spec.text = std::string(text);
  const auto colon = text.find(':');
  spec.family = std::string(text.substr(0, colon));
  if (spec.family.empty())
    throw UsageError("graph spec '" + spec.text + "': expected FAMILY:key=value,...");
  if (colon == std::string_view::npos) return spec;
  std::string_view rest = text.substr(colon + 1);
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    const auto eq = item.find('=');
    if (eq == std::string_view::npos || eq == 0 || eq + 1 == item.size())
      throw UsageError("graph spec '" + spec.text + "': expected key=value, found '" +
                       std::string(item) + "'");
    std::string key(item.substr(0, eq));
    for (const auto& kv : spec.params)
      if (kv.first == key)
        throw UsageError("graph spec '" + spec.text + "': parameter '" + key + "' given twice");
    spec.params.emplace_back(std::move(key), std::string(item.substr(eq + 1)));
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
    if (rest.empty()) throw UsageError("graph spec '" + spec.text + "': trailing ','");
  }
  return spec;
}

Params::Params(const GenSpec& spec, std::initializer_list<std::string_view> valid)
    : spec_(spec), valid_(valid) {
  for (const auto& [key, value] : spec.params)
    if (std::find(valid_.begin(), valid_.end(), key) == valid_.end())
      fail("unknown parameter '" + key + "' (valid: " + valid_list() + ")");
}

std::string Params::valid_list() const {
  std::string s;
  for (auto k : valid_) s += (s.empty() ? "" : ", ") + std::string(k);
  return s;
}

void Params::fail(const std::string& message) const {
  throw UsageError(spec_.family + ": " + message);
}

void Params::fail_value(std::string_view key, const std::string& expected) const {
  fail("parameter '" + std::string(key) + "' must be " + expected + ", got '" + *find(key) + "'");
}

const std::string* Params::find(std::string_view key) const {
  for (const auto& kv : spec_.params)
    if (kv.first == key) return &kv.second;
  return nullptr;
}

bool Params::has(std::string_view key) const { return find(key) != nullptr; }

std::uint64_t Params::count(std::string_view key) const {
  const std::string* v = find(key);
  if (!v) fail("missing parameter '" + std::string(key) + "' (valid: " + valid_list() + ")");
  auto c = parse_count(*v);
  if (!c) fail_value(key, "a non-negative integer (1000, 1e6, 2^20, 1_000_000)");
  return *c;
}

std::uint64_t Params::count_or(std::string_view key, std::uint64_t fallback) const {
  return has(key) ? count(key) : fallback;
}

double Params::real(std::string_view key) const {
  const std::string* v = find(key);
  if (!v) fail("missing parameter '" + std::string(key) + "' (valid: " + valid_list() + ")");
  auto r = parse_real(*v);
  if (!r) fail_value(key, "a number");
  return *r;
}

double Params::real_or(std::string_view key, double fallback) const {
  return has(key) ? real(key) : fallback;
}

double Params::probability(std::string_view key) const {
  const double p = real(key);
  if (!(p >= 0.0 && p <= 1.0)) fail_value(key, "a probability in [0, 1]");
  return p;
}

bool Params::flag_or(std::string_view key, bool fallback) const {
  const std::string* v = find(key);
  if (!v) return fallback;
  if (*v == "1" || *v == "true") return true;
  if (*v == "0" || *v == "false") return false;
  fail_value(key, "0 or 1");
}

std::string Params::text(std::string_view key) const {
  const std::string* v = find(key);
  if (!v) fail("missing parameter '" + std::string(key) + "' (valid: " + valid_list() + ")");
  return *v;
}

NodeId Params::nodes(std::string_view key, std::uint64_t min_n) const {
  const std::uint64_t n = count(key);
  if (n > kMaxNodes)
    fail("parameter '" + std::string(key) + "' = " + std::to_string(n) +
         " exceeds the node limit 4294967294 (2^32 - 2)");
  if (n < min_n) fail_value(key, "at least " + std::to_string(min_n));
  return static_cast<NodeId>(n);
}

}  // namespace gossip
