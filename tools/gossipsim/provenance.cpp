// What an output file records about where and how it was made (/provenance attributes).
#include <unistd.h>

#include <cctype>
#include <cstdlib>

#include "commands.hpp"

namespace gossip::cli {
namespace {

std::string g_command_line;

std::string shell_quoted(const std::string& s) {
  bool plain = !s.empty();
  for (char c : s) plain = plain && (std::isalnum(static_cast<unsigned char>(c)) || std::string_view("-_=.,:/+^@%").find(c) != std::string_view::npos);
  if (plain) return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

void set_command_line(int argc, char** argv) {
  g_command_line.clear();
  for (int i = 0; i < argc; ++i) g_command_line += (i ? " " : "") + shell_quoted(argv[i]);
}

OutputMeta output_meta(int threads) {
  OutputMeta m;
  m.threads = threads;
  m.provenance.emplace_back("command_line", g_command_line);
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) == 0) m.provenance.emplace_back("hostname", host);
  char cwd[4096];
  if (::getcwd(cwd, sizeof cwd)) m.provenance.emplace_back("working_directory", cwd);
  for (const char* var : {"SLURM_JOB_ID", "SLURM_ARRAY_JOB_ID", "SLURM_ARRAY_TASK_ID", "SLURM_JOB_NAME",
                          "SLURM_CLUSTER_NAME", "SLURM_CPUS_PER_TASK", "SLURM_PROCID"}) {
    if (const char* v = std::getenv(var)) {
      std::string key(var);
      for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      m.provenance.emplace_back(key, v);
    }
  }
  return m;
}

}  // namespace gossip::cli
