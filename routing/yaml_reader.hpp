// Strict, diagnostic-collecting access to yaml-cpp nodes: wrong types and unknown keys become
// file:line:column diagnostics instead of exceptions. One reader per file; not thread-safe.
#pragma once

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "routing/diagnostic.hpp"

namespace hotline::routing {

class YamlReader {
 public:
  YamlReader(std::string file, std::vector<Diagnostic>& out, FileLimits limits = {})
      : file_(std::move(file)), out_(out), limits_(limits) {}

  // Parses `text`; on a syntax error records it and returns nullopt. So does a text longer than
  // limits.max_bytes, and a document that expands to more than limits.max_yaml_nodes nodes or nests too deep
  // (see measure_expansion: yaml-cpp shares an anchored node among its aliases, and a reader walks it once per use).
  std::optional<YAML::Node> parse(const std::string& text);

  void error(const YAML::Node& at, const std::string& message);
  void warning(const YAML::Node& at, const std::string& message);
  int line(const YAML::Node& n) const { return n.Mark().line + 1; }
  int column(const YAML::Node& n) const { return n.Mark().column + 1; }
  const std::string& file() const { return file_; }

  // Reports each key of `map` not in `allowed`, and each key given twice (yaml-cpp keeps both, and look-ups take
  // the first). Returns false when `map` is not a mapping.
  bool check_keys(const YAML::Node& map, std::string_view what, std::initializer_list<std::string_view> allowed);
  bool is_map(const YAML::Node& n, std::string_view what);
  bool is_seq(const YAML::Node& n, std::string_view what);

  // A scalar field; reports absence when required, and a non-scalar value always.
  std::optional<std::string> string(const YAML::Node& map, std::string_view key, bool required);
  std::optional<long long> integer(const YAML::Node& map, std::string_view key);
  // A list of scalars (a single scalar is accepted as a one-element list). Empty when absent.
  std::vector<std::string> strings(const YAML::Node& map, std::string_view key);
  std::vector<std::pair<std::string, YAML::Node>> strings_with_nodes(const YAML::Node& map, std::string_view key);
  // The same for a value already looked up (`key` names it in diagnostics).
  std::vector<std::pair<std::string, YAML::Node>> value_strings_with_nodes(const YAML::Node& value,
                                                                           std::string_view key);

 private:
  void add(const YAML::Node& at, const std::string& message, Severity severity);

  std::string file_;
  std::vector<Diagnostic>& out_;
  FileLimits limits_;
};

// How a document expands when every alias stands for the whole node it names, each time it is used (map keys and
// values are nodes). At most max_nodes + 1 nodes are visited. An alias inside the node it names counts as one node
// and is not followed (the readers report what it makes). Nesting deeper than k_max_yaml_depth is refused: no
// rules-folder file nests more than a few levels, and the limit keeps the walk linear.
inline constexpr std::size_t k_max_yaml_depth = 100;
enum class Expansion { within, too_many_nodes, too_deep };
Expansion measure_expansion(const YAML::Node& root, std::size_t max_nodes);

}  // namespace hotline::routing
