// A per-client-address rate limit: a token bucket per address (`per_minute` tokens, refilled evenly over a
// minute), for endpoints anyone may call without a token (the citizen's status look-up). At most
// `max_addresses` buckets are kept: when full, buckets that have refilled are dropped (they hold nothing a new
// bucket would not), and if none has, the address is refused until one does. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace hotline::daemon {

class AddressRate {
 public:
  AddressRate(std::size_t per_minute, std::size_t max_addresses = 100'000)
      : per_minute_(static_cast<double>(per_minute)), max_addresses_(max_addresses) {}

  // Takes a token for `address` at `now_ms`. False when its bucket is empty; `retry_after_ms` is then when the
  // next token comes.
  bool allow(const std::string& address, std::int64_t now_ms, std::int64_t* retry_after_ms = nullptr);
  std::size_t addresses() const;

 private:
  struct Bucket {
    double tokens = 0;
    std::int64_t at_ms = 0;
  };
  double refilled(const Bucket& b, std::int64_t now_ms) const;

  double per_minute_;
  std::size_t max_addresses_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace hotline::daemon
