#include "routing/lifecycle.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "routing/civil_day.hpp"
#include "routing/lifecycle_table.hpp"

namespace hotline::routing {
namespace {

using lifecycle_detail::ActionSpec;
using lifecycle_detail::bit;
using Args = std::map<std::string, std::string>;

Refusal refuse(RefusalKind kind, std::string reason) {
  return Refusal{kind, std::move(reason)};
}
Refusal invalid(std::string reason) {
  return refuse(RefusalKind::invalid, std::move(reason));
}

// An argument's text; "" when missing or only white space (so "needs its text" checks refuse "   " and "　").
std::string arg(const Args& args, const std::string& key) {
  const auto it = args.find(key);
  return it == args.end() || is_blank(it->second) ? std::string() : it->second;
}

std::string bool_text(bool b) {
  return b ? "true" : "false";
}

std::optional<int> parse_int(const std::string& text) {
  int value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
  return value;
}

bool one_of(const std::string& value, std::initializer_list<std::string_view> allowed) {
  return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

// Empty directory callbacks answer "no": an unconfigured context can never let an unknown unit in.
bool exists(const Context& ctx, std::string_view unit) {
  return ctx.unit_exists && ctx.unit_exists(unit);
}

Event make_event(std::string kind, const Actor& actor, const Context& ctx, std::string unit, Args data = {}) {
  return Event{std::move(kind), ctx.now_ms,     actor.id, std::string(to_string(actor.role)),
               std::move(unit), std::move(data)};
}

// "2026-11-24 00:00 (UTC+08:00)": an instant as the deployment's clocks read it, for refusals.
std::string local_time_text(std::int64_t ms, int utc_offset_minutes) {
  const std::int64_t minute_ms = 60'000;
  const std::int64_t local_minutes =
      (ms - start_of_day(local_day(ms, utc_offset_minutes), utc_offset_minutes)) / minute_ms;
  const int offset = utc_offset_minutes < 0 ? -utc_offset_minutes : utc_offset_minutes;
  char text[48];
  std::snprintf(text, sizeof text, " %02d:%02d (UTC%c%02d:%02d)", static_cast<int>(local_minutes / 60),
                static_cast<int>(local_minutes % 60), utc_offset_minutes < 0 ? '-' : '+', offset / 60, offset % 60);
  return format_day(local_day(ms, utc_offset_minutes)) + text;
}

void put_due(Args& data, const std::string& key, const Due& due) {
  data[key] = std::to_string(due.ms);
  data[key.substr(0, key.size() - 4) + "_provisional"] = bool_text(due.provisional);  // "x_due" -> "x_provisional"
}

// Checks a new round's units: the lead and every co unit exist, no duplicates, the lead is not a co unit.
std::optional<Refusal> check_round(const std::string& lead, const std::vector<std::string>& co, const Context& ctx) {
  if (lead.empty()) return invalid("A lead unit is required.");
  if (!exists(ctx, lead)) return invalid("Unknown unit '" + lead + "'.");
  for (std::size_t i = 0; i < co.size(); ++i) {
    if (co[i].empty()) return invalid("A co-handling unit id is empty.");
    if (co[i] == lead) return invalid("Unit '" + lead + "' cannot be both the lead and a co-handling unit.");
    if (!exists(ctx, co[i])) return invalid("Unknown unit '" + co[i] + "'.");
    if (std::find(co.begin(), co.begin() + static_cast<std::ptrdiff_t>(i), co[i]) !=
        co.begin() + static_cast<std::ptrdiff_t>(i)) {
      return invalid("Co-handling unit '" + co[i] + "' is named twice.");
    }
  }
  return std::nullopt;
}

// One "dispatched" event per assignment, every clock starting now (sign-for and reply clocks both start at
// dispatch, so an unsigned case is already on the reply clock).
void dispatch_round(std::vector<Event>& out, const Case& c, const std::string& lead, const std::vector<std::string>& co,
                    const Args& args, const Actor& actor, const Context& ctx) {
  std::vector<std::string> units{lead};
  units.insert(units.end(), co.begin(), co.end());
  for (const auto& unit : units) {
    Args data{{"unit", unit}, {"lead", bool_text(unit == lead)}};
    // The desk's clocks are its dispatch limit (Clocks::sign_for_due and reply_due answer it for the desk).
    if (!ctx.desk.empty() && unit == ctx.desk) data["desk"] = "true";
    put_due(data, "sign_for_due", ctx.clocks.sign_for_due(c, unit, ctx.now_ms));
    put_due(data, "reply_due", ctx.clocks.reply_due(c, unit, ctx.now_ms));
    for (const char* key : {"rule", "rules_version"}) {
      if (args.contains(key)) data[key] = arg(args, key);
    }
    out.push_back(make_event("dispatched", actor, ctx, unit, std::move(data)));
  }
}

std::vector<std::string> split_units(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string item = text.substr(start, end - start);
    const auto first = item.find_first_not_of(' ');
    const auto last = item.find_last_not_of(' ');
    if (first != std::string::npos) out.push_back(item.substr(first, last - first + 1));
    start = end + 1;
  }
  return out;
}

// The units of the current round, lead first, comma-separated: who a move of the whole case takes it from.
std::string round_units(const Case& c) {
  std::string out = c.lead() ? c.lead()->unit : std::string();
  for (const auto& a : c.assignments) {
    if (a.state == AssignmentState::withdrawn || a.lead) continue;
    out += (out.empty() ? "" : ",") + a.unit;
  }
  return out;
}

std::string join_units(const std::vector<std::string>& units) {
  std::string out;
  for (const auto& u : units) out += (out.empty() ? "" : ",") + u;
  return out;
}

// The decision an operator or supervisor gives: approve/decline (or approve/reject); nullopt when neither.
std::optional<bool> parse_decision(const std::string& value, std::string_view no_word) {
  if (value == "approve") return true;
  if (value == no_word) return false;
  return std::nullopt;
}

Refusal bad_decision(std::string_view action, std::string_view no_word) {
  return invalid(std::string(action) + " needs decision 'approve' or '" + std::string(no_word) + "'.");
}

// ---- One function per action. Each runs after the role, binding and state checks passed; `a` is the actor's
// ---- assignment for unit actions (null for hotline actions). Only argument and limit checks remain.

Outcome sign_for(const Assignment& a, const Actor& actor, const Context& ctx) {
  return std::vector<Event>{make_event("signed_for", actor, ctx, a.unit)};
}

Outcome pass_down(const Assignment& a, const Args& args, const Actor& actor, const Context& ctx) {
  const std::string child = arg(args, "child");
  if (child.empty()) return invalid("pass_down needs the child unit to pass the case to.");
  if (child == a.unit || child == a.handler) return invalid("The case is already handled by '" + child + "'.");
  if (!exists(ctx, child)) return invalid("Unknown unit '" + child + "'.");
  if (!ctx.is_child || !ctx.is_child(actor.unit, child)) {
    return invalid("Unit '" + child + "' is not a child unit of '" + actor.unit + "'.");
  }
  return std::vector<Event>{
      make_event("passed_down", actor, ctx, a.unit, {{"child", child}, {"previous_handler", a.handler}})};
}

Refusal arbitrated_final(std::string_view action) {
  return refuse(RefusalKind::wrong_state,
                "Cannot " + std::string(action) + ": the lead unit was decided by arbitration, and that is final.");
}

Outcome request_return(const Case& c, const Assignment& a, const Args& args, const Actor& actor, const Context& ctx) {
  if (c.arbitrated) return arbitrated_final("request_return");
  const std::string code = arg(args, "reason_code");
  if (!one_of(code, {"not_our_duty", "not_our_territory"})) {
    return invalid("A return needs reason_code 'not_our_duty' or 'not_our_territory'.");
  }
  const std::string reason = arg(args, "reason");
  if (reason.empty()) return invalid("A return needs a reason text.");
  if (ctx.now_ms >= ctx.clocks.return_window_end(c, a.dispatched_ms)) {
    return invalid("The return window closed: a return must be asked within the time allowed after dispatch.");
  }
  if (c.returns >= ctx.clocks.max_returns(c)) {
    // Past the cap the hotline may not send the case on again by itself: a supervisor arbitrates.
    return std::vector<Event>{make_event("arbitration_requested", actor, ctx, a.unit,
                                         {{"cause", "return_cap"},
                                          {"reason_code", code},
                                          {"reason", reason},
                                          {"previous_state", std::string(to_string(c.state))}})};
  }
  return std::vector<Event>{
      make_event("return_requested", actor, ctx, a.unit,
                 {{"reason_code", code}, {"reason", reason}, {"previous_state", std::string(to_string(c.state))}})};
}

Outcome review_return(const Case& c, const Args& args, const Actor& actor, const Context& ctx) {
  const auto approve = parse_decision(arg(args, "decision"), "decline");
  if (!approve) return bad_decision("review_return", "decline");
  const Assignment* lead = c.lead();
  const std::string previous_lead = lead ? lead->unit : std::string();
  if (!*approve) {
    const std::string note = arg(args, "note");
    if (note.empty()) return invalid("Declining a return needs a note telling the unit why.");
    const CaseState back = c.pending_return ? c.pending_return->previous_state : CaseState::in_progress;
    return std::vector<Event>{make_event("return_declined", actor, ctx, previous_lead,
                                         {{"state", std::string(to_string(back))}, {"note", note}})};
  }
  const std::string new_lead = arg(args, "unit");
  if (new_lead.empty()) return invalid("Approving a return needs the new lead unit.");
  if (new_lead == previous_lead) return invalid("The new lead must differ from the unit that returned the case.");
  const std::vector<std::string> co = split_units(arg(args, "co"));
  if (auto bad = check_round(new_lead, co, ctx)) return *bad;
  std::vector<Event> out{make_event(
      "return_approved", actor, ctx, previous_lead,
      {{"previous_lead", previous_lead}, {"new_lead", new_lead}, {"co", join_units(co)}, {"note", arg(args, "note")}})};
  dispatch_round(out, c, new_lead, co, args, actor, ctx);
  return out;
}

// A new round chosen by hand (dispatch, redispatch, arbitrate): `kind` withdraws the current round, then the
// new lead (+co) is dispatched now with fresh clocks, its "dispatched" events carrying `rule`.
Outcome move_round(const Case& c, const std::string& kind, const Args& args, const Actor& actor, const Context& ctx,
                   const std::string& rule, Args extra = {}) {
  const std::string new_lead = arg(args, "unit");
  if (new_lead.empty())
    return invalid(std::string(kind == "arbitrated" ? "arbitrate" : "dispatch") +
                   " needs the unit to lead the case (unit).");
  const std::vector<std::string> co = split_units(arg(args, "co"));
  if (auto bad = check_round(new_lead, co, ctx)) return *bad;
  if (!ctx.desk.empty() && std::find(co.begin(), co.end(), ctx.desk) != co.end()) {
    return invalid("The dispatch desk is never a co-handling unit.");
  }
  const std::string from = round_units(c);
  std::vector<std::string> to{new_lead};
  to.insert(to.end(), co.begin(), co.end());
  if (from == join_units(to)) return invalid("The case is with these units already.");
  const Assignment* lead = c.lead();
  Args data{{"previous_lead", lead ? lead->unit : std::string()},
            {"new_lead", new_lead},
            {"co", join_units(co)},
            {"note", arg(args, "note")},
            {"withdrawn", from}};
  data.merge(extra);
  std::vector<Event> out{make_event(kind, actor, ctx, lead ? lead->unit : std::string(), std::move(data))};
  dispatch_round(out, c, new_lead, co, {{"rule", rule}}, actor, ctx);
  return out;
}

Outcome dispatch(const Case& c, const Args& args, const Actor& actor, const Context& ctx) {
  const Assignment* lead = c.lead();
  if (lead == nullptr || !(lead->desk || (!ctx.desk.empty() && lead->unit == ctx.desk))) {
    return refuse(RefusalKind::wrong_state,
                  "Only a case held at the dispatch desk is dispatched; a case a unit holds is re-dispatched "
                  "(before sign-for) or returned.");
  }
  if (arg(args, "unit") == lead->unit) return invalid("The case is at the dispatch desk already.");
  return move_round(c, "desk_dispatched", args, actor, ctx, "manual");
}

Outcome redispatch(const Case& c, const Args& args, const Actor& actor, const Context& ctx) {
  if (c.arbitrated) return arbitrated_final("redispatch");
  for (const auto& a : c.assignments) {
    if (a.state != AssignmentState::withdrawn && a.signed_ms) {
      return refuse(RefusalKind::wrong_state,
                    "Unit '" + a.unit + "' signed for the case already: it leaves only by a return.");
    }
  }
  return move_round(c, "redispatched", args, actor, ctx, "manual");
}

Outcome dispute(const Case& c, const Args& args, const Actor& actor, const Context& ctx) {
  if (c.arbitrated) return arbitrated_final("dispute");
  if (!c.decline_disputable) {
    return refuse(RefusalKind::wrong_state,
                  "Only a declined return is disputed, and only until the case moves on from the decline.");
  }
  const std::string reason = arg(args, "reason");
  if (reason.empty()) return invalid("A dispute needs a reason.");
  if (const auto window = ctx.clocks.dispute_window(c, c.declined_ms); ctx.now_ms >= window.end_ms) {
    return invalid("Cannot dispute: the window of " + window.length + " after the decline closed at " +
                   local_time_text(window.end_ms, ctx.clocks.utc_offset_minutes()) + ".");
  }
  return std::vector<Event>{make_event(
      "arbitration_requested", actor, ctx, c.lead()->unit,
      {{"cause", "declined_return"}, {"reason", reason}, {"previous_state", std::string(to_string(c.state))}})};
}

Outcome arbitrate(const Case& c, const Args& args, const Actor& actor, const Context& ctx) {
  const Assignment* lead = c.lead();
  if (lead == nullptr || !c.pending_arbitration) return invalid("The case has no pending arbitration.");
  const std::string note = arg(args, "note");
  if (note.empty()) return invalid("An arbitration needs a note giving its grounds.");
  const std::string unit = arg(args, "unit");
  if (unit.empty()) return invalid("arbitrate needs the unit to lead the case (unit).");
  const Args common{{"disputed_by", c.pending_arbitration->unit}, {"cause", c.pending_arbitration->cause}};
  if (unit == lead->unit) {
    if (!arg(args, "co").empty()) {
      return invalid("Upholding the lead keeps the case's co-handling units; co is given only with a new lead.");
    }
    Args data{{"previous_lead", lead->unit},
              {"new_lead", unit},
              {"co", ""},
              {"note", note},
              {"outcome", "upheld"},
              {"state", std::string(to_string(c.pending_arbitration->previous_state))}};
    data.insert(common.begin(), common.end());
    return std::vector<Event>{make_event("arbitrated", actor, ctx, lead->unit, std::move(data))};
  }
  if (!ctx.desk.empty() && unit == ctx.desk) return invalid("An arbitration decides a handling unit, never the desk.");
  Args extra{{"outcome", "reassigned"}};
  extra.insert(common.begin(), common.end());
  return move_round(c, "arbitrated", args, actor, ctx, "arbitration", std::move(extra));
}

Outcome request_extension(const Case& c, const Assignment& a, const Args& args, const Actor& actor,
                          const Context& ctx) {
  const auto days = parse_int(arg(args, "working_days"));
  if (!days || *days < 1) return invalid("An extension needs working_days, a whole number of at least 1.");
  const std::string reason = arg(args, "reason");
  if (reason.empty()) return invalid("An extension needs a reason.");
  if (ctx.now_ms >= a.reply_due.ms) return invalid("An extension must be asked before the deadline.");
  const int cap = ctx.clocks.extension_cap_days(c);
  if (a.extension_days + *days > cap) {
    return invalid("The extension would exceed the cap of " + std::to_string(cap) + " working days (" +
                   std::to_string(a.extension_days) + " already granted).");
  }
  return std::vector<Event>{make_event("extension_requested", actor, ctx, a.unit,
                                       {{"working_days", std::to_string(*days)}, {"reason", reason}})};
}

Outcome review_extension(const Case& c, const Args& args, const Actor& actor, const Context& ctx) {
  const auto approve = parse_decision(arg(args, "decision"), "decline");
  if (!approve) return bad_decision("review_extension", "decline");
  const Assignment* lead = c.lead();
  if (lead == nullptr || !c.pending_extension) return invalid("The case has no pending extension request.");
  if (!*approve) {
    const std::string note = arg(args, "note");
    if (note.empty()) return invalid("Declining an extension needs a note telling the unit why.");
    return std::vector<Event>{make_event("extension_declined", actor, ctx, lead->unit, {{"note", note}})};
  }
  const int requested = c.pending_extension->working_days;
  int granted = requested;
  if (args.contains("working_days")) {
    const auto days = parse_int(arg(args, "working_days"));
    if (!days || *days < 1 || *days > requested) {
      return invalid("The granted working_days must be a whole number from 1 to the " + std::to_string(requested) +
                     " requested.");
    }
    granted = *days;
  }
  // The cap is checked again: the rules may have changed since the request.
  if (lead->extension_days + granted > ctx.clocks.extension_cap_days(c)) {
    return invalid("The extension would exceed the cap of " + std::to_string(ctx.clocks.extension_cap_days(c)) +
                   " working days.");
  }
  Args data{{"working_days", std::to_string(granted)}, {"note", arg(args, "note")}};
  put_due(data, "reply_due", ctx.clocks.extend(c, lead->reply_due, granted));
  return std::vector<Event>{make_event("extension_approved", actor, ctx, lead->unit, std::move(data))};
}

Outcome reply(const Assignment& a, const Args& args, const Actor& actor, const Context& ctx) {
  const std::string text = arg(args, "text");
  if (text.empty()) return invalid("A reply needs its text.");
  return std::vector<Event>{
      make_event("replied", actor, ctx, a.unit,
                 {{"text", text}, {"basis", arg(args, "basis")}, {"handler", actor.unit == a.unit ? "" : actor.unit}})};
}

Outcome review_reply(const Case& c, const Args& args, const Actor& actor, const Context& ctx) {
  const auto approve = parse_decision(arg(args, "decision"), "reject");
  if (!approve) return bad_decision("review_reply", "reject");
  const Assignment* lead = c.lead();
  if (lead == nullptr) return invalid("The case has no lead unit.");
  const std::string note = arg(args, "note");
  if (!*approve) {
    if (note.empty()) return invalid("Rejecting a reply needs a note telling the unit why.");
    return std::vector<Event>{make_event("reply_rejected", actor, ctx, lead->unit, {{"note", note}})};
  }
  Args data{{"note", note}};
  put_due(data, "follow_up_due", ctx.clocks.follow_up_due(c, ctx.now_ms));
  return std::vector<Event>{make_event("reply_approved", actor, ctx, lead->unit, std::move(data))};
}

Outcome follow_up(const Case& c, const Args& args, const Actor& actor, const Context& ctx) {
  const std::string satisfaction = arg(args, "satisfaction");
  if (!one_of(satisfaction, {"satisfied", "basically_satisfied", "unsatisfied", "unrated"})) {
    return invalid("satisfaction must be satisfied, basically_satisfied, unsatisfied or unrated.");
  }
  const std::string resolution = arg(args, "resolution");
  if (!one_of(resolution, {"resolved", "partially_resolved", "unresolved"})) {
    return invalid("resolution must be resolved, partially_resolved or unresolved.");
  }
  const std::string redo_text = args.contains("redo") ? arg(args, "redo") : "false";
  if (!one_of(redo_text, {"true", "false"})) return invalid("redo must be true or false.");
  const bool redo = redo_text == "true";
  if (redo && satisfaction != "unsatisfied") return invalid("A redo is only ordered when the citizen is unsatisfied.");
  if (redo && !c.merged_into.empty()) {
    return invalid("A merged ticket follows its master '" + c.merged_into + "': a redo is ordered on the master.");
  }
  const Assignment* lead = c.lead();
  if (redo && lead == nullptr) return invalid("The case has no lead unit to redo it.");
  std::vector<Event> out{make_event(
      "followed_up", actor, ctx, lead ? lead->unit : std::string(),
      {{"satisfaction", satisfaction}, {"resolution", resolution}, {"redo", redo_text}, {"note", arg(args, "note")}})};
  if (redo) {
    Args data;
    put_due(data, "reply_due", ctx.clocks.reply_due(c, lead->unit, ctx.now_ms));
    out.push_back(make_event("redo", actor, ctx, lead->unit, std::move(data)));
  } else {
    out.push_back(make_event("closed", actor, ctx, ""));
  }
  return out;
}

// urge and supervise: an optional unit must be on the case.
Outcome attention(const Case& c, const std::string& kind, const Args& args, const Actor& actor, const Context& ctx) {
  const std::string unit = arg(args, "unit");
  if (!unit.empty() && c.find_assignment(unit) == nullptr) {
    return invalid("Unit '" + unit + "' has no current assignment on this case.");
  }
  return std::vector<Event>{make_event(kind, actor, ctx, unit, {{"note", arg(args, "note")}})};
}

Outcome merge(const Case& c, const Args& args, const Actor& actor, const Context& ctx) {
  const std::string into = arg(args, "into");
  if (into.empty()) return invalid("merge needs the ticket to merge into.");
  if (into == c.id) return invalid("A case cannot be merged into itself.");
  // A master whose duplicates follow it: merged away, it would close and leave them waiting for a reply that
  // never reaches them.
  if (!c.merged.empty()) {
    std::string list;
    for (const auto& m : c.merged) list += (list.empty() ? "" : ", ") + m;
    return refuse(RefusalKind::wrong_state, "Tickets are merged into this one (" + list + "): merge '" + into +
                                                "' into this ticket instead, or unmerge them first.");
  }
  return std::vector<Event>{make_event("merged", actor, ctx, "", {{"into", into}, {"note", arg(args, "note")}})};
}

Outcome unmerge(const Case& c, const Args& args, const Actor& actor, const Context& ctx) {
  if (!c.before_merge) return refuse(RefusalKind::wrong_state, "The case was not merged by a merge it can undo.");
  const int offset = ctx.clocks.utc_offset_minutes();
  if (local_day(c.before_merge->merged_ms, offset) != local_day(ctx.now_ms, offset)) {
    return invalid("A merge is undone only on the day it was made.");
  }
  return std::vector<Event>{make_event("unmerged", actor, ctx, "",
                                       {{"from", c.merged_into},
                                        {"state", std::string(to_string(c.before_merge->state))},
                                        {"note", arg(args, "note")}})};
}

Outcome warn(const Case& c, const Args& args, const Actor& actor, const Context& ctx) {
  const std::string stage = arg(args, "stage");
  if (!one_of(stage, {"yellow", "red"})) return invalid("A warning stage is yellow or red.");
  const std::string clock = arg(args, "clock");
  if (!one_of(clock, {"sign_for", "reply"})) return invalid("A warning clock is sign_for or reply.");
  const std::string unit = arg(args, "unit");
  if (c.find_assignment(unit) == nullptr) return invalid("Unit '" + unit + "' has no current assignment on this case.");
  return std::vector<Event>{make_event("warned", actor, ctx, unit, {{"stage", stage}, {"clock", clock}})};
}

// Step 3 and the assignment part of step 4 for unit actors: finds the assignment the actor acts on.
// Candidates are the current assignments the actor's unit holds (as accountable unit or handler), the lead
// first; the first one whose gates pass is chosen.
std::variant<const Assignment*, Refusal> unit_assignment(const Case& c, const ActionSpec& spec, const Actor& actor) {
  std::vector<const Assignment*> bound;
  if (!actor.unit.empty()) {
    for (const auto& a : c.assignments) {
      if (a.state == AssignmentState::withdrawn) continue;
      if (a.unit == actor.unit || a.handler == actor.unit) {
        if (a.lead)
          bound.insert(bound.begin(), &a);
        else
          bound.push_back(&a);
      }
    }
  }
  if (bound.empty()) {
    return refuse(RefusalKind::forbidden, "Unit '" + actor.unit + "' has no current assignment on case '" + c.id +
                                              "', so it may not " + std::string(spec.name) + " it.");
  }
  if (spec.lead_only() && !bound.front()->lead) {
    return refuse(RefusalKind::forbidden, "Only the lead unit may " + std::string(spec.name) + " this case.");
  }
  if ((spec.any_states() & bit(c.state)) == 0) {
    return refuse(RefusalKind::wrong_state,
                  "Cannot " + std::string(spec.name) + " a case that is " + std::string(to_string(c.state)) + ".");
  }
  const auto gate = [&](const Assignment* a) { return a->lead ? spec.states : spec.co_states; };
  for (const auto* a : bound) {
    if (spec.lead_only() && !a->lead) continue;
    if ((gate(a) & bit(c.state)) != 0 && (!spec.needs || a->state == *spec.needs)) return a;
  }
  const Assignment* first = bound.front();
  if ((gate(first) & bit(c.state)) == 0) {
    return refuse(RefusalKind::wrong_state, "The lead unit cannot " + std::string(spec.name) + " while the case is " +
                                                std::string(to_string(c.state)) + ".");
  }
  return refuse(RefusalKind::wrong_state, "Cannot " + std::string(spec.name) + ": the assignment of '" + first->unit +
                                              "' is " + std::string(to_string(first->state)) + ", not " +
                                              std::string(to_string(*spec.needs)) + ".");
}

}  // namespace

Outcome create_case(const Case& facts, const std::string& disposition, const std::string& lead,
                    const std::vector<std::string>& co, const std::map<std::string, std::string>& args,
                    const Actor& actor, const Context& ctx) {
  if (actor.role != Role::operator_ && actor.role != Role::system) {
    return refuse(RefusalKind::forbidden, "Only an operator or the system may create a case.");
  }
  if (!one_of(disposition, {"dispatch", "not_accepted", "answered_directly", "merged"})) {
    return invalid("Unknown disposition '" + disposition +
                   "'; expected dispatch, not_accepted, answered_directly or merged.");
  }
  std::vector<Event> out{make_event("received", actor, ctx, "",
                                    {{"disposition", disposition},
                                     {"type", std::string(to_string(facts.type))},
                                     {"urgency", std::string(to_string(facts.urgency))},
                                     {"channel", facts.channel}})};
  if (disposition == "dispatch") {
    if (auto bad = check_round(lead, co, ctx)) return *bad;
    const Case fresh = replay(facts, {});  // clocks see the intake facts only, never stale derived fields
    dispatch_round(out, fresh, lead, co, args, actor, ctx);
  } else if (disposition == "not_accepted") {
    const std::string reason = arg(args, "reason");
    if (reason.empty()) return invalid("A case not accepted needs the reason told to the caller.");
    out.push_back(make_event("not_accepted", actor, ctx, "", {{"reason", reason}}));
  } else if (disposition == "answered_directly") {
    const std::string answer = arg(args, "answer");
    if (answer.empty()) return invalid("A case answered directly needs the answer given.");
    Args data{{"answer", answer}};
    if (const std::string kb = arg(args, "kb"); !kb.empty()) data["kb"] = kb;  // the knowledge entry it cites
    out.push_back(make_event("answered_directly", actor, ctx, "", std::move(data)));
  } else {
    const std::string into = arg(args, "into");
    if (into.empty()) return invalid("A merged case needs the ticket it duplicates.");
    if (into == facts.id) return invalid("A case cannot be merged into itself.");
    out.push_back(make_event("merged", actor, ctx, "", {{"into", into}}));
  }
  return out;
}

Outcome decide(const Case& c, const Command& cmd, const Actor& actor, const Context& ctx) {
  const ActionSpec* spec = lifecycle_detail::find_action(cmd.action);
  if (spec == nullptr) return invalid("Unknown action '" + cmd.action + "'.");
  if ((spec->roles & bit(actor.role)) == 0) {
    return refuse(RefusalKind::forbidden,
                  "The " + std::string(to_string(actor.role)) + " role may not " + cmd.action + " a case.");
  }
  const Assignment* mine = nullptr;
  if (spec->unit_action()) {
    auto found = unit_assignment(c, *spec, actor);
    if (auto* refusal = std::get_if<Refusal>(&found)) return std::move(*refusal);
    mine = std::get<const Assignment*>(found);
  } else if ((spec->states & bit(c.state)) == 0) {
    return refuse(RefusalKind::wrong_state,
                  "Cannot " + cmd.action + " a case that is " + std::string(to_string(c.state)) + ".");
  }

  const Args& args = cmd.args;
  const std::string& name = cmd.action;
  if (name == "sign_for") return sign_for(*mine, actor, ctx);
  if (name == "pass_down") return pass_down(*mine, args, actor, ctx);
  if (name == "request_return") return request_return(c, *mine, args, actor, ctx);
  if (name == "review_return") return review_return(c, args, actor, ctx);
  if (name == "dispatch") return dispatch(c, args, actor, ctx);
  if (name == "redispatch") return redispatch(c, args, actor, ctx);
  if (name == "dispute") return dispute(c, args, actor, ctx);
  if (name == "arbitrate") return arbitrate(c, args, actor, ctx);
  if (name == "request_extension") return request_extension(c, *mine, args, actor, ctx);
  if (name == "review_extension") return review_extension(c, args, actor, ctx);
  if (name == "reply") return reply(*mine, args, actor, ctx);
  if (name == "review_reply") return review_reply(c, args, actor, ctx);
  if (name == "follow_up") return follow_up(c, args, actor, ctx);
  if (name == "urge") return attention(c, "urged", args, actor, ctx);
  if (name == "supervise") return attention(c, "supervised", args, actor, ctx);
  if (name == "merge") return merge(c, args, actor, ctx);
  if (name == "unmerge") return unmerge(c, args, actor, ctx);
  if (name == "warn") return warn(c, args, actor, ctx);
  return invalid("Action '" + name + "' has no handler.");  // unreachable while the table and this list agree
}

std::optional<Refusal> check_merge_master(std::string_view self, std::string_view into, const Case* master) {
  if (into.empty()) return invalid("merge needs the ticket to merge into.");
  if (into == self) return invalid("A case cannot be merged into itself.");
  if (master == nullptr) return invalid("There is no ticket '" + std::string(into) + "' to merge into.");
  if (master->state == CaseState::merged) {
    return refuse(RefusalKind::wrong_state, "Ticket '" + std::string(into) + "' is itself merged into '" +
                                                master->merged_into + "': merge into that one.");
  }
  if (!is_open(master->state)) {
    return refuse(RefusalKind::wrong_state, "Ticket '" + std::string(into) + "' is " +
                                                std::string(to_string(master->state)) +
                                                ": a case is merged only into an open ticket.");
  }
  return std::nullopt;
}

Event master_note(std::string kind, const std::string& ticket, const Actor& actor, const Context& ctx) {
  return make_event(std::move(kind), actor, ctx, "", {{"ticket", ticket}});
}

std::optional<Event> follow_master(const Case& merged, const std::string& master, const std::string& text,
                                   const Actor& actor, const Context& ctx) {
  if (merged.state != CaseState::merged) return std::nullopt;
  Args data{{"master", master}, {"text", text}};
  put_due(data, "follow_up_due", ctx.clocks.follow_up_due(merged, ctx.now_ms));
  return make_event("master_replied", actor, ctx, "", std::move(data));
}

}  // namespace hotline::routing
