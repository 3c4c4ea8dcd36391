// JSON in and out of the ticket API: validating an intake body, rendering stored tickets and decisions.
// Pure functions over values; safe from any thread.
#pragma once

#include <boost/json.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "daemon/wire/problem.hpp"
#include "routing/router.hpp"
#include "routing/rule_set.hpp"
#include "routing/ticket.hpp"
#include "storage/ticket_store.hpp"

namespace hotline::daemon {

struct IntakeRequest {
  routing::Ticket ticket;
  std::optional<std::string> channel, category, area, address, caller_name, caller_phone;
  bool confidential = false;  // 保密件: unit tokens never see the caller
  // What happens at intake: "dispatch" (default), "not_accepted" (reason), "answered_directly" (answer) or
  // "merged" (merged_into) — with its arguments as the life-cycle machine names them.
  std::string disposition = "dispatch";
  std::map<std::string, std::string> disposition_args;
};

// Validates a POST /v1/tickets body. Every way it can be wrong becomes a 400 Problem naming the field:
// malformed JSON, not an object, unknown field, wrong type, missing or empty content, invalid UTF-8,
// unknown type/urgency/channel, malformed or unknown category/area codes, bad caller.
std::variant<IntakeRequest, Problem> parse_intake(std::string_view body, const routing::RuleSet& rules);

// The routing decision as the API shows it: unit, co_units, rule, category, area (and explain when present).
boost::json::object decision_to_json(const routing::Decision& d, const routing::RuleSet& rules);

// A stored ticket with its events, as GET /v1/tickets/{id} returns it, with "confidential". `show_caller`
// false (a confidential ticket read by a unit token) replaces the caller by the marker {"confidential": true}.
boost::json::object ticket_to_json(const storage::StoredTicket& t, bool show_caller = true);

// Whether ticket_to_json with `show_caller` carries a caller's name or phone (what the access log records).
bool carries_caller(const storage::StoredTicket& t, bool show_caller);

}  // namespace hotline::daemon
