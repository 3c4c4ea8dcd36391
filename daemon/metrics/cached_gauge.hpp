// CachedGauge: a gauge whose reading is costly (a count over an index of a million rows) read at most once per
// `ttl`; between readings, and when a reading fails, it answers the last good value. Thread-safe; the reading runs
// under the lock, so concurrent scrapes wait for one reading instead of each making their own.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>

namespace hotline::daemon {

class CachedGauge {
 public:
  using Clock = std::chrono::steady_clock;
  CachedGauge(std::function<std::optional<double>()> read, Clock::duration ttl) : read_(std::move(read)), ttl_(ttl) {}

  double operator()(Clock::time_point now = Clock::now()) {
    std::lock_guard lock(mutex_);
    if (!read_at_ || now - *read_at_ >= ttl_) {
      if (const auto v = read_()) value_ = *v;
      read_at_ = now;  // a failed reading is not retried before the ttl either: the database is not hammered
    }
    return value_;
  }

 private:
  std::function<std::optional<double>()> read_;
  Clock::duration ttl_;
  std::mutex mutex_;
  std::optional<Clock::time_point> read_at_;
  double value_ = 0;
};

}  // namespace hotline::daemon
