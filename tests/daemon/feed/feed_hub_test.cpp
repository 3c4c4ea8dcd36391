#include "daemon/feed/feed_hub.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <vector>

using namespace hotline;
using namespace hotline::daemon;
namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

std::shared_ptr<const FeedEvent> event(std::int64_t seq, std::string unit) {
  auto e = std::make_shared<FeedEvent>();
  e->seq = seq;
  e->ticket_id = "ZZ1";
  e->audience.units = {std::move(unit)};
  e->message = "id: " + std::to_string(seq) + "\n\n";
  return e;
}

// Runs one next() on `sub` to completion on `ioc` and returns what it gave.
FeedSubscription::Next next_of(asio::io_context& ioc, FeedSubscription& sub, std::chrono::milliseconds idle = 2s) {
  FeedSubscription::Next out;
  asio::co_spawn(
      ioc, [&]() -> asio::awaitable<void> { out = co_await sub.next(idle); }, asio::detached);
  ioc.restart();
  ioc.run_for(10s);  // bounded: next() returns by itself after `idle`
  return out;
}

std::vector<std::int64_t> seqs(const FeedSubscription::Next& n) {
  std::vector<std::int64_t> out;
  for (const auto& e : n.events) out.push_back(e->seq);
  return out;
}

storage::AppendedEvent appended(std::int64_t seq, std::string kind, std::string unit) {
  storage::AppendedEvent a;
  a.seq = seq;
  a.ticket_id = "ZZ20261126000001";
  a.event.at = "2026-11-26T09:30:00.000+08:00";
  a.event.kind = std::move(kind);
  a.event.actor = "local";
  a.event.role = "operator";
  a.event.unit_id = std::move(unit);
  a.event.payload = R"({"lead":"true"})";
  return a;
}

}  // namespace

TEST_CASE("a subscriber gets the events it wants in seq order", "[feed]") {
  asio::io_context ioc;
  FeedHub hub(ioc.get_executor(), {8, 16});
  auto mine = hub.subscribe(ioc.get_executor(), [](const FeedEvent& e) { return e.audience.units[0] == "a"; });
  REQUIRE(mine);
  CHECK(hub.wants_events());
  for (int i = 1; i <= 5; ++i) hub.deliver(event(i, i % 2 == 0 ? "b" : "a"));
  const auto got = next_of(ioc, *mine);
  CHECK(got.status == FeedSubscription::Status::events);
  CHECK(seqs(got) == std::vector<std::int64_t>{1, 3, 5});
  CHECK(hub.published() == 5);
}

TEST_CASE("committed transactions are rendered as SSE messages in commit order", "[feed]") {
  asio::io_context ioc;
  FeedHub hub(ioc.get_executor(), {8, 16});
  auto sub = hub.subscribe(ioc.get_executor(), nullptr);
  hub.committed({appended(7, "dispatched", "350602.cgj"), appended(8, "signed_for", "350602.cgj")});
  hub.committed({appended(9, "urged", "")});
  ioc.poll();  // the fan-out runs on the hub's strand
  const auto got = next_of(ioc, *sub);
  REQUIRE(seqs(got) == std::vector<std::int64_t>{7, 8, 9});
  const auto& first = *got.events[0];
  CHECK(first.audience.units == std::vector<std::string>{"350602.cgj"});
  CHECK(first.message.starts_with("id: 7\nevent: dispatched\ndata: {"));
  CHECK(first.message.find(R"("summary":"dispatched to 350602.cgj as lead unit")") != std::string::npos);
  CHECK(first.message.ends_with("}\n\n"));
  CHECK(got.events[1]->audience.units.empty());  // signing for is the unit's own act
  CHECK(got.events[2]->audience.whole_case);     // an urge naming no unit concerns the case
}

TEST_CASE("a subscriber whose buffer overflows is dropped while the others go on", "[feed]") {
  asio::io_context ioc;
  FeedHub hub(ioc.get_executor(), {8, 4});
  auto slow = hub.subscribe(ioc.get_executor(), nullptr);
  auto picky = hub.subscribe(ioc.get_executor(), [](const FeedEvent& e) { return e.seq == 5; });
  for (int i = 1; i <= 5; ++i) hub.deliver(event(i, "a"));
  CHECK(next_of(ioc, *slow).status == FeedSubscription::Status::dropped);
  CHECK(hub.dropped() == 1);
  CHECK(hub.subscribers() == 1);
  CHECK(seqs(next_of(ioc, *picky)) == std::vector<std::int64_t>{5});
}

TEST_CASE("an idle subscription wakes for a heartbeat and a late event wakes it early", "[feed]") {
  asio::io_context ioc;
  FeedHub hub(ioc.get_executor(), {8, 16});
  auto sub = hub.subscribe(ioc.get_executor(), nullptr);
  CHECK(next_of(ioc, *sub, 20ms).status == FeedSubscription::Status::idle);

  FeedSubscription::Next out;
  asio::co_spawn(
      ioc, [&]() -> asio::awaitable<void> { out = co_await sub->next(60s); }, asio::detached);
  ioc.restart();
  ioc.poll();  // the coroutine is now waiting on its timer
  hub.deliver(event(42, "a"));
  const auto started = std::chrono::steady_clock::now();
  ioc.run_for(10s);
  CHECK(std::chrono::steady_clock::now() - started < 5s);  // woken by the event, not the 60 s idle timer
  CHECK(seqs(out) == std::vector<std::int64_t>{42});
}

TEST_CASE("the hub refuses subscribers beyond its limit and closes all on shutdown", "[feed]") {
  asio::io_context ioc;
  FeedHub hub(ioc.get_executor(), {2, 16});
  auto a = hub.subscribe(ioc.get_executor(), nullptr);
  auto b = hub.subscribe(ioc.get_executor(), nullptr);
  CHECK(hub.subscribe(ioc.get_executor(), nullptr) == nullptr);
  hub.unsubscribe(b);
  CHECK(hub.subscribers() == 1);
  hub.close_all();
  CHECK_FALSE(hub.wants_events());
  CHECK(next_of(ioc, *a).status == FeedSubscription::Status::closed);
  CHECK(hub.subscribe(ioc.get_executor(), nullptr) == nullptr);
}

TEST_CASE("live events a replay already sent leave the queue and stop counting against its buffer", "[feed]") {
  asio::io_context ioc;
  FeedHub hub(ioc.get_executor(), {8, 4});
  auto sub = hub.subscribe(ioc.get_executor(), nullptr);
  for (int i = 1; i <= 4; ++i) hub.deliver(event(i, "a"));  // full
  sub->discard_through(3);                                  // the replay has sent 1 to 3
  for (int i = 5; i <= 7; ++i) hub.deliver(event(i, "a"));  // fits again: 4 to 7
  CHECK_FALSE(sub->was_dropped());
  CHECK(seqs(next_of(ioc, *sub)) == std::vector<std::int64_t>{4, 5, 6, 7});
  sub->discard_through(100);                                 // nothing queued: nothing to drop
  for (int i = 8; i <= 12; ++i) hub.deliver(event(i, "a"));  // five behind with room for four: dropped
  CHECK(next_of(ioc, *sub).status == FeedSubscription::Status::dropped);
}
