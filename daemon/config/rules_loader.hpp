// Reads a rules folder from disk and compiles it: the I/O half of loading rules (routing does the rest).
// The folder holds three things compiled separately and swapped together: the routing rule set, the working-day
// calendar (calendar/*.json national tables, calendar/*.yaml local overrides) and the time-limit policy
// (time_limits*.yaml). Golden cases (tests/) are read by `hotlinectl rules test` only.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "routing/rule_set.hpp"
#include "routing/time_policy.hpp"
#include "routing/work_calendar.hpp"

namespace hotline::daemon {

enum class RuleFileKind { routing, calendar, time_policy, other };
// What a file (path relative to the rules folder) holds.
RuleFileKind classify_rule_file(const std::string& relative_path);

// Every file of `kind` below `dir`, sorted by relative path; diagnostics name them as `dir/relative`.
// A missing or unreadable folder is a diagnostic, not an exception; so is a file larger than limits.max_bytes
// (refused before it is read).
std::vector<routing::SourceFile> read_rule_files(const std::string& dir, RuleFileKind kind,
                                                 std::vector<routing::Diagnostic>& errors,
                                                 const routing::FileLimits& limits = {});

// The routing rule set only (what rule authors' tools need).
routing::CompileResult load_rules(const std::string& dir, const routing::FileLimits& limits = {});

struct Deployment {
  std::shared_ptr<const routing::RuleSet> rules;
  std::shared_ptr<const routing::WorkCalendar> calendar;
  std::shared_ptr<const routing::TimePolicyTable> policy;
  std::vector<routing::Diagnostic> diagnostics;  // of all three; the pointers are all set only without errors

  bool ok() const { return rules && calendar && policy; }
};

// Everything in the folder.
Deployment load_deployment(const std::string& dir, const routing::FileLimits& limits = {});

}  // namespace hotline::daemon
