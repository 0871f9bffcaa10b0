#include "io/source.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>

#include "core/error.hpp"
#include "gen/generate.hpp"
#include "io/edge_list.hpp"
#include "io/gcsr.hpp"
#include "io/ligra.hpp"
#include "io/mapped_file.hpp"
#include "io/metis.hpp"
#include "io/mtx.hpp"

namespace gossip {
namespace {

std::string lower(std::string s) {
  std::ranges::transform(s, s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string format_list() {
  std::string s;
  for (std::string_view f : kGraphFormats) s += (s.empty() ? "" : ", ") + std::string(f);
  return s;
}

}  // namespace

bool is_graph_file(const std::string& source) {
  std::error_code ec;
  if (std::filesystem::exists(source, ec) || std::filesystem::is_symlink(source, ec)) return true;
  const auto colon = source.find(':');
  if (colon == std::string::npos) {
    for (const FamilyInfo& f : families())
      if (f.name == source) return false;
    return true;
  }
  const std::string family = source.substr(0, colon);
  return std::ranges::none_of(families(), [&](const FamilyInfo& f) { return f.name == family; }) &&
         source.find('=') == std::string::npos;
}

std::string file_format(const GraphOptions& opt) {
  if (std::ranges::find(kGraphFormats, opt.format) == std::end(kGraphFormats))
    throw UsageError("graph.format must be one of " + format_list() + ", got '" + opt.format + "'");
  if (opt.format != "auto") return opt.format;
  std::string name = lower(std::filesystem::path(opt.source).filename().string());
  const bool gz = name.ends_with(".gz");
  if (gz) name.resize(name.size() - 3);
  const std::string ext = std::filesystem::path(name).extension().string();
  for (const char* e : {".txt", ".el", ".tsv", ".csv", ".edges", ".snap"})
    if (ext == e) return "edgelist";
  if (ext == ".mtx") return "mtx";
  if (ext == ".graph" || ext == ".metis") return "metis";
  if (ext == ".adj") return "ligra";
  if (ext == ".gcsr") return "gcsr";
  if (gz)  // the format is the extension before .gz: say which one is missing or unknown
    throw UsageError("graph source '" + opt.source + "': a .gz file needs the extension of what it holds before .gz (" +
                     (ext.empty() ? std::string("it has none") : "'" + ext + "' is not one") +
                     "; known: .txt .el .tsv .csv .edges .snap, .mtx, .graph .metis, .adj; e.g. " +
                     std::filesystem::path(name).stem().string() +
                     ".txt.gz); rename it or set graph.format (--format) to edgelist, mtx, metis or ligra");
  throw UsageError("graph source '" + opt.source + "': cannot tell the format from the extension '" + ext +
                   "' (known: .txt .el .tsv .csv .edges .snap [.gz], .mtx [.gz], .graph .metis [.gz], .adj [.gz], "
                   ".gcsr); set graph.format (--format) to edgelist, mtx, metis, ligra or gcsr");
}

std::optional<std::uint32_t> latency_column(std::string_view text) {
  if (text == "none") return 0;
  if (!text.starts_with("column:")) return std::nullopt;
  const std::string_view k = text.substr(7);
  std::uint32_t x = 0;
  const auto [end, ec] = std::from_chars(k.data(), k.data() + k.size(), x);
  if (ec != std::errc{} || end != k.data() + k.size() || x < 3) return std::nullopt;
  return x;
}

Graph open_graph(const GraphOptions& opt, io::LoadNotes& notes) {
  const auto lat_col = latency_column(opt.latency.empty() ? "none" : opt.latency);
  if (!lat_col)
    throw UsageError("graph.latency must be none or column:K (K >= 3, the column of per-arc latencies), got '" +
                     opt.latency + "'");
  if (!is_graph_file(opt.source)) {
    if (*lat_col)
      throw UsageError("graph.latency = '" + opt.latency + "' needs a graph file (an edge list, Matrix Market or .gcsr); '" +
                       opt.source + "' is a generator spec");
    return generate(parse_spec(opt.source), {opt.seed, opt.keep_self_loops, opt.keep_duplicates});
  }
  notes.format = file_format(opt);
  if (*lat_col && (notes.format == "metis" || notes.format == "ligra"))
    throw UsageError("graph.latency = '" + opt.latency + "': " + notes.format +
                     " files have no latencies (use an edge list, Matrix Market or .gcsr file)");
  if (notes.format == "gcsr") {
    CsrGraph g = io::load_gcsr(opt.source);
    if (*lat_col && !g.has_latencies())
      throw InputError(opt.source + ": graph.latency = '" + opt.latency +
                       "' but this binary CSR holds no latencies (convert a file read with graph.latency)");
    std::error_code ec;
    notes.file_bytes = std::filesystem::file_size(opt.source, ec);
    return g;
  }
  const io::InputText input(opt.source);
  notes.gzip = input.was_gzip();
  notes.file_bytes = input.file_bytes();
  const io::LoadOptions lo{.directed = opt.directed,
                           .one_based = opt.one_based,
                           .keep_self_loops = opt.keep_self_loops,
                           .keep_duplicates = opt.keep_duplicates,
                           .skip_lines = opt.skip_lines,
                           .latency_column = *lat_col};
  if (notes.format == "mtx") return io::load_mtx(input.text(), opt.source, lo, notes);
  if (notes.format == "metis") return io::load_metis(input.text(), opt.source, lo, notes);
  if (notes.format == "ligra") return io::load_ligra(input.text(), opt.source, lo, notes);
  return io::load_edge_list(input.text(), opt.source, lo, notes);
}

Graph open_graph(const GraphOptions& opt) {
  io::LoadNotes notes;
  return open_graph(opt, notes);
}

}  // namespace gossip
