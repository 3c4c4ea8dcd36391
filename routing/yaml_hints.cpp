#include "routing/yaml_hints.hpp"

namespace hotline::routing {
namespace {

// Line `n` (1-based) of `text`, without its line end; "" past the end.
std::string_view line_of(std::string_view text, int n) {
  std::size_t start = 0;
  for (int i = 1; i < n; ++i) {
    const auto end = text.find('\n', start);
    if (end == std::string_view::npos) return {};
    start = end + 1;
  }
  const auto end = text.find('\n', start);
  return text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
}

// "kind:行政": a colon that ends a key with no space after it (a URL's "http://" is left alone).
bool colon_without_space(std::string_view line) {
  for (std::size_t i = 0; i + 1 < line.size(); ++i) {
    if (line[i] == '#') return false;
    if (line[i] == ':' && line[i + 1] != ' ' && line[i + 1] != '/' && line[i + 1] != '\r') return true;
  }
  return false;
}

}  // namespace

std::string yaml_syntax_hint(std::string_view message, std::string_view text, int line) {
  for (const int n : {line, line - 1}) {
    if (n < 1) continue;
    const auto here = line_of(text, n);
    const std::string at = " on line " + std::to_string(n);
    if (here.find('\t') != std::string_view::npos) return "a tab" + at + ": YAML indents with spaces only";
    if (here.find("：") != std::string_view::npos) {
      return "a full-width colon '：'" + at + ": YAML needs ':' followed by a space";
    }
    if (message == "illegal map value" && colon_without_space(here)) {
      return "':' with no space after it" + at + ": write 'key: value'";
    }
  }
  if (message == "illegal map value")
    return "a ':' inside a value? quote the value, or put a space after each key's ':'";
  if (message.starts_with("end of") && message.ends_with("flow not found")) return "a '[' or '{' is never closed";
  if (message == "illegal flow end") return "a ']' or '}' that closes nothing";
  if (message == "end of map not found" || message == "end of sequence not found" || message == "illegal block entry") {
    return "check the indentation: keys of one mapping, and the '- ' items of one list, start in the same column";
  }
  return {};
}

}  // namespace hotline::routing
