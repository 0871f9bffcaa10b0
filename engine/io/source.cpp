#include "io/source.hpp"

#include <filesystem>

#include "core/error.hpp"
#include "gen/generate.hpp"

namespace gossip {

Graph open_graph(const GraphOptions& opt) {
  std::error_code ec;
  const GenSpec spec = parse_spec(opt.source);
  bool is_family = false;
  for (const FamilyInfo& f : families()) is_family = is_family || f.name == spec.family;
  const bool is_path = std::filesystem::exists(opt.source, ec) ||
                       (opt.source.find(':') == std::string::npos && !is_family);
  if (is_path)
    throw UsageError("graph source '" + opt.source +
                     "': graph files are not supported yet; give a generator spec FAMILY:key=value,...");
  return generate(spec, {opt.seed, opt.keep_self_loops, opt.keep_duplicates});
}

}  // namespace gossip
