#include "routing/feed_audience.hpp"

#include <algorithm>
#include <initializer_list>
#include <string_view>

namespace hotline::routing {
namespace {

void add(FeedAudience& a, const std::string& unit) {
  if (!unit.empty() && std::find(a.units.begin(), a.units.end(), unit) == a.units.end()) a.units.push_back(unit);
}

bool is_one_of(std::string_view kind, std::initializer_list<std::string_view> kinds) {
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

// " (note)" when the event carries a note or reason, "" otherwise.
std::string with_note(const Event& e) {
  const std::string note = e.field("note");
  return note.empty() ? std::string() : ": " + note;
}

}  // namespace

FeedAudience feed_audience(const Event& e) {
  FeedAudience a;
  const std::string_view kind = e.kind;
  if (is_one_of(kind, {"received", "signed_for", "replied", "return_requested", "extension_requested",
                       "arbitration_requested", "not_accepted", "answered_directly"})) {
    return a;
  }
  if (is_one_of(kind, {"desk_dispatched", "redispatched", "arbitrated"})) {
    add(a, e.unit);
    if (kind == "arbitrated") {
      add(a, e.field("previous_lead"));
      add(a, e.field("new_lead"));
    }
    const std::string& withdrawn = e.field("withdrawn");
    std::size_t start = 0;
    while (start < withdrawn.size()) {
      const auto comma = std::min(withdrawn.find(',', start), withdrawn.size());
      add(a, withdrawn.substr(start, comma - start));
      start = comma + 1;
    }
    return a;
  }
  if (kind == "passed_down") {
    add(a, e.field("child"));
    add(a, e.field("previous_handler"));
    return a;
  }
  if (is_one_of(kind, {"closed", "merged", "unmerged", "master_replied"})) {
    a.whole_case = true;
    return a;
  }
  if (is_one_of(kind, {"urged", "supervised"}) && e.unit.empty()) {
    a.whole_case = true;
    return a;
  }
  a.handler_too = is_one_of(kind, {"return_approved", "return_declined", "extension_approved", "extension_declined",
                                   "reply_approved", "reply_rejected", "followed_up", "redo"});
  add(a, e.unit);
  return a;
}

std::string feed_summary(const Event& e) {
  const std::string_view k = e.kind;
  if (k == "dispatched") {
    return "dispatched to " + e.unit + (e.field("lead") == "true" ? " as lead unit" : " as co-handling unit");
  }
  if (k == "passed_down") return "passed down by " + e.unit + " to " + e.field("child");
  if (k == "return_approved") return "return approved; new lead " + e.field("new_lead");
  if (k == "return_declined") return "return declined" + with_note(e);
  if (k == "desk_dispatched") return "dispatched by the desk to " + e.field("new_lead") + with_note(e);
  if (k == "redispatched") return "re-dispatched to " + e.field("new_lead") + with_note(e);
  if (k == "arbitrated") {
    return e.field("outcome") == "upheld"
               ? "arbitration: " + e.field("new_lead") + " stays the lead unit" + with_note(e)
               : "arbitration: " + e.field("new_lead") + " is the lead unit" + with_note(e);
  }
  if (k == "extension_approved") return "extension of " + e.field("working_days") + " working day(s) approved";
  if (k == "extension_declined") return "extension declined" + with_note(e);
  if (k == "reply_approved") return "reply approved";
  if (k == "reply_rejected") return "reply rejected" + with_note(e);
  if (k == "followed_up") {
    return "follow-up: " + e.field("satisfaction") + ", " + e.field("resolution");
  }
  if (k == "redo") return "redo ordered with a new reply deadline";
  if (k == "urged") return "urged (催办)" + with_note(e);
  if (k == "supervised") return "supervised (督办)" + with_note(e);
  if (k == "warned") return e.field("stage") + " card on the " + e.field("clock") + " clock";
  if (k == "deadline_recomputed") return "the " + e.field("clock") + " deadline moved under a newer calendar";
  if (k == "closed") return "case closed";
  if (k == "merged") return "merged into " + e.field("into");
  if (k == "unmerged") return "merge into " + e.field("from") + " undone; the case is back" + with_note(e);
  if (k == "master_replied")
    return "the reply to " + e.field("master") + ", which this case was merged into, stands for it";
  if (k.starts_with("stage_")) {
    const std::string clock = e.field("clock");
    return std::string(k.substr(6)) + " stage" + (clock.empty() ? std::string() : " on the " + clock + " clock");
  }
  return std::string(k);
}

}  // namespace hotline::routing
