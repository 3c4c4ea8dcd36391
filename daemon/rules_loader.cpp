#include "daemon/rules_loader.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace hotline::daemon {

namespace fs = std::filesystem;

std::vector<routing::SourceFile> read_rule_files(const std::string& dir, std::vector<routing::Diagnostic>& errors) {
  std::vector<routing::SourceFile> files;
  std::error_code ec;
  const fs::path root(dir);
  if (!fs::is_directory(root, ec)) {
    errors.push_back({dir, 0, 0, "rules folder not found", routing::Severity::error});
    return files;
  }
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    const auto rel = fs::relative(it->path(), root);
    if (it->is_directory() && rel == "tests") {
      it.disable_recursion_pending();  // golden cases are read by `hotlinectl rules test`, not the router
      continue;
    }
    if (!it->is_regular_file() || it->path().extension() != ".yaml") continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) {
      errors.push_back({it->path().string(), 0, 0, "cannot read file", routing::Severity::error});
      continue;
    }
    files.push_back({rel.generic_string(), text.str(), (root / rel).lexically_normal().generic_string()});
  }
  if (ec) errors.push_back({dir, 0, 0, "cannot list folder: " + ec.message(), routing::Severity::error});
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
  return files;
}

routing::CompileResult load_rules(const std::string& dir) {
  std::vector<routing::Diagnostic> errors;
  auto files = read_rule_files(dir, errors);
  if (routing::has_errors(errors)) return {nullptr, std::move(errors)};
  auto result = routing::RuleSet::compile(files);
  errors.insert(errors.end(), result.diagnostics.begin(), result.diagnostics.end());
  result.diagnostics = std::move(errors);
  return result;
}

}  // namespace hotline::daemon
