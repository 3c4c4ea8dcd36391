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
  const Unit* lead = nullptr;   // never null: the fallback desk when no rule applies
  std::vector<const Unit*> co;  // co-handling units, without duplicates or the lead
  const Rule* rule = nullptr;   // the winning rule, null for the fallback
  std::string matter;           // matter code the decision used (empty when unknown)
  bool matter_inferred = false;
  double confidence = 1.0;       // of the matter: 1 when given, 0..1 when inferred (0 when unknown)
  bool below_threshold = false;  // an inferred matter too weak to dispatch on: the desk decides
  std::string area;              // division code the decision used (empty when unknown)
  bool area_inferred = false;
  std::string ladder;  // how the lead climbed (e.g. "township → county 人民政府"); empty when it did not
  std::vector<std::string> explain;  // human-readable trace, filled when asked

  std::string rule_id() const { return rule ? rule->id : "fallback"; }
};

struct RouteOptions {
  bool explain = false;
};

// Routes `ticket`. Precedence among matching rules (documented in rules/README.md):
//   1. higher `priority`;
//   2. fewer ladder steps (a lead found at the rule's own level beats one that had to climb);
//   3. longer matched matter prefix;
//   4. longer matched area prefix;
//   5. more other conditions (type, urgency, channel, keyword groups);
//   6. earlier declaration (files in path order, rules in file order).
// A rule whose lead template resolves to no unit for the ticket's area climbs the ladder (RuleSet::
// resolve_climbing); one that finds no unit even so does not match. An inferred matter whose confidence is below
// the rule set's `inference.min_confidence` goes to the fallback desk.
Decision route(const Ticket& ticket, const RuleSet& rules, const RouteOptions& options = {});

}  // namespace hotline::routing
