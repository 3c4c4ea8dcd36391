#include "daemon/access/address_rate.hpp"

#include <algorithm>
#include <cmath>

namespace hotline::daemon {

double AddressRate::refilled(const Bucket& b, std::int64_t now_ms) const {
  const double elapsed = static_cast<double>(std::max<std::int64_t>(0, now_ms - b.at_ms));
  return std::min(per_minute_, b.tokens + elapsed * per_minute_ / 60'000.0);
}

bool AddressRate::allow(const std::string& address, std::int64_t now_ms, std::int64_t* retry_after_ms) {
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(address);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_addresses_) {
      std::erase_if(buckets_, [&](const auto& entry) { return refilled(entry.second, now_ms) >= per_minute_; });
    }
    if (buckets_.size() >= max_addresses_) {
      if (retry_after_ms) *retry_after_ms = static_cast<std::int64_t>(std::ceil(60'000.0 / per_minute_));
      return false;
    }
    it = buckets_.emplace(address, Bucket{per_minute_, now_ms}).first;
  }
  Bucket& b = it->second;
  b.tokens = refilled(b, now_ms);
  b.at_ms = std::max(b.at_ms, now_ms);
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return true;
  }
  if (retry_after_ms) *retry_after_ms = static_cast<std::int64_t>(std::ceil((1.0 - b.tokens) * 60'000.0 / per_minute_));
  return false;
}

std::size_t AddressRate::addresses() const {
  std::lock_guard lock(mutex_);
  return buckets_.size();
}

}  // namespace hotline::daemon
