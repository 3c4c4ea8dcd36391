// Warnings about words that match far more than their author meant: a one-character keyword or place alias, a
// keyword that names no matter (问题, 投诉, 反映 …), a division alias that is the name of a place above it. The
// rule set loads with them; `hotlinectl rules check` lists them. Pure.
#pragma once

#include <vector>

#include "routing/diagnostic.hpp"
#include "routing/rule_set.hpp"

namespace hotline::routing {

std::vector<Diagnostic> analyze_vocabulary(const RuleSet& rules);

}  // namespace hotline::routing
