// The case life-cycle state machine, event-sourced: create_case()/decide() turn a command into events or a
// refusal; evolve() applies one stored event; replay() rebuilds a case from its events without any clock.
// Pure functions of their arguments (time is `Context::now_ms`); re-entrant, safe from any number of threads.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "routing/case_model.hpp"

namespace hotline::routing {

// Deadline arithmetic, injected so the machine stays independent of the working-day calendar and the
// time-limit policy. Implementations must be pure (same answer for the same arguments).
class Clocks {
 public:
  virtual ~Clocks() = default;
  virtual Due sign_for_due(const Case& c, const std::string& unit, std::int64_t start_ms) const = 0;
  virtual Due reply_due(const Case& c, const std::string& unit, std::int64_t start_ms) const = 0;
  // `reply_due` moved by `working_days` working days.
  virtual Due extend(const Case& c, const Due& reply_due, int working_days) const = 0;
  // A return must be asked strictly before this instant.
  virtual std::int64_t return_window_end(const Case& c, std::int64_t dispatched_ms) const = 0;
  // A declined return is disputed strictly before `end_ms` (the policy's dispute limit from the decline);
  // `length` says how long the window is, for refusals ("1 working day").
  struct Window {
    std::int64_t end_ms = 0;
    std::string length;
  };
  virtual Window dispute_window(const Case& c, std::int64_t declined_ms) const = 0;
  virtual Due follow_up_due(const Case& c, std::int64_t replied_ms) const = 0;
  virtual int max_returns(const Case& c) const = 0;         // approved returns allowed per case
  virtual int extension_cap_days(const Case& c) const = 0;  // working days of extension per reply deadline
  // The local time's UTC offset in minutes (+480 for Asia/Shanghai): what "the same day" means (unmerge).
  virtual int utc_offset_minutes() const { return 0; }
};

// What a decision may consult besides the case. Clocks are given the case as it is BEFORE the new events.
// An empty is_child/unit_exists answers "no", so an unconfigured context never lets an unknown unit in.
struct Context {
  std::int64_t now_ms = 0;  // Unix milliseconds; the instant of every event produced
  const Clocks& clocks;
  std::function<bool(std::string_view parent, std::string_view child)> is_child;  // unit directory question
  std::function<bool(std::string_view unit)> unit_exists;
  // The dispatch desk (派单席: the rule set's fallback unit); "" = none, so no case is ever held at a desk. Its
  // assignments are marked desk=true, and their clocks are what Clocks answers for that unit (PolicyClocks: the
  // dispatch limit, 派单时限).
  std::string desk;
};

enum class RefusalKind { wrong_state, forbidden, invalid };  // the daemon maps these to 409 / 403 / 422
std::string_view to_string(RefusalKind kind);                // "wrong_state", "forbidden", "invalid"

struct Refusal {
  RefusalKind kind = RefusalKind::invalid;
  std::string reason;  // a readable English sentence, never empty
};

struct Command {
  std::string action;                       // one of case_actions()
  std::map<std::string, std::string> args;  // action arguments, strings
};

using Outcome = std::variant<std::vector<Event>, Refusal>;

// Creates a case at intake. `facts` carries id (may still be empty: storage numbers the ticket), type, urgency
// and channel. Roles: operator or system (automatic intake); others are forbidden.
// Dispositions:
//   "dispatch"          lead (must exist) + co units (must exist, no duplicates, not the lead); optional args
//                       "rule" and "rules_version" are copied into every "dispatched" event;
//   "not_accepted"      args "reason" required;
//   "answered_directly" args "answer" required; "kb" (a knowledge entry cited) copied into the event when given;
//   "merged"            args "into" required, an earlier ticket id different from facts.id.
// Success: the events, always starting with "received". Failure: a Refusal (forbidden or invalid).
Outcome create_case(const Case& facts, const std::string& disposition, const std::string& lead,
                    const std::vector<std::string>& co, const std::map<std::string, std::string>& args,
                    const Actor& actor, const Context& ctx);

// Decides a command against an existing case. Success: the events to store and apply with evolve() (never
// empty). Failure: a Refusal, by precedence:
//   1. unknown action                                          -> invalid
//   2. the actor's role may never take the action              -> forbidden
//   3. a unit-role actor with no current assignment on the case (as accountable unit or handler), or a co-unit
//      taking a lead-only action                               -> forbidden
//   4. the case state (or the actor's own assignment state) does not allow it -> wrong_state
//   5. a missing or bad argument, or a time/limit rule         -> invalid
//
// Actions and arguments (required unless marked optional):
// Unit actions act on the actor's own current assignment (its unit or handler is actor.unit; the lead's is
// preferred when it holds several). The lead is gated by the case state as listed; a co-unit's sign_for,
// pass_down and reply are gated only by its own assignment state, in any open case state.
//   sign_for                        unit: its own assignment awaiting_sign_for -> in_progress; the lead's also
//                                   moves the case awaiting_sign_for -> in_progress
//   pass_down       child           unit: its own assignment in progress (the lead: case in_progress); child must
//                                   be a child unit of the actor's unit; sets the handler, the accountable unit
//                                   stays accountable
//   request_return  reason_code (not_our_duty|not_our_territory), reason
//                                   lead unit or its handler, case awaiting_sign_for or in_progress, not after an
//                                   arbitration (wrong_state), before the return window ends -> return_requested;
//                                   with the approved returns at max_returns -> arbitration_requested instead
//                                   (cause return_cap): a supervisor decides
//   review_return   decision (approve|decline); on approve: unit (new lead), co (optional, comma-separated);
//                   note (required on decline)
//                                   operator, return_requested. approve: the current round is withdrawn and the
//                                   new lead (+co) dispatched now with fresh clocks -> awaiting_sign_for;
//                                   decline: back to the state before the request, clocks unchanged
//   dispatch        unit (new lead), co (optional, comma-separated), note (optional)
//                                   operator, awaiting_sign_for or in_progress, the lead is the desk (else
//                                   wrong_state); the desk's round is withdrawn and the new lead (+co) dispatched
//                                   now with fresh clocks (rule "manual") -> awaiting_sign_for. Not a return.
//   redispatch      unit, co (optional), note (optional)
//                                   operator, awaiting_sign_for, no current assignment signed for and no
//                                   arbitration (else wrong_state); the new round must differ from the current one;
//                                   as dispatch otherwise. Not a return.
//   dispute         reason          lead unit or its handler, awaiting_sign_for or in_progress, the case's latest
//                                   return was declined and not yet disputed, no arbitration yet (else
//                                   wrong_state); before Clocks::dispute_window ends (else invalid)
//                                   -> arbitration_requested (cause declined_return)
//   arbitrate       unit (the lead decided), co (optional, only with a new lead), note
//                                   supervisor, arbitration_requested. unit = the current lead: upheld, back to the
//                                   state before the dispute, clocks unchanged; another unit (never the desk): the
//                                   round is withdrawn and the new one dispatched now (rule "arbitration"). Either
//                                   way final: no more returns, disputes or re-dispatches.
//   request_extension working_days (>= 1), reason
//                                   lead unit or its handler, in_progress, before the lead's reply deadline,
//                                   within the cap -> extension_requested
//   review_extension decision (approve|decline); working_days (optional, 1..requested: grant fewer);
//                   note (required on decline)
//                                   operator, extension_requested -> in_progress (approve moves reply_due)
//   reply           text, basis (optional)
//                                   unit: its own assignment in progress (the lead: case in_progress) -> replied;
//                                   the lead's reply moves the case to reply_review
//   review_reply    decision (approve|reject), note (required on reject)
//                                   operator, reply_review. approve -> awaiting_follow_up with a follow-up due;
//                                   reject -> in_progress, lead's clock unchanged
//   follow_up       satisfaction (satisfied|basically_satisfied|unsatisfied|unrated),
//                   resolution (resolved|partially_resolved|unresolved), redo (optional true|false, default false;
//                   true only when unsatisfied), note (optional)
//                                   operator, awaiting_follow_up. redo -> in_progress with a new reply deadline;
//                                   otherwise -> closed
//   urge            note (optional), unit (optional: a unit on the case)
//                                   operator, supervisor or system; any open state; event only
//   supervise       note (optional), unit (optional)   supervisor; any open state; event only
//   merge           into, note (optional)              operator; any open state; into != own id; no ticket merged
//                                   into this one (else wrong_state) -> merged.
//                                   The master is checked by the daemon with check_merge_master() (it must exist,
//                                   be open and not merged), which writes merge_received on it in the same
//                                   transaction.
//   unmerge         note (optional)                    operator; merged, on the same local day as the merge
//                                   (else invalid) -> the state before the merge; the daemon writes merge_undone
//                                   on the master in the same transaction
//   warn            stage (yellow|red), clock (sign_for|reply), unit (a unit on the case)
//                                   system; any open state; event only
Outcome decide(const Case& c, const Command& cmd, const Actor& actor, const Context& ctx);

// Applies one stored event. Never refuses (events are facts); unknown kinds are ignored (forward compatibility);
// events naming no current assignment change nothing about assignments.
//
// Event kinds. Every event has at_ms, actor, role and unit (the unit concerned, may be empty); data keys:
//   received            disposition, type, urgency, channel                 state -> awaiting_sign_for
//   dispatched          unit, lead, sign_for_due, sign_for_provisional, reply_due, reply_provisional,
//                       [rule, rules_version], [desk] ("true": the dispatch desk holds the case)
//                                                    appends an assignment (one event per assignment; the lead's
//                                                    also sets the state awaiting_sign_for)
//   not_accepted        reason                       -> not_accepted
//   answered_directly   answer, [kb]                 -> answered_directly
//   merged              into, [note]                 -> merged (assignments are left as they were; what the
//                                                    state was is kept in before_merge for an unmerge)
//   unmerged            from (the master), state (restored), [note]   -> back to before_merge, merged_into = ""
//   merge_received      ticket                       (on the master) appends ticket to merged
//   merge_undone        ticket                       (on the master) removes ticket from merged
//   master_replied      master, text, follow_up_due, follow_up_provisional
//                                                    (on a merged case) its master's reply was approved: every
//                                                    assignment is withdrawn, master_reply = text
//                                                    -> awaiting_follow_up with that follow-up due
//   signed_for          -                            assignment -> in_progress (lead: case -> in_progress)
//   passed_down         child, previous_handler      assignment handler = child
//   return_requested    reason_code, reason, previous_state                  -> return_requested
//   return_approved     previous_lead, new_lead, co, [note]   withdraws every current assignment, returns += 1,
//                       -> awaiting_sign_for; the new round follows as "dispatched" events
//   return_declined     state, note                  -> state (the one before the request); the lead may dispute
//   desk_dispatched, redispatched
//                       previous_lead, new_lead, co, note, withdrawn (the round's units, comma-separated)
//                                                    withdraws every current assignment, redispatches += 1,
//                                                    -> awaiting_sign_for; the new round follows as "dispatched"
//   arbitration_requested cause (return_cap|declined_return), reason_code (return_cap only), reason,
//                       previous_state               -> arbitration_requested; return_cap counts a return request
//   arbitrated          previous_lead, new_lead, co, note, outcome (upheld|reassigned), disputed_by, cause,
//                       state (upheld) | withdrawn (reassigned)
//                                                    arbitrated = true; upheld -> state; reassigned: as
//                                                    return_approved (returns += 1), the new round follows
//   extension_requested working_days, reason                                -> extension_requested
//   extension_approved  working_days (granted), reply_due, reply_provisional, [note]   -> in_progress
//   extension_declined  note                                                 -> in_progress
//   replied             text, basis, handler         assignment -> replied (lead: case -> reply_review)
//   reply_approved      follow_up_due, follow_up_provisional, [note]         -> awaiting_follow_up
//   reply_rejected      note                         lead assignment -> in_progress, case -> in_progress
//   followed_up         satisfaction, resolution, redo, [note]  (always followed by "redo" or "closed")
//   redo                reply_due, reply_provisional lead -> in_progress with a new round's deadline, redos += 1
//   closed              -                            -> closed
//   urged / supervised  [note]                       counters only
//   warned              stage, clock                 appends a Warning
//   deadline_recomputed assignment (index, "" for follow_up), clock (sign_for | reply | original_reply |
//                       follow_up), from_due, from_provisional, due, provisional, calendar   sets that clock
//                       (written when a newer calendar settles a provisional deadline: deadline_recompute.hpp)
void evolve(Case& c, const Event& e);

// The case rebuilt from intake facts (only id, type, urgency and channel are taken from `facts`) and every
// stored event in order. Needs no clock: every instant is in the events.
Case replay(const Case& facts, const std::vector<Event>& events);

// ---- Merging (并案): what the daemon checks and writes on the OTHER ticket of a merge, in the same transaction.

// Whether case `self` may be merged into ticket `into`, given that master as stored (null: no such ticket):
// nullopt when it may; invalid for an unknown master or `self` itself; wrong_state for a master that is not
// open or is merged itself.
std::optional<Refusal> check_merge_master(std::string_view self, std::string_view into, const Case* master);
// The event on the master recording that `ticket` was merged into it ("merge_received") or taken back out
// ("merge_undone").
Event master_note(std::string kind, const std::string& ticket, const Actor& actor, const Context& ctx);
// The "master_replied" event that gives a merged case its master's approved reply `text` and its own follow-up
// clock (from now); nullopt when `merged` is not in state merged (unmerged, or already followed its master).
std::optional<Event> follow_master(const Case& merged, const std::string& master, const std::string& text,
                                   const Actor& actor, const Context& ctx);

// ---- The action table, in one place: used by decide() and by the API for 403/405 hints. ----

// Every action decide() knows, in table order.
std::span<const std::string_view> case_actions();
bool is_case_action(std::string_view action);
// The arguments `action` reads, in table order (empty for sign_for and for unknown actions). The API refuses any
// other argument, so a misspelt one is never silently ignored.
std::vector<std::string_view> action_arguments(std::string_view action);
// What an argument's JSON value must be: working_days a whole number, redo true or false, every other a string.
enum class ArgumentType { text, whole_number, yes_no };
ArgumentType argument_type(std::string_view argument);
// Whether `role` may ever take `action` (false for unknown actions).
bool role_may(std::string_view action, Role role);
// Whether some actor may take `action` in `state`. For unit actions this is the union over the lead and
// co-units: decide() further checks the actor's own assignment and may still answer wrong_state.
bool state_may(CaseState state, std::string_view action);
// Actions only the lead unit (or its handler) may take: request_return, request_extension, dispute.
bool lead_only(std::string_view action);
// The refusal decide() gives any actor of `role` that is bound to the case, as far as the table can tell;
// nullopt when the triple can be allowed.
std::optional<RefusalKind> table_refusal(CaseState state, std::string_view action, Role role);
// The actions table_refusal() does not refuse, in table order.
std::vector<std::string_view> allowed_actions(CaseState state, Role role);

}  // namespace hotline::routing
