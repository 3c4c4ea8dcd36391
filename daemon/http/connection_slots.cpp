#include "daemon/http/connection_slots.hpp"

#include <utility>

namespace hotline::daemon {

ConnectionSlots::ConnectionSlots(std::size_t max_total, std::size_t max_per_address)
    : max_total_(max_total), per_address_(max_per_address), state_(std::make_shared<State>()) {}

ConnectionSlots::Slot::~Slot() {
  if (!state_) return;  // moved from
  address_ = KeyQuota::Lease();
  std::function<void()> wake;
  {
    std::lock_guard lock(state_->mutex);
    --state_->open;
    wake = std::exchange(state_->wake, nullptr);
  }
  if (wake) wake();
}

ConnectionSlots::Slot ConnectionSlots::take(const std::string& address) {
  auto lease = per_address_.take(address);
  {
    std::lock_guard lock(state_->mutex);
    ++state_->open;
  }
  return Slot(state_, lease ? std::move(*lease) : KeyQuota::Lease());
}

bool ConnectionSlots::wake_when_free(std::function<void()> wake) {
  std::lock_guard lock(state_->mutex);
  if (state_->open < max_total_) return false;
  state_->wake = std::move(wake);
  return true;
}

void ConnectionSlots::wake_on_release(std::function<void()> wake) {
  std::lock_guard lock(state_->mutex);
  state_->wake = std::move(wake);
}

std::size_t ConnectionSlots::open() const {
  std::lock_guard lock(state_->mutex);
  return state_->open;
}

}  // namespace hotline::daemon
