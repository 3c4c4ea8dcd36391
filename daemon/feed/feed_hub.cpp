#include "daemon/feed/feed_hub.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include "daemon/wire/case_codec.hpp"

namespace hotline::daemon {
namespace asio = boost::asio;
namespace json = boost::json;

FeedEvent make_feed_event(const std::string& ticket_id, const storage::StoredEvent& stored) {
  const routing::Event e = from_stored(stored);
  FeedEvent out;
  out.seq = stored.seq;
  out.ticket_id = ticket_id;
  out.audience = routing::feed_audience(e);
  boost::system::error_code ec;
  json::value data = json::parse(stored.payload, ec);
  if (ec || !data.is_object()) data = json::object{};
  // An event of no unit (an urge of the whole ticket, say) has null, as in the ticket's own events.
  const json::value unit_or_null = stored.unit_id ? json::value(*stored.unit_id) : json::value(nullptr);
  const json::object body{{"seq", stored.seq},      {"ticket", ticket_id},  {"kind", stored.kind},
                          {"at", stored.at},        {"unit", unit_or_null}, {"summary", routing::feed_summary(e)},
                          {"data", std::move(data)}};
  // Kinds are identifiers and JSON has no raw newlines, so neither can break the SSE framing.
  out.message =
      "id: " + std::to_string(stored.seq) + "\nevent: " + stored.kind + "\ndata: " + json::serialize(body) + "\n\n";
  return out;
}

FeedSubscription::FeedSubscription(asio::any_io_executor executor, Filter filter, std::size_t capacity)
    : executor_(executor),
      timer_(executor),
      filter_(std::move(filter)),
      capacity_(std::max<std::size_t>(capacity, 1)) {}

void FeedSubscription::wake_locked() {
  if (!waiting_) return;
  waiting_ = false;
  // The timer belongs to the subscriber's strand: cancel it there. next() re-checks the queue after any wake-up.
  asio::post(executor_, [self = shared_from_this()] { self->timer_.cancel(); });
}

bool FeedSubscription::offer(const std::shared_ptr<const FeedEvent>& e) {
  if (filter_ && !filter_(*e)) {
    std::lock_guard lock(mutex_);
    return !dropped_ && !closed_;
  }
  std::lock_guard lock(mutex_);
  if (dropped_ || closed_) return false;
  if (queue_.size() >= capacity_) {
    dropped_ = true;
    queue_.clear();
    wake_locked();
    return false;
  }
  queue_.push_back(e);
  wake_locked();
  return true;
}

void FeedSubscription::discard_through(std::int64_t seq) {
  std::lock_guard lock(mutex_);
  // The queue is in seq order: what the replay sent is at its front.
  while (!queue_.empty() && queue_.front()->seq <= seq) queue_.pop_front();
}

bool FeedSubscription::was_dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

void FeedSubscription::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  wake_locked();
}

asio::awaitable<FeedSubscription::Next> FeedSubscription::next(std::chrono::steady_clock::duration idle) {
  // At most two rounds: one wait, then whatever is there (a wake-up without events is a heartbeat too).
  for (int round = 0; round < 2; ++round) {
    {
      std::lock_guard lock(mutex_);
      if (closed_) co_return Next{Status::closed, {}};
      if (dropped_) co_return Next{Status::dropped, {}};
      if (!queue_.empty()) {
        Next n{Status::events, {queue_.begin(), queue_.end()}};
        queue_.clear();
        co_return n;
      }
      if (round == 1) break;
      waiting_ = true;
    }
    timer_.expires_after(idle);
    co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    std::lock_guard lock(mutex_);
    waiting_ = false;
  }
  co_return Next{Status::idle, {}};
}

FeedHub::FeedHub(asio::any_io_executor executor, FeedLimits limits)
    : strand_(asio::make_strand(executor)), limits_(limits) {}

std::shared_ptr<FeedSubscription> FeedHub::subscribe(asio::any_io_executor where, FeedSubscription::Filter filter) {
  std::lock_guard lock(mutex_);
  if (closed_ || subs_.size() >= limits_.max_subscribers) return nullptr;
  auto s = std::make_shared<FeedSubscription>(std::move(where), std::move(filter), limits_.buffer);
  subs_.push_back(s);
  count_.store(subs_.size());
  return s;
}

void FeedHub::unsubscribe(const std::shared_ptr<FeedSubscription>& s) {
  std::lock_guard lock(mutex_);
  std::erase(subs_, s);
  count_.store(subs_.size());
}

void FeedHub::close_all() {
  std::vector<std::shared_ptr<FeedSubscription>> subs;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    subs.swap(subs_);
    count_.store(0);
  }
  for (auto& s : subs) s->close();
}

void FeedHub::committed(std::vector<storage::AppendedEvent> events) {
  // Rendering (JSON parse, audience, serialisation) happens off the writer thread, on the hub's strand, which
  // keeps the commit order because the writer posts one transaction after another.
  asio::post(strand_, [this, events = std::move(events)] {
    for (const auto& a : events) {
      const storage::StoredEvent stored{a.seq,
                                        a.event.at,
                                        a.event.at_ms,
                                        a.event.kind,
                                        a.event.actor,
                                        a.event.role,
                                        a.event.unit_id.empty() ? std::nullopt : std::optional(a.event.unit_id),
                                        a.event.payload};
      deliver(std::make_shared<const FeedEvent>(make_feed_event(a.ticket_id, stored)));
    }
  });
}

void FeedHub::deliver(const std::shared_ptr<const FeedEvent>& e) {
  std::vector<std::shared_ptr<FeedSubscription>> subs;
  {
    std::lock_guard lock(mutex_);
    subs = subs_;
  }
  std::vector<std::shared_ptr<FeedSubscription>> gone;
  for (auto& s : subs) {
    if (!s->offer(e)) gone.push_back(s);
  }
  published_.fetch_add(1);
  if (gone.empty()) return;
  for (auto& s : gone) dropped_.fetch_add(s->was_dropped() ? 1 : 0);
  std::lock_guard lock(mutex_);
  for (auto& s : gone) std::erase(subs_, s);
  count_.store(subs_.size());
}

}  // namespace hotline::daemon
