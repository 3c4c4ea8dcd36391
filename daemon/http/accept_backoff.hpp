// How the accept loop waits after a failed accept, and when it says so. Out of descriptors or memory (EMFILE,
// ENFILE, ENOBUFS, ENOMEM) the pending connection stays queued and a retry at once would fail again: accepting
// pauses, 10 ms after the first failure, doubling to 1 s, until an accept succeeds. Any other failure
// (ECONNABORTED: the client left the queue) concerns one connection and is retried at once, unless it repeats 16
// times in a row, which pauses too. One warning when a pause begins and one line when accepting resumes; a pause
// that begins within a minute of the last warning is only counted, in the next warning. Pure; one loop's state.
#pragma once

#include <boost/system/error_code.hpp>
#include <chrono>
#include <cstdint>
#include <optional>

namespace hotline::daemon {

class AcceptBackoff {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::milliseconds k_first_wait{10};
  static constexpr std::chrono::milliseconds k_longest_wait{1000};
  static constexpr int k_transient_run = 16;          // failures in a row retried at once before pausing
  static constexpr std::chrono::seconds k_quiet{60};  // between two warnings

  // True for the failures that leave the connection queued: out of descriptors, buffers or memory.
  static bool out_of_resources(const boost::system::error_code& ec);

  struct Step {
    std::chrono::milliseconds wait{0};  // before the next accept; zero: at once
    bool warn = false;                  // a pause begins: log it (with quiet_pauses)
    std::uint64_t quiet_pauses = 0;     // pauses begun since the last warning and not logged
  };
  // A failed accept at `now`.
  Step failed(const boost::system::error_code& ec, Clock::time_point now);

  struct Pause {
    std::uint64_t failures = 0;  // failed accepts during it
    std::chrono::milliseconds lasted{0};
  };
  // A successful accept at `now`: the pause it ends, when that pause was logged; nullopt otherwise.
  std::optional<Pause> succeeded(Clock::time_point now);

  bool paused() const { return paused_; }

 private:
  bool paused_ = false;
  bool warned_ = false;  // the current pause was logged
  std::chrono::milliseconds wait_{0};
  std::uint64_t failures_ = 0;  // in the current pause
  int transient_in_row_ = 0;
  Clock::time_point since_{};
  std::optional<Clock::time_point> last_warning_;
  std::uint64_t quiet_pauses_ = 0;
};

}  // namespace hotline::daemon
