#include "daemon/feed/feed_replay.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "storage/store_fixture.hpp"

using namespace hotline;
using namespace hotline::daemon;
using storage::test::sample;
using storage::test::TempDb;

namespace {

constexpr const char* k_unit = "350602.cgj";
constexpr const char* k_other = "350623.cgj";

// The "id: N" lines of SSE text, in order.
std::vector<std::int64_t> ids_in(const std::string& text) {
  std::vector<std::int64_t> out;
  for (std::size_t at = 0; (at = text.find("id: ", at)) != std::string::npos; at += 4) {
    out.push_back(std::stoll(text.substr(at + 4, text.find('\n', at) - at - 4)));
  }
  return out;
}

// Seven tickets dispatched alternately to k_unit and k_other (received events have no audience): 14 events.
struct Log {
  TempDb db;
  std::unique_ptr<storage::TicketStore> store = storage::TicketStore::open(db.path).value();
  std::vector<std::int64_t> mine;  // seqs of the dispatches to k_unit
  std::vector<std::string> ids;
  Log() {
    std::vector<storage::NewTicket> batch;
    for (int i = 0; i < 7; ++i) {
      auto t = sample("20261126", "路灯不亮" + std::to_string(i));
      t.events[1].unit_id = i % 2 == 0 ? k_unit : k_other;
      batch.push_back(std::move(t));
    }
    REQUIRE(store->insert_tickets(batch));
    for (const auto& t : batch) {
      ids.push_back(t.id);
      const auto stored = store->find_ticket(t.id).value();
      if (stored->events[1].unit_id == k_unit) mine.push_back(stored->events[1].seq);
    }
  }
};

const FeedCovers k_covers = [](std::string_view u) { return u == k_unit; };

}  // namespace

TEST_CASE("replay pages cover the log after a seq once, in order, with only the feed's events", "[feed]") {
  Log log;
  std::vector<std::int64_t> sent;
  std::int64_t after = 0;
  int pages = 0;
  for (; pages < 20; ++pages) {  // bounded: 14 events in pages of 3 take 5
    const auto page = read_replay_page(*log.store, after, 3, k_covers);
    REQUIRE_FALSE(page.error);
    const auto ids = ids_in(page.text);
    CHECK(ids.size() == page.events);
    sent.insert(sent.end(), ids.begin(), ids.end());
    CHECK(page.last_seq >= after);
    after = page.last_seq;
    if (page.end) break;
  }
  CHECK(pages == 4);  // 3 + 3 + 3 + 3 + 2: the fifth page is short, so it is the end
  CHECK(sent == log.mine);
  CHECK(after == log.store->events_after(0, 100).value().back().event.seq);
  // Past the end: nothing, the end, and the position kept.
  const auto empty = read_replay_page(*log.store, after, 3, k_covers);
  CHECK(empty.end);
  CHECK(empty.text.empty());
  CHECK(empty.last_seq == after);
  // From the middle: only what follows.
  const auto rest = read_replay_page(*log.store, log.mine[1], 100, k_covers);
  CHECK(ids_in(rest.text) == std::vector<std::int64_t>(log.mine.begin() + 2, log.mine.end()));
}

TEST_CASE("an event for the whole case goes to the feeds of the units on the case", "[feed]") {
  Log log;
  storage::Projection on_case;
  on_case.state = "closed";
  on_case.assignments.push_back({1, k_unit, std::nullopt, true, "closed", false, 0, 0});
  REQUIRE(log.store->write_projection(log.ids[0], on_case));
  storage::Projection elsewhere = on_case;
  elsewhere.assignments[0].unit_id = k_other;
  REQUIRE(log.store->write_projection(log.ids[1], elsewhere));
  storage::Projection withdrawn = on_case;
  withdrawn.assignments[0].state = "withdrawn";
  REQUIRE(log.store->write_projection(log.ids[2], withdrawn));
  const storage::NewEvent closed{"2026-11-27T09:30:00.000+08:00", 0, "closed", "op", "operator", "", "{}"};
  const auto last = log.store->events_after(0, 100).value().back().event.seq;
  for (int i = 0; i < 3; ++i) REQUIRE(log.store->append_events(log.ids[static_cast<std::size_t>(i)], {closed}));
  const auto page = read_replay_page(*log.store, last, 100, k_covers);
  REQUIRE(page.events == 1);  // only the case the unit is (still) on
  CHECK(page.text.find(log.ids[0]) != std::string::npos);
}
