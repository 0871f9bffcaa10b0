// Reading and writing SimConfig as TOML (toml++). Precedence: defaults (config.hpp) < the file <
// --set overrides (in order) < dedicated flags (applied by the CLI afterwards). Unknown keys and
// wrong types are UsageErrors naming the key (and suggesting the nearest valid one); errors in
// the file carry path:line:column.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"

namespace gossip {

// path: a TOML file or nothing (a relative graph.source file in it is relative to its folder); sets: "section.key=value" with TOML scalar values
// (protocol.mode=push, run.trials=100, protocol.forward_prob=0.5, protocol.source_nodes=[0, 5]).
SimConfig load_config(const std::optional<std::string>& path, const std::vector<std::string>& sets);

// The same from TOML text (a config stored in an output file or checkpoint); errors carry
// "origin:line:col: ".
SimConfig load_config_text(const std::string& text, const std::string& origin);

// The effective configuration as TOML text (every key, defaults included); load_config of it
// gives back the same SimConfig.
std::string to_toml(const SimConfig& cfg);

// The key reference (gossipsim config keys, checked in as docs/config.md): every key of the key
// table with its type, default, allowed values and meaning, as Markdown.
std::string key_reference();

}  // namespace gossip
