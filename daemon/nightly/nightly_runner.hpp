// The daemon's nightly report: a timer on the I/O context fires at the configured local time; the report for the
// previous local day then runs on its own worker thread (never an I/O thread, never the writer thread) with its
// own read-only connection. start()/stop() may be called from any thread; stop() never blocks (it may run on an
// I/O thread); the destructor waits for a report still running.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/system_timer.hpp>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "daemon/config/rules_holder.hpp"
#include "daemon/report/report_model.hpp"
#include "daemon/runtime/scheduler_clock.hpp"

namespace hotline::daemon {

// The first instant strictly after `now_ms` at local time `minute_of_day` (fixed UTC offset). Pure.
std::int64_t next_run_ms(std::int64_t now_ms, int minute_of_day, int utc_offset_minutes);

// The report day of a run at `run_ms`: the local day before it. Pure.
routing::Day report_day_for(std::int64_t run_ms, int utc_offset_minutes);

// The last instant at or before `now_ms` at local time `minute_of_day`: the run that was due most recently. Pure.
std::int64_t last_run_ms(std::int64_t now_ms, int minute_of_day, int utc_offset_minutes);

// When the newest finished report file in `dir` was written, in ms since the epoch; 0 when there is none.
std::int64_t newest_report_ms(const std::string& dir);

// Whether `dir` holds a finished report for `as_of` (any format; temporaries do not count).
bool report_published(const std::string& dir, routing::Day as_of);

// What a finished run published.
struct Publication {
  routing::Day as_of = 0;
  std::string dir;
  std::vector<std::string> files;
};

// Tells people about a published report; returns how many notifications it wrote. The daemon's writes one
// outbox row per recipient (see report_announcer.hpp); without one, the runner only logs.
using Announcer = std::function<std::size_t(const Publication&)>;

// What one run did: the files written (empty on failure, with the reason in `error`) and the notifications
// written about them.
struct RunOutcome {
  std::vector<std::string> files;
  std::string error;
  std::size_t notified = 0;
};

class NightlyRunner {
 public:
  struct Settings {
    std::string database;
    std::string dir;
    std::vector<std::string> formats;
    int minute_of_day = 120;
  };
  NightlyRunner(boost::asio::io_context& io, Settings settings, const RulesHolder& rules, Announcer announce = {},
                SchedulerClock& clock = wall_clock());
  ~NightlyRunner();
  NightlyRunner(const NightlyRunner&) = delete;
  NightlyRunner& operator=(const NightlyRunner&) = delete;

  // Arms the timer for the next run. When the run that was due last has no report in the folder (the daemon was
  // down or crashed at its time), runs it now on the worker, once, and announces it like any other.
  void start();
  void stop();  // cancels the timer; a report already running finishes (the destructor joins it)
  // Runs the report for `as_of` on the calling thread, logs `report_published` and announces it (the timer runs
  // this on the worker). Never two runs at once: a second caller waits for the first.
  RunOutcome run_now(routing::Day as_of);
  // As run_now, but nullopt at once when a run is in progress (an operator's manual run must not queue up).
  std::optional<RunOutcome> try_run_now(routing::Day as_of);
  // Moves the nightly run to local time `minute_of_day` from the next one on (report.time changed on SIGHUP); the
  // timer is re-armed only when it runs (start() was called and stop() was not).
  void reschedule(int minute_of_day);
  bool running() const;  // started and not stopped
  // When a report run (nightly, missed or manual) last succeeded, in ms since the epoch: at first when the newest
  // report file in the folder was written (0 when there is none), then the end of each successful run.
  std::int64_t last_success_ms() const { return last_success_ms_.load(std::memory_order_relaxed); }

 private:
  void arm();
  RunOutcome run_locked(routing::Day as_of);

  boost::asio::system_timer timer_;
  Settings settings_;
  const RulesHolder& rules_;
  Announcer announce_;
  SchedulerClock& clock_;
  std::mutex run_mutex_;  // one report at a time
  mutable std::mutex mutex_;
  std::thread worker_;
  bool stopped_ = true;  // until start()
  std::atomic<std::int64_t> last_success_ms_{0};
};

}  // namespace hotline::daemon
