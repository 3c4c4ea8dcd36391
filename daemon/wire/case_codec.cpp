#include "daemon/wire/case_codec.hpp"

#include "daemon/runtime/local_time.hpp"
#include "routing/deadline.hpp"

namespace hotline::daemon {
namespace json = boost::json;

storage::NewEvent to_stored(const routing::Event& e) {
  json::object data;
  for (const auto& [k, v] : e.data) data[k] = v;
  return {local_stamp_ms(e.at_ms).rfc3339, e.at_ms, e.kind, e.actor, e.role, e.unit, json::serialize(data)};
}

routing::Event from_stored(const storage::StoredEvent& e) {
  routing::Event out;
  out.kind = e.kind;
  out.at_ms = e.at_ms;
  out.actor = e.actor;
  out.role = e.role;
  out.unit = e.unit_id.value_or("");
  boost::system::error_code ec;
  const auto data = json::parse(e.payload, ec);
  if (!ec && data.is_object()) {
    for (const auto& kv : data.as_object()) {
      if (kv.value().is_string()) out.data[std::string(kv.key())] = std::string(kv.value().as_string());
    }
  }
  return out;
}

routing::Case facts_of(const storage::StoredTicket& t) {
  routing::Case c;
  c.id = t.id;
  c.type = routing::parse_request_type(t.type).value_or(routing::RequestType::complaint);
  c.urgency = routing::parse_urgency(t.urgency).value_or(routing::Urgency::normal);
  c.channel = t.channel.value_or("");
  return c;
}

routing::Case replay_ticket(const storage::StoredTicket& t) {
  std::vector<routing::Event> events;
  events.reserve(t.events.size());
  for (const auto& e : t.events) events.push_back(from_stored(e));
  return routing::replay(facts_of(t), events);
}

std::int64_t changed_ms(const std::vector<storage::StoredEvent>& events) {
  for (auto it = events.rbegin(); it != events.rend(); ++it) {
    if (!it->kind.starts_with("stage_")) return it->at_ms;
  }
  return 0;
}

storage::Projection project(const routing::Case& c, std::int64_t updated_ms) {
  storage::Projection p;
  p.state = std::string(routing::to_string(c.state));
  p.updated_ms = updated_ms;
  const bool open = routing::is_open(c.state);
  for (std::size_t i = 0; i < c.assignments.size(); ++i) {
    const auto& a = c.assignments[i];
    const bool live = a.state != routing::AssignmentState::withdrawn;
    storage::AssignmentRow row;
    row.seq = static_cast<int>(i);
    row.unit_id = a.unit;
    if (!a.handler.empty()) row.handler_id = a.handler;
    row.lead = a.lead;
    row.state = std::string(routing::to_string(a.state));
    row.open = open && live;
    row.dispatched_ms = a.dispatched_ms;
    row.reply_due_ms = a.reply_due.ms;
    p.assignments.push_back(std::move(row));
    // Clocks that still run: sign-for until signed, reply until replied, while the case is open. The dispatch
    // desk has one clock, its dispatch limit (派单时限), until the case leaves it.
    if (!open || !live) continue;
    if (a.desk) {
      p.deadlines.push_back({a.unit, "dispatch", a.reply_due.ms, a.reply_due.provisional, {}});
      continue;
    }
    if (!a.signed_ms) p.deadlines.push_back({a.unit, "sign_for", a.sign_for_due.ms, a.sign_for_due.provisional, {}});
    if (a.state != routing::AssignmentState::replied) {
      p.deadlines.push_back({a.unit, "reply", a.reply_due.ms, a.reply_due.provisional, a.original_reply_due.ms});
    }
  }
  if (open && c.follow_up_due && c.state == routing::CaseState::awaiting_follow_up) {
    p.deadlines.push_back({"", "follow_up", c.follow_up_due->ms, c.follow_up_due->provisional, {}});
  }
  return p;
}

namespace {

json::object due_json(const routing::Due& due, const routing::WorkCalendar& calendar, std::int64_t now_ms, int offset) {
  return {{"due_at", local_stamp_ms(due.ms).rfc3339},
          {"provisional", due.provisional},
          {"overdue", now_ms >= due.ms},
          {"working_days_left", routing::working_days_left(calendar, now_ms, due.ms, offset)}};
}

}  // namespace

json::object case_to_json(const routing::Case& c, const routing::WorkCalendar& calendar, std::int64_t now_ms,
                          int offset) {
  json::object o;
  o["state"] = routing::to_string(c.state);
  o["returns"] = c.returns;
  o["return_requests"] = c.return_requests;
  o["redos"] = c.redos;
  o["urges"] = c.urges;
  o["supervisions"] = c.supervisions;
  if (!c.merged_into.empty()) o["merged_into"] = c.merged_into;
  if (!c.merged.empty()) {
    json::array merged;
    for (const auto& id : c.merged) merged.emplace_back(id);
    o["merged"] = std::move(merged);
  }
  if (!c.master_reply.empty()) o["master_reply"] = c.master_reply;
  if (!c.satisfaction.empty()) o["satisfaction"] = c.satisfaction;
  if (!c.resolution.empty()) o["resolution"] = c.resolution;
  if (c.follow_up_due) o["follow_up"] = due_json(*c.follow_up_due, calendar, now_ms, offset);
  if (c.pending_return) {
    o["pending_return"] = {{"unit", c.pending_return->unit},
                           {"reason_code", c.pending_return->reason_code},
                           {"reason", c.pending_return->reason}};
  }
  if (c.pending_arbitration) {
    o["pending_arbitration"] = {{"unit", c.pending_arbitration->unit},
                                {"cause", c.pending_arbitration->cause},
                                {"reason_code", c.pending_arbitration->reason_code},
                                {"reason", c.pending_arbitration->reason}};
  }
  if (c.arbitrated) o["arbitrated"] = true;
  if (c.redispatches > 0) o["redispatches"] = c.redispatches;
  if (c.pending_extension) {
    o["pending_extension"] = {{"unit", c.pending_extension->unit},
                              {"working_days", c.pending_extension->working_days},
                              {"reason", c.pending_extension->reason}};
  }
  json::array assignments;
  for (const auto& a : c.assignments) {
    json::object j{{"unit", a.unit},
                   {"lead", a.lead},
                   {"state", routing::to_string(a.state)},
                   {"dispatched_at", local_stamp_ms(a.dispatched_ms).rfc3339},
                   {"extension_days", a.extension_days}};
    if (!a.handler.empty()) j["handler"] = a.handler;
    if (a.signed_ms) j["signed_at"] = local_stamp_ms(*a.signed_ms).rfc3339;
    if (a.replied_ms) j["replied_at"] = local_stamp_ms(*a.replied_ms).rfc3339;
    if (a.desk) j["desk"] = true;
    if (a.desk && a.state != routing::AssignmentState::withdrawn) {
      j["dispatch"] = due_json(a.reply_due, calendar, now_ms, offset);
    }
    if (a.state != routing::AssignmentState::withdrawn) {
      j["sign_for"] = due_json(a.sign_for_due, calendar, now_ms, offset);
      j["reply"] = due_json(a.reply_due, calendar, now_ms, offset);
      j["original_reply_due_at"] = local_stamp_ms(a.original_reply_due.ms).rfc3339;
    }
    assignments.push_back(std::move(j));
  }
  o["assignments"] = std::move(assignments);
  return o;
}

}  // namespace hotline::daemon
