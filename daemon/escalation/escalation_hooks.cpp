#include "daemon/escalation/escalation_hooks.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "daemon/runtime/local_time.hpp"
#include "routing/escalation_stages.hpp"
#include "routing/policy_clocks.hpp"
#include "storage/escalation_store.hpp"

namespace hotline::daemon {

void EscalationHooks::plan(storage::Projection& p, const routing::Case& c, const RulesInfo& live,
                           std::int64_t now_ms) const {
  const int offset = utc_offset_minutes(now_ms);
  const routing::PolicyClocks clocks(*live.calendar, *live.policy, *live.rules, offset);
  std::optional<std::int64_t> earliest;
  for (auto& d : p.deadlines) {
    // The follow-up clock belongs to the hotline; it runs under the lead unit's policy.
    const auto* lead = c.lead();
    const std::string& unit = !d.unit_id.empty() ? d.unit_id : lead ? lead->unit : d.unit_id;
    const auto policy = clocks.policy_for(c, unit);
    d.stage_ms = {};
    for (const auto& s : routing::plan_stages(*live.calendar, policy, now_ms, d.due_ms, offset)) {
      d.stage_ms[static_cast<std::size_t>(s.stage)] = s.due_ms;
      if (!earliest || s.due_ms < *earliest) earliest = s.due_ms;
    }
  }
  if (earliest && offer_stage_) offer_stage_(*earliest);
}

storage::Result<void> EscalationHooks::after_events(storage::TicketStore& store, const std::string& ticket_id,
                                                    const std::vector<routing::Event>& events, const routing::Case& c,
                                                    const RulesInfo& live, std::int64_t now_ms) const {
  if (outbox_.empty() || events.empty()) return {};
  storage::EscalationStore& esc = store.escalations();
  // Events were inserted one after another on this connection: their seqs are consecutive, ending here.
  const std::int64_t last_seq = esc.last_insert_rowid();
  std::optional<std::int64_t> earliest;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const auto& e = events[i];
    if (e.kind != "dispatched" && e.kind != "arbitrated") continue;
    // A dispatch is told to its unit; an arbitration to every unit it concerns (the lead it decided against or
    // upheld, the unit that disputed, the new lead), each once.
    std::vector<std::string> units{e.unit};
    if (e.kind == "arbitrated") {
      for (const auto& u : {e.field("disputed_by"), e.field("new_lead")}) {
        if (!u.empty() && std::find(units.begin(), units.end(), u) == units.end()) units.push_back(u);
      }
    }
    const std::int64_t seq = last_seq - static_cast<std::int64_t>(events.size() - 1 - i);
    for (const auto& unit : units) {
      boost::json::object body{{"kind", e.kind},
                               {"ticket_id", ticket_id},
                               {"unit", unit},
                               {"at", local_stamp_ms(e.at_ms).rfc3339},
                               {"event_seq", seq}};
      for (const auto& [k, v] : e.data) body[k] = v;
      const bool urgent = c.urgency != routing::Urgency::normal;
      auto n = outbox_.make(ticket_id, unit, e.kind, urgent, seq, boost::json::serialize(body), now_ms, *live.rules);
      if (!n.target) continue;  // no webhook serves this unit: the event log and the feed carry it
      if (auto r = esc.insert_notification(n); !r) return r.error();
      if (!earliest || n.next_attempt_ms < *earliest) earliest = n.next_attempt_ms;
    }
  }
  if (earliest) offer_delivery(*earliest);
  return {};
}

storage::Result<void> EscalationHooks::citizen_messages(storage::TicketStore& store, const std::string& ticket_id,
                                                        const std::vector<routing::Event>& events,
                                                        const CitizenContact& to, const RulesInfo& live,
                                                        std::int64_t now_ms) const {
  if (!texts_citizens() || to.phone.empty()) return {};
  auto rows = sms_->make(ticket_id, events, to, live.rules->citizen_messages(), now_ms);
  if (rows.empty()) return {};
  if (!to.key.empty()) {
    auto out = store.sms_opted_out(to.key);
    if (!out) return out.error();
    if (*out) return {};
  }
  const auto stamp = local_stamp_ms(now_ms);
  std::vector<storage::CallerAccess> reads;
  std::optional<std::int64_t> earliest;
  for (const auto& n : rows) {
    if (auto r = store.escalations().insert_notification(n); !r) return r.error();
    reads.push_back(
        {0, stamp.rfc3339, now_ms, ticket_id, std::nullopt, "system", std::nullopt, "SMS " + n.kind.substr(4)});
    if (!earliest || n.next_attempt_ms < *earliest) earliest = n.next_attempt_ms;
  }
  if (auto r = store.append_caller_access(reads); !r) return r;
  if (earliest) offer_delivery(*earliest);
  return {};
}

}  // namespace hotline::daemon
