#include "daemon/notify/citizen_sms.hpp"

#include <boost/json.hpp>

#include "daemon/notify/outbox.hpp"
#include "daemon/runtime/local_time.hpp"

namespace hotline::daemon {

std::vector<storage::NewNotification> CitizenSms::make(const std::string& ticket_id,
                                                       const std::vector<routing::Event>& events,
                                                       const CitizenContact& to,
                                                       const routing::CitizenTemplates& templates,
                                                       std::int64_t now_ms) const {
  std::vector<storage::NewNotification> out;
  if (!enabled() || to.phone.empty()) return out;
  const routing::MessageFields fields{ticket_id, to.lookup_code, to.unit, to.reply};
  const auto held =
      Outbox::quiet_until(config_.quiet_from_min, config_.quiet_to_min, now_ms, utc_offset_minutes(now_ms));
  for (const auto m : routing::messages_for(events)) {
    auto text = templates.render(m, fields);
    if (!text) continue;
    const std::string message(routing::to_string(m));
    storage::NewNotification n;
    n.ticket_id = ticket_id;
    n.kind = "sms." + message;
    n.created_ms = now_ms;
    n.payload = boost::json::serialize(boost::json::object{
        {"kind", "sms"}, {"message", message}, {"ticket_id", ticket_id}, {"to", to.phone}, {"text", *text}});
    n.target = config_.url;
    n.next_attempt_ms = held.value_or(now_ms);  // each message on its own, never in a digest
    out.push_back(std::move(n));
  }
  return out;
}

}  // namespace hotline::daemon
