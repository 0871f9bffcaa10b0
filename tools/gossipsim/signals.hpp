// Batch-job signals (CONVENTIONS "Batch behaviour"): SIGTERM, SIGINT and SIGUSR1 only set a
// flag; the run stops at the next round boundary with a checkpoint (exit 75). A second signal
// of the same kind while the first is pending takes its default action (a stuck run can still
// be killed with a second Ctrl-C).
#pragma once

namespace gossip::cli {

void install_stop_signals();
int stop_signal();  // 0, or the number of the first stop signal received

}  // namespace gossip::cli
