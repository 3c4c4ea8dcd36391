// After a newer holiday calendar is loaded: every ticket with a provisional deadline is replayed and its clocks
// are worked out again (routing/deadline_recompute.hpp); each change is stored as a `deadline_recomputed` event
// with the new projection, through the writer. Call it from a thread that may block (not an I/O thread).
#pragma once

#include <cstdint>
#include <string>

#include "daemon/escalation/escalation_hooks.hpp"
#include "daemon/config/rules_holder.hpp"
#include "daemon/writer/ticket_writer.hpp"

namespace hotline::daemon {

struct RecomputeSummary {
  std::int64_t tickets_checked = 0;  // tickets that had a provisional deadline
  std::int64_t tickets_changed = 0;  // tickets that got at least one deadline_recomputed event
  std::int64_t changes = 0;          // deadline_recomputed events written
  std::string error;                 // empty on success; else why it stopped (what was written stays written)
};

// Works through the tickets with provisional deadlines `batch` at a time, one writer job per batch, with the
// calendar, policy and units of `live` and `now_ms` as the events' time. `hooks` (may be null) plan the
// escalation stages of the deadlines that move.
RecomputeSummary recompute_provisional_deadlines(TicketWriter& writer, const RulesInfo& live, std::int64_t now_ms,
                                                 int batch = 256, const EscalationHooks* hooks = nullptr);

// The same after a reload, when the calendar's version differs from `previous_calendar_version` (all zero when it
// does not); logs the summary.
RecomputeSummary recompute_after_reload(TicketWriter& writer, const std::string& previous_calendar_version,
                                        const RulesInfo& live, std::int64_t now_ms,
                                        const EscalationHooks* hooks = nullptr);

}  // namespace hotline::daemon
