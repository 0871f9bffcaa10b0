// The shared text machinery of the edge-list and Matrix Market loaders: chunks of a buffer cut
// at line boundaries (for parallel parsing; the cut depends only on the chunk size), the
// tokens of a data line (separated by spaces, tabs, commas or a CR), node ids read with
// std::from_chars, and error positions. Invariant: line and column numbers are computed only
// on the error path, by counting newlines before the offending byte.
#pragma once
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/parallel.hpp"

namespace gossip::io {

inline constexpr std::size_t kDefaultChunkBytes = std::size_t{4} << 20;

// Where an error is, as a byte offset in the whole text, and what it is: "expected X, found 'Y'".
struct TextError {
  std::size_t offset = 0;
  std::string what;
};

// [begin, end) of chunk c: the lines that start in [c * chunk, (c + 1) * chunk).
struct Chunks {
  std::string_view text;
  std::size_t first = 0;  // bytes before `first` (skipped header lines, BOM) belong to no chunk
  std::size_t chunk = kDefaultChunkBytes;
  std::size_t count() const { return text.size() <= first ? 0 : (text.size() - first + chunk - 1) / chunk; }
  std::size_t line_start_at_or_after(std::size_t p) const {
    if (p <= first) return first;
    if (p >= text.size()) return text.size();
    const std::size_t nl = text.find('\n', p - 1);
    return nl == std::string_view::npos ? text.size() : nl + 1;
  }
  std::size_t begin(std::size_t c) const { return line_start_at_or_after(first + c * chunk); }
  std::size_t end(std::size_t c) const { return line_start_at_or_after(first + (c + 1) * chunk); }
};

inline bool is_separator(char c) { return c == ' ' || c == '\t' || c == ',' || c == '\r'; }

// The tokens of one line, left to right. `pos` is an absolute offset into `text`.
class LineTokens {
 public:
  LineTokens(std::string_view text, std::size_t begin, std::size_t end) : text_(text), pos_(begin), end_(end) {}
  // The next token, or nullopt at the end of the line; sets `at` to its offset.
  std::optional<std::string_view> next(std::size_t& at) {
    while (pos_ < end_ && is_separator(text_[pos_])) ++pos_;
    if (pos_ >= end_) {
      at = end_;
      return std::nullopt;
    }
    at = pos_;
    while (pos_ < end_ && !is_separator(text_[pos_])) ++pos_;
    return text_.substr(at, pos_ - at);
  }

 private:
  std::string_view text_;
  std::size_t pos_, end_;
};

// A token shown in an error message: at most 40 bytes, unprintable bytes as \xNN.
std::string quote_token(std::string_view token);

// Reads a whole token as an unsigned 64-bit integer (decimal digits only).
inline bool read_u64(std::string_view tok, std::uint64_t& out) {
  const char* last = tok.data() + tok.size();
  auto [p, ec] = std::from_chars(tok.data(), last, out);
  return ec == std::errc{} && p == last;
}

// A per-arc latency (graph.latency): a whole number of rounds in [0, 2^31 - 2], written as an
// unsigned integer or as a real without a fraction (3, 3.0, 3e0). False for anything else;
// latency_error then says why.
bool read_latency_slow(std::string_view tok, std::uint32_t& out);
inline bool read_latency(std::string_view tok, std::uint32_t& out) {
  std::uint64_t x = 0;
  if (read_u64(tok, x)) {
    out = static_cast<std::uint32_t>(x);
    return x <= 2147483646u;
  }
  return read_latency_slow(tok, out);
}
// "expected a latency (a whole number of rounds in [0, 2^31 - 2]), found '-1' (negative)".
std::string latency_error(std::string_view tok);

// starts[c] = count(0) + ... + count(c - 1) for c = 0 .. chunks.count() (the last: the total),
// count(c) run for the chunks in parallel: where a chunk's first vertex line or number falls.
template <class F>
std::vector<std::uint64_t> chunk_starts(const Chunks& chunks, F&& count) {
  std::vector<std::uint64_t> starts(chunks.count() + 1, 0);
  par::for_blocks(chunks.count(), 1, [&](std::size_t c, std::size_t, std::size_t) { starts[c + 1] = count(c); });
  for (std::size_t c = 0; c < chunks.count(); ++c) starts[c + 1] += starts[c];
  return starts;
}

// Whether a line's first token makes it a comment ('#' or '%') or it has none (blank).
inline bool skips_line(const std::optional<std::string_view>& first) {
  return !first || first->front() == '#' || first->front() == '%';
}

// f(LineTokens) -> std::optional<TextError> for each line of [begin, end), which starts at a
// line start; stops at the first error and returns it.
template <class F>
std::optional<TextError> for_each_line(std::string_view text, std::size_t begin, std::size_t end, F&& f) {
  const char* d = text.data();
  while (begin < end) {
    const void* nl = std::memchr(d + begin, '\n', end - begin);
    const std::size_t line_end = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - d) : end;
    if (auto e = f(LineTokens(text, begin, line_end))) return e;
    begin = line_end + 1;
  }
  return std::nullopt;
}

// "expected a node id, found '-1' (ids are non-negative)" etc.: the long form of read_id's error,
// built only on the error path.
std::string id_error(std::string_view tok, std::string_view what);

// "path:line:col: what" for an error at a byte offset of `text` (a UTF-8 BOM is not a column).
std::string locate(const std::string& path, std::string_view text, const TextError& e);

// The first non-empty, non-comment line at or after `from`; text.size() when there is none.
std::size_t next_data_line(std::string_view text, std::size_t from);

// Offset after skipping a UTF-8 BOM and then `lines` whole lines.
std::size_t skip_prefix(std::string_view text, std::uint64_t lines);

}  // namespace gossip::io
