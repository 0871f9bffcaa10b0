// Typed errors thrown by the library; only the CLI's main prints them and picks the exit code.
//   UsageError  -> exit 2 (bad spec, flag or config value; names the parameter)
//   InputError  -> exit 3 (malformed input data; carries path:line:col where there is one)
//   ResourceError -> exit 1 (not enough memory, I/O failure)
#pragma once
#include <stdexcept>
#include <string>

namespace gossip {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ResourceError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace gossip
