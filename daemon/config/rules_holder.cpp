#include "daemon/config/rules_holder.hpp"

#include <chrono>
#include <filesystem>
#include <utility>

#include "daemon/config/golden_cases.hpp"
#include "daemon/config/rules_loader.hpp"
#include "daemon/runtime/local_time.hpp"
#include "daemon/runtime/scheduler_clock.hpp"

namespace hotline::daemon {

ReloadOutcome load_initial_rules(const std::string& dir, const routing::FileLimits& limits) {
  const auto started = std::chrono::steady_clock::now();
  auto loaded = load_deployment(dir, limits);
  ReloadOutcome out;
  out.diagnostics = std::move(loaded.diagnostics);
  if (!loaded.ok()) return out;
  out.ok = true;
  out.info.rules = std::move(loaded.rules);
  out.info.calendar = std::move(loaded.calendar);
  out.info.policy = std::move(loaded.policy);
  out.info.load_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  out.info.loaded_at = local_stamp_ms(wall_clock().now_ms()).rfc3339;
  return out;
}

GoldenCheck run_golden_check(const std::string& dir, const routing::RuleSet& rules) {
  GoldenCheck check;
  std::error_code ec;
  if (!std::filesystem::is_directory(std::filesystem::path(dir) / "tests", ec)) return check;  // a folder without cases
  std::vector<routing::Diagnostic> problems;
  const auto cases = read_golden_cases(dir, problems);
  check.cases = cases.size();
  for (const auto& p : problems) {
    // "file:line:column: what", as a failing case reads ("file:line: expected …"): a reload prefixes "error:".
    if (p.severity != routing::Severity::error) continue;
    check.failures.push_back(
        p.file + (p.line > 0 ? ":" + std::to_string(p.line) + ":" + std::to_string(p.column) : "") + ": " + p.message);
  }
  for (auto& f : run_golden_cases(rules, cases)) check.failures.push_back(std::move(f));
  return check;
}

ReloadOutcome RulesHolder::reload(ReloadMode mode) {
  std::lock_guard serial(reload_mutex_);
  auto outcome = load_initial_rules(dir_, limits_);
  if (outcome.ok) {
    outcome.golden = run_golden_check(dir_, *outcome.info.rules);
    if (!outcome.golden.failures.empty()) {
      if (mode == ReloadMode::forced) {
        outcome.golden.forced = true;
      } else {
        outcome.ok = false;
        for (const auto& f : outcome.golden.failures) {
          outcome.diagnostics.push_back({"", 0, 0, "golden case: " + f, routing::Severity::error});
        }
      }
    }
  }
  RulesInfo old;  // released after the lock, so readers never wait for the old set to be freed
  {
    std::lock_guard lock(mutex_);
    if (outcome.ok) old = std::exchange(current_, outcome.info);
    outcome.info = current_;
  }
  return outcome;
}

}  // namespace hotline::daemon
