#include "core/numbers.hpp"

#include <charconv>
#include <cmath>
#include <string>
#include <utility>

namespace gossip {
namespace {

// Removes '_' digit separators; rejects leading, trailing or doubled ones.
std::optional<std::string> strip_separators(std::string_view t) {
  std::string out;
  out.reserve(t.size());
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] != '_') {
      out.push_back(t[i]);
      continue;
    }
    if (i == 0 || i + 1 == t.size() || t[i + 1] == '_') return std::nullopt;
  }
  if (out.empty()) return std::nullopt;
  return out;
}

std::optional<std::uint64_t> parse_plain_uint(std::string_view s) {
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

std::optional<std::uint64_t> parse_count(std::string_view text) {
  auto s = strip_separators(text);
  if (!s) return std::nullopt;
  if (auto caret = s->find('^'); caret != std::string::npos) {
    auto base = parse_plain_uint(std::string_view(*s).substr(0, caret));
    auto exp = parse_plain_uint(std::string_view(*s).substr(caret + 1));
    if (!base || !exp) return std::nullopt;
    std::uint64_t r = 1;
    for (std::uint64_t i = 0; i < *exp; ++i) {
      if (*base != 0 && r > UINT64_MAX / *base) return std::nullopt;
      r *= *base;
      if (r == 0 || r == 1) break;
    }
    return *exp == 0 ? 1 : r;
  }
  if (auto v = parse_plain_uint(*s)) return v;
  auto d = parse_real(*s);
  if (!d || *d < 0 || *d >= 18446744073709551616.0 || std::floor(*d) != *d) return std::nullopt;
  return static_cast<std::uint64_t>(*d);
}

std::optional<double> parse_real(std::string_view text) {
  auto s = strip_separators(text);
  if (!s) return std::nullopt;
  double v = 0;
  auto [p, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
  if (ec != std::errc{} || p != s->data() + s->size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<double> parse_duration(std::string_view text, double plain_unit_seconds) {
  if (text.find(':') != std::string_view::npos) {  // [HH:]MM:SS, each field a plain number
    double total = 0;
    int fields = 0;
    for (std::size_t start = 0;; ++fields) {
      const std::size_t colon = text.find(':', start);
      const std::string_view part = text.substr(start, colon == std::string_view::npos ? colon : colon - start);
      const auto v = parse_real(part);
      if (!v || *v < 0 || part.find_first_not_of("0123456789.") != std::string_view::npos) return std::nullopt;
      if (fields > 0 && *v >= 60) return std::nullopt;  // minutes and seconds after the first field
      total = total * 60 + *v;
      if (colon == std::string_view::npos) break;
      start = colon + 1;
    }
    if (fields < 1 || fields > 2) return std::nullopt;
    return total;
  }
  double unit = plain_unit_seconds;
  std::string_view number = text;
  constexpr std::pair<char, double> kUnits[] = {{'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}};
  for (auto [suffix, seconds] : kUnits)
    if (!text.empty() && text.back() == suffix) unit = seconds, number = text.substr(0, text.size() - 1);
  const auto v = parse_real(number);
  if (!v || *v < 0 || number.find_first_of("+-") == 0) return std::nullopt;
  return *v * unit;
}

}  // namespace gossip
