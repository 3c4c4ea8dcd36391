// The router's explain trace for the rules that did not apply and for the step of precedence that chose the
// winner: what a rules administrator reads to see why a rule of theirs did not fire. Internal to router.cpp; only
// called when a trace is asked for.
#pragma once

#include <string>
#include <string_view>
#include <tuple>

#include "routing/inference.hpp"
#include "routing/rule_set.hpp"
#include "routing/ticket.hpp"

namespace hotline::routing {

// "rule ID (FILE:LINE) does not apply: WHY", naming the first condition of `rule` that the ticket fails.
std::string rule_skipped(const RuleSet& rules, const Rule& rule, const Ticket& ticket, std::string_view matter,
                         std::string_view area, const TextHits& hits);

// Which step of precedence put a candidate with key `winner` ahead of the runner-up's (`Candidate::key()`:
// priority, -ladder steps, matter prefix, area prefix, conditions, -declaration order).
using PrecedenceKey = std::tuple<int, int, int, int, int, int>;
std::string_view deciding_step(const PrecedenceKey& winner, const PrecedenceKey& runner_up);

}  // namespace hotline::routing
