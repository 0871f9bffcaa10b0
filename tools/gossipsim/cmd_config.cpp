// `gossipsim config show [CONFIG] [-s section.key=value]...`: print the effective configuration
// (defaults < CONFIG < each --set in order) as TOML on stdout. The output is itself a valid
// config file that gives back the same configuration.
// `gossipsim config keys`: the key reference (type, default, allowed values, meaning of every
// key) as Markdown, generated from the key table; docs/config.md is its output.
#include <fmt/format.h>

#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "config/config_toml.hpp"

namespace gossip::cli {
namespace {

struct ShowFlags {
  std::optional<std::string> config;
  std::vector<std::string> sets;
};

int config_show(const ShowFlags& f) {
  fmt::print("{}", to_toml(load_config(f.config, f.sets)));
  return 0;
}

}  // namespace

void add_config_commands(CLI::App& app, Action& action) {
  CLI::App* config = app.add_subcommand("config", "inspect configurations");
  config->require_subcommand(1);
  auto flags = std::make_shared<ShowFlags>();
  CLI::App* show = config->add_subcommand("show", "print the effective configuration (every key) as TOML");
  show->add_option("config", flags->config, "TOML config file");
  show->add_option("-s,--set", flags->sets, "override one key: section.key=value (TOML value; repeatable, later wins)")
      ->allow_extra_args(false);
  show->callback([flags, &action] { action = [flags] { return config_show(*flags); }; });
  CLI::App* keys = config->add_subcommand("keys", "list every key with its type, default, allowed values and meaning "
                                                  "(Markdown; docs/config.md)");
  keys->callback([&action] {
    action = [] {
      fmt::print("{}", key_reference());
      return 0;
    };
  });
}

}  // namespace gossip::cli
