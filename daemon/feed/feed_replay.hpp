// A feed's catch-up from the event log, one bounded page at a time, and the audience rule it shares with the live
// path. Synchronous on a store the caller leases: FeedStream runs each page on the read pool (run_off_thread),
// so reading and rendering a long log never holds an I/O thread; only the page's write happens there.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "daemon/feed/feed_hub.hpp"
#include "storage/error.hpp"
#include "storage/ticket_store.hpp"

namespace hotline::daemon {

using FeedCovers = std::function<bool(std::string_view unit)>;  // is `unit` in this feed's scope?

// The event belongs in the feed whose scope is `covers`: one of its audience units is covered, or it concerns the
// whole case and a live assignment (or its handler) of the case is covered, as the projection in `store` says.
bool feed_wants(const FeedEvent& e, const FeedCovers& covers, storage::TicketStore& store);

struct ReplayPage {
  std::string text;           // the SSE messages of the events the feed wants, in seq order
  std::int64_t last_seq = 0;  // the highest seq read (sent or skipped); `after` when none was read
  std::size_t events = 0;     // events in `text`
  bool end = false;           // fewer than `limit` rows: this page reached the end of the log
  std::optional<storage::Error> error;
};

// Up to `limit` events with seq > `after` from the log, rendered and filtered by feed_wants.
ReplayPage read_replay_page(storage::TicketStore& store, std::int64_t after, int limit, const FeedCovers& covers);

}  // namespace hotline::daemon
