// FeedHub: fans committed events out to live feed subscribers (SSE connections). The writer hands it each
// committed transaction's events; the hub renders each once and queues it for every subscriber that wants it.
// Thread-safe. Never blocks the writer: publish() only posts; each subscriber has a bounded buffer, and one that
// falls behind is dropped (it reconnects with Last-Event-ID and catches up from the event log).
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "daemon/writer/ticket_writer.hpp"
#include "routing/feed_audience.hpp"
#include "storage/ticket_store.hpp"

namespace hotline::daemon {

// One event as the feed shows it, rendered once and shared by every subscriber.
struct FeedEvent {
  std::int64_t seq = 0;
  std::string ticket_id;
  routing::FeedAudience audience;
  std::string message;  // the complete SSE message: "id: …\nevent: …\ndata: {…}\n\n"
};

// The feed view of a stored event: audience from routing::feed_audience, data JSON with ticket, kind, at, unit,
// summary and the event's own data.
FeedEvent make_feed_event(const std::string& ticket_id, const storage::StoredEvent& e);

// One subscriber's queue. The hub side (offer, close) may be called from any thread; next() runs on the
// subscriber's executor (a connection strand), one waiter at a time.
class FeedSubscription : public std::enable_shared_from_this<FeedSubscription> {
 public:
  using Filter = std::function<bool(const FeedEvent&)>;
  enum class Status { events, idle, dropped, closed };
  struct Next {
    Status status = Status::idle;
    std::vector<std::shared_ptr<const FeedEvent>> events;  // in seq order
  };

  FeedSubscription(boost::asio::any_io_executor executor, Filter filter, std::size_t capacity);

  // The queued events, or waits for some for at most `idle` (then Status::idle: time for a heartbeat).
  // Status::dropped once the buffer overflowed, Status::closed after close(); both are final.
  boost::asio::awaitable<Next> next(std::chrono::steady_clock::duration idle);

  // Queues `e` if the filter wants it. False when the subscription is dropped or closed (the hub forgets it).
  bool offer(const std::shared_ptr<const FeedEvent>& e);
  // Forgets the queued events with seq <= `seq` (a replay from the log has sent them), so they no longer count
  // against the capacity.
  void discard_through(std::int64_t seq);
  void close();
  bool was_dropped() const;

 private:
  void wake_locked();

  boost::asio::any_io_executor executor_;
  boost::asio::steady_timer timer_;  // touched only on executor_
  Filter filter_;
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::deque<std::shared_ptr<const FeedEvent>> queue_;
  bool waiting_ = false, dropped_ = false, closed_ = false;
};

struct FeedLimits {
  std::size_t max_subscribers = 1024;
  std::size_t buffer = 1024;  // events queued per subscriber before it is dropped
};

class FeedHub : public CommitListener {
 public:
  // Fan-out runs on a strand of `executor`, in commit (seq) order.
  FeedHub(boost::asio::any_io_executor executor, FeedLimits limits);

  // A new subscription woken on `where`; nullptr when max_subscribers are connected (or after close_all()).
  std::shared_ptr<FeedSubscription> subscribe(boost::asio::any_io_executor where, FeedSubscription::Filter filter);
  void unsubscribe(const std::shared_ptr<FeedSubscription>& s);
  // Ends every subscription (server shutdown) and refuses new ones.
  void close_all();

  // CommitListener, called by the writer thread: a relaxed load, and a post when there is something to do.
  bool wants_events() const override { return count_.load(std::memory_order_relaxed) > 0; }
  void committed(std::vector<storage::AppendedEvent> events) override;

  // Offers one rendered event to every subscriber, forgetting those that dropped. Runs on the hub's strand
  // (committed() posts there); tests may call it directly.
  void deliver(const std::shared_ptr<const FeedEvent>& e);

  std::size_t subscribers() const { return count_.load(); }
  std::uint64_t published() const { return published_.load(); }  // events fanned out
  std::uint64_t dropped() const { return dropped_.load(); }      // subscribers dropped for falling behind

 private:
  boost::asio::strand<boost::asio::any_io_executor> strand_;
  const FeedLimits limits_;
  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<FeedSubscription>> subs_;
  bool closed_ = false;
  std::atomic<std::size_t> count_{0};
  std::atomic<std::uint64_t> published_{0}, dropped_{0};
};

}  // namespace hotline::daemon
