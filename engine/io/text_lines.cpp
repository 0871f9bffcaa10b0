#include "io/text_lines.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace gossip::io {

std::string quote_token(std::string_view token) {
  std::string s = "'";
  const std::size_t shown = std::min<std::size_t>(token.size(), 40);
  for (std::size_t i = 0; i < shown; ++i) {
    const auto c = static_cast<unsigned char>(token[i]);
    if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\')
      s += static_cast<char>(c);
    else
      s += fmt::format("\\x{:02x}", c);
  }
  if (shown < token.size()) s += "...";
  return s + "'";
}

std::string id_error(std::string_view tok, std::string_view what) {
  std::string base = std::string("expected ") + std::string(what) + ", found " + quote_token(tok);
  const bool digits_after_minus =
      tok.size() > 1 && tok[0] == '-' && std::all_of(tok.begin() + 1, tok.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (digits_after_minus) return base + " (ids must not be negative)";
  std::uint64_t x = 0;
  if (std::from_chars(tok.data(), tok.data() + tok.size(), x).ec == std::errc::result_out_of_range)
    return base + " (ids must be below 2^64)";
  return base;
}

namespace {
enum class LatencyProblem { none, not_a_number, not_finite, negative, fraction, too_large };
LatencyProblem latency_problem(std::string_view tok, double& x) {
  const char* last = tok.data() + tok.size();
  const auto r = std::from_chars(tok.data(), last, x);
  if (r.ptr != last || tok.empty()) return LatencyProblem::not_a_number;
  if (r.ec == std::errc::result_out_of_range) return LatencyProblem::too_large;
  if (r.ec != std::errc{}) return LatencyProblem::not_a_number;
  if (!std::isfinite(x)) return LatencyProblem::not_finite;
  if (x < 0) return LatencyProblem::negative;
  if (std::floor(x) != x) return LatencyProblem::fraction;
  if (x > 2147483646.0) return LatencyProblem::too_large;
  return LatencyProblem::none;
}
}  // namespace

bool read_latency_slow(std::string_view tok, std::uint32_t& out) {
  double x = 0;
  if (latency_problem(tok, x) != LatencyProblem::none) return false;
  out = static_cast<std::uint32_t>(x);
  return true;
}

std::string latency_error(std::string_view tok) {
  const std::string base = "expected a latency (a whole number of rounds in [0, 2^31 - 2]), found " + quote_token(tok);
  double x = 0;
  switch (latency_problem(tok, x)) {
    case LatencyProblem::not_finite: return base + " (not finite)";
    case LatencyProblem::negative: return base + " (negative)";
    case LatencyProblem::fraction: return base + " (not a whole number)";
    case LatencyProblem::too_large: return base + " (too large)";
    default: return base;
  }
}

std::string locate(const std::string& path, std::string_view text, const TextError& e) {
  const std::size_t at = std::min(e.offset, text.size());
  const std::size_t line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + at, '\n'));
  const std::size_t nl = at == 0 ? std::string_view::npos : text.rfind('\n', at - 1);
  std::size_t line_start = nl == std::string_view::npos ? 0 : nl + 1;
  if (line_start == 0 && text.starts_with("\xEF\xBB\xBF") && at >= 3) line_start = 3;
  return fmt::format("{}:{}:{}: {}", path, line, at - line_start + 1, e.what);
}

std::size_t next_data_line(std::string_view text, std::size_t from) {
  while (from < text.size()) {
    std::size_t end = text.find('\n', from);
    if (end == std::string_view::npos) end = text.size();
    std::size_t p = from;
    while (p < end && is_separator(text[p])) ++p;
    const bool comment = p < end && (text[p] == '#' || text[p] == '%');
    if (p < end && !comment) return from;
    from = end + 1;
  }
  return text.size();
}

std::size_t skip_prefix(std::string_view text, std::uint64_t lines) {
  std::size_t p = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  for (std::uint64_t i = 0; i < lines && p < text.size(); ++i) {
    const std::size_t nl = text.find('\n', p);
    p = nl == std::string_view::npos ? text.size() : nl + 1;
  }
  return p;
}

}  // namespace gossip::io
