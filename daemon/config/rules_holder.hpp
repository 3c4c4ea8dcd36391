// The live rule set, calendar and time-limit policy, and how they got there. Readers take a snapshot (shared_ptr) per
// request; reload() stages, checks and swaps in a complete new set in one step — in-flight requests keep the set they
// started with, and a bad set is refused whole while the old one stays live. Thread-safe; reloads are serialised.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "routing/rule_set.hpp"
#include "routing/time_policy.hpp"
#include "routing/work_calendar.hpp"

namespace hotline::daemon {

struct RulesInfo {
  std::shared_ptr<const routing::RuleSet> rules;
  std::shared_ptr<const routing::WorkCalendar> calendar;
  std::shared_ptr<const routing::TimePolicyTable> policy;
  std::string loaded_at;  // RFC 3339
  double load_ms = 0;     // reading, compiling and checking
};

// The rules folder's own golden cases (tests/*.yaml) run against a new set before it goes live.
struct GoldenCheck {
  std::size_t cases = 0;
  std::vector<std::string> failures;  // "file:line: expected …, got …", and unreadable case files
  bool forced = false;                // installed although some failed (reload with force)
};

struct ReloadOutcome {
  bool ok = false;
  RulesInfo info;  // the set live after the call (new on success, old otherwise)
  std::vector<routing::Diagnostic> diagnostics;
  GoldenCheck golden;  // of the new set, when it compiled
};

// A reload installs a set that compiles and passes its golden cases; forced, one that only compiles.
enum class ReloadMode { checked, forced };

class RulesHolder {
 public:
  RulesHolder(std::string dir, RulesInfo initial, routing::FileLimits limits = {})
      : dir_(std::move(dir)), limits_(limits), current_(std::move(initial)) {}

  std::shared_ptr<const routing::RuleSet> get() const {
    std::lock_guard lock(mutex_);
    return current_.rules;
  }
  RulesInfo info() const {
    std::lock_guard lock(mutex_);
    return current_;
  }
  const std::string& dir() const { return dir_; }

  // Reads and compiles the rules folder and runs its golden cases; swaps it in when it has no errors and (unless
  // forced) every golden case passes. Blocks for the compile (~100 ms for the shipped rules): call it off the I/O
  // threads.
  ReloadOutcome reload(ReloadMode mode = ReloadMode::checked);

 private:
  const std::string dir_;
  const routing::FileLimits limits_;
  std::mutex reload_mutex_;  // one reload at a time
  mutable std::mutex mutex_;
  RulesInfo current_;
};

// Reads `dir`/tests/*.yaml and routes each case with `rules` (no tests/ folder: no cases, nothing fails).
GoldenCheck run_golden_check(const std::string& dir, const routing::RuleSet& rules);

// Loads `dir` for start-up: the same staging as reload(), with no set to fall back to.
ReloadOutcome load_initial_rules(const std::string& dir, const routing::FileLimits& limits = {});

}  // namespace hotline::daemon
