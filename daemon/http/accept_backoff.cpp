#include "daemon/http/accept_backoff.hpp"

#include <algorithm>
#include <boost/asio/error.hpp>
#include <cerrno>
#include <utility>

namespace hotline::daemon {

bool AcceptBackoff::out_of_resources(const boost::system::error_code& ec) {
  if (ec.category() != boost::system::system_category()) return false;
  const int v = ec.value();
  return v == EMFILE || v == ENFILE || v == ENOBUFS || v == ENOMEM;
}

AcceptBackoff::Step AcceptBackoff::failed(const boost::system::error_code& ec, Clock::time_point now) {
  if (!paused_) {
    if (!out_of_resources(ec) && ++transient_in_row_ < k_transient_run) return {};
    paused_ = true;
    since_ = now;
    wait_ = k_first_wait;
    warned_ = !last_warning_ || now - *last_warning_ >= k_quiet;
    Step step{wait_, warned_, 0};
    if (warned_) {
      last_warning_ = now;
      step.quiet_pauses = std::exchange(quiet_pauses_, 0);
    } else {
      ++quiet_pauses_;
    }
    failures_ = out_of_resources(ec) ? 1 : static_cast<std::uint64_t>(transient_in_row_);
    return step;
  }
  ++failures_;
  wait_ = std::min(wait_ * 2, k_longest_wait);
  return {wait_, false, 0};
}

std::optional<AcceptBackoff::Pause> AcceptBackoff::succeeded(Clock::time_point now) {
  transient_in_row_ = 0;
  if (!paused_) return std::nullopt;
  paused_ = false;
  wait_ = std::chrono::milliseconds(0);
  if (!std::exchange(warned_, false)) return std::nullopt;
  return Pause{failures_, std::chrono::duration_cast<std::chrono::milliseconds>(now - since_)};
}

}  // namespace hotline::daemon
