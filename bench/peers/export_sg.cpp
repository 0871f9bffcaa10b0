// export_sg SPEC OUT.sg [SEED]: builds a generator graph exactly as `gossipsim run` does
// (graph.seed = SEED, default 1 as in SimConfig) and writes it in the GAP Benchmark Suite's
// serialized format, so GAP's bfs and the NumPy peer run on the very graph gossipsim simulates.
// .sg layout (gapbs src/writer.h): bool directed, int64 arcs, int64 n, int64 offsets[n+1],
// int32 neighbors[arcs]; our CSR has the same widths, so the arrays are written as they are.
// Prints one JSON line: n, arcs, build_seconds (generation + CSR build), write_seconds.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <variant>

#include "io/source.hpp"
#include "config/config.hpp"

namespace {

double since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

bool write_all(std::FILE* f, const void* p, std::size_t bytes) { return std::fwrite(p, 1, bytes, f) == bytes; }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4) {
    std::fprintf(stderr, "usage: export_sg SPEC OUT.sg [SEED]\n");
    return 2;
  }
  try {
    const std::string out = argv[2];
    const auto t0 = std::chrono::steady_clock::now();
    gossip::GraphOptions opt = gossip::SimConfig{}.graph;  // defaults from their one place
    opt.source = argv[1];
    if (argc == 4) opt.seed = std::stoull(argv[3]);
    const gossip::Graph g = gossip::open_graph(opt);
    const double build_seconds = since(t0);
    const auto* csr = std::get_if<gossip::CsrGraph>(&g);
    if (!csr) {
      std::fprintf(stderr, "export_sg: error: %s is implicit (no adjacency to write)\n", argv[1]);
      return 2;
    }
    const auto t1 = std::chrono::steady_clock::now();
    const std::string tmp = out + ".part";
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f) {
      std::fprintf(stderr, "export_sg: error: cannot write %s\n", tmp.c_str());
      return 1;
    }
    const bool directed = csr->directed();
    const std::int64_t arcs = static_cast<std::int64_t>(csr->num_arcs());
    const std::int64_t n = csr->num_nodes();
    bool ok = write_all(f, &directed, sizeof directed) && write_all(f, &arcs, sizeof arcs) && write_all(f, &n, sizeof n) &&
              write_all(f, csr->offsets().data(), csr->offsets().size_bytes()) &&
              write_all(f, csr->adjacency().data(), csr->adjacency().size_bytes());
    ok = (std::fclose(f) == 0) && ok;
    if (!ok || std::rename(tmp.c_str(), out.c_str()) != 0) {
      std::remove(tmp.c_str());
      std::fprintf(stderr, "export_sg: error: writing %s failed\n", out.c_str());
      return 1;
    }
    std::printf("{\"n\": %lld, \"arcs\": %lld, \"build_seconds\": %.6f, \"write_seconds\": %.6f}\n",
                static_cast<long long>(n), static_cast<long long>(arcs), build_seconds, since(t1));
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "export_sg: error: %s\n", e.what());
    return 1;
  }
}
