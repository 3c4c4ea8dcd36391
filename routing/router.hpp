// route(): decides which unit leads a ticket (and which co-handle it) under one compiled rule set.
// Pure and re-entrant: any number of threads may route concurrently against the same RuleSet.
#pragma once

#include <string>
#include <vector>

#include "routing/rule_set.hpp"
#include "routing/ticket.hpp"

namespace hotline::routing {

struct Decision {
  // Pointers into the RuleSet the decision was made with; valid while that RuleSet lives.
  const Unit* lead = nullptr;       // never null: the fallback desk when no rule applies
  std::vector<const Unit*> co;      // co-handling units, without duplicates or the lead
  const Rule* rule = nullptr;       // the winning rule, null for the fallback
  std::string matter;               // matter code the decision used (empty when unknown)
  bool matter_inferred = false;
  std::string area;                 // division code the decision used (empty when unknown)
  bool area_inferred = false;
  std::vector<std::string> explain; // human-readable trace, filled when asked

  std::string rule_id() const { return rule ? rule->id : "fallback"; }
};

struct RouteOptions {
  bool explain = false;
};

// Routes `ticket`. Precedence among matching rules (documented in rules/README.md):
//   1. higher `priority`;
//   2. longer matched matter prefix;
//   3. longer matched area prefix;
//   4. more other conditions (type, urgency, channel, keyword groups);
//   5. earlier declaration (files in path order, rules in file order).
// A rule whose lead template resolves to no unit for the ticket's area does not match.
Decision route(const Ticket& ticket, const RuleSet& rules, const RouteOptions& options = {});

}  // namespace hotline::routing
