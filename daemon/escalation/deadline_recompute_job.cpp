#include "daemon/escalation/deadline_recompute_job.hpp"

#include <spdlog/spdlog.h>

#include <vector>

#include "daemon/wire/case_codec.hpp"
#include "daemon/runtime/local_time.hpp"
#include "routing/deadline_recompute.hpp"
#include "routing/policy_clocks.hpp"

namespace hotline::daemon {

RecomputeSummary recompute_provisional_deadlines(TicketWriter& writer, const RulesInfo& live, std::int64_t now_ms,
                                                 int batch, const EscalationHooks* hooks) {
  RecomputeSummary summary;
  const routing::PolicyClocks clocks(*live.calendar, *live.policy, *live.rules, utc_offset_minutes(now_ms));
  std::string cursor;
  bool more = true;
  while (more) {
    // One batch per job: the ticket's events are read and the change written in the writer's transaction, so no
    // action on the same ticket can slip in between.
    RecomputeSummary step;
    std::string next_cursor = cursor;
    const auto job = [&](storage::TicketStore& store) -> WriteResult {
      step = {};
      next_cursor = cursor;
      auto ids = store.provisional_ticket_ids(cursor, batch);
      if (!ids) return ids.error();
      more = static_cast<int>(ids->size()) == batch;
      for (const auto& id : *ids) {
        next_cursor = id;
        auto found = store.find_ticket(id);
        if (!found) return found.error();
        if (!*found) continue;
        ++step.tickets_checked;
        std::vector<routing::Event> history;
        for (const auto& e : (*found)->events) history.push_back(from_stored(e));
        const auto facts = facts_of(**found);
        const auto events =
            routing::recompute_provisional(facts, history, clocks, now_ms, live.calendar->version());
        if (events.empty()) continue;
        std::vector<storage::NewEvent> stored;
        for (const auto& e : events) {
          stored.push_back(to_stored(e));
          history.push_back(e);
        }
        if (auto r = store.append_events(id, stored); !r) return r.error();
        const auto c = routing::replay(facts, history);
        auto projection = project(c, now_ms);
        if (hooks != nullptr) hooks->plan(projection, c, live, now_ms);  // moved deadlines escalate anew
        if (auto r = store.write_projection(id, projection); !r) return r.error();
        ++step.tickets_changed;
        step.changes += static_cast<std::int64_t>(events.size());
      }
      return {};
    };
    if (auto r = writer.run_blocking(job); !r) {
      summary.error = r.error().message;
      return summary;
    }
    summary.tickets_checked += step.tickets_checked;
    summary.tickets_changed += step.tickets_changed;
    summary.changes += step.changes;
    cursor = next_cursor;
  }
  return summary;
}

RecomputeSummary recompute_after_reload(TicketWriter& writer, const std::string& previous_calendar_version,
                                        const RulesInfo& live, std::int64_t now_ms, const EscalationHooks* hooks) {
  if (live.calendar->version() == previous_calendar_version) return {};
  auto summary = recompute_provisional_deadlines(writer, live, now_ms, 256, hooks);
  if (!summary.error.empty()) {
    spdlog::error("calendar {}: recomputing provisional deadlines stopped: {}", live.calendar->version(),
                  summary.error);
  } else {
    spdlog::info("calendar {}: {} ticket(s) with provisional deadlines, {} changed ({} deadline change(s))",
                 live.calendar->version(), summary.tickets_checked, summary.tickets_changed, summary.changes);
  }
  return summary;
}

}  // namespace hotline::daemon
