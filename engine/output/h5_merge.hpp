// merge_outputs: job-array outputs of one experiment (same config apart from run.trials and
// run.trial_offset, same graph fingerprint, complete, contiguous trial ranges) into one file
// equal to the single run over all their trials (provenance and wall_seconds aside).
#pragma once
#include <string>
#include <vector>

#include "output/h5_writer.hpp"

namespace gossip {

// InputError when an input is not a complete gossipsim output or does not fit the others;
// UsageError when OUT exists without force. Returns the merged trial count.
std::uint64_t merge_outputs(const std::vector<std::string>& inputs, const std::string& out, bool force,
                            OutputMeta meta, bool file_locking);

}  // namespace gossip
