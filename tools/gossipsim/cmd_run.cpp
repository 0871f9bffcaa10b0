// `gossipsim run [CONFIG] [-s key=value]... [flags]`: the main job. One flow, one call per arrow:
// argv + config -> SimConfig -> Graph -> simulate(graph, protocol, run, sink) -> HDF5 + JSON.
// Stdout carries the JSON (one object; with --per-trial a JSON line per trial before it, each
// with an "event" key); stderr carries the human log and the progress line. With -o, stop
// signals, --max-hours and --checkpoint-every write OUT.h5.ckpt; --resume continues from it and
// --resume auto does what a requeued batch job needs (start, continue, start over or nothing).
// Without -o a stop signal ends the run at a round boundary with the finished trials' summary.
#include <fmt/format.h>

#include <chrono>
#include <filesystem>

#include "commands.hpp"
#include "core/error.hpp"
#include "core/memory.hpp"
#include "core/parallel.hpp"
#include "exit_codes.hpp"
#include "graph/fingerprint.hpp"
#include "graph/meta.hpp"
#include "io/mapped_file.hpp"
#include "io/node_file.hpp"
#include "io/social.hpp"
#include "json.hpp"
#include "log.hpp"
#include "run_sink.hpp"
#include "signals.hpp"
#include "config/config_flat.hpp"
#include "config/config_toml.hpp"
#include "sim/checkpoint.hpp"
#include "sim/posts.hpp"
#include "sim/simulate.hpp"
#include "sim/trial_summary.hpp"

namespace gossip::cli {
namespace {

using Clock = std::chrono::steady_clock;

struct RunFlags {
  std::optional<std::string> config;
  std::vector<std::string> sets;
  std::optional<long> threads;
  std::optional<std::uint64_t> seed, trials, trial_offset;
  bool per_trial = false;
  std::optional<std::string> output;
  std::optional<std::string> resume;  // "must" (plain --resume) or "auto"
  bool force = false, no_file_locking = false;
  GraphFileFlags graph_file;
  std::optional<double> checkpoint_seconds, max_seconds;  // --checkpoint-every, --max-hours, in seconds
  double progress_seconds = 30;
};

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// The config a checkpoint must match, and the first differing key when it does not.
void check_resume_config(const RunCheckpoint& c, const SimConfig& cfg, const std::string& path) {
  const SimConfig mine = experiment_config(cfg);
  if (c.config_toml == to_toml(mine)) return;
  // Key by key: a checkpoint of an earlier version, whose text lacks a key added since with its
  // default value (protocol.recovery_prob), is the same experiment.
  const SimConfig theirs = load_config_text(c.config_toml, path);
  const std::string key = first_difference(theirs, mine);
  if (key.empty()) return;
  throw UsageError(
      fmt::format("cannot resume: checkpoint '{}' was written with another config ({} differs)", path, key));
}

// argv + config -> the effective SimConfig (flags override keys), validated with the flags.
SimConfig effective_config(const RunFlags& f) {
  SimConfig cfg = load_config(f.config, f.sets);
  if (f.threads) cfg.run.threads = *f.threads == 0 ? std::nullopt : f.threads;  // 0: automatic
  apply_graph_file_flags(f.graph_file, cfg.graph);
  if (f.seed) cfg.run.seed = *f.seed;
  if (f.trials) cfg.run.trials = *f.trials;
  if (f.trial_offset) cfg.run.trial_offset = *f.trial_offset;
  if (f.no_file_locking) cfg.output.file_locking = false;
  validate(cfg);
  if (!f.output && (f.resume || f.checkpoint_seconds || f.max_seconds || f.force))
    throw UsageError("--resume, --checkpoint-every, --max-hours and --force need an output file (-o OUT.h5)");
  if (f.resume && f.force) throw UsageError("--resume and --force exclude each other");
  for (auto [name, v] : {std::pair{"--checkpoint-every", f.checkpoint_seconds}, std::pair{"--max-hours", f.max_seconds}})
    if (v && !(*v > 0)) throw UsageError(fmt::format("{} must be a positive duration, got {} s", name, *v));
  return cfg;
}

// The HDF5 output (-o): created, or reopened with its checkpoint (--resume); none without -o.
struct Output {
  std::string ckpt_path;
  std::optional<RunCheckpoint> ckpt;
  std::unique_ptr<H5Writer> writer;
  bool already_complete = false;  // --resume auto found the output complete: nothing to run
};

enum class AutoStart { fresh, resume, restart, complete };

// --resume auto (GROMACS mdrun -cpi): what to do with OUT.h5 and OUT.h5.ckpt as they are.
AutoStart auto_start(const std::string& out, const std::string& ckpt, const SimConfig& cfg) {
  std::error_code ec;
  const bool has_ckpt = std::filesystem::exists(ckpt, ec);
  if (!std::filesystem::exists(out, ec)) {
    if (has_ckpt) log_warn("--resume auto: checkpoint '{}' has no output '{}': starting fresh", ckpt, out);
    else log_info("--resume auto: no output '{}' yet: starting fresh", out);
    return AutoStart::fresh;
  }
  if (std::filesystem::file_size(out, ec) == 0 && !ec) {  // killed while creating it, before anything was written
    log_warn("--resume auto: '{}' is empty (its job died while creating it): starting over", out);
    return AutoStart::restart;
  }
  OutputState s;
  try {
    s = read_output_state(out, cfg.output.file_locking);
  } catch (const InputError& e) {  // never overwrite what is not ours
    throw UsageError(fmt::format("--resume auto: {} (remove it, or choose another -o)", e.what()));
  }
  if (auto key = first_difference(experiment_config(s.cfg), experiment_config(cfg)); !key.empty())
    throw UsageError(fmt::format("--resume auto: '{}' was written with another config ({} differs)", out, key));
  if (s.status == static_cast<std::int32_t>(RunStatus::complete)) {
    log_info("--resume auto: '{}' is already complete: nothing to do", out);
    if (has_ckpt) std::filesystem::remove(ckpt, ec);  // left by a job killed between finishing and removing it
    return AutoStart::complete;
  }
  if (has_ckpt) return AutoStart::resume;
  log_warn("--resume auto: '{}' is {} and has no checkpoint (its job died before the first one): starting over",
           out, status_name(s.status));
  return AutoStart::restart;
}

Output open_output(const RunFlags& f, const SimConfig& cfg, int threads) {
  Output o;
  install_stop_signals();  // without -o too: a stop then prints the finished trials' summary
  if (!f.output) return o;
  o.ckpt_path = *f.output + ".ckpt";
  bool resume = f.resume == "must", force = f.force;
  if (f.resume == "auto") {
    switch (auto_start(*f.output, o.ckpt_path, cfg)) {
      case AutoStart::fresh: break;
      case AutoStart::resume: resume = true; break;
      case AutoStart::restart: force = true; break;
      case AutoStart::complete: o.already_complete = true; return o;
    }
  }
  std::error_code ec;
  if (!resume && !force && std::filesystem::exists(*f.output, ec))
    throw UsageError(fmt::format("output '{}' exists (--force overwrites it, --resume continues it, --resume auto "
                                 "does either as needed)", *f.output));
  if (resume) {
    o.ckpt = read_checkpoint(o.ckpt_path);
    check_resume_config(*o.ckpt, cfg, o.ckpt_path);
    o.writer = H5Writer::reopen(*f.output, cfg, output_meta(threads));
    log_info("resuming {} at trial {}, round {}", *f.output, o.ckpt->trial.trial, o.ckpt->trial.round);
  } else {
    o.writer = H5Writer::create(*f.output, force, cfg, output_meta(threads));
    std::filesystem::remove(o.ckpt_path);  // a stale checkpoint must not be resumed into a new file
  }
  return o;
}

// A 64-bit hash (FNV-1a) of the files a run reads besides the graph: the node file and the posts
// files, in that order, each with its length; 0 when the run reads none. The config names them
// by path only, so a resume compares their contents through this.
std::uint64_t inputs_fingerprint(const SimConfig& cfg) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  bool any = false;
  auto mix = [&](std::uint64_t x) {
    for (int i = 0; i < 8; ++i) h = (h ^ ((x >> (8 * i)) & 0xff)) * 0x100000001b3ull;
  };
  for (const std::string* path : {&cfg.graph.node_file, &cfg.posts.users, &cfg.posts.file}) {
    if (path->empty()) {
      mix(0);
      continue;
    }
    std::optional<io::MappedFile> file;
    try {
      file.emplace(*path, false);
    } catch (const InputError&) {  // a node file no column uses need not exist (a used one was read already)
      mix(0);
      continue;
    }
    for (const char c : file->bytes()) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
    mix(file->size());
    any = true;
  }
  return any ? (h ? h : 1) : 0;
}

// The output's graph section and the stop policy (checkpoint path, time limits, what a
// checkpoint must match); without -o only stop signals, no checkpoint.
StopPolicy begin_output(const RunFlags& f, const SimConfig& cfg, Output& o, const GraphMeta& meta,
                        Clock::time_point t0) {
  if (!o.writer) {
    StopPolicy signals_only;
    signals_only.started = t0;
    return signals_only;
  }
  const std::uint64_t inputs = inputs_fingerprint(cfg);
  if (o.ckpt) {
    if (o.ckpt->graph_fingerprint != meta.fingerprint)
      throw InputError(fmt::format("cannot resume: checkpoint '{}' was made on another graph (fingerprint {}, this graph {})",
                                   o.ckpt_path, fingerprint_hex(o.ckpt->graph_fingerprint), fingerprint_hex(meta.fingerprint)));
    if (o.ckpt->inputs_fingerprint != 0 && o.ckpt->inputs_fingerprint != inputs)
      throw InputError(fmt::format("cannot resume: checkpoint '{}' was made with other contents of graph.node_file, "
                                   "posts.users or posts.file (fingerprint {}, these files {})",
                                   o.ckpt_path, fingerprint_hex(o.ckpt->inputs_fingerprint), fingerprint_hex(inputs)));
    o.writer->begin_resumed(meta, *o.ckpt);
  } else {
    o.writer->begin(meta);
  }
  return StopPolicy{o.ckpt_path, f.max_seconds, f.checkpoint_seconds,
                    to_toml(experiment_config(cfg)), meta.fingerprint, inputs, t0};
}

// What the run will allocate beyond the graph (loaded by now, so the memory available no longer
// includes it): the engine's parts, the HDF5 writer's, a checkpoint being resumed. A plan that
// does not fit is refused with its largest parts and, where the per-node output is what tips
// it, the figure without it.
MemoryPlan check_memory(const Graph& g, const SimConfig& cfg, const ProtocolSpec& protocol, const RunParams& params,
                        const RunPlan& plan, const Output& o, const GraphMeta& meta, std::uint64_t graph_bytes) {
  auto plan_for = [&](const SimConfig& c, bool output) {
    const bool rows = output && std::min(c.output.node_trials, c.run.trials) > 0;
    MemoryPlan m = run_memory(g, protocol, params, plan, par::worker_slots(), rows, output);
    if (output) m.add(H5Writer::memory(c, meta.n, protocol.posts.on() ? &protocol.posts : nullptr));
    if (o.ckpt) {
      const TrialCheckpoint& t = o.ckpt->trial;
      m.add("resumed_checkpoint", "the checkpoint being resumed (--resume)",
            sizeof(NodeId) * t.frontier.size() + sizeof(Round) * t.informed_at.size() + 2 * t.hops.size() +
                4 * t.contacts.size() + 2 * t.stop_count.size() + 8 * t.informed_series.size() + t.posts_state.size());
    }
    return m;
  };
  const MemoryPlan m = plan_for(cfg, o.writer != nullptr);
  const std::uint64_t need = m.total(), avail = available_memory_bytes();
  if (need > avail) {
    std::string lean;
    if (o.writer && cfg.output.node_trials > 0) {
      SimConfig c = cfg;
      c.output.node_trials = 0;
      lean = fmt::format("; with output.node_trials = 0: {}", format_gib(plan_for(c, true).total()));
    }
    if (o.writer && !o.ckpt) lean += fmt::format(", without -o: {}", format_gib(plan_for(cfg, false).total()));
    throw ResourceError(fmt::format("not enough memory for the run on n = {} (beyond the graph's {}, loaded): needs {}, "
                                    "{} available; largest parts: {}{}", meta.n, format_gib(graph_bytes),
                                    format_gib(need), format_gib(avail), m.largest(3), lean));
  }
  log_info("memory: {} beyond the graph's {} ({} available); largest parts: {}", format_gib(need),
           format_gib(graph_bytes), avail == UINT64_MAX ? std::string("unknown") : format_gib(avail), m.largest(3));
  return m;
}

// The posts scenario ([posts], io/social.hpp) on g: users and posts read or generated (authors
// among the nodes present when each post is created: after the node file's join rounds are
// in), output.arrivals resolved; none without posts.
std::optional<io::Scenario> posts_scenario(const SimConfig& cfg, const Graph& g, const ProtocolSpec& protocol) {
  if (!cfg.posts.on()) return std::nullopt;
  std::vector<PostSeed> generated;
  if (cfg.posts.count > 0)
    generated = generate_posts(visit_graph(g, [](const auto& x) { return x.num_nodes(); }), cfg.posts.count,
                               cfg.posts.rate, cfg.run.seed, protocol.faults.join);
  io::Scenario s = io::load_scenario(cfg.posts, g, cfg.graph, protocol.faults.join, std::move(generated));
  s.spec.arrivals = io::arrivals_on(cfg.output.arrivals, s.ids.n, s.spec.list.size());
  log_info("posts: {} {}, {}; arrivals {} (output.arrivals = {})", s.spec.list.size(),
           cfg.posts.file.empty() ? "generated" : "from " + cfg.posts.file,
           cfg.posts.users.empty() ? std::string("users named by their ids") : "users from " + cfg.posts.users,
           s.spec.arrivals ? "on" : "off", cfg.output.arrivals);
  return s;
}

// What run prints last: the summary of the finished run.
struct RunFigures {
  const GraphMeta& meta;
  int threads;
  bool packed;
  std::uint64_t graph_bytes;
  const MemoryPlan& memory;
  double wall_seconds, graph_seconds, sim_seconds;
};

// The summary of the trials that finished: all of them, or (status "interrupted") those before a stop.
Json summary_json(const RunFlags& f, const SimConfig& cfg, const RunFigures& x, const RunSink& sink,
                  const Output& o, bool complete) {
  std::uint64_t truncated = 0, coverage_stopped = 0;
  for (const TrialSummary& s : sink.done()) truncated += s.truncated, coverage_stopped += s.coverage_stop;
  if (truncated)
    log_warn("{} of {} trials were cut at run.max_rounds = {} before they ended (truncated_trials; raise "
             "run.max_rounds to let them finish)", truncated, sink.done().size(), cfg.run.max_rounds);
  const double n = static_cast<double>(x.meta.n), arcs = static_cast<double>(x.meta.arcs);
  Json out;
  if (f.per_trial) out["event"] = "summary";
  out["status"] = complete ? "complete" : "interrupted";
  if (!complete) out["reason"] = sink.stop_reason();
  out["trials_done"] = sink.done().size();
  out["n"] = x.meta.n;
  out["edges"] = x.meta.edges;
  out["trials"] = cfg.run.trials;
  out["trial_offset"] = cfg.run.trial_offset;
  out["seed"] = cfg.run.seed;
  out["threads"] = x.threads;
  out["rng"] = "philox4x32-10";
  out["mode"] = mode_name(cfg.protocol.mode);
  out["packed"] = x.packed;
  out["truncated_trials"] = truncated;
  out["coverage_stopped_trials"] = coverage_stopped;
  const std::uint64_t memory_bytes = x.graph_bytes + x.memory.total();
  out["memory_bytes"] = memory_bytes;
  Json parts;
  parts["graph"] = x.graph_bytes;
  for (const MemoryPart& p : x.memory.parts) parts[p.name] = p.bytes;
  out["memory"] = std::move(parts);
  out["bytes_per_node"] = n > 0 ? static_cast<double>(memory_bytes) / n : 0.0;
  out["arcs"] = x.meta.arcs;
  out["bytes_per_arc"] = arcs > 0 ? static_cast<double>(memory_bytes) / arcs : 0.0;
  out["wall_seconds"] = x.wall_seconds;
  out["graph_seconds"] = x.graph_seconds;
  out["sim_seconds"] = x.sim_seconds;
  if (f.output) {
    out["output"] = *f.output;
    out["output_seconds"] = sink.output_seconds();  // of sim_seconds, spent writing the output
    if (!complete) out["checkpoint"] = o.ckpt_path;
  }
  append(out, config_json(cfg));
  out["stats"] = stats_json(sink.done(), is_aggregation(cfg.protocol.mode), cfg.posts.on());
  if (Json posts = sink.posts_json(); !posts.is_null()) out["posts"] = std::move(posts);
  return out;
}

// effective config -> graph -> plan -> sink -> simulate -> finish.
int run(const RunFlags& f) {
  const auto t0 = Clock::now();
  const SimConfig cfg = effective_config(f);
  const int threads = apply_threads(CommonFlags{cfg.run.threads});
  Output o = open_output(f, cfg, threads);
  if (o.already_complete) {
    Json out;
    if (f.per_trial) out["event"] = "summary";
    out["status"] = "complete";
    out["already_complete"] = true;
    out["output"] = *f.output;
    append(out, config_json(cfg));
    fmt::print("{}\n", out.dump());
    return kExitOk;
  }
  bool began = false;  // the output holds the graph section: from here on a failure leaves it marked failed
  try {
    const LoadedGraph loaded = load_graph(cfg.graph);
    const Graph& g = loaded.graph;
    const double graph_seconds = since(t0);
    const GraphMeta meta = graph_meta(g, cfg.graph.source, o.writer != nullptr);
    ProtocolSpec protocol = cfg.protocol;
    io::load_node_columns(protocol.faults, g, cfg.graph);  // network.join, groups = "file:COLUMN"
    io::load_aggregate_values(protocol.aggregate, g, cfg.graph);  // aggregate.init = "file:COLUMN"
    const std::optional<io::Scenario> scenario = posts_scenario(cfg, g, protocol);
    if (scenario) protocol.posts = scenario->spec;
    // Posts: the output's /users and /posts (names and texts: the scenario's, io/social.hpp).
    if (o.writer && scenario) o.writer->set_posts(PostsMeta{protocol.posts, scenario->names, scenario->texts});

    const RunParams params{cfg.run.seed,     cfg.run.trials,           cfg.run.trial_offset, cfg.run.max_rounds,
                           packing(cfg.run), available_memory_bytes(), Tuning{},   cfg.run.stop_coverage};
    const RunPlan plan = plan_run(g, protocol, params);
    if (!plan.note.empty()) log_info("{}", plan.note);
    const std::uint64_t graph_bytes = visit_graph(g, [](const auto& x) { return x.memory_bytes(); });
    const MemoryPlan memory = check_memory(g, cfg, protocol, params, plan, o, meta, graph_bytes);
    log_info("graph ready: n = {}, edges = {} ({:.3f} s); protocol {}, {} trials from trial {}", meta.n, meta.edges,
             graph_seconds, mode_name(cfg.protocol.mode), cfg.run.trials, cfg.run.trial_offset);

    const StopPolicy policy = begin_output(f, cfg, o, meta, t0);
    began = true;
    if (f.max_seconds) log_info("--max-hours: stop with a checkpoint after {} s", *f.max_seconds);
    if (f.checkpoint_seconds) log_info("--checkpoint-every: a checkpoint every {} s", *f.checkpoint_seconds);
    const auto t_sim = Clock::now();
    // Coverage as the summary has it: of the n x P user-post pairs in a posts run.
    const std::uint64_t pairs = meta.n * std::max<std::uint64_t>(1, protocol.posts.list.size());
    Progress progress(cfg.run.trials, o.ckpt ? o.ckpt->done.size() : 0, pairs, f.progress_seconds);
    RunSink sink(f.per_trial ? config_json(cfg) : Json(), o.writer.get(), progress, policy,
                 o.ckpt ? o.ckpt->done : std::vector<TrialSummary>{});
    if (plan.packed) log_info("flood trials packed 64 per pass (run.packed = {})", cfg.run.packed);
    const bool complete = simulate(g, protocol, params, sink, o.ckpt ? &o.ckpt->trial : nullptr);
    progress.finish();
    const double sim_seconds = since(t_sim);

    if (!complete && o.writer) {
      o.writer->finish(RunStatus::interrupted);
      log_info("stopped ({}): {} marked interrupted; continue with --resume", sink.stop_reason(), *f.output);
    } else if (!complete) {
      log_info("stopped ({}): {} of {} trials finished; no output file, nothing to resume", sink.stop_reason(),
               sink.done().size(), cfg.run.trials);
    } else if (o.writer) {
      o.writer->finish(RunStatus::complete);
      std::filesystem::remove(o.ckpt_path);
    }
    const RunFigures figures{meta, threads, plan.packed, graph_bytes, memory, since(t0), graph_seconds, sim_seconds};
    fmt::print("{}\n", summary_json(f, cfg, figures, sink, o, complete).dump());
    return complete ? kExitOk : kExitInterrupted;
  } catch (...) {
    if (o.writer) o.writer->fail();
    // A new output refused before its first row (the graph or the memory pre-check) holds
    // nothing: removed, so that the corrected command needs no --force.
    if (o.writer && !o.ckpt && !began) {
      std::error_code ec;
      std::filesystem::remove(*f.output, ec);
    }
    throw;
  }
}

}  // namespace

void add_run_command(CLI::App& app, Action& action) {
  auto f = std::make_shared<RunFlags>();
  CLI::App* cmd = app.add_subcommand("run", "simulate gossip trials and print a JSON summary on stdout");
  cmd->add_option("config", f->config, "TOML configuration file (see data/examples/)");
  cmd->add_option("-s,--set", f->sets, "override a key: section.key=value (TOML scalar), repeatable");
  cmd->add_option("--threads", f->threads,
                  "worker threads; 0 or none: OMP_NUM_THREADS, SLURM_CPUS_PER_TASK, affinity (warns above the CPUs)")
      ->transform(count_value());
  cmd->add_option("--seed", f->seed, "run.seed: the root of every random draw")->transform(count_value());
  cmd->add_option("--trials", f->trials, "run.trials: number of Monte-Carlo trials")->transform(count_value());
  cmd->add_option("--trial-offset", f->trial_offset, "run.trial_offset: index of the first trial (job arrays)")
      ->transform(count_value());
  add_graph_file_flags(cmd, f->graph_file);
  cmd->add_flag("--per-trial", f->per_trial, "print one JSON line per trial before the summary");
  cmd->add_option("-o,--output", f->output, "write the HDF5 (H5MD) output file OUT.h5 (docs/output.md)");
  cmd->add_flag("--force", f->force, "overwrite an existing output file");
  cmd->add_option("--resume", f->resume,
                  "continue an interrupted run from OUT.h5.ckpt (same config and graph); --resume auto: continue\n"
                  "when a checkpoint exists, start fresh when there is no output or it has no checkpoint, exit 0\n"
                  "when it is complete (requeued batch jobs)")
      ->expected(0, 1)
      ->default_str("must")  // the value of a bare --resume
      ->check(CLI::Validator(
          [](std::string& v) {
            return v == "auto" || v == "must" ? std::string()
                                              : "takes no value or 'auto', got '" + v +
                                                    "' (a config file goes before --resume)";
          },
          "auto", "resume"))
      ->option_text("[auto]");
  cmd->add_flag("--no-file-locking", f->no_file_locking,
                "output.file_locking = false: no HDF5 file locks (Lustre/NFS; like HDF5_USE_FILE_LOCKING=FALSE)");
  // Durations: 90s, 5m, 2h, 1d or HH:MM:SS; a plain number keeps the unit the flag names.
  cmd->add_option("--checkpoint-every", f->checkpoint_seconds,
                  "write OUT.h5.ckpt this often (at a round boundary): 90s, 5m, 2h, HH:MM:SS; a plain number is minutes")
      ->transform(duration_value(60, "minutes"));
  cmd->add_option("--max-hours", f->max_seconds,
                  "stop with a checkpoint after this long (exit 75): 90s, 5m, 2h, HH:MM:SS; a plain number is hours")
      ->transform(duration_value(3600, "hours"));
  cmd->add_option("--progress-seconds", f->progress_seconds,
                  "time between progress lines when stderr is not a terminal: 90s, 5m, HH:MM:SS; a plain number is seconds")
      ->transform(duration_value(1, "seconds"))
      ->check(CLI::PositiveNumber);
  cmd->footer("SIGTERM, SIGINT and SIGUSR1 stop at the next round boundary: with -o a checkpoint and the output\n"
              "marked interrupted; the summary of the finished trials; exit 75. " + std::string(kExitCodeHelp));
  cmd->callback([f, &action] { action = [f] { return run(*f); }; });
}

}  // namespace gossip::cli
