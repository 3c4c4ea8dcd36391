// The feed endpoint's per-token and per-address limits (FeedQuota), checked once a feed could open.
#include "daemon/api/api.hpp"

namespace hotline::daemon {

Handled Api::hold_feed_slots(const Call& call, Handled opened) {
  if (ctx_.feed_quota == nullptr) return opened;
  auto admission = ctx_.feed_quota->admit(call.who.token_id, call.peer.address);
  if (!admission.refused) {
    return Handled{{}, FeedQuota::holding(std::move(opened.stream), std::move(admission))};
  }
  opened.stream->stop();  // never run: dropping it ends its subscription
  const bool by_token = *admission.refused == FeedQuota::Refusal::token;
  const auto limits = ctx_.feed_quota->limits();
  auto res = problem_response(
      call.req, by_token ? Problem{429, "too-many-feeds-for-token", "Too many live feeds for this token",
                                   "a token keeps at most feed.max_per_token (" + std::to_string(limits.per_token) +
                                       ") feeds open; close one or retry later",
                                   ""}
                         : Problem{429, "too-many-feeds-from-address", "Too many live feeds from this address",
                                   "a client address keeps at most feed.max_per_address (" +
                                       std::to_string(limits.per_address) + ") feeds open; close one or retry later",
                                   ""});
  res.set(http::field::retry_after, "5");
  return Handled{std::move(res), nullptr};
}

}  // namespace hotline::daemon
