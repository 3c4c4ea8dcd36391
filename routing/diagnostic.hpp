// Diagnostics and source files: how rule and config loading report every problem as file:line:column.
// Plain values; safe to copy between threads.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace hotline::routing {

// One input file, already read by the caller: routing never touches the file system.
struct SourceFile {
  std::string path;  // relative to the rules folder, e.g. "dispatch/01.yaml": orders files and enters the version
  std::string text;
  std::string display;  // how diagnostics name the file, e.g. "rules/dispatch/01.yaml"; empty = path

  const std::string& shown() const { return display.empty() ? path : display; }
};

// Caps on one file of a rules folder (hotline.yaml `rules_files`): its size in bytes, and how many YAML nodes it
// may expand to — an alias counts the whole node it names each time it is used, so a few lines of anchors cannot
// stand for millions of entries.
struct FileLimits {
  std::size_t max_bytes = std::size_t{16} << 20;  // 16 MiB
  std::size_t max_yaml_nodes = 4'000'000;
};

enum class Severity { error, warning };

struct Diagnostic {
  std::string file;
  int line = 0;    // 1-based; 0 when the problem is not tied to a place in the file
  int column = 0;  // 1-based
  std::string message;
  Severity severity = Severity::error;

  // "file:line:column: error: message" (place omitted when line is 0).
  std::string to_string() const;
};

// True when any diagnostic is an error.
bool has_errors(const std::vector<Diagnostic>& diagnostics);

}  // namespace hotline::routing
