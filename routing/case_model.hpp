// The case (工单) as the life-cycle state machine sees it: plain value types rebuilt from stored events.
// No behaviour beyond lookups and names; lifecycle.hpp decides and applies changes. Safe to copy between threads.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "routing/ticket.hpp"

namespace hotline::routing {

// Who acts. `system` is the scheduler (urges and escalation warnings); `admin` manages rules and tokens only.
enum class Role { operator_, unit, supervisor, admin, system };
inline constexpr int k_role_count = 5;
// "operator", "unit", "supervisor", "admin", "system".
std::string_view to_string(Role role);
std::optional<Role> parse_role(std::string_view text);

// The case state. The first seven are open; the last four are terminal (every action there is refused).
enum class CaseState {
  awaiting_sign_for,      // 待签收: dispatched, the lead has not signed
  in_progress,            // 办理中
  return_requested,       // 退单申请 pending review
  extension_requested,    // 延期申请 pending review
  reply_review,           // the lead replied; the hotline reviews the reply
  awaiting_follow_up,     // reply approved; the follow-up call (回访) is due
  arbitration_requested,  // 仲裁: a return past the cap, or a disputed decline, waits for a supervisor's decision
  closed,                 // 办结归档
  merged,                 // 并单 into an earlier ticket
  not_accepted,           // 不予受理 at intake
  answered_directly,      // 直接答复 at intake
};
inline constexpr int k_case_state_count = 11;
std::string_view to_string(CaseState state);  // the enumerator name, e.g. "awaiting_sign_for"
std::optional<CaseState> parse_case_state(std::string_view text);
bool is_open(CaseState state);

// One unit's share of the work.
enum class AssignmentState { awaiting_sign_for, in_progress, replied, withdrawn };
std::string_view to_string(AssignmentState state);
std::optional<AssignmentState> parse_assignment_state(std::string_view text);

// A deadline instant (Unix ms). `provisional` when it falls in a year with no published holiday table.
struct Due {
  std::int64_t ms = 0;
  bool provisional = false;
  friend bool operator==(const Due&, const Due&) = default;
};

struct Assignment {     // the lead's or one co-handling unit's share of the work
  std::string unit;     // accountable unit id
  std::string handler;  // child unit it was passed down to ("" = the unit itself)
  bool lead = false;
  AssignmentState state = AssignmentState::awaiting_sign_for;
  std::int64_t dispatched_ms = 0;
  std::optional<std::int64_t> signed_ms;
  std::optional<std::int64_t> replied_ms;  // the current reply; cleared when a reply is rejected or redone
  Due sign_for_due;
  Due reply_due;           // the live deadline, moved by approved extensions and by a redo
  Due original_reply_due;  // before any extension in this round (a redo starts a new round)
  int extension_days = 0;  // working days granted in this round
  // The dispatch desk (派单席, the rule set's fallback unit) holds the case: its one clock is the dispatch limit
  // (派单时限), which sign_for_due and reply_due both carry; it leaves by dispatch, never by a return.
  bool desk = false;
  friend bool operator==(const Assignment&, const Assignment&) = default;
};

// A return request waiting for review.
struct PendingReturn {
  std::string unit;         // the lead unit that asked
  std::string reason_code;  // not_our_duty | not_our_territory
  std::string reason;
  std::int64_t requested_ms = 0;
  CaseState previous_state = CaseState::awaiting_sign_for;  // restored when declined
  friend bool operator==(const PendingReturn&, const PendingReturn&) = default;
};

// A dispute waiting for a supervisor's arbitration (仲裁).
struct PendingArbitration {
  std::string unit;         // the lead unit that disputes
  std::string cause;        // return_cap (a return asked with the approved returns at the cap) | declined_return
  std::string reason_code;  // return_cap: not_our_duty | not_our_territory; declined_return: ""
  std::string reason;
  std::int64_t requested_ms = 0;
  CaseState previous_state = CaseState::in_progress;  // restored when the lead is upheld
  friend bool operator==(const PendingArbitration&, const PendingArbitration&) = default;
};

// An extension request waiting for review.
struct PendingExtension {
  std::string unit;
  int working_days = 0;
  std::string reason;
  std::int64_t requested_ms = 0;
  friend bool operator==(const PendingExtension&, const PendingExtension&) = default;
};

// What a merge put aside, so an unmerge the same day gives the case back as it was.
struct BeforeMerge {
  std::int64_t merged_ms = 0;  // when the "merged" event was written
  CaseState state = CaseState::awaiting_sign_for;
  std::optional<std::int64_t> closed_ms;
  std::optional<PendingReturn> pending_return;
  std::optional<PendingExtension> pending_extension;
  std::optional<PendingArbitration> pending_arbitration;
  bool decline_disputable = false;
  friend bool operator==(const BeforeMerge&, const BeforeMerge&) = default;
};

// A yellow or red card the scheduler recorded.
struct Warning {
  std::string stage;  // yellow | red
  std::string clock;  // sign_for | reply
  std::string unit;
  std::int64_t at_ms = 0;
  friend bool operator==(const Warning&, const Warning&) = default;
};

struct Case {
  // Facts from intake (the only fields replay() takes from its `facts` argument).
  std::string id;  // ticket number
  RequestType type = RequestType::complaint;
  Urgency urgency = Urgency::normal;
  std::string channel;

  // Derived from events.
  CaseState state = CaseState::awaiting_sign_for;
  // Every assignment ever dispatched, in order. Approving a return withdraws the current round (state
  // withdrawn) and appends the new one, so the history of who held the case stays visible.
  std::vector<Assignment> assignments;
  int returns = 0;          // APPROVED returns only; this is what max_returns limits
  int return_requests = 0;  // every return request made: pending, approved or declined (否定报备)
  int redos = 0;
  std::optional<Due> follow_up_due;       // set when a reply is approved; cleared by a redo
  std::optional<std::int64_t> closed_ms;  // when the case reached a terminal state (closed, merged, not accepted,
                                          // answered directly)
  std::string merged_into;
  std::optional<BeforeMerge> before_merge;      // set exactly while the case is merged (an unmerge restores it)
  std::vector<std::string> merged;              // tickets merged into this one, in merge order (minus those unmerged)
  std::string master_reply;                     // a merged case: its master's approved reply, which it follows
  std::optional<PendingReturn> pending_return;  // set exactly while state == return_requested
  std::optional<PendingExtension> pending_extension;      // set exactly while state == extension_requested
  std::optional<PendingArbitration> pending_arbitration;  // set exactly while state == arbitration_requested
  bool decline_disputable = false;                        // the latest return was declined and not yet disputed
  // When the latest return was declined: the dispute window (Clocks::dispute_window) starts there.
  std::int64_t declined_ms = 0;
  bool arbitrated = false;   // a supervisor decided the lead: final (no more returns, disputes, re-dispatches)
  int redispatches = 0;      // hand dispatches from the desk and re-dispatches (never returns)
  std::string satisfaction;  // of the latest follow-up: satisfied | basically_satisfied | unsatisfied | unrated
  std::string resolution;    // of the latest follow-up: resolved | partially_resolved | unresolved
  int urges = 0;
  int supervisions = 0;
  std::vector<Warning> warnings;

  // The current lead: the non-withdrawn lead assignment; null before dispatch or for cases never dispatched.
  const Assignment* lead() const;
  Assignment* lead();
  // The non-withdrawn assignment whose accountable unit is `unit`; null when none.
  const Assignment* find_assignment(std::string_view unit) const;
  Assignment* find_assignment(std::string_view unit);

  friend bool operator==(const Case&, const Case&) = default;
};

// Every field of the case, one per line: for test failure messages and debugging.
std::string describe(const Case& c);

// Who performs a command. `unit` is the unit a unit-role token is bound to (empty for other roles).
struct Actor {
  Role role = Role::operator_;
  std::string id;
  std::string unit;
};

// One stored fact. Flat so the daemon can serialise it as a JSON object of strings: every data value is a
// string; numbers are decimal; booleans are "true"/"false". The kinds and their keys are listed in lifecycle.hpp.
struct Event {
  std::string kind;
  std::int64_t at_ms = 0;
  std::string actor;  // actor id
  std::string role;   // to_string(Role)
  std::string unit;   // the unit concerned; empty when none
  std::map<std::string, std::string> data;
  friend bool operator==(const Event&, const Event&) = default;

  // data[key], or "" when absent (events are facts: a missing value reads as empty, never fails).
  const std::string& field(const std::string& key) const;
  // The unit the event concerns: `unit`, or (for hand-written histories) data["unit"].
  const std::string& concerned_unit() const { return unit.empty() ? field("unit") : unit; }
};

}  // namespace hotline::routing
