#include "daemon/feed/feed_stream.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "daemon/runtime/off_thread.hpp"

namespace hotline::daemon {
namespace asio = boost::asio;

std::shared_ptr<FeedStream> FeedStream::open(Deps deps, asio::any_io_executor executor, Covers covers,
                                             std::optional<std::int64_t> last_event_id, FeedSettings settings) {
  auto stream = std::make_shared<FeedStream>(deps, covers, last_event_id, settings);
  // The hub pre-filters by audience so a subscriber's buffer holds only its own events.
  stream->sub_ = deps.hub.subscribe(std::move(executor), [covers](const FeedEvent& e) {
    return e.audience.whole_case || e.audience.handler_too ||
           std::any_of(e.audience.units.begin(), e.audience.units.end(), covers);
  });
  if (!stream->sub_) return nullptr;
  return stream;
}

FeedStream::FeedStream(Deps deps, Covers covers, std::optional<std::int64_t> last_event_id, FeedSettings settings)
    : deps_(deps), covers_(std::move(covers)), last_event_id_(last_event_id), settings_(settings) {}

FeedStream::~FeedStream() {
  if (sub_) deps_.hub.unsubscribe(sub_);
}

void FeedStream::stop() {
  stopped_ = true;
  if (sub_) sub_->close();
}

bool FeedStream::wanted(const FeedEvent& e) {
  if (std::any_of(e.audience.units.begin(), e.audience.units.end(), covers_)) return true;
  if (!e.audience.whole_case && !e.audience.handler_too) return false;
  auto lease = deps_.readers.acquire();
  return lease && feed_wants(e, covers_, **lease);
}

asio::awaitable<bool> FeedStream::write(boost::beast::tcp_stream& stream, const std::string& text) {
  stream.expires_after(settings_.write_timeout);
  auto [ec, n] = co_await asio::async_write(stream, asio::buffer(text), asio::as_tuple(asio::use_awaitable));
  co_return !ec && !stopped_;
}

asio::awaitable<bool> FeedStream::replay(boost::beast::tcp_stream& stream) {
  // Every transaction that began before we subscribed has committed once this job's transaction has: the log
  // read below sees all of them, and every later one reaches us through the hub.
  const WriteJob barrier = [](storage::TicketStore&) { return WriteResult{}; };
  const WriteResult done = co_await deps_.writer.async_write(barrier, asio::use_awaitable);
  if (!done) co_return false;  // shutting down
  while (!stopped_) {
    // Read and render on the read pool; this coroutine resumes on its connection's strand with the page.
    // (Pointers and numbers only in the capture: see run_off_thread. The stream outlives this coroutine.)
    auto page = co_await run_off_thread(
        deps_.reads, [readers = &deps_.readers, covers = &covers_, after = last_sent_, limit = settings_.replay_batch] {
          auto lease = readers->acquire();
          if (!lease) {
            ReplayPage failed;
            failed.error = lease.error();
            return failed;
          }
          return read_replay_page(**lease, after, limit, *covers);
        });
    if (page.error) {
      spdlog::warn("feed replay failed: {}", page.error->message);
      co_return false;
    }
    if (!page.text.empty()) {
      const bool written = co_await write(stream, page.text);
      if (!written) co_return false;
    }
    last_sent_ = page.last_seq;
    sub_->discard_through(last_sent_);
    // Dropped meanwhile (its live queue overflowed): the live loop says so and closes; the terminal resumes.
    if (page.end || sub_->was_dropped()) co_return true;
  }
  co_return false;
}

asio::awaitable<void> FeedStream::run(boost::beast::tcp_stream& stream) {
  // Close-delimited body: no length, no chunking, so any SSE client (and curl -N) reads it as it comes.
  const std::string head =
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-cache\r\n"
      "X-Accel-Buffering: no\r\nConnection: close\r\n\r\nretry: 2000\n\n";
  // (co_await results go to variables: GCC 12 miscompiles some co_await inside conditions.)
  if (stopped_) co_return;
  // A terminal sends nothing after its request, so a read that completes means it closed (or broke) the
  // connection: stop now rather than at the next heartbeat, freeing its subscriber slot. On the raw socket, so
  // the per-write timeouts of the stream do not apply to it.
  auto probe = std::make_shared<std::array<char, 64>>();
  stream.socket().async_read_some(asio::buffer(*probe),
                                  [self = shared_from_this(), probe](auto, std::size_t) { self->stop(); });
  bool ok = co_await write(stream, head);
  if (ok && last_event_id_) {
    last_sent_ = *last_event_id_;
    ok = co_await replay(stream);
  }
  if (!ok) co_return;
  while (!stopped_) {
    auto next = co_await sub_->next(settings_.heartbeat);
    if (next.status != FeedSubscription::Status::closed && deps_.still_allowed && !deps_.still_allowed()) {
      ok = co_await write(stream, ": the session or token that opened this feed has ended\n\n");
      co_return;
    }
    switch (next.status) {
      case FeedSubscription::Status::closed:
        co_return;
      case FeedSubscription::Status::dropped:
        ok = co_await write(stream, ": dropped for falling behind; reconnect with Last-Event-ID\n\n");
        co_return;
      case FeedSubscription::Status::idle:
        ok = co_await write(stream, ": heartbeat\n\n");
        if (!ok) co_return;
        break;
      case FeedSubscription::Status::events: {
        std::string text;
        for (const auto& e : next.events) {
          if (e->seq <= last_sent_) continue;  // already sent by the replay
          last_sent_ = e->seq;
          if (wanted(*e)) text += e->message;
        }
        if (!text.empty()) {
          ok = co_await write(stream, text);
          if (!ok) co_return;
        }
        break;
      }
    }
  }
}

}  // namespace hotline::daemon
