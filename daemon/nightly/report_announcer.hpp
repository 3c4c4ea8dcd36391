// ReportAnnouncer: tells the recipients of the nightly report that its files are published. One notification per
// recipient unit (config report.notify; by default the rules' fallback unit, the hotline's own dispatch desk) is
// written to the outbox through the writer, kind `report_published`, not urgent (quiet hours hold it for the
// morning digest), and then delivered by the webhook sender like every other notification: at least once,
// across restarts. A recipient without a webhook still gets its row (delivery 'none'), so the outbox records
// every announcement. Called on the report's worker thread (never an I/O thread or the writer's).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "daemon/config/rules_holder.hpp"
#include "daemon/nightly/nightly_runner.hpp"
#include "daemon/notify/outbox.hpp"
#include "daemon/runtime/scheduler_clock.hpp"
#include "daemon/writer/ticket_writer.hpp"

namespace hotline::daemon {

// The JSON body announcing `p` to `unit` at `now_ms`: kind, as_of, unit, at, dir and files.
std::string report_payload(const Publication& p, const std::string& unit, std::int64_t now_ms);

class ReportAnnouncer {
 public:
  // `recipients`: unit ids; empty = the live rules' fallback unit. `offer_delivery` wakes the webhook sender.
  ReportAnnouncer(TicketWriter& writer, const Outbox& outbox, const RulesHolder& rules,
                  std::vector<std::string> recipients, std::function<void(std::int64_t)> offer_delivery,
                  SchedulerClock& clock = wall_clock());

  // Writes the rows in one writer job and wakes the sender; returns how many were written (0 and an error
  // logged when the job failed).
  std::size_t operator()(const Publication& p) const;

 private:
  TicketWriter& writer_;
  const Outbox& outbox_;
  const RulesHolder& rules_;
  std::vector<std::string> recipients_;
  std::function<void(std::int64_t)> offer_delivery_;
  SchedulerClock& clock_;
};

}  // namespace hotline::daemon
