// `gossipsim run [CONFIG] [-s key=value]... [flags]`: the main job. One flow, one call per arrow:
// argv + config -> SimConfig -> Graph -> simulate(graph, protocol, run, sink) -> JSON summary.
// Stdout carries the JSON (one object; with --per-trial a JSON line per trial before it, each
// with an "event" key); stderr carries the human log.
#include <fmt/format.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "core/memory.hpp"
#include "log.hpp"
#include "sim/config_toml.hpp"
#include "sim/packed_flood.hpp"
#include "sim/simulate.hpp"
#include "sim/state.hpp"
#include "sim/trial_summary.hpp"

namespace gossip::cli {
namespace {

using Json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

struct RunFlags {
  std::optional<std::string> config;
  std::vector<std::string> sets;
  std::optional<long> threads;
  std::optional<std::uint64_t> seed, trials, trial_offset;
  bool per_trial = false;
};

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

Json trial_json(const TrialSummary& s) {
  Json j{{"event", "trial"}, {"trial", s.trial}};
  for (const auto& [name, value] : summary_fields(s)) {
    const bool integral = name != "coverage" && name != "residue" && name != "traffic" && name != "t_avg";
    j[name] = !value ? Json(nullptr) : integral ? Json(static_cast<std::int64_t>(*value)) : Json(*value);
  }
  j["truncated"] = s.truncated;
  return j;
}

// Collects trial summaries, prints per-trial lines, logs progress about every 10 s.
class SummarySink : public Sink {
 public:
  SummarySink(bool per_trial, std::uint64_t trials) : per_trial_(per_trial), trials_(trials) {}
  bool wants_informed_at(std::uint32_t) const override { return false; }
  void on_trial_end(const TrialSummary& s, std::span<const Round>, std::span<const std::uint16_t>) override {
    done_.push_back(s);
    if (per_trial_) fmt::print("{}\n", trial_json(s).dump());
    if (done_.size() == trials_ || since(last_log_) > 10) {
      log_info("trial {} done ({}/{}): {} rounds, coverage {:.6f}, {:.3f} s", s.trial, done_.size(), trials_,
               s.rounds, s.coverage, s.wall_seconds);
      last_log_ = Clock::now();
    }
  }
  const std::vector<TrialSummary>& done() const { return done_; }

 private:
  bool per_trial_;
  std::uint64_t trials_;
  std::vector<TrialSummary> done_;
  Clock::time_point last_log_ = Clock::now();
};

Json stats_json(const std::vector<TrialSummary>& trials) {
  Json stats = Json::object();
  if (trials.empty()) return stats;
  const auto names = summary_fields(trials.front());
  for (std::size_t f = 0; f < names.size(); ++f) {
    std::vector<double> xs;
    for (const TrialSummary& t : trials)
      if (auto v = summary_fields(t)[f].second) xs.push_back(*v);
    const Moments m = moments(xs);
    stats[names[f].first] = m.count ? Json{{"mean", m.mean}, {"std", m.std}, {"min", m.min}, {"max", m.max}, {"count", m.count}}
                                    : Json{{"mean", nullptr}, {"std", nullptr}, {"min", nullptr}, {"max", nullptr}, {"count", 0}};
  }
  return stats;
}

int run(const RunFlags& f) {
  const auto t0 = Clock::now();
  SimConfig cfg = load_config(f.config, f.sets);
  if (f.threads) cfg.run.threads = f.threads;
  if (f.seed) cfg.run.seed = *f.seed;
  if (f.trials) cfg.run.trials = *f.trials;
  if (f.trial_offset) cfg.run.trial_offset = *f.trial_offset;
  validate(cfg);
  const int threads = apply_threads(CommonFlags{cfg.run.threads});

  const LoadedGraph loaded = load_graph(cfg.graph);
  const Graph& g = loaded.graph;
  const double graph_seconds = since(t0);
  const NodeId n = visit_graph(g, [](const auto& x) { return x.num_nodes(); });
  const std::uint64_t edges = visit_graph(g, [](const auto& x) { return x.num_edges(); });
  const std::uint64_t graph_bytes = visit_graph(g, [](const auto& x) { return x.memory_bytes(); });
  const bool packed = use_packed(cfg);
  const std::uint64_t state_bytes = (packed ? kPackedBytesPerNode : RumorState::bytes_per_node(cfg.protocol)) * n;
  require_memory(state_bytes, "the per-node state of " + std::to_string(n) + " nodes");
  log_info("graph ready: n = {}, edges = {} ({:.3f} s); protocol {}, {} trials from trial {}", n, edges,
           graph_seconds, mode_name(cfg.protocol.mode), cfg.run.trials, cfg.run.trial_offset);

  const auto t_sim = Clock::now();
  SummarySink sink(f.per_trial, cfg.run.trials);
  if (packed) log_info("flood trials packed 64 per pass (run.packed = {})", cfg.run.packed);
  simulate(g, cfg.protocol, {cfg.run.seed, cfg.run.trials, cfg.run.trial_offset, cfg.run.max_rounds, packed}, sink);
  const double sim_seconds = since(t_sim);

  std::uint64_t truncated = 0;
  for (const TrialSummary& s : sink.done()) truncated += s.truncated;
  if (truncated) log_info("{} of {} trials stopped at run.max_rounds = {}", truncated, cfg.run.trials, cfg.run.max_rounds);
  Json out;
  if (f.per_trial) out["event"] = "summary";
  out["n"] = n;
  out["edges"] = edges;
  out["trials"] = cfg.run.trials;
  out["trial_offset"] = cfg.run.trial_offset;
  out["seed"] = cfg.run.seed;
  out["threads"] = threads;
  out["rng"] = "philox4x32-10";
  out["mode"] = mode_name(cfg.protocol.mode);
  out["packed"] = packed;
  out["truncated_trials"] = truncated;
  out["memory_bytes"] = graph_bytes + state_bytes;
  out["bytes_per_node"] = n ? static_cast<double>(graph_bytes + state_bytes) / n : 0.0;
  out["wall_seconds"] = since(t0);
  out["graph_seconds"] = graph_seconds;
  out["sim_seconds"] = sim_seconds;
  out["stats"] = stats_json(sink.done());
  fmt::print("{}\n", out.dump());
  return 0;
}

}  // namespace

void add_run_command(CLI::App& app, Action& action) {
  auto f = std::make_shared<RunFlags>();
  CLI::App* cmd = app.add_subcommand("run", "simulate gossip trials and print a JSON summary on stdout");
  cmd->add_option("config", f->config, "TOML configuration file (see data/examples/)");
  cmd->add_option("-s,--set", f->sets, "override a key: section.key=value (TOML scalar), repeatable");
  cmd->add_option("--threads", f->threads, "worker threads (default: OMP_NUM_THREADS, SLURM_CPUS_PER_TASK, affinity)");
  cmd->add_option("--seed", f->seed, "run.seed: the root of every random draw");
  cmd->add_option("--trials", f->trials, "run.trials: number of Monte-Carlo trials");
  cmd->add_option("--trial-offset", f->trial_offset, "run.trial_offset: index of the first trial (job arrays)");
  cmd->add_flag("--per-trial", f->per_trial, "print one JSON line per trial before the summary");
  cmd->callback([f, &action] { action = [f] { return run(*f); }; });
}

}  // namespace gossip::cli
