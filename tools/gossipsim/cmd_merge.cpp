// `gossipsim merge A.h5 B.h5 ... -o ALL.h5`: job-array outputs of one experiment (split with
// --trials/--trial-offset) into the file the single run over all trials would have written.
#include <fmt/format.h>

#include "commands.hpp"
#include "core/parallel.hpp"
#include "log.hpp"
#include "output/h5_merge.hpp"

namespace gossip::cli {
namespace {

struct MergeFlags {
  std::vector<std::string> inputs;
  std::string output;
  bool force = false, no_file_locking = false;
};

int merge(const MergeFlags& f) {
  const std::uint64_t trials =
      merge_outputs(f.inputs, f.output, f.force, output_meta(par::threads()), !f.no_file_locking);
  log_info("merged {} files ({} trials) into {}", f.inputs.size(), trials, f.output);
  fmt::print("{{\"output\": \"{}\", \"files\": {}, \"trials\": {}}}\n", f.output, f.inputs.size(), trials);
  return 0;
}

}  // namespace

void add_merge_command(CLI::App& app, Action& action) {
  auto f = std::make_shared<MergeFlags>();
  CLI::App* cmd = app.add_subcommand("merge", "merge complete outputs of one experiment (job-array tasks) into one file");
  cmd->add_option("inputs", f->inputs, "complete outputs: same config apart from trials/trial_offset, same graph")
      ->required();
  cmd->add_option("-o,--output", f->output, "the merged file")->required();
  cmd->add_flag("--force", f->force, "overwrite an existing output file");
  cmd->add_flag("--no-file-locking", f->no_file_locking, "no HDF5 file locks (Lustre/NFS)");
  cmd->callback([f, &action] { action = [f] { return merge(*f); }; });
}

}  // namespace gossip::cli
