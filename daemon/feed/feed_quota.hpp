// FeedQuota: live feeds per token (feed.max_per_token) and per client address (feed.max_per_address), beside the
// hub's cap on all feeds (feed.max_subscribers), so one token or one client cannot take every feed. An admitted
// feed holds its two slots for as long as its stream lives. Thread-safe.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "daemon/http/stream_response.hpp"
#include "daemon/runtime/key_quota.hpp"

namespace hotline::daemon {

struct FeedQuotaLimits {
  std::size_t per_token = 16;
  std::size_t per_address = 128;
};

class FeedQuota {
 public:
  enum class Refusal { token, address };
  struct Admission {
    std::optional<Refusal> refused;  // which limit the feed is over; nullopt: admitted
    KeyQuota::Lease token, address;  // the slots it holds when admitted
  };

  explicit FeedQuota(FeedQuotaLimits limits) : per_token_(limits.per_token), per_address_(limits.per_address) {}

  // A feed for `token_id` (empty without tokens: not counted per token) from `address`.
  Admission admit(const std::string& token_id, const std::string& address);
  // `stream`, holding the admission's slots until it is destroyed.
  static std::shared_ptr<StreamResponse> holding(std::shared_ptr<StreamResponse> stream, Admission admission);

  FeedQuotaLimits limits() const { return {per_token_.per_key(), per_address_.per_key()}; }

 private:
  KeyQuota per_token_, per_address_;
};

}  // namespace hotline::daemon
