// Messages to citizens (SMS) as outbox rows: the rules' templates (routing::CitizenTemplates) rendered for the
// events a case just took, addressed to the SMS gateway's webhook (notifications.sms) and held to the end of its
// quiet hours. The WebhookSender delivers them like every other notification: at least once, with an
// Idempotency-Key the gateway drops repeats by. Immutable; safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "daemon/config/config.hpp"
#include "routing/citizen_messages.hpp"
#include "storage/escalation_store.hpp"

namespace hotline::daemon {

// Whom a message goes to, and what only the caller of the hook knows.
struct CitizenContact {
  std::string phone;        // normalised digits (daemon/access normalize_phone); "" = no message
  std::string key;          // the caller key, for the opt-out look-up; "" when there is none
  std::string lookup_code;  // the 查询码, known only at intake
  std::string unit;         // the handling unit's name (the master's for a merged ticket)
  std::string reply;        // the approved reply, when the events approve one
};

class CitizenSms {
 public:
  explicit CitizenSms(SmsGatewayConfig config) : config_(std::move(config)) {}

  bool enabled() const { return !config_.url.empty(); }

  // The rows for the messages `events` send (routing::messages_for), rendered with `templates`: kind
  // "sms.<message>", unit "" (a citizen), payload {"kind":"sms","message":…,"ticket_id":…,"to":…,"text":…}.
  // A message without a template is left out.
  std::vector<storage::NewNotification> make(const std::string& ticket_id, const std::vector<routing::Event>& events,
                                             const CitizenContact& to, const routing::CitizenTemplates& templates,
                                             std::int64_t now_ms) const;

 private:
  SmsGatewayConfig config_;
};

}  // namespace hotline::daemon
