// gossipsim: the command-line front end. main parses, dispatches to one subcommand, and turns
// the engine's typed errors into one stderr line and the documented exit code.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <new>

#include "cli_args.hpp"
#include "commands.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/threads.hpp"
#include "core/version.hpp"
#include "exit_codes.hpp"
#include "log.hpp"
#include "output/hdf5_info.hpp"

namespace gossip::cli {

int apply_threads(const CommonFlags& flags) {
  const ThreadChoice t = resolve_threads(flags.threads);
  par::set_threads(t.count);
  log_info("threads: {} (from {}; backend {})", t.count, t.source, par::backend_name());
  if (const int cpus = affinity_cpu_count(); t.count > cpus)
    log_warn("{} threads (from {}) for {} CPUs this process may use: threads will wait for each other "
             "(--threads 0 picks the count automatically)", t.count, t.source, cpus);
  return t.count;
}

namespace {

void print_version() {
  const BuildInfo b = build_info();
  fmt::print("gossipsim {}\ngit sha: {}\ncompiler: {}\nbuild type: {}\nparallel backend: {}\n"
             "HDF5: {}\noneTBB: {}\nrng: philox4x32-10 (Random123)\n",
             b.version, b.git_sha, b.compiler, b.build_type, b.backend, hdf5_version(), b.tbb_version);
}

int fail(int code, const std::string& message) {
  fmt::print(stderr, "gossipsim: error: {}\n", message);
  return code;
}

}  // namespace
}  // namespace gossip::cli

int main(int argc, char** argv) {
  using namespace gossip;
  using namespace gossip::cli;
  CLI::App app{"gossipsim: parallel, deterministic gossip-protocol simulation on large graphs"};
  app.footer(kExitCodeHelp);
  app.require_subcommand(0, 1);
  bool version = false;
  app.add_flag("--version", version, "print version, git sha, compiler and library versions");
  Action action;
  add_graph_commands(app, action);
  add_config_commands(app, action);
  add_run_command(app, action);
  add_merge_command(app, action);
  add_timeline_command(app, action);
  set_command_line(argc, argv);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return fail(kExitUsage, parse_error_message(app, e));
  }
  try {
    if (version) {
      print_version();
      return kExitOk;
    }
    if (!action) {
      std::fputs(app.help().c_str(), stdout);
      return kExitUsage;
    }
    return action();
  } catch (const UsageError& e) {
    return fail(kExitUsage, e.what());
  } catch (const InputError& e) {
    return fail(kExitInput, e.what());
  } catch (const ResourceError& e) {
    return fail(kExitRuntime, e.what());
  } catch (const std::bad_alloc&) {
    return fail(kExitRuntime, "out of memory");
  } catch (const std::exception& e) {
    return fail(kExitRuntime, std::string("internal error: ") + e.what());
  }
}
