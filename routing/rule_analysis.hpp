// Static analysis of a compiled rule set for rule authors: rules that can never win, ties decided only by
// declaration order, units nothing routes to, matters with no route. Pure; findings are warnings.
#pragma once

#include <cstdint>
#include <vector>

#include "routing/diagnostic.hpp"
#include "routing/rule_set.hpp"

namespace hotline::routing {

// Rules are compared only with those that could cover them or tie with them (same matter prefix, area prefix or
// neither), so the work grows with the rules, not their square. `comparisons`, when given, receives the number of
// rule pairs compared (for the complexity test).
std::vector<Diagnostic> analyze(const RuleSet& rules, std::uint64_t* comparisons = nullptr);

// True when every ticket `b` matches is matched by `a` as well (conditions only, ignoring template
// resolution). Exposed for tests.
bool covers(const Rule& a, const Rule& b);

}  // namespace hotline::routing
