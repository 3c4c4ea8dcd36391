// hotlinectl route / rules diff / rules test: routing from the command line over JSON lines and golden cases.
#pragma once

#include <iosfwd>
#include <string>

#include "routing/rule_set.hpp"

namespace hotline::daemon {

// Reads tickets as JSON lines (the POST /v1/tickets fields) from `in`, writes one decision per line to `out`.
// A bad line yields {"line":N,"error":{problem}} and the run goes on. Returns the number of bad lines.
std::size_t route_lines(const routing::RuleSet& rules, std::istream& in, std::ostream& out, bool explain);

// Routes every ticket line from `in` under both rule sets and reports, grouped by (old unit → new unit, with the
// matter when it changed), how many route differently (unit, rule or matter), with up to `examples` line numbers and
// texts per group.
struct DiffCounts {
  std::size_t routed = 0;   // lines read as tickets
  std::size_t changed = 0;  // of them, routed differently
  std::size_t bad = 0;      // lines skipped
};
DiffCounts diff_routes(const routing::RuleSet& before, const routing::RuleSet& after, std::istream& in,
                       std::ostream& out, std::size_t examples);

}  // namespace hotline::daemon
