// The time source of the escalation scheduler and the webhook sender, injected so unit tests can run days of
// deadlines in milliseconds. Implementations must be thread-safe.
#pragma once

#include <chrono>
#include <cstdint>

namespace hotline::daemon {

class SchedulerClock {
 public:
  virtual ~SchedulerClock() = default;
  // Unix milliseconds now.
  virtual std::int64_t now_ms() = 0;
  // How long to wait in real time before looking again for an instant `target_ms` on this clock.
  virtual std::chrono::milliseconds wait_for(std::int64_t target_ms) = 0;
};

// The system clock. Waits are capped at a minute, so a wall-clock step (NTP) is noticed within that.
class SystemSchedulerClock final : public SchedulerClock {
 public:
  std::int64_t now_ms() override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  std::chrono::milliseconds wait_for(std::int64_t target_ms) override {
    const auto left = target_ms - now_ms();
    return std::chrono::milliseconds(left < 0 ? 0 : left > 60'000 ? 60'000 : left);
  }
};

// The process's one system clock, for code that is not handed one (the tools, the start-up path). Nothing outside
// runtime/ reads std::chrono::system_clock itself: the daemon hands its clock to the handlers and timer loops,
// and tests hand them a fake one.
SchedulerClock& wall_clock();

}  // namespace hotline::daemon
