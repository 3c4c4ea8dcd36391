// The notification outbox's rules: which webhook serves a unit (first match of notifications.webhooks by unit id,
// or by unit kind and/or level), quiet hours, and the notification row for an event. Immutable after
// construction; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "daemon/config/config.hpp"
#include "routing/rule_set.hpp"
#include "storage/escalation_store.hpp"

namespace hotline::daemon {

class Outbox {
 public:
  explicit Outbox(std::vector<WebhookConfig> webhooks) : webhooks_(std::move(webhooks)) {}

  bool empty() const { return webhooks_.empty(); }
  // The first webhook whose unit, or kind and level, match `unit`; null when none does (or the unit is unknown
  // and no webhook names it by id).
  const WebhookConfig* webhook_for(const std::string& unit, const routing::RuleSet& rules) const;

  // The notification row for an event about `unit` (event_seq: the event announced; nullopt for one that is not
  // in the event log, such as a published report): delivery 'pending' to its webhook, due now, or (not urgent,
  // inside the webhook's quiet hours, in the deployment's local time) held to the end of the quiet hours as part
  // of a digest; without a webhook, 'none'.
  storage::NewNotification make(const std::string& ticket_id, const std::string& unit, const std::string& kind,
                                bool urgent, std::optional<std::int64_t> event_seq, std::string payload,
                                std::int64_t now_ms, const routing::RuleSet& rules) const;

  // The end of the quiet hours [from, to) (local minutes of the day) holding `now_ms`; nullopt outside them.
  static std::optional<std::int64_t> quiet_until(int from_min, int to_min, std::int64_t now_ms, int utc_offset_min);

 private:
  std::vector<WebhookConfig> webhooks_;
};

}  // namespace hotline::daemon
