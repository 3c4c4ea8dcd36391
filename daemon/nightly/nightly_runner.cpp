#include "daemon/nightly/nightly_runner.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "daemon/report/report_run.hpp"
#include "daemon/report/unit_directory.hpp"
#include "daemon/runtime/local_time.hpp"
#include "daemon/runtime/private_folders.hpp"
#include "daemon/runtime/scheduler_clock.hpp"

namespace hotline::daemon {

std::int64_t next_run_ms(std::int64_t now_ms, int minute_of_day, int utc_offset_minutes) {
  const auto today = routing::local_day(now_ms, utc_offset_minutes);
  const std::int64_t at = std::int64_t{minute_of_day} * 60'000;
  const auto candidate = routing::start_of_day(today, utc_offset_minutes) + at;
  return candidate > now_ms ? candidate : routing::start_of_day(today + 1, utc_offset_minutes) + at;
}

routing::Day report_day_for(std::int64_t run_ms, int utc_offset_minutes) {
  return routing::local_day(run_ms, utc_offset_minutes) - 1;
}

std::int64_t last_run_ms(std::int64_t now_ms, int minute_of_day, int utc_offset_minutes) {
  return next_run_ms(now_ms - 86'400'000, minute_of_day, utc_offset_minutes);
}

bool report_published(const std::string& dir, routing::Day as_of) {
  const std::string prefix = "hotline-report-" + routing::format_day(as_of);
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().filename().string().rfind(prefix, 0) == 0) return true;  // temporaries start with '.'
  }
  return false;
}

NightlyRunner::NightlyRunner(boost::asio::io_context& io, Settings settings, const RulesHolder& rules,
                             Announcer announce, SchedulerClock& clock)
    : timer_(io), settings_(std::move(settings)), rules_(rules), announce_(std::move(announce)), clock_(clock) {
  last_success_ms_ = newest_report_ms(settings_.dir);  // what earlier runs published, across restarts
}

std::int64_t newest_report_ms(const std::string& dir) {
  namespace fs = std::filesystem;
  std::int64_t newest = 0;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().filename().string().rfind("hotline-report-", 0) != 0) continue;  // temporaries start with '.'
    std::error_code time_ec;
    const auto written = fs::last_write_time(it->path(), time_ec);
    if (time_ec) continue;
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::file_clock::to_sys(written).time_since_epoch())
                        .count();
    newest = std::max<std::int64_t>(newest, ms);
  }
  return newest;
}

NightlyRunner::~NightlyRunner() {
  stop();
  if (worker_.joinable()) worker_.join();
}

void NightlyRunner::start() {
  std::lock_guard lock(mutex_);
  stopped_ = false;
  // The last run that was due: when the daemon was down (or crashed) at its time, it runs now, once.
  const auto now_ms = clock_.now_ms();
  const auto due = last_run_ms(now_ms, settings_.minute_of_day, utc_offset_minutes(now_ms));
  const auto missed = report_day_for(due, utc_offset_minutes(due));
  if (!report_published(settings_.dir, missed) && !worker_.joinable()) {
    spdlog::warn("nightly report for {} was due at {} and not published: running it now", routing::format_day(missed),
                 local_stamp_ms(due).rfc3339);
    worker_ = std::thread([this, missed] { (void)run_now(missed); });
  }
  arm();
}

void NightlyRunner::arm() {
  const auto now_ms = clock_.now_ms();
  const auto at = next_run_ms(now_ms, settings_.minute_of_day, utc_offset_minutes(now_ms));
  timer_.expires_at(std::chrono::system_clock::time_point(std::chrono::milliseconds(at)));
  spdlog::info("nightly report scheduled at {}", local_stamp_ms(at).rfc3339);
  timer_.async_wait([this, at](const boost::system::error_code& ec) {
    if (ec) return;  // cancelled by stop()
    std::lock_guard lock(mutex_);
    if (stopped_) return;
    if (worker_.joinable()) worker_.join();  // yesterday's run finished long ago; never two at once
    const auto day = report_day_for(at, utc_offset_minutes(at));
    worker_ = std::thread([this, day] { (void)run_now(day); });
    arm();
  });
}

RunOutcome NightlyRunner::run_now(routing::Day as_of) {
  std::lock_guard lock(run_mutex_);
  return run_locked(as_of);
}

std::optional<RunOutcome> NightlyRunner::try_run_now(routing::Day as_of) {
  std::unique_lock lock(run_mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return std::nullopt;
  return run_locked(as_of);
}

RunOutcome NightlyRunner::run_locked(routing::Day as_of) {
  const auto info = rules_.info();  // one snapshot of the directory and calendar for the whole run
  report::ReportOptions o;
  o.as_of = as_of;
  o.period_kind = "month";
  std::tie(o.from, o.to) = *report::period_days("month", as_of);
  o.utc_offset_minutes = utc_offset_minutes(routing::start_of_day(as_of, 480));
  o.calendar = info.calendar.get();
  o.units = report::unit_directory(*info.rules);
  o.database_label = std::filesystem::path(settings_.database).filename().string();
  if (const auto ec = create_private_folders(settings_.dir)) {  // 0750; run_report would leave it to the umask
    spdlog::error("nightly report for {} failed: cannot create {}: {}", routing::format_day(as_of), settings_.dir,
                  ec.message());
    return {{}, "cannot create " + settings_.dir + ": " + ec.message(), 0};
  }
  const auto result = report::run_report({settings_.database, settings_.dir, settings_.formats, o},
                                         [](const std::string& line) { spdlog::info("nightly report: {}", line); });
  if (!result.error.empty()) {
    spdlog::error("nightly report for {} failed: {}", routing::format_day(as_of), result.error);
    return {{}, result.error, 0};
  }
  std::string files;
  for (const auto& f : result.files) files += (files.empty() ? "" : ",") + f;
  spdlog::info("report_published as_of={} files={} {}", routing::format_day(as_of), result.files.size(), files);
  last_success_ms_.store(clock_.now_ms(), std::memory_order_relaxed);
  const std::size_t notified = announce_ ? announce_({as_of, settings_.dir, result.files}) : 0;
  return {result.files, {}, notified};
}

void NightlyRunner::reschedule(int minute_of_day) {
  std::lock_guard lock(mutex_);
  settings_.minute_of_day = minute_of_day;
  if (stopped_) return;
  timer_.cancel();  // the waiting handler sees operation_aborted and returns
  arm();
}

bool NightlyRunner::running() const {
  std::lock_guard lock(mutex_);
  return !stopped_;
}

void NightlyRunner::stop() {
  std::lock_guard lock(mutex_);
  stopped_ = true;
  timer_.cancel();
}

}  // namespace hotline::daemon
