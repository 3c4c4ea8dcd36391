#include "daemon/config/rules_loader.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace hotline::daemon {

namespace fs = std::filesystem;

RuleFileKind classify_rule_file(const std::string& rel) {
  if (rel.starts_with("tests/") || rel.starts_with("tools/")) return RuleFileKind::other;
  const auto ext = fs::path(rel).extension();
  if (rel.starts_with("calendar/")) {
    return ext == ".json" || ext == ".yaml" ? RuleFileKind::calendar : RuleFileKind::other;
  }
  if (rel.starts_with("model/")) return ext == ".model" ? RuleFileKind::routing : RuleFileKind::other;
  if (ext != ".yaml") return RuleFileKind::other;
  if (rel.starts_with("time_limits")) return RuleFileKind::time_policy;
  return RuleFileKind::routing;
}

std::vector<routing::SourceFile> read_rule_files(const std::string& dir, RuleFileKind kind,
                                                 std::vector<routing::Diagnostic>& errors,
                                                 const routing::FileLimits& limits) {
  std::vector<routing::SourceFile> files;
  std::error_code ec;
  const fs::path root(dir);
  if (!fs::is_directory(root, ec)) {
    errors.push_back({dir, 0, 0, "rules folder not found", routing::Severity::error});
    return files;
  }
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    const auto rel = fs::relative(it->path(), root).generic_string();
    if (classify_rule_file(rel) != kind) continue;
    const auto shown = (root / rel).lexically_normal().generic_string();
    const auto too_big = [&](std::uintmax_t bytes) {
      errors.push_back({shown, 0, 0,
                        "rules file " + shown + " is " + std::to_string(bytes) + " bytes, more than the cap of " +
                            std::to_string(limits.max_bytes) + " bytes (rules_files.max_bytes)",
                        routing::Severity::error});
    };
    std::error_code size_ec;
    if (const auto bytes = fs::file_size(it->path(), size_ec); !size_ec && bytes > limits.max_bytes) {
      too_big(bytes);  // refused unread
      continue;
    }
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) {
      errors.push_back({it->path().string(), 0, 0, "cannot read file", routing::Severity::error});
      continue;
    }
    if (text.view().size() > limits.max_bytes) {  // grew since it was measured
      too_big(text.view().size());
      continue;
    }
    files.push_back({rel, text.str(), shown});
  }
  if (ec) errors.push_back({dir, 0, 0, "cannot list folder: " + ec.message(), routing::Severity::error});
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
  return files;
}

routing::CompileResult load_rules(const std::string& dir, const routing::FileLimits& limits) {
  std::vector<routing::Diagnostic> errors;
  auto files = read_rule_files(dir, RuleFileKind::routing, errors, limits);
  if (routing::has_errors(errors)) return {nullptr, std::move(errors)};
  auto result = routing::RuleSet::compile(files, limits);
  errors.insert(errors.end(), result.diagnostics.begin(), result.diagnostics.end());
  result.diagnostics = std::move(errors);
  return result;
}

Deployment load_deployment(const std::string& dir, const routing::FileLimits& limits) {
  Deployment d;
  auto rules = load_rules(dir, limits);
  d.diagnostics = std::move(rules.diagnostics);
  if (!rules.rule_set) return d;  // a missing folder would only repeat the same error below

  std::vector<routing::Diagnostic> io;
  const auto calendar_files = read_rule_files(dir, RuleFileKind::calendar, io, limits);
  const auto policy_files = read_rule_files(dir, RuleFileKind::time_policy, io, limits);
  d.diagnostics.insert(d.diagnostics.end(), io.begin(), io.end());
  if (calendar_files.empty()) {
    d.diagnostics.push_back(
        {dir + "/calendar", 0, 0, "no working-day calendar (calendar/*.json)", routing::Severity::error});
  }
  if (policy_files.empty()) {
    d.diagnostics.push_back({dir + "/time_limits.yaml", 0, 0, "no time-limit policy", routing::Severity::error});
  }
  auto calendar = routing::WorkCalendar::compile(calendar_files, limits);
  auto policy = routing::TimePolicyTable::compile(policy_files, limits);
  d.diagnostics.insert(d.diagnostics.end(), calendar.diagnostics.begin(), calendar.diagnostics.end());
  d.diagnostics.insert(d.diagnostics.end(), policy.diagnostics.begin(), policy.diagnostics.end());
  if (routing::has_errors(d.diagnostics)) return d;
  d.rules = std::move(rules.rule_set);
  d.calendar = std::move(calendar.calendar);
  d.policy = std::move(policy.table);
  return d;
}

}  // namespace hotline::daemon
