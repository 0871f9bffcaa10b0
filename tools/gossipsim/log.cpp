#include "log.hpp"

#include <cstdio>
#include <ctime>

namespace gossip::cli {

void log_line(std::string_view level, std::string_view message) {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
  fmt::print(stderr, "{} {:<5} {}\n", stamp, level, message);
  std::fflush(stderr);
}

}  // namespace gossip::cli
