// The process exit codes (README "Exit codes" and --help list the same).
#pragma once

namespace gossip::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitRuntime = 1,      // I/O failure, not enough memory, internal error
  kExitUsage = 2,        // bad flag, spec or config value (CLI11's parse errors too)
  kExitInput = 3,        // malformed input data
  kExitInterrupted = 75, // stopped early (with -o: a valid checkpoint)
};

inline constexpr const char* kExitCodeHelp =
    "Exit codes: 0 done; 1 runtime error (I/O, memory, internal); 2 usage or config error;\n"
    "            3 bad input data; 75 stopped early (with -o: a valid checkpoint).";

}  // namespace gossip::cli
