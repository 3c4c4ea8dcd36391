// FeedStream: one unit's live feed as Server-Sent Events (GET /v1/units/{id}/feed). With Last-Event-ID it first
// replays the event log after that seq, then goes live from the hub without gap or duplicate: it subscribes
// before replaying, and skips (and drops from its live queue) the live events the replay already sent.
// The replay reads and renders one page at a time on the read pool (feed_replay.hpp), writes it, then reads the
// next: the I/O thread only writes, and the memory held is one page plus the live queue (feed.buffer; a feed
// whose live queue overflows meanwhile is dropped and resumes with Last-Event-ID, as a slow live one is).
// Runs on its connection's strand; stop() is thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "daemon/feed/feed_hub.hpp"
#include "daemon/feed/feed_replay.hpp"
#include "daemon/http/stream_response.hpp"
#include "daemon/writer/reader_pool.hpp"
#include "daemon/writer/ticket_writer.hpp"
#include "storage/ticket_store.hpp"

namespace hotline::daemon {

struct FeedSettings {
  std::chrono::seconds heartbeat{15};      // feed.heartbeat: a comment line when nothing else was sent
  std::chrono::seconds write_timeout{30};  // a client that takes longer to accept a write is gone
  int replay_batch = 500;                  // events read, rendered and written per replay page
};

class FeedStream : public StreamResponse, public std::enable_shared_from_this<FeedStream> {
 public:
  using Covers = FeedCovers;
  struct Deps {
    FeedHub& hub;
    TicketWriter& writer;
    StorePool<storage::TicketStore>& readers;
    boost::asio::any_io_executor reads;  // the read pool: replay pages run there
    // Whether the credential that opened the feed still holds (a session not logged out or idle, a token not
    // revoked), asked before anything is sent; the feed ends when it does not. Empty: always.
    std::function<bool()> still_allowed = {};
  };

  // Subscribes on `executor` (the connection's strand). nullptr when the hub is full or closed.
  static std::shared_ptr<FeedStream> open(Deps deps, boost::asio::any_io_executor executor, Covers covers,
                                          std::optional<std::int64_t> last_event_id, FeedSettings settings);
  FeedStream(Deps deps, Covers covers, std::optional<std::int64_t> last_event_id, FeedSettings settings);
  ~FeedStream() override;

  boost::asio::awaitable<void> run(boost::beast::tcp_stream& stream) override;
  void stop() override;

 private:
  // The event belongs in this feed (an event for the whole case asks the projection who is on the case).
  bool wanted(const FeedEvent& e);
  boost::asio::awaitable<bool> write(boost::beast::tcp_stream& stream, const std::string& text);
  // Sends the log after last_sent_ up to its end, page by page; false when the client is gone, the stream stopped
  // or the log cannot be read.
  boost::asio::awaitable<bool> replay(boost::beast::tcp_stream& stream);

  Deps deps_;
  Covers covers_;
  std::optional<std::int64_t> last_event_id_;
  FeedSettings settings_;
  std::shared_ptr<FeedSubscription> sub_;
  std::int64_t last_sent_ = 0;  // highest seq sent or skipped by the replay
  std::atomic<bool> stopped_{false};
};

}  // namespace hotline::daemon
