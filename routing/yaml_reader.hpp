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
  YamlReader(std::string file, std::vector<Diagnostic>& out) : file_(std::move(file)), out_(out) {}

  // Parses `text`; on a syntax error records it and returns nullopt.
  std::optional<YAML::Node> parse(const std::string& text);

  void error(const YAML::Node& at, const std::string& message);
  void warning(const YAML::Node& at, const std::string& message);
  int line(const YAML::Node& n) const { return n.Mark().line + 1; }
  int column(const YAML::Node& n) const { return n.Mark().column + 1; }
  const std::string& file() const { return file_; }

  // Reports each key of `map` not in `allowed`. Returns false when `map` is not a mapping.
  bool check_keys(const YAML::Node& map, std::string_view what, std::initializer_list<std::string_view> allowed);
  bool is_map(const YAML::Node& n, std::string_view what);
  bool is_seq(const YAML::Node& n, std::string_view what);

  // A scalar field; reports absence when required, and a non-scalar value always.
  std::optional<std::string> string(const YAML::Node& map, std::string_view key, bool required);
  std::optional<long long> integer(const YAML::Node& map, std::string_view key);
  // A list of scalars (a single scalar is accepted as a one-element list). Empty when absent.
  std::vector<std::string> strings(const YAML::Node& map, std::string_view key);
  std::vector<std::pair<std::string, YAML::Node>> strings_with_nodes(const YAML::Node& map, std::string_view key);

 private:
  void add(const YAML::Node& at, const std::string& message, Severity severity);

  std::string file_;
  std::vector<Diagnostic>& out_;
};

}  // namespace hotline::routing
