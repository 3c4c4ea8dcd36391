// EscalationScheduler: fires every escalation stage exactly once, on time. One Asio timer, armed at the earliest
// armed stage (deadlines.next_ms, a partial index: never a scan of all tickets). Firing is one writer job per
// bounded batch that, stage by stage in due order, appends the stage event (kind stage_<stage>, unit = the clock's
// unit), records the stage and arms the next one on the deadline row, and writes the notification row — all in
// the job's transaction, so a crash neither loses nor repeats a stage. Thread-safe: offer() from any thread;
// the rest runs on the scheduler's strand.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "daemon/config/rules_holder.hpp"
#include "daemon/escalation/escalation_hooks.hpp"
#include "daemon/metrics/escalation_stats.hpp"
#include "daemon/runtime/earliest_instant.hpp"
#include "daemon/runtime/scheduler_clock.hpp"
#include "daemon/writer/ticket_writer.hpp"

namespace hotline::daemon {

class EscalationScheduler {
 public:
  EscalationScheduler(boost::asio::io_context& ioc, TicketWriter& writer, SchedulerClock& clock,
                      const RulesHolder& rules, const Outbox& outbox, EscalationStats& stats, std::size_t batch);

  // Start-up: fires every stage already due, in due order, with blocking writer jobs (call before the I/O
  // threads run). Returns how many fired. Errors: a writer job failed (the stages of that job stay armed).
  storage::Result<std::uint64_t> catch_up();
  // Arms the timer at the earliest armed stage (and keeps it armed until stop()).
  void start();
  // Cancels the timer; a firing job already queued still commits.
  void stop();
  // A stage is armed at `ms` (called by writer jobs that wrote deadlines): the timer fires no later than that.
  void offer(std::int64_t ms);
  // After a rules reload (calendar or time limits), and once at start-up (time limits changed while the daemon was
  // down; clocks armed by the schema 8 upgrade with their red card only): re-plans every armed clock's stages under
  // the live set, in writer jobs of 2,000 clocks; fired stages stay fired. Runs in the background on the
  // scheduler's strand; `why` goes into the summary logged at the end.
  void replan_all(std::string why = "after a rules reload");
  // Where the sender is told about new notifications.
  void on_notifications(std::function<void(std::int64_t)> offer_delivery) {
    offer_delivery_ = std::move(offer_delivery);
  }

 private:
  struct Fired;
  WriteJob fire_job(std::shared_ptr<Fired> out);
  void record(const Fired& fired, bool catching_up);  // counters and the sender's wake-up, after the commit
  boost::asio::awaitable<void> run();
  boost::asio::awaitable<void> replan(std::string why);

  TicketWriter& writer_;
  SchedulerClock& clock_;
  const RulesHolder& rules_;
  const Outbox& outbox_;
  EscalationStats& stats_;
  const std::size_t batch_;
  std::function<void(std::int64_t)> offer_delivery_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::steady_timer timer_;
  EarliestInstant wanted_;  // the earliest instant known to hold an armed stage
  std::atomic<bool> stopped_{false};
};

}  // namespace hotline::daemon
