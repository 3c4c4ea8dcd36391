// Counters of the escalation scheduler and the webhook sender, for /metrics and logs. Plain atomics: written by
// the scheduler and sender, read from any thread at any time (relaxed; each counter is exact on its own).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

namespace hotline::daemon {

struct EscalationStats {
  // Stages fired since start, by routing::Stage (yellow, red, urge, supervise).
  std::array<std::atomic<std::uint64_t>, 4> stages_fired{};
  std::atomic<std::uint64_t> catch_up_stages{0};  // of those, fired by the start-up catch-up
  // Notification outbox: pending rows now (read at start, then kept), and deliveries since start.
  std::atomic<std::int64_t> outbox_pending{0};
  std::atomic<std::uint64_t> outbox_delivered{0};
  std::atomic<std::uint64_t> outbox_failed{0};  // failed attempts (each retry counts)
  std::atomic<std::uint64_t> outbox_dead{0};    // dead-lettered after max_attempts
  // How late stages fired by the timer were (firing instant minus stage instant), in ms; catch-up not included.
  std::atomic<std::int64_t> timer_lag_last_ms{0};
  std::atomic<std::int64_t> timer_lag_max_ms{0};

  void record_lag(std::int64_t lag_ms) {
    timer_lag_last_ms.store(lag_ms, std::memory_order_relaxed);
    auto seen = timer_lag_max_ms.load(std::memory_order_relaxed);
    while (lag_ms > seen && !timer_lag_max_ms.compare_exchange_weak(seen, lag_ms, std::memory_order_relaxed)) {
    }
  }
};

}  // namespace hotline::daemon
