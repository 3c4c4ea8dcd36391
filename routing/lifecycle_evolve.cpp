// evolve() and replay(): applying stored events. Events are facts, so nothing here refuses; a malformed value
// reads as zero/false/empty rather than failing, and an unknown kind is skipped, so an older daemon can still
// fold a newer history.
#include <algorithm>
#include <charconv>

#include "routing/lifecycle.hpp"

namespace hotline::routing {

namespace {

template <typename Int>
Int number(const std::string& text) {
  Int value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

Due due(const Event& e, const std::string& prefix) {
  return Due{number<std::int64_t>(e.field(prefix + "_due")), e.field(prefix + "_provisional") == "true"};
}

void finish(Case& c, CaseState terminal, std::int64_t at_ms) {
  c.state = terminal;
  c.closed_ms = at_ms;
  c.pending_return.reset();
  c.pending_extension.reset();
  c.pending_arbitration.reset();
  c.decline_disputable = false;
}

// The whole current round is withdrawn; the "dispatched" events that follow append the new one.
void withdraw_round(Case& c) {
  for (auto& old : c.assignments) old.state = AssignmentState::withdrawn;
  c.pending_return.reset();
  c.decline_disputable = false;
  c.state = CaseState::awaiting_sign_for;
}

}  // namespace

void evolve(Case& c, const Event& e) {
  const std::string& k = e.kind;
  Assignment* a = c.find_assignment(e.concerned_unit());

  if (k == "received") {
    c.state = CaseState::awaiting_sign_for;
  } else if (k == "dispatched") {
    Assignment fresh;
    fresh.unit = e.concerned_unit();
    fresh.lead = e.field("lead") == "true";
    fresh.dispatched_ms = e.at_ms;
    fresh.sign_for_due = due(e, "sign_for");
    fresh.reply_due = due(e, "reply");
    fresh.original_reply_due = fresh.reply_due;
    fresh.desk = e.field("desk") == "true";
    if (fresh.lead) c.state = CaseState::awaiting_sign_for;
    c.assignments.push_back(std::move(fresh));
  } else if (k == "not_accepted") {
    finish(c, CaseState::not_accepted, e.at_ms);
  } else if (k == "answered_directly") {
    finish(c, CaseState::answered_directly, e.at_ms);
  } else if (k == "merged") {
    // Assignments are left as they were: the terminal state stops every clock. What the case was is kept for an
    // unmerge.
    c.before_merge = BeforeMerge{e.at_ms,
                                 c.state,
                                 c.closed_ms,
                                 c.pending_return,
                                 c.pending_extension,
                                 c.pending_arbitration,
                                 c.decline_disputable};
    finish(c, CaseState::merged, e.at_ms);
    c.merged_into = e.field("into");
  } else if (k == "unmerged") {
    if (!c.before_merge) return;
    const BeforeMerge& b = *c.before_merge;
    c.state = b.state;
    c.closed_ms = b.closed_ms;
    c.pending_return = b.pending_return;
    c.pending_extension = b.pending_extension;
    c.pending_arbitration = b.pending_arbitration;
    c.decline_disputable = b.decline_disputable;
    c.merged_into.clear();
    c.before_merge.reset();
  } else if (k == "merge_received") {
    const std::string& ticket = e.field("ticket");
    if (std::find(c.merged.begin(), c.merged.end(), ticket) == c.merged.end()) c.merged.push_back(ticket);
  } else if (k == "merge_undone") {
    std::erase(c.merged, e.field("ticket"));
  } else if (k == "master_replied") {
    // The merged case follows its master: its own units are done with it, the hotline follows its caller up.
    for (auto& old : c.assignments) old.state = AssignmentState::withdrawn;
    c.master_reply = e.field("text");
    c.follow_up_due = due(e, "follow_up");
    c.closed_ms.reset();
    c.before_merge.reset();
    c.state = CaseState::awaiting_follow_up;
  } else if (k == "signed_for") {
    if (a == nullptr) return;
    a->state = AssignmentState::in_progress;
    a->signed_ms = e.at_ms;
    if (a->lead) c.state = CaseState::in_progress;
  } else if (k == "passed_down") {
    if (a != nullptr) a->handler = e.field("child");
  } else if (k == "return_requested") {
    c.pending_return = PendingReturn{e.concerned_unit(), e.field("reason_code"), e.field("reason"), e.at_ms,
                                     parse_case_state(e.field("previous_state")).value_or(c.state)};
    c.state = CaseState::return_requested;
    ++c.return_requests;
    c.decline_disputable = false;
  } else if (k == "return_approved") {
    withdraw_round(c);
    ++c.returns;
  } else if (k == "return_declined") {
    const CaseState fallback = c.pending_return ? c.pending_return->previous_state : CaseState::in_progress;
    c.state = parse_case_state(e.field("state")).value_or(fallback);
    c.pending_return.reset();
    c.decline_disputable = true;
    c.declined_ms = e.at_ms;
  } else if (k == "desk_dispatched" || k == "redispatched") {
    withdraw_round(c);
    ++c.redispatches;
  } else if (k == "arbitration_requested") {
    const std::string& cause = e.field("cause");
    c.pending_arbitration =
        PendingArbitration{e.concerned_unit(), cause,   e.field("reason_code"),
                           e.field("reason"),  e.at_ms, parse_case_state(e.field("previous_state")).value_or(c.state)};
    if (cause == "return_cap") ++c.return_requests;  // the unit asked to return it: a return request all the same
    c.decline_disputable = false;
    c.state = CaseState::arbitration_requested;
  } else if (k == "arbitrated") {
    const CaseState back = c.pending_arbitration ? c.pending_arbitration->previous_state : CaseState::in_progress;
    c.pending_arbitration.reset();
    c.arbitrated = true;
    if (e.field("outcome") == "reassigned") {
      withdraw_round(c);
      ++c.returns;
    } else {
      c.state = parse_case_state(e.field("state")).value_or(back);
    }
  } else if (k == "extension_requested") {
    c.pending_extension =
        PendingExtension{e.concerned_unit(), number<int>(e.field("working_days")), e.field("reason"), e.at_ms};
    c.state = CaseState::extension_requested;
  } else if (k == "extension_approved") {
    if (a != nullptr) {
      a->reply_due = due(e, "reply");  // original_reply_due stays: on-time statistics use it
      a->extension_days += number<int>(e.field("working_days"));
    }
    c.pending_extension.reset();
    c.state = CaseState::in_progress;
  } else if (k == "extension_declined") {
    c.pending_extension.reset();
    c.state = CaseState::in_progress;
  } else if (k == "replied") {
    if (a == nullptr) return;
    a->state = AssignmentState::replied;
    a->replied_ms = e.at_ms;
    if (a->lead) c.state = CaseState::reply_review;
  } else if (k == "reply_approved") {
    c.follow_up_due = due(e, "follow_up");
    c.state = CaseState::awaiting_follow_up;
  } else if (k == "reply_rejected") {
    if (a != nullptr) {
      a->state = AssignmentState::in_progress;  // the reply deadline is untouched: the clock kept running
      a->replied_ms.reset();
    }
    c.state = CaseState::in_progress;
  } else if (k == "followed_up") {
    c.satisfaction = e.field("satisfaction");
    c.resolution = e.field("resolution");
  } else if (k == "redo") {
    if (a != nullptr) {
      // A redo is a new round for the lead: a new deadline that is also the round's original one.
      a->state = AssignmentState::in_progress;
      a->replied_ms.reset();
      a->reply_due = due(e, "reply");
      a->original_reply_due = a->reply_due;
      a->extension_days = 0;
    }
    ++c.redos;
    c.follow_up_due.reset();
    c.state = CaseState::in_progress;
  } else if (k == "closed") {
    finish(c, CaseState::closed, e.at_ms);
  } else if (k == "deadline_recomputed") {
    // A newer calendar moved a provisional clock (deadline_recompute.hpp): the assignment by its index.
    const Due now{number<std::int64_t>(e.field("due")), e.field("provisional") == "true"};
    const std::string& clock = e.field("clock");
    if (clock == "follow_up") {
      if (c.follow_up_due) c.follow_up_due = now;
      return;
    }
    const auto index = number<std::size_t>(e.field("assignment"));
    if (e.field("assignment").empty() || index >= c.assignments.size()) return;
    Assignment& target = c.assignments[index];
    if (clock == "sign_for") target.sign_for_due = now;
    if (clock == "reply") target.reply_due = now;
    if (clock == "original_reply") target.original_reply_due = now;
  } else if (k == "urged") {
    ++c.urges;
  } else if (k == "supervised") {
    ++c.supervisions;
  } else if (k == "warned") {
    c.warnings.push_back(Warning{e.field("stage"), e.field("clock"), e.concerned_unit(), e.at_ms});
  }
  // Any other kind: ignored (forward compatibility).
}

Case replay(const Case& facts, const std::vector<Event>& events) {
  Case c;
  c.id = facts.id;
  c.type = facts.type;
  c.urgency = facts.urgency;
  c.channel = facts.channel;
  for (const auto& e : events) evolve(c, e);
  return c;
}

}  // namespace hotline::routing
