// Static analysis of a compiled rule set for rule authors: rules that can never win, ties decided only by
// declaration order, units nothing routes to, matters with no route. Pure; findings are warnings.
#pragma once

#include <vector>

#include "routing/diagnostic.hpp"
#include "routing/rule_set.hpp"

namespace hotline::routing {

std::vector<Diagnostic> analyze(const RuleSet& rules);

// True when every ticket `b` matches is matched by `a` as well (conditions only, ignoring template
// resolution). Exposed for tests.
bool covers(const Rule& a, const Rule& b);

}  // namespace hotline::routing
