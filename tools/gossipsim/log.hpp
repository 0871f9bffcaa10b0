// The human log on stderr: "2026-11-25T12:00:00Z info  message". Only the CLI logs; the engine
// never prints.
#pragma once
#include <fmt/format.h>

#include <string_view>

namespace gossip::cli {

void log_line(std::string_view level, std::string_view message);

template <class... Args>
void log_info(fmt::format_string<Args...> f, Args&&... args) {
  log_line("info", fmt::format(f, std::forward<Args>(args)...));
}

template <class... Args>
void log_warn(fmt::format_string<Args...> f, Args&&... args) {
  log_line("warn", fmt::format(f, std::forward<Args>(args)...));
}

template <class... Args>
void log_error(fmt::format_string<Args...> f, Args&&... args) {
  log_line("error", fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace gossip::cli
