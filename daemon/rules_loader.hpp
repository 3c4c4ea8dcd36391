// Reads a rules folder from disk and compiles it: the I/O half of loading rules (routing does the rest).
#pragma once

#include <string>
#include <vector>

#include "routing/rule_set.hpp"

namespace hotline::daemon {

// Every *.yaml file below `dir` except the golden cases under tests/, with paths shown relative to the folder's
// parent (e.g. "rules/units/city.yaml"). A missing or unreadable folder is a diagnostic, not an exception.
std::vector<routing::SourceFile> read_rule_files(const std::string& dir, std::vector<routing::Diagnostic>& errors);

// read_rule_files + RuleSet::compile.
routing::CompileResult load_rules(const std::string& dir);

}  // namespace hotline::daemon
