#include "daemon/notify/outbox.hpp"

#include "daemon/runtime/local_time.hpp"

namespace hotline::daemon {

const WebhookConfig* Outbox::webhook_for(const std::string& unit, const routing::RuleSet& rules) const {
  const routing::Unit* u = nullptr;
  bool looked_up = false;
  for (const auto& w : webhooks_) {
    if (!w.unit.empty()) {
      if (w.unit == unit) return &w;
      continue;
    }
    if (!looked_up) {
      u = unit.empty() ? nullptr : rules.find_unit(unit);
      looked_up = true;
    }
    if (u == nullptr) continue;
    if (!w.kind.empty() && w.kind != u->kind) continue;
    if (!w.level.empty() && (!u->level || routing::parse_level(w.level) != u->level)) continue;
    return &w;
  }
  return nullptr;
}

std::optional<std::int64_t> Outbox::quiet_until(int from_min, int to_min, std::int64_t now_ms, int utc_offset_min) {
  if (from_min < 0 || to_min < 0) return std::nullopt;
  constexpr std::int64_t k_day_min = 24 * 60;
  const std::int64_t minute = now_ms / 60'000;
  const int of_day = static_cast<int>(((minute + utc_offset_min) % k_day_min + k_day_min) % k_day_min);
  const bool inside = from_min < to_min ? (of_day >= from_min && of_day < to_min)
                                        : (of_day >= from_min || of_day < to_min);  // wraps midnight
  if (!inside) return std::nullopt;
  const int left = static_cast<int>(((to_min - of_day) % k_day_min + k_day_min) % k_day_min);
  return minute * 60'000 + static_cast<std::int64_t>(left) * 60'000;
}

storage::NewNotification Outbox::make(const std::string& ticket_id, const std::string& unit, const std::string& kind,
                                      bool urgent, std::optional<std::int64_t> event_seq, std::string payload,
                                      std::int64_t now_ms, const routing::RuleSet& rules) const {
  storage::NewNotification n;
  n.event_seq = event_seq;
  n.ticket_id = ticket_id;
  n.unit_id = unit;
  n.kind = kind;
  n.urgent = urgent;
  n.created_ms = now_ms;
  n.payload = std::move(payload);
  n.next_attempt_ms = now_ms;
  if (const auto* w = webhook_for(unit, rules)) {
    n.target = w->url;
    if (!urgent) {
      if (const auto until = quiet_until(w->quiet_from_min, w->quiet_to_min, now_ms, utc_offset_minutes(now_ms))) {
        n.next_attempt_ms = *until;
        n.digest = true;
      }
    }
  }
  return n;
}

}  // namespace hotline::daemon
