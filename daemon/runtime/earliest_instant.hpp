// EarliestInstant: the earliest instant (Unix ms) at which a timer loop has work, offered from any thread. The
// escalation scheduler (stages falling due) and the webhook sender (deliveries to try) each run one loop on a
// strand that sleeps until this instant; offer() tells the caller when an earlier instant came in, so it can wake
// the loop to re-arm its timer. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>

namespace hotline::daemon {

class EarliestInstant {
 public:
  // Records `ms` if it is earlier than the instant held (or none is). Returns whether it was: the loop's timer is
  // then set too late and must be woken.
  bool offer(std::int64_t ms) {
    std::lock_guard lock(mutex_);
    if (ms_ && *ms_ <= ms) return false;
    ms_ = ms;
    return true;
  }

  // When the instant held has come (<= now), forgets it and returns true: the loop looks for the work itself,
  // and what is offered from then on adds to what it finds.
  bool take_due(std::int64_t now) {
    std::lock_guard lock(mutex_);
    if (!ms_ || *ms_ > now) return false;
    ms_.reset();
    return true;
  }

  // The instant held, for arming the timer.
  std::optional<std::int64_t> peek() const {
    std::lock_guard lock(mutex_);
    return ms_;
  }

  // Replaces the instant held (after a look at all the work, which knows the next instant exactly).
  void reset(std::optional<std::int64_t> ms) {
    std::lock_guard lock(mutex_);
    ms_ = ms;
  }

 private:
  mutable std::mutex mutex_;
  std::optional<std::int64_t> ms_;
};

}  // namespace hotline::daemon
