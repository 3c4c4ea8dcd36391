#include "routing/yaml_reader.hpp"

#include <algorithm>
#include <charconv>
#include <utility>
#include <vector>

#include "routing/keyword_matcher.hpp"
#include "routing/yaml_hints.hpp"

namespace hotline::routing {

Expansion measure_expansion(const YAML::Node& root, std::size_t max_nodes) {
  // Depth-first over the expanded tree. Copies of a YAML::Node share the node (nothing here assigns to one).
  struct Open {
    YAML::Node node;
    std::vector<YAML::Node> children;  // a sequence's items; a map's keys and values
    std::size_t next = 0;
  };
  std::vector<Open> path;
  std::size_t seen = 0;
  const auto enter = [&](const YAML::Node& n) {
    if (++seen > max_nodes) return Expansion::too_many_nodes;
    if (!n.IsSequence() && !n.IsMap()) return Expansion::within;
    for (const auto& open : path) {
      if (open.node.is(n)) return Expansion::within;  // an alias inside the node it names: the readers report it
    }
    if (path.size() >= k_max_yaml_depth) return Expansion::too_deep;
    Open open{n, {}, 0};
    if (n.IsSequence()) {
      for (const auto& item : n) open.children.push_back(item);
    } else {
      for (const auto& entry : n) {
        open.children.push_back(entry.first);
        open.children.push_back(entry.second);
      }
    }
    path.push_back(std::move(open));
    return Expansion::within;
  };
  if (const auto e = enter(root); e != Expansion::within) return e;
  while (!path.empty()) {
    Open& top = path.back();
    if (top.next == top.children.size()) {
      path.pop_back();
      continue;
    }
    const YAML::Node child = top.children[top.next++];  // `top` may move once enter() opens the child
    if (const auto e = enter(child); e != Expansion::within) return e;
  }
  return Expansion::within;
}

std::optional<YAML::Node> YamlReader::parse(const std::string& text) {
  if (text.size() > limits_.max_bytes) {
    out_.push_back({file_, 0, 0,
                    "rules file " + file_ + " is " + std::to_string(text.size()) + " bytes, more than the cap of " +
                        std::to_string(limits_.max_bytes) + " bytes (rules_files.max_bytes)",
                    Severity::error});
    return std::nullopt;
  }
  if (const auto bad = first_invalid_utf8(text); bad != std::string_view::npos) {
    // Where the first bad byte is, and the likely cause: a file saved as GBK by a Chinese editor.
    std::size_t line = 1, line_start = 0;
    for (std::size_t k = 0; k < bad; ++k) {
      if (text[k] == '\n') ++line, line_start = k + 1;
    }
    out_.push_back({file_, static_cast<int>(line), static_cast<int>(bad - line_start + 1),
                    "file is not valid UTF-8: save it as UTF-8 (a file saved as GBK or GB18030 reads like this)",
                    Severity::error});
    return std::nullopt;
  }
  YAML::Node doc;
  try {
    doc = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    const auto hint = yaml_syntax_hint(e.msg, text, e.mark.line + 1);
    out_.push_back(
        {file_, e.mark.line + 1, e.mark.column + 1, hint.empty() ? e.msg : e.msg + " (" + hint + ")", Severity::error});
    return std::nullopt;
  }
  switch (measure_expansion(doc, limits_.max_yaml_nodes)) {
    case Expansion::within:
      break;
    case Expansion::too_many_nodes:
      out_.push_back({file_, 0, 0,
                      "rules file " + file_ + " expands to more than " + std::to_string(limits_.max_yaml_nodes) +
                          " nodes (an alias counts the whole node it names each time it is used; the cap is "
                          "rules_files.max_yaml_nodes)",
                      Severity::error});
      return std::nullopt;
    case Expansion::too_deep:
      out_.push_back({file_, 0, 0,
                      "rules file " + file_ + " nests more than " + std::to_string(k_max_yaml_depth) +
                          " levels deep (aliases included)",
                      Severity::error});
      return std::nullopt;
  }
  return doc;
}

void YamlReader::add(const YAML::Node& at, const std::string& message, Severity severity) {
  int l = 0;
  int c = 0;
  if (at.IsDefined() && !at.Mark().is_null()) {
    l = line(at);
    c = column(at);
  }
  out_.push_back({file_, l, c, message, severity});
}

void YamlReader::error(const YAML::Node& at, const std::string& message) {
  add(at, message, Severity::error);
}
void YamlReader::warning(const YAML::Node& at, const std::string& message) {
  add(at, message, Severity::warning);
}

bool YamlReader::is_map(const YAML::Node& n, std::string_view what) {
  if (n.IsMap()) return true;
  error(n, std::string(what) + " must be a mapping");
  return false;
}

bool YamlReader::is_seq(const YAML::Node& n, std::string_view what) {
  if (n.IsSequence()) return true;
  error(n, std::string(what) + " must be a list");
  return false;
}

bool YamlReader::check_keys(const YAML::Node& map, std::string_view what,
                            std::initializer_list<std::string_view> allowed) {
  if (!is_map(map, what)) return false;
  // yaml-cpp keeps a key given twice and its look-ups take the first: a second `rules:` section or `keywords:`
  // line would be dropped without a word. Few keys a mapping: a linear look-back is enough.
  std::vector<std::pair<std::string, int>> seen;
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (!it->first.IsScalar()) {
      error(it->first, std::string(what) + ": keys must be plain words");
      continue;
    }
    const std::string key = it->first.Scalar();
    const auto first = std::find_if(seen.begin(), seen.end(), [&](const auto& s) { return s.first == key; });
    if (first != seen.end()) {
      error(it->first, "duplicate key '" + key + "' (first at line " + std::to_string(first->second) + ")");
      continue;
    }
    seen.emplace_back(key, line(it->first));
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string expected;
      for (std::string_view a : allowed) expected += (expected.empty() ? "" : ", ") + std::string(a);
      error(it->first, "unknown key '" + key + "' in " + std::string(what) + " (expected one of: " + expected + ")");
    }
  }
  return true;
}

std::optional<std::string> YamlReader::string(const YAML::Node& map, std::string_view key, bool required) {
  const YAML::Node n = map[std::string(key)];
  if (!n.IsDefined() || n.IsNull()) {
    if (required) error(map, "missing required key '" + std::string(key) + "'");
    return std::nullopt;
  }
  if (!n.IsScalar()) {
    error(n, "'" + std::string(key) + "' must be a single value");
    return std::nullopt;
  }
  return n.Scalar();
}

std::optional<long long> YamlReader::integer(const YAML::Node& map, std::string_view key) {
  const auto text = string(map, key, false);
  if (!text) return std::nullopt;
  long long value = 0;
  const char* end = text->data() + text->size();
  const auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (ec != std::errc{} || ptr != end) {
    error(map[std::string(key)], "'" + std::string(key) + "' must be a whole number, not '" + *text + "'");
    return std::nullopt;
  }
  return value;
}

std::vector<std::pair<std::string, YAML::Node>> YamlReader::strings_with_nodes(const YAML::Node& map,
                                                                               std::string_view key) {
  return value_strings_with_nodes(map[std::string(key)], key);
}

std::vector<std::pair<std::string, YAML::Node>> YamlReader::value_strings_with_nodes(const YAML::Node& n,
                                                                                     std::string_view key) {
  std::vector<std::pair<std::string, YAML::Node>> out;
  if (!n.IsDefined() || n.IsNull()) return out;
  if (n.IsScalar()) {
    out.emplace_back(n.Scalar(), n);
    return out;
  }
  if (!n.IsSequence()) {
    error(n, "'" + std::string(key) + "' must be a value or a list of values");
    return out;
  }
  for (const auto& item : n) {
    if (!item.IsScalar()) {
      error(item, "items of '" + std::string(key) + "' must be single values");
      continue;
    }
    out.emplace_back(item.Scalar(), item);
  }
  return out;
}

std::vector<std::string> YamlReader::strings(const YAML::Node& map, std::string_view key) {
  std::vector<std::string> out;
  for (auto& [value, node] : strings_with_nodes(map, key)) out.push_back(std::move(value));
  return out;
}

}  // namespace hotline::routing
