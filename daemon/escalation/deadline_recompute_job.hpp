// Bringing provisional deadlines to the live holiday calendar: every ticket with a provisional deadline is
// replayed and its clocks are worked out again (routing/deadline_recompute.hpp); each change is stored as a
// `deadline_recomputed` event with the new projection, through the writer. A durable job: each batch commits its
// changes together with the job's progress (table background_jobs: the calendar version it works toward and the
// last ticket done), so a crash loses nothing and the next start resumes at that ticket; a calendar that changed
// while the daemon was stopped is noticed at start-up because the version done is stored. Call it from a thread
// that may block (never an I/O thread).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "daemon/config/rules_holder.hpp"
#include "daemon/escalation/escalation_hooks.hpp"
#include "daemon/writer/ticket_writer.hpp"

namespace hotline::daemon {

struct RecomputeSummary {
  bool ran = false;                  // false: the database was already on this calendar
  bool resumed = false;              // a run for this calendar had been interrupted; it went on from there
  std::int64_t tickets_checked = 0;  // tickets that had a provisional deadline
  std::int64_t tickets_changed = 0;  // tickets that got at least one deadline_recomputed event
  std::int64_t changes = 0;          // deadline_recomputed events written
  std::string error;                 // empty on success; else why it stopped (what was written stays written)
};

// The name of the job in background_jobs.
inline constexpr const char* k_recompute_job = "deadline_recompute";

// Brings the database to live's calendar unless it is there already: resumes an interrupted run for the same
// calendar, starts over for another one. Stops between batches when `stop` becomes true (the progress is kept).
// Logs what it did. After a reload, at start-up, and again after a crash: the same call.
RecomputeSummary bring_deadlines_to_calendar(TicketWriter& writer, const RulesInfo& live, std::int64_t now_ms,
                                             const EscalationHooks* hooks = nullptr,
                                             const std::atomic<bool>* stop = nullptr, int batch = 256);

}  // namespace hotline::daemon
