// load_config: defaults, then the TOML file, then each --set in order, then validate(). Every
// key is looked up in the key table (config_keys.hpp) and its value type- and range-checked as
// it is read, so an error carries where the value came from: "PATH:LINE:COL: " for the file,
// "--set KEY=VALUE: " for an override. A relative graph file path in a config file (graph.source,
// graph.node_file, posts.users, posts.file) is relative to the config file's folder; one given with --set is relative to the working directory.
#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <toml++/toml.h>

#include "core/error.hpp"
#include "core/numbers.hpp"
#include "config/config_keys.hpp"
#include "config/config_toml.hpp"

namespace gossip {
namespace {

using namespace config_keys;

std::string describe(const toml::node& n) {
  if (auto s = n.as_string()) return fmt::format("string '{}'", s->get());
  if (auto i = n.as_integer()) return fmt::format("integer {}", i->get());
  if (auto f = n.as_floating_point()) return fmt::format("float {}", f->get());
  if (auto b = n.as_boolean()) return fmt::format("boolean {}", b->get());
  if (n.is_array()) return "array";
  if (n.is_table()) return "table";
  return "date/time";
}

[[noreturn]] void wrong_type(const KeyDef& key, std::string_view expected, const toml::node& n) {
  throw UsageError(fmt::format("key '{}' must be {}, got {}", key.name, expected, describe(n)));
}

// A TOML integer, a float that is an exact integer (1e6), or a string in the count syntax.
Integer read_integer(const KeyDef& key, const toml::node& n, std::string_view expected) {
  if (auto i = n.as_integer()) {
    const std::int64_t v = i->get();
    return {v < 0, v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v)};
  }
  if (auto f = n.as_floating_point()) {
    const double d = f->get();
    if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 18446744073709551616.0)
      return {d < 0, static_cast<std::uint64_t>(std::fabs(d))};
  }
  if (auto s = n.as_string())
    if (auto c = parse_count(s->get())) return {false, *c};
  wrong_type(key, expected, n);
}

std::uint64_t checked_integer(const KeyDef& key, const toml::node& n) {
  const Integer v = read_integer(key, n, "an integer");
  if (auto e = range_error(key, v)) throw UsageError(*e);
  return v.magnitude;
}

std::string read_string(const KeyDef& key, const toml::node& n) {
  if (auto s = n.as_string()) return s->get();
  wrong_type(key, "a string", n);
}

std::vector<NodeId> read_nodes(const KeyDef& key, const toml::node& n) {
  const toml::array* a = n.as_array();
  if (!a) return {static_cast<NodeId>(checked_integer(key, n))};  // a single id: a one-node list
  std::vector<NodeId> out;
  for (const toml::node& e : *a) {
    const Integer v = read_integer(key, e, "an array of node ids");
    if (auto err = range_error(key, v)) throw UsageError(*err);
    out.push_back(static_cast<NodeId>(v.magnitude));
  }
  return out;
}

void apply(const KeyDef& key, const toml::node& n, SimConfig& cfg) {
  std::visit(
      Overloaded{[&](std::string* s) { *s = read_string(key, n); },
                 [&](bool* b) {
                   if (auto v = n.as_boolean()) *b = v->get();
                   else wrong_type(key, "a boolean (true or false)", n);
                 },
                 [&](std::uint64_t* v) { *v = checked_integer(key, n); },
                 [&](std::uint32_t* v) { *v = static_cast<std::uint32_t>(checked_integer(key, n)); },
                 [&](Round* v) { *v = static_cast<Round>(checked_integer(key, n)); },
                 [&](std::optional<long>* v) {  // run.threads: 0 is automatic, as leaving it unset
                   const std::uint64_t x = checked_integer(key, n);
                   *v = x == 0 ? std::nullopt : std::optional<long>(static_cast<long>(x));
                 },
                 [&](double* v) {
                   if (auto i = n.as_integer()) *v = static_cast<double>(i->get());
                   else if (auto f = n.as_floating_point()) *v = f->get();
                   else wrong_type(key, "a number", n);
                   if (auto e = range_error(key, *v)) throw UsageError(*e);
                 },
                 [&](Mode* m) {
                   const std::string s = read_string(key, n);
                   const auto p = parse_mode(s);
                   if (!p) throw UsageError(fmt::format("unknown {} '{}' (valid: {})", key.name, s, mode_names()));
                   *m = *p;
                 },
                 [&](StopRule* r) {
                   const std::string s = read_string(key, n);
                   const auto p = parse_stop(s);
                   if (!p) throw UsageError(fmt::format("unknown {} '{}' (valid: {})", key.name, s, stop_names()));
                   *r = *p;
                 },
                 [&](std::vector<NodeId>* v) { *v = read_nodes(key, n); },
                 [&](ChurnSpec* c) {
                   const std::string s = read_string(key, n);
                   std::string why;
                   auto p = parse_churn(s, why);
                   if (!p) throw UsageError(fmt::format("{} = '{}': {}", key.name, s, why));
                   p->fraction = c->fraction;  // faults.churn_fraction is a key of its own
                   *c = *p;
                 },
                 [&](JoinSpec* j) {
                   const std::string s = read_string(key, n);
                   std::string why;
                   auto p = parse_join(s, why);
                   if (!p) throw UsageError(fmt::format("{} = '{}': {}", key.name, s, why));
                   *j = *p;
                 },
                 [&](DelaySpec* d) {
                   const std::string s = read_string(key, n);
                   std::string why;
                   auto p = parse_delay(s, why);
                   if (!p) throw UsageError(fmt::format("{} = '{}': {}", key.name, s, why));
                   *d = *p;
                 }},
      key.field(cfg));
}

std::string at(const toml::source_region& r) {
  return fmt::format("{}:{}:{}: ", r.path ? *r.path : std::string("?"), r.begin.line, r.begin.column);
}

std::string read_text(const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) throw UsageError(fmt::format("cannot read config file '{}': {}", path, std::strerror(errno)));
  std::string text;
  char buf[1 << 16];
  while (std::size_t got = std::fread(buf, 1, sizeof buf, f.get())) text.append(buf, got);
  if (std::ferror(f.get())) throw UsageError(fmt::format("cannot read config file '{}': {}", path, std::strerror(errno)));
  return text;
}

// A table's entries in the order they appear in the file (toml::table iterates by key).
std::vector<std::pair<const toml::key*, const toml::node*>> in_file_order(const toml::table& t) {
  std::vector<std::pair<const toml::key*, const toml::node*>> out;
  for (auto&& [k, v] : t) out.emplace_back(&k, &v);
  std::ranges::stable_sort(out, [](const auto& a, const auto& b) {
    const auto &x = a.first->source().begin, &y = b.first->source().begin;
    return x.line != y.line ? x.line < y.line : x.column < y.column;
  });
  return out;
}

// [[events]]: an array of tables with round, action and, by action, fraction or nodes
// (fail, recover) or groups (partition). Errors name the entry and its position.
std::vector<FaultEvent> read_events(const toml::node& node) {
  const toml::array* a = node.as_array();
  if (!a || !a->is_array_of_tables())
    throw UsageError(at(node.source()) + fmt::format("'events' must be an array of tables ([[events]]), got {}", describe(node)));
  std::vector<FaultEvent> out;
  for (std::size_t e = 0; e < a->size(); ++e) {
    const toml::table& t = *a->get(e)->as_table();
    const std::string name = fmt::format("events[{}]", e);
    auto fail = [&](const auto& n, const std::string& what) -> UsageError {
      return UsageError(at(n.source()) + name + ": " + what);
    };
    FaultEvent ev;
    const toml::node* action = t.get("action");
    const toml::node* round = t.get("round");
    if (!action || !action->as_string())
      throw fail(t, "needs action = \"fail\", \"recover\", \"partition\" or \"heal\"");
    const auto kind = parse_event_action(action->as_string()->get());
    if (!kind) throw fail(*action, fmt::format("unknown action '{}' (valid: fail, recover, partition, heal)", action->as_string()->get()));
    ev.kind = *kind;
    if (!round || !round->as_integer()) throw fail(round ? *round : t, "needs round = R, an integer >= 0");
    if (round->as_integer()->get() < 0 || round->as_integer()->get() >= kNever)
      throw fail(*round, fmt::format("round must be in [0, {}], got {}", kNever - 1, round->as_integer()->get()));
    ev.round = static_cast<Round>(round->as_integer()->get());
    const bool picks = ev.kind == FaultEvent::fail || ev.kind == FaultEvent::recover;
    for (const auto& [k, v] : in_file_order(t)) {
      const std::string_view key = k->str();
      if (key == "action" || key == "round") continue;
      if (picks && key == "fraction") {
        const double f = v->as_floating_point() ? v->as_floating_point()->get()
                         : v->as_integer()      ? static_cast<double>(v->as_integer()->get())
                                                : -1.0;
        if (!(f > 0.0 && f <= 1.0)) throw fail(*v, fmt::format("fraction must be a number in (0, 1], got {}", describe(*v)));
        ev.fraction = f;
      } else if (picks && key == "nodes") {
        const toml::array* ids = v->as_array();
        if (!ids || ids->empty()) throw fail(*v, "nodes must be a non-empty array of node ids");
        for (const toml::node& id : *ids) {
          if (!id.as_integer() || id.as_integer()->get() < 0 || id.as_integer()->get() > static_cast<std::int64_t>(kMaxNodes - 1))
            throw fail(id, fmt::format("nodes must hold node ids in [0, {}], got {}", kMaxNodes - 1, describe(id)));
          ev.nodes.push_back(static_cast<NodeId>(id.as_integer()->get()));
        }
      } else if (ev.kind == FaultEvent::partition && key == "groups") {
        const auto g = v->as_string() ? parse_groups(v->as_string()->get()) : std::nullopt;
        // groups = "file:COLUMN": the group of each node from a column of graph.node_file
        const auto column = v->as_string() ? parse_file_column(v->as_string()->get()) : std::nullopt;
        if (!g && !column)
          throw fail(*v, fmt::format("groups must be \"halves\", \"blocks:K\" (K >= 2) or \"file:COLUMN\", got {}",
                                     describe(*v)));
        if (g) ev.groups = *g;
        if (column) ev.group_column = *column;
      } else {
        throw fail(*k, fmt::format("{} takes no key '{}'", event_action_name(ev.kind), key));
      }
    }
    if (picks && (ev.nodes.empty() == (ev.fraction == 0.0)))
      throw fail(t, fmt::format("{} needs exactly one of fraction = F or nodes = [...]", event_action_name(ev.kind)));
    if (ev.kind == FaultEvent::partition && !t.contains("groups"))
      throw fail(t, "partition needs groups = \"halves\", \"blocks:K\" or \"file:COLUMN\"");
    out.push_back(std::move(ev));
  }
  return out;
}

void apply_text(const std::string& text, const std::string& path, SimConfig& cfg) {
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    throw UsageError(at(e.source()) + std::string(e.description()));
  }
  for (const auto& [k, node] : in_file_order(root)) {
    const std::string section(k->str());
    if (section == "events") {
      cfg.protocol.faults.events = read_events(*node);
      continue;
    }
    if (!is_section(section))
      throw UsageError(at(k->source()) +
                       (node->is_table() ? unknown_section_message(section) : unknown_key_message(section)));
    const toml::table* t = node->as_table();
    if (!t) throw UsageError(at(node->source()) + fmt::format("key '{}' must be a table, got {}", section, describe(*node)));
    for (const auto& [sk, value] : in_file_order(*t)) {
      const std::string name = section + "." + std::string(sk->str());
      const KeyDef* key = find_key(name);
      if (!key) throw UsageError(at(sk->source()) + unknown_key_message(name));
      try {
        apply(*key, *value, cfg);
      } catch (const UsageError& e) {
        throw UsageError(at(value->source()) + e.what());
      }
    }
  }
}

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t");
  return b == std::string_view::npos ? std::string() : std::string(s.substr(b, s.find_last_not_of(" \t") - b + 1));
}

// The value of "KEY=VALUE" as TOML ("x = VALUE"); a bare word (push, er:n=10) is a string, and
// string-valued keys take any unquoted value as written.
toml::table parse_value(const std::string& raw, const KeyDef& key) {
  const bool textual = key.kind == Kind::text || key.kind == Kind::mode || key.kind == Kind::stop || key.kind == Kind::churn ||
                       key.kind == Kind::join || key.kind == Kind::delay;
  try {
    toml::table t = toml::parse("x = " + raw);
    if (t.size() == 1 && t.contains("x") && (!textual || t["x"].is_string())) return t;
  } catch (const toml::parse_error&) {
  }
  toml::table t;
  t.insert("x", raw);
  return t;
}

void apply_set(const std::string& set, SimConfig& cfg) {
  const std::string prefix = "--set " + set + ": ";
  const auto eq = set.find('=');
  if (eq == std::string::npos) throw UsageError(prefix + "expected section.key=value");
  const std::string name = trim(std::string_view(set).substr(0, eq));
  const KeyDef* key = find_key(name);
  if (!key) throw UsageError(prefix + unknown_key_message(name));
  const toml::table value = parse_value(trim(std::string_view(set).substr(eq + 1)), *key);
  try {
    apply(*key, *value.get("x"), cfg);
  } catch (const UsageError& e) {
    throw UsageError(prefix + e.what());
  }
}

}  // namespace

SimConfig load_config(const std::optional<std::string>& path, const std::vector<std::string>& sets) {
  SimConfig cfg;
  if (path) {
    apply_text(read_text(*path), *path, cfg);
    // A graph file named in a config file is where the file says, wherever the run starts
    // (made absolute, so output files, checkpoints and `config show` name it the same way).
    const std::filesystem::path dir = std::filesystem::path(*path).parent_path();
    auto beside_config = [&](std::string& file) {
      if (!file.empty() && std::filesystem::path(file).is_relative())
        file = (std::filesystem::absolute(dir.empty() ? "." : dir) / file).lexically_normal().string();
    };
    if (is_graph_file(cfg.graph.source)) beside_config(cfg.graph.source);
    beside_config(cfg.graph.node_file);  // the node file too (graph.node_file)
    beside_config(cfg.posts.users);      // and the scenario's files (posts.users, posts.file)
    beside_config(cfg.posts.file);
  }
  for (const std::string& s : sets) apply_set(s, cfg);
  validate(cfg);
  return cfg;
}

}  // namespace gossip

namespace gossip {

SimConfig load_config_text(const std::string& text, const std::string& origin) {
  SimConfig cfg;
  apply_text(text, origin, cfg);
  validate(cfg);
  return cfg;
}

}  // namespace gossip
