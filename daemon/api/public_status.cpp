#include "daemon/api/public_status.hpp"

#include <map>
#include <string>

#include "daemon/report/report_model.hpp"
#include "daemon/runtime/local_time.hpp"

namespace hotline::daemon {
namespace json = boost::json;

namespace {

// The reply the citizen may read: the lead's latest reply before the latest approval (a rejected reply is
// followed by another one, and a redo reopens the case until the next approval), or the answer given at intake.
std::string approved_reply(const storage::StoredTicket& t) {
  std::map<std::string, std::string> replies;  // unit -> its latest reply
  std::string approved;
  for (const auto& e : t.events) {
    boost::system::error_code ec;
    const auto payload = json::parse(e.payload, ec);
    const auto field = [&](const char* key) {
      const auto* v = !ec && payload.is_object() ? payload.as_object().if_contains(key) : nullptr;
      return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
    };
    const std::string unit = e.unit_id.value_or("");
    if (e.kind == "replied") {
      replies[unit] = field("text");
    } else if (e.kind == "reply_approved") {
      approved = replies[unit];  // the lead's reply: the approval names the lead
    } else if (e.kind == "redo") {
      approved.clear();
    } else if (e.kind == "answered_directly") {
      approved = field("answer");
    }
  }
  return approved;
}

}  // namespace

json::object public_status_json(const storage::StoredTicket& t, const routing::Case& c, const routing::RuleSet& rules) {
  json::object o;
  o["id"] = t.id;
  o["state"] = routing::to_string(c.state);
  o["state_name"] = report::state_name(c.state);
  const auto* lead = c.lead();
  if (lead != nullptr) {
    const auto* unit = rules.find_unit(lead->unit);
    o["unit"] = unit != nullptr ? unit->name : (lead->unit == t.unit_id ? t.unit_name : lead->unit);
  } else {
    o["unit"] = nullptr;
  }
  o["received_at"] = t.received_at;
  o["reply_due_at"] =
      lead != nullptr && !c.closed_ms ? json::value(local_stamp_ms(lead->reply_due.ms).rfc3339) : json::value(nullptr);
  o["closed_at"] = c.closed_ms ? json::value(local_stamp_ms(*c.closed_ms).rfc3339) : json::value(nullptr);
  const auto reply = approved_reply(t);
  o["reply"] = reply.empty() ? json::value(nullptr) : json::value(reply);
  return o;
}

}  // namespace hotline::daemon
