#include "routing/deadline_recompute.hpp"

#include <charconv>
#include <string>

namespace hotline::routing {
namespace {

bool provisional(const Event& e, const std::string& clock) {
  return e.field(clock + "_provisional") == "true";
}

void put(Event& e, const std::string& clock, const Due& due) {
  e.data[clock + "_due"] = std::to_string(due.ms);
  e.data[clock + "_provisional"] = due.provisional ? "true" : "false";
}

int working_days(const Event& e) {
  int n = 0;
  const std::string& text = e.field("working_days");
  std::from_chars(text.data(), text.data() + text.size(), n);
  return n;
}

// The event as it would have been written with `clocks`, given the case `before` it as recomputed so far and as
// it was (`was`). Only clocks that are provisional, or derived from a clock that moved, are worked out again.
Event rederive(const Event& e, const Case& before, const Case& was, const Clocks& clocks) {
  Event out = e;
  const std::string unit = e.concerned_unit();
  if (e.kind == "dispatched") {
    if (provisional(e, "sign_for")) put(out, "sign_for", clocks.sign_for_due(before, unit, e.at_ms));
    if (provisional(e, "reply")) put(out, "reply", clocks.reply_due(before, unit, e.at_ms));
  } else if (e.kind == "extension_approved") {
    const Assignment* now = before.find_assignment(unit);
    const Assignment* then = was.find_assignment(unit);
    if (now != nullptr && then != nullptr && (provisional(e, "reply") || now->reply_due != then->reply_due)) {
      put(out, "reply", clocks.extend(before, now->reply_due, working_days(e)));
    }
  } else if (e.kind == "reply_approved") {
    if (provisional(e, "follow_up")) put(out, "follow_up", clocks.follow_up_due(before, e.at_ms));
  } else if (e.kind == "redo") {
    if (provisional(e, "reply")) put(out, "reply", clocks.reply_due(before, unit, e.at_ms));
  }
  return out;
}

Event change(const std::string& assignment, const std::string& unit, const char* clock, const Due& from, const Due& to,
             std::int64_t now_ms, std::string_view calendar_version) {
  Event e;
  e.kind = "deadline_recomputed";
  e.at_ms = now_ms;
  e.actor = "calendar";
  e.role = std::string(to_string(Role::system));
  e.unit = unit;
  e.data = {{"assignment", assignment},
            {"clock", clock},
            {"from_due", std::to_string(from.ms)},
            {"from_provisional", from.provisional ? "true" : "false"},
            {"due", std::to_string(to.ms)},
            {"provisional", to.provisional ? "true" : "false"},
            {"calendar", std::string(calendar_version)}};
  return e;
}

}  // namespace

std::vector<Event> recompute_provisional(const Case& facts, const std::vector<Event>& history, const Clocks& clocks,
                                         std::int64_t now_ms, std::string_view calendar_version) {
  Case was = replay(facts, {});  // as stored, earlier recomputations included
  Case again = was;              // every clock worked out afresh from the events that set it
  for (const Event& e : history) {
    if (e.kind != "deadline_recomputed") evolve(again, rederive(e, again, was, clocks));
    evolve(was, e);
  }
  std::vector<Event> out;
  for (std::size_t i = 0; i < was.assignments.size() && i < again.assignments.size(); ++i) {
    const Assignment& a = was.assignments[i];
    const Assignment& b = again.assignments[i];
    if (a.state == AssignmentState::withdrawn) continue;  // no longer anybody's clock
    const std::string index = std::to_string(i);
    if (a.sign_for_due != b.sign_for_due) {
      out.push_back(change(index, a.unit, "sign_for", a.sign_for_due, b.sign_for_due, now_ms, calendar_version));
    }
    if (a.reply_due != b.reply_due) {
      out.push_back(change(index, a.unit, "reply", a.reply_due, b.reply_due, now_ms, calendar_version));
    }
    if (a.original_reply_due != b.original_reply_due) {
      out.push_back(change(index, a.unit, "original_reply", a.original_reply_due, b.original_reply_due, now_ms,
                           calendar_version));
    }
  }
  if (was.follow_up_due && again.follow_up_due && *was.follow_up_due != *again.follow_up_due) {
    out.push_back(change("", "", "follow_up", *was.follow_up_due, *again.follow_up_due, now_ms, calendar_version));
  }
  return out;
}

}  // namespace hotline::routing
