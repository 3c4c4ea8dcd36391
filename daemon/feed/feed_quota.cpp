#include "daemon/feed/feed_quota.hpp"

#include <utility>

namespace hotline::daemon {
namespace {

// The stream as the server runs it, with the slots it holds.
class HeldStream final : public StreamResponse {
 public:
  HeldStream(std::shared_ptr<StreamResponse> inner, FeedQuota::Admission admission)
      : inner_(std::move(inner)), admission_(std::move(admission)) {}
  boost::asio::awaitable<void> run(boost::beast::tcp_stream& stream) override { return inner_->run(stream); }
  void stop() override { inner_->stop(); }

 private:
  std::shared_ptr<StreamResponse> inner_;
  FeedQuota::Admission admission_;
};

}  // namespace

FeedQuota::Admission FeedQuota::admit(const std::string& token_id, const std::string& address) {
  Admission a;
  if (!token_id.empty()) {
    auto token = per_token_.take(token_id);
    if (!token) {
      a.refused = Refusal::token;
      return a;
    }
    a.token = std::move(*token);
  }
  auto from = per_address_.take(address);
  if (!from) {
    a.refused = Refusal::address;
    a.token = KeyQuota::Lease();
    return a;
  }
  a.address = std::move(*from);
  return a;
}

std::shared_ptr<StreamResponse> FeedQuota::holding(std::shared_ptr<StreamResponse> stream, Admission admission) {
  return std::make_shared<HeldStream>(std::move(stream), std::move(admission));
}

}  // namespace hotline::daemon
