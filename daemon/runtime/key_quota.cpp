#include "daemon/runtime/key_quota.hpp"

namespace hotline::daemon {

KeyQuota::Lease& KeyQuota::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    release();
    state_ = std::move(other.state_);
    key_ = std::move(other.key_);
  }
  return *this;
}

void KeyQuota::Lease::release() {
  if (!state_) return;
  {
    std::lock_guard lock(state_->mutex);
    const auto it = state_->held.find(key_);
    if (it != state_->held.end() && --it->second == 0) state_->held.erase(it);
  }
  state_.reset();
}

std::optional<KeyQuota::Lease> KeyQuota::take(const std::string& key) {
  std::lock_guard lock(state_->mutex);
  auto& n = state_->held[key];
  if (n >= per_key_) return std::nullopt;
  ++n;
  return Lease(state_, key);
}

std::size_t KeyQuota::held(const std::string& key) const {
  std::lock_guard lock(state_->mutex);
  const auto it = state_->held.find(key);
  return it == state_->held.end() ? 0 : it->second;
}

}  // namespace hotline::daemon
