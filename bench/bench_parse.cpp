// Graph-file loading rates on one generated edge list (bench/parse_rate.sh makes it, about
// 1 GB): a plain read() loop and a page-touching pass over the mapping (what merely reading the
// bytes costs), the edge-list load to CSR (validate + 2 build passes; MB/s and edges/s), and
// the binary CSR load (mmap + parallel validation) of the same graph, at 1 and 2 threads.
// Paths: GOSSIPSIM_BENCH_EL (default /tmp/gossipsim_bench.el) and GOSSIPSIM_BENCH_GCSR
// (default /tmp/gossipsim_bench.gcsr). Run: bench/parse_rate.sh (it generates both first).
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "core/parallel.hpp"
#include "io/edge_list.hpp"
#include "io/gcsr.hpp"
#include "io/mapped_file.hpp"

namespace {

std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v ? v : fallback;
}
const std::string kEl = env_or("GOSSIPSIM_BENCH_EL", "/tmp/gossipsim_bench.el");
const std::string kGcsr = env_or("GOSSIPSIM_BENCH_GCSR", "/tmp/gossipsim_bench.gcsr");

bool missing(benchmark::State& state, const std::string& path) {
  if (::access(path.c_str(), R_OK) == 0) return false;
  state.SkipWithError(("missing " + path + " (run bench/parse_rate.sh)").c_str());
  return true;
}

void read_loop(benchmark::State& state) {
  if (missing(state, kEl)) return;
  std::vector<char> buf(std::size_t{1} << 20);
  std::uint64_t bytes = 0;
  for (auto _ : state) {
    const int fd = ::open(kEl.c_str(), O_RDONLY);
    bytes = 0;
    for (ssize_t r; (r = ::read(fd, buf.data(), buf.size())) > 0;) bytes += static_cast<std::uint64_t>(r);
    ::close(fd);
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["MB_per_s"] = benchmark::Counter(static_cast<double>(bytes) / 1e6, benchmark::Counter::kIsIterationInvariantRate);
}

void mmap_touch(benchmark::State& state) {
  if (missing(state, kEl)) return;
  std::uint64_t bytes = 0;
  for (auto _ : state) {
    const gossip::io::MappedFile f(kEl);
    unsigned sum = 0;
    for (std::size_t i = 0; i < f.size(); i += 4096) sum += static_cast<unsigned char>(f.data()[i]);
    bytes = f.size();
    benchmark::DoNotOptimize(sum);
  }
  state.counters["MB_per_s"] = benchmark::Counter(static_cast<double>(bytes) / 1e6, benchmark::Counter::kIsIterationInvariantRate);
}

void edge_list_load(benchmark::State& state) {
  if (missing(state, kEl)) return;
  gossip::par::set_threads(static_cast<int>(state.range(0)));
  std::uint64_t bytes = 0, edges = 0, arcs = 0;
  for (auto _ : state) {
    const gossip::io::InputText text(kEl);
    gossip::io::LoadNotes notes;
    const gossip::CsrGraph g = gossip::io::load_edge_list(text.text(), kEl, {}, notes);
    bytes = text.text().size();
    edges = notes.lines;
    arcs = g.num_arcs();
  }
  state.counters["threads"] = static_cast<double>(state.range(0));
  state.counters["MB_per_s"] = benchmark::Counter(static_cast<double>(bytes) / 1e6, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["edges_per_s"] = benchmark::Counter(static_cast<double>(edges), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["arcs"] = static_cast<double>(arcs);
}

void gcsr_load(benchmark::State& state) {
  if (missing(state, kGcsr)) return;
  gossip::par::set_threads(static_cast<int>(state.range(0)));
  std::uint64_t arcs = 0;
  for (auto _ : state) {
    const gossip::CsrGraph g = gossip::io::load_gcsr(kGcsr);
    arcs = g.num_arcs();
  }
  state.counters["threads"] = static_cast<double>(state.range(0));
  state.counters["arcs_per_s"] = benchmark::Counter(static_cast<double>(arcs), benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace

BENCHMARK(read_loop)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(mmap_touch)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(edge_list_load)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(gcsr_load)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

BENCHMARK_MAIN();
