// The compact facts the nightly report computes from: one small record per ticket and per assignment, folded
// from the event log (see fact_builder.hpp). Plain values; build once, then read from any number of threads.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "routing/case_model.hpp"

namespace hotline::report {

inline constexpr std::uint32_t k_no_index = std::numeric_limits<std::uint32_t>::max();
// The pseudo-rule of rounds chosen by hand (dispatched by hand): a dispatch from the desk or a re-dispatch (rule
// "manual" on their "dispatched" events), an arbitration (rule "arbitration") and the round an operator names when
// approving a return (no rule). Returns on such a round count against it, never against the rule that first
// routed the ticket (for a desk ticket, `fallback`).
inline constexpr std::string_view k_by_hand = "(派单)";

enum class Satisfaction : std::uint8_t { none, satisfied, basically_satisfied, unsatisfied, unrated };
enum class Resolution : std::uint8_t { none, resolved, partially_resolved, unresolved };
enum class Outcome : std::uint8_t { pending, approved, declined };

// One unit's share of one ticket (a "dispatched" event). Instants are Unix ms; 0 means "has not happened".
struct AssignmentFacts {
  std::int64_t dispatched_ms = 0;
  std::int64_t sign_for_due_ms = 0;
  std::int64_t signed_ms = 0;
  std::int64_t reply_due_ms = 0;           // the live deadline (moved by extensions and redos)
  std::int64_t original_reply_due_ms = 0;  // the first round's deadline before any extension: on-time rates
  std::int64_t replied_ms = 0;             // the current reply (cleared when rejected or redone)
  std::int64_t first_round_reply_ms = 0;   // the first round's reply that was not rejected: on-time rates
  std::int64_t return_requested_ms = 0;    // this unit's first return request on this assignment
  std::uint32_t ticket = 0;
  std::uint32_t previous = k_no_index;  // the ticket's previous assignment (a per-ticket list, newest first)
  std::uint16_t unit = 0;               // interned unit index (Facts::unit_ids)
  std::uint16_t origin = 0;             // who chose the round (Facts::rule_ids): its rule, k_by_hand or 0 (none)
  bool lead = false;
  bool desk = false;       // the dispatch desk holds the ticket: its one clock is the dispatch limit (派单时限)
  bool withdrawn = false;  // an approved return, a hand dispatch from the desk, a re-dispatch or an arbitration
                           // withdrew it
  bool redone = false;     // a redo started a new round; the first round's reply is final
};

struct TicketFacts {
  std::int64_t received_ms = 0;
  std::int64_t closed_ms = 0;
  std::uint32_t last_assignment = k_no_index;
  std::uint32_t pending_return = k_no_index;     // index into Facts::returns while one waits for review
  std::uint32_t pending_extension = k_no_index;  // index into Facts::extensions while one waits for review
  std::uint16_t rule = 0;                        // interned dispatch rule of the first round (Facts::rule_ids)
  routing::CaseState state = routing::CaseState::awaiting_sign_for;
  routing::CaseState before_merge = routing::CaseState::awaiting_sign_for;  // restored by an unmerge
  Satisfaction satisfaction = Satisfaction::none;                           // of the latest follow-up
  Resolution resolution = Resolution::none;
  bool followed_up = false;
  bool dispatched_by_hand = false;  // a round of it was chosen by hand (see k_by_hand)
  std::uint8_t redos = 0;
};

// A return request (退单申请), kept whole: every return is reported (否定报备).
struct ReturnRequest {
  std::uint32_t ticket = 0;
  std::uint16_t unit = 0;
  std::uint16_t rule = 0;  // what it counts against (Facts::rule_ids): the origin of the round returned
  std::int64_t at_ms = 0;
  std::string reason_code;  // not_our_duty | not_our_territory
  std::string reason;
  Outcome outcome = Outcome::pending;
};

struct ExtensionRequest {
  std::uint32_t ticket = 0;
  std::uint16_t unit = 0;
  std::int64_t at_ms = 0;
  int working_days = 0;
  std::string reason;
  Outcome outcome = Outcome::pending;
};

struct Facts {
  std::vector<std::string> unit_ids{""};     // index 0 is "no unit"
  std::vector<std::string> rule_ids{""};     // index 0 is "no rule recorded"
  std::vector<std::string_view> ticket_ids;  // views into the builder's arena (kept alive by `arena`)
  std::vector<TicketFacts> tickets;
  std::vector<AssignmentFacts> assignments;
  std::vector<ReturnRequest> returns;
  std::vector<ExtensionRequest> extensions;
  std::vector<std::unique_ptr<char[]>> arena;  // storage of ticket ids
  std::int64_t events = 0;

  std::string_view ticket_id(std::uint32_t t) const { return ticket_ids[t]; }
  const std::string& unit_id(std::uint16_t u) const { return unit_ids[u]; }
};

// Merged and not-accepted tickets are left out of every rate (see daemon/report/README.md).
inline bool excluded(const TicketFacts& t) {
  return t.state == routing::CaseState::merged || t.state == routing::CaseState::not_accepted;
}

}  // namespace hotline::report
