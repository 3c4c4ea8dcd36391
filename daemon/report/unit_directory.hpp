// The report's unit directory, taken from a compiled rule set.
#pragma once

#include <vector>

#include "daemon/report/report_model.hpp"
#include "routing/rule_set.hpp"

namespace hotline::report {

// Every unit of `rules` with its peer group ("(未分组)" when it has none), sorted by unit id.
std::vector<UnitInfo> unit_directory(const routing::RuleSet& rules);

}  // namespace hotline::report
