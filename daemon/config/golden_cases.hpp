// Golden routing cases (rules/tests/*.yaml): ticket → expected unit, matter, area, rule. Read from disk, run
// against a compiled rule set, mismatches reported with file:line.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "routing/diagnostic.hpp"
#include "routing/rule_set.hpp"
#include "routing/ticket.hpp"

namespace hotline::daemon {

struct GoldenCase {
  std::string file;
  int line = 0;
  routing::Ticket ticket;
  std::string unit;                   // required
  std::optional<std::string> matter;  // "" = expect none
  std::optional<std::string> area;    // "" = expect none
  std::optional<std::string> rule;
};

// Parses every *.yaml under `dir`/tests. Problems (bad YAML, unknown keys, missing expect.unit) are diagnostics.
std::vector<GoldenCase> read_golden_cases(const std::string& rules_dir, std::vector<routing::Diagnostic>& errors);

// Routes each case; returns one message per mismatch ("file:line: expected unit X, got Y ...").
std::vector<std::string> run_golden_cases(const routing::RuleSet& rules, const std::vector<GoldenCase>& cases);

}  // namespace hotline::daemon
