// The TicketStore contract: ticket numbers, tickets read back as written, the append-only event log and its feed
// reads, transactions as the writer uses them, readers, and persistence across a reopen.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "tests/storage/contract/engines.hpp"

using namespace hotline::storage;
using namespace hotline::storage::contract;
using hotline::storage::test::sample;

namespace {

// A ticket with every optional field given and values unlike the sample's defaults.
NewTicket full_ticket() {
  NewTicket t = sample("20261126", "小区门口路灯不亮已经一周, lamp #7 \"broken\"");
  t.received_at = "2026-11-26T09:30:12.345+08:00";
  t.received_ms = 1'795'000'012'345;
  t.type = "request";
  t.urgency = "urgent";
  t.channel = "web";
  t.category = "市政设施";
  t.area = "350602";
  t.address = "胜利西路 12 号";
  t.caller_name = "王女士";
  t.caller_phone = "13800000000";
  t.confidential = true;
  t.state = "in_progress";
  t.unit_id = "350602.sz";
  t.unit_name = "芗城区市政公司";
  t.rule_id = "lamp";
  t.rules_version = "fedcba9876543210";
  t.decision = R"({"co_units":["350602.gd"],"inferred":false})";
  t.events = {{"", 0, "received", "op-7", "operator", "", R"({"via":"web"})"},
              {"2026-11-26T09:31:00.000+08:00", 1'795'000'060'000, "dispatched", "router", "system", "350602.sz",
               R"({"lead":true})"}};
  return t;
}

std::vector<LoggedEvent> whole_log(TicketStore& s) {
  return must(s.events_after(0, 1'000'000));
}

std::vector<std::int64_t> seqs(const std::vector<LoggedEvent>& log) {
  std::vector<std::int64_t> out;
  for (const auto& e : log) out.push_back(e.event.seq);
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------------
// Ticket numbers

TEMPLATE_TEST_CASE("contract: ticket numbers are dense and increasing per day and survive a reopen",
                   "[storage][contract]", HOTLINE_STORAGE_ENGINES) {
  Scratch<TestType> s;
  CHECK(must(s.store->next_ticket_id("ZZ", "20261126")) == "ZZ20261126000001");
  CHECK(must(s.store->next_ticket_id("ZZ", "20261126")) == "ZZ20261126000002");
  CHECK(must(s.store->next_ticket_id("ZZ", "20261127")) == "ZZ20261127000001");  // a new day starts at 1
  CHECK(must(s.store->next_ticket_id("ZZ", "20261126")) == "ZZ20261126000003");  // the old day goes on
  s.in_transaction([&] { CHECK(must(s.store->next_ticket_id("ZZ", "20261126")) == "ZZ20261126000004"); });
  s.reopen();
  CHECK(must(s.store->next_ticket_id("ZZ", "20261126")) == "ZZ20261126000005");
  CHECK(must(s.store->next_ticket_id("ZZ", "20261127")) == "ZZ20261127000002");
  // insert_tickets draws from the same counter.
  std::vector<NewTicket> batch{sample("20261126", "a"), sample("20261126", "b")};
  must(s.store->insert_tickets(batch));
  CHECK(batch[0].id == "ZZ20261126000006");
  CHECK(batch[1].id == "ZZ20261126000007");
}

TEMPLATE_TEST_CASE("contract: a number drawn in a rolled-back transaction or savepoint is drawn again",
                   "[storage][contract]", HOTLINE_STORAGE_ENGINES) {
  // The writer runs each job in a savepoint of a group transaction and rolls back a failed job or group: the
  // numbers of what was undone are handed out again, so the day's numbering has no gaps.
  Scratch<TestType> s;
  must(s.store->exec("BEGIN IMMEDIATE"));
  CHECK(must(s.store->next_ticket_id("ZZ", "20261126")) == "ZZ20261126000001");
  must(s.store->exec("ROLLBACK"));
  must(s.store->exec("BEGIN IMMEDIATE"));
  CHECK(must(s.store->next_ticket_id("ZZ", "20261126")) == "ZZ20261126000001");
  must(s.store->exec("SAVEPOINT job"));
  CHECK(must(s.store->next_ticket_id("ZZ", "20261126")) == "ZZ20261126000002");
  CHECK(must(s.store->next_ticket_id("ZZ", "20261126")) == "ZZ20261126000003");
  must(s.store->exec("ROLLBACK TO job"));
  must(s.store->exec("RELEASE job"));
  CHECK(must(s.store->next_ticket_id("ZZ", "20261126")) == "ZZ20261126000002");
  must(s.store->exec("COMMIT"));
  s.reopen();
  CHECK(must(s.store->next_ticket_id("ZZ", "20261126")) == "ZZ20261126000003");
}

// ---------------------------------------------------------------------------------------------------------------
// Tickets

TEMPLATE_TEST_CASE("contract: a ticket reads back with every field as written", "[storage][contract]",
                   HOTLINE_STORAGE_ENGINES) {
  Scratch<TestType> s;
  NewTicket t = full_ticket();
  t.id = must(s.store->next_ticket_id(t.prefix, t.day));
  must(s.store->insert_ticket(t));

  // Optional fields: absent stays absent, an empty text stays an empty text.
  NewTicket sparse = sample("20261126", "x");
  sparse.channel.reset();
  sparse.address = "";
  sparse.id = must(s.store->next_ticket_id(sparse.prefix, sparse.day));
  must(s.store->insert_ticket(sparse));

  for (const bool reopened : {false, true}) {
    CAPTURE(reopened);
    if (reopened) s.reopen();
    const auto found = must(s.store->find_ticket(t.id));
    REQUIRE(found);
    CHECK(found->id == t.id);
    CHECK(found->received_at == t.received_at);
    CHECK(found->received_ms == t.received_ms);
    CHECK(found->type == t.type);
    CHECK(found->urgency == t.urgency);
    CHECK(found->channel == t.channel);
    CHECK(found->category == t.category);
    CHECK(found->area == t.area);
    CHECK(found->address == t.address);
    CHECK(found->caller_name == t.caller_name);
    CHECK(found->caller_phone == t.caller_phone);
    CHECK(found->confidential);
    CHECK(found->content == t.content);
    CHECK(found->state == t.state);
    CHECK(found->unit_id == t.unit_id);
    CHECK(found->unit_name == t.unit_name);
    CHECK(found->rule_id == t.rule_id);
    CHECK(found->rules_version == t.rules_version);
    CHECK(found->decision == t.decision);
    REQUIRE(found->events.size() == 2);
    // An event without an instant takes the ticket's; one without a unit has none (not an empty one).
    const auto& received = found->events[0];
    CHECK(received.at == t.received_at);
    CHECK(received.at_ms == t.received_ms);
    CHECK(received.kind == "received");
    CHECK(received.actor == "op-7");
    CHECK(received.role == "operator");
    CHECK_FALSE(received.unit_id);
    CHECK(received.payload == R"({"via":"web"})");
    const auto& dispatched = found->events[1];
    CHECK(dispatched.at == "2026-11-26T09:31:00.000+08:00");
    CHECK(dispatched.at_ms == 1'795'000'060'000);
    CHECK(dispatched.kind == "dispatched");
    CHECK(dispatched.unit_id == std::optional<std::string>("350602.sz"));
    CHECK(dispatched.payload == R"({"lead":true})");
    CHECK(received.seq < dispatched.seq);

    const auto other = must(s.store->find_ticket(sparse.id));
    REQUIRE(other);
    CHECK_FALSE(other->channel);
    CHECK(other->address == std::optional<std::string>(""));
    CHECK_FALSE(other->caller_name);
    CHECK_FALSE(other->confidential);
    CHECK(must(s.store->count_tickets()) == 2);
  }
}

TEMPLATE_TEST_CASE("contract: an unknown ticket is an empty answer, not an error", "[storage][contract]",
                   HOTLINE_STORAGE_ENGINES) {
  Scratch<TestType> s;
  CHECK_FALSE(must(s.store->find_ticket("ZZ20261126000001")));
  CHECK_FALSE(must(s.store->read_projection("ZZ20261126000001")));
  std::vector<NewTicket> one{sample("20261126", "a")};
  must(s.store->insert_tickets(one));
  CHECK(must(s.store->find_ticket(one[0].id)));
  CHECK_FALSE(must(s.store->find_ticket("ZZ20261126000002")));
  CHECK_FALSE(must(s.store->find_ticket("")));
  CHECK_FALSE(must(s.store->find_ticket(one[0].id + " ")));  // ids match exactly
}

TEMPLATE_TEST_CASE("contract: a duplicate ticket or an event of no ticket is a constraint error", "[storage][contract]",
                   HOTLINE_STORAGE_ENGINES) {
  Scratch<TestType> s;
  NewTicket t = sample("20261126", "first");
  t.id = must(s.store->next_ticket_id(t.prefix, t.day));
  must(s.store->insert_ticket(t));
  NewTicket again = sample("20261126", "second");
  again.id = t.id;
  const auto twice = s.store->insert_ticket(again);
  REQUIRE_FALSE(twice);
  CHECK(twice.error().category == ErrorCategory::constraint);
  CHECK(must(s.store->find_ticket(t.id))->content == "first");

  const auto orphan = s.store->append_events("ZZ20991231000001", {{"x", 1, "note", "a", "operator", "", "{}"}});
  REQUIRE_FALSE(orphan);
  CHECK(orphan.error().category == ErrorCategory::constraint);
  CHECK(whole_log(*s.store).size() == 2);
  CHECK(must(s.store->count_tickets()) == 1);
}

// ---------------------------------------------------------------------------------------------------------------
// The event log

TEMPLATE_TEST_CASE("contract: the event log keeps append order and events_after pages through it exactly",
                   "[storage][contract]", HOTLINE_STORAGE_ENGINES) {
  Scratch<TestType> s;
  std::vector<NewTicket> batch{sample("20261126", "a"), sample("20261126", "b")};
  must(s.store->insert_tickets(batch));
  const std::string a = batch[0].id, b = batch[1].id;
  must(s.store->append_events(
      a, {{"2026-11-26T10:00:00.000+08:00", 1'795'003'600'000, "signed_for", "u", "unit", "350602.cgj", "{}"},
          {"2026-11-26T10:05:00.000+08:00", 1'795'003'900'000, "note", "u", "unit", "", R"({"text":"路灯已修"})"}}));
  must(s.store->append_events(
      b, {{"2026-11-26T10:06:00.000+08:00", 1'795'003'960'000, "withdrawn", "op", "operator", "", "{}"}}));
  CHECK(must(s.store->events_after(0, 0)).empty());

  for (const bool reopened : {false, true}) {
    CAPTURE(reopened);
    if (reopened) s.reopen();
    const auto log = whole_log(*s.store);
    REQUIRE(log.size() == 7);
    std::vector<std::string> order;
    for (const auto& e : log) order.push_back(e.ticket_id.substr(e.ticket_id.size() - 1) + ":" + e.event.kind);
    CHECK(order == std::vector<std::string>{"1:received", "1:dispatched", "2:received", "2:dispatched", "1:signed_for",
                                            "1:note", "2:withdrawn"});
    const auto all = seqs(log);
    CHECK(std::adjacent_find(all.begin(), all.end(), std::greater_equal<>()) == all.end());  // strictly increasing
    CHECK(log[5].event.payload == R"({"text":"路灯已修"})");
    CHECK(log[5].event.at_ms == 1'795'003'900'000);
    CHECK_FALSE(log[5].event.unit_id);
    CHECK(log[4].event.unit_id == std::optional<std::string>("350602.cgj"));

    // Exactly the events after a seq, in order; the same answer for every seq in the gaps between them.
    for (std::size_t i = 0; i < log.size(); ++i) {
      const auto rest = must(s.store->events_after(all[i], 100));
      CHECK(seqs(rest) == std::vector<std::int64_t>(all.begin() + static_cast<std::ptrdiff_t>(i) + 1, all.end()));
    }
    CHECK(must(s.store->events_after(all.back(), 100)).empty());
    CHECK(must(s.store->events_after(all.back() + 1000, 100)).empty());
    // Paging by the last seq seen: every event once, none skipped.
    for (const int page : {1, 2, 3, 7, 8}) {
      CAPTURE(page);
      std::vector<std::int64_t> paged;
      std::int64_t cursor = 0;
      for (int guard = 0; guard < 20; ++guard) {
        const auto rows = must(s.store->events_after(cursor, page));
        CHECK(rows.size() <= static_cast<std::size_t>(page));
        if (rows.empty()) break;
        for (const auto& r : rows) paged.push_back(r.event.seq);
        cursor = rows.back().event.seq;
      }
      CHECK(paged == all);
    }
    // A ticket's own events are the log's, in the same order with the same seqs.
    const auto ticket = must(s.store->find_ticket(a));
    REQUIRE(ticket);
    std::vector<std::int64_t> own;
    for (const auto& e : ticket->events) own.push_back(e.seq);
    CHECK(own == std::vector<std::int64_t>{all[0], all[1], all[4], all[5]});
  }
}

TEMPLATE_TEST_CASE("contract: events cannot be rewritten or removed", "[storage][contract]", HOTLINE_STORAGE_ENGINES) {
  Scratch<TestType> s;
  std::vector<NewTicket> one{sample("20261126", "a")};
  must(s.store->insert_tickets(one));
  const auto before = whole_log(*s.store);
  REQUIRE(before.size() == 2);
  const auto update = s.engine.try_update_event(*s.store, before[0].event.seq);
  REQUIRE_FALSE(update);
  CHECK(update.error().category == ErrorCategory::constraint);
  const auto remove = s.engine.try_delete_event(*s.store, before[1].event.seq);
  REQUIRE_FALSE(remove);
  CHECK(remove.error().category == ErrorCategory::constraint);
  s.reopen();
  const auto after = whole_log(*s.store);
  REQUIRE(after.size() == 2);
  CHECK(after[0].event.kind == "received");
  CHECK(after[0].event.payload == "{}");
  CHECK(after[1].event.kind == "dispatched");
}

TEMPLATE_TEST_CASE("contract: appended events are reported with their log seq while recording is on",
                   "[storage][contract]", HOTLINE_STORAGE_ENGINES) {
  // The writer publishes what it appended to live feeds after COMMIT; a feed resumes from those seqs with
  // events_after, so they must be the log's own.
  Scratch<TestType> s;
  std::vector<NewTicket> one{sample("20261126", "a")};
  must(s.store->insert_tickets(one));
  must(s.store->append_events(one[0].id, {{"x", 1, "note", "a", "operator", "", "{}"}}));
  CHECK(s.store->appended().empty());  // off by default
  s.store->record_appended(true);
  s.in_transaction([&] {
    must(s.store->append_events(one[0].id, {{"x", 2, "note", "a", "operator", "", R"({"n":1})"},
                                            {"x", 3, "signed_for", "u", "unit", "350602.cgj", "{}"}}));
  });
  const auto appended = s.store->appended();
  REQUIRE(appended.size() == 2);
  const auto log = whole_log(*s.store);
  REQUIRE(log.size() == 5);
  CHECK(appended[0].seq == log[3].event.seq);
  CHECK(appended[1].seq == log[4].event.seq);
  CHECK(appended[0].ticket_id == one[0].id);
  CHECK(appended[0].event.payload == R"({"n":1})");
  CHECK(appended[1].event.kind == "signed_for");
  s.store->appended().clear();
  s.store->record_appended(false);
  must(s.store->append_events(one[0].id, {{"x", 4, "note", "a", "operator", "", "{}"}}));
  CHECK(s.store->appended().empty());
}

// ---------------------------------------------------------------------------------------------------------------
// Transactions, readers, persistence

TEMPLATE_TEST_CASE("contract: a rolled-back transaction leaves no trace", "[storage][contract]",
                   HOTLINE_STORAGE_ENGINES) {
  Scratch<TestType> s;
  must(s.store->exec("BEGIN IMMEDIATE"));
  NewTicket t = sample("20261126", "rolled back");
  t.id = must(s.store->next_ticket_id(t.prefix, t.day));
  must(s.store->insert_ticket(t));
  must(s.store->write_projection(
      t.id,
      {t.state,
       t.received_ms,
       {{1, "350602.cgj", {}, true, "awaiting_sign_for", true, t.received_ms, t.received_ms + 1000}},
       {}},
      true));
  CHECK(must(s.store->find_ticket(t.id)));  // the writer sees its own open transaction
  must(s.store->exec("ROLLBACK"));
  CHECK_FALSE(must(s.store->find_ticket(t.id)));
  CHECK_FALSE(must(s.store->read_projection(t.id)));
  CHECK(whole_log(*s.store).empty());
  CHECK(must(s.store->count_tickets()) == 0);
  CHECK(must(s.store->count_by_state()).empty());
  CHECK(must(s.store->queue(Queue("350602.cgj"))).empty());
  CHECK(must(s.store->search(Search().text("rolled back"))).empty());
}

TEMPLATE_TEST_CASE("contract: readers see committed data only and cannot write", "[storage][contract]",
                   HOTLINE_STORAGE_ENGINES) {
  Scratch<TestType> s;
  auto reader = s.reader();
  CHECK(must(reader->count_tickets()) == 0);
  must(s.store->exec("BEGIN IMMEDIATE"));
  NewTicket t = sample("20261126", "pending commit");
  t.id = must(s.store->next_ticket_id(t.prefix, t.day));
  must(s.store->insert_ticket(t));
  CHECK_FALSE(must(reader->find_ticket(t.id)));
  CHECK(must(reader->events_after(0, 10)).empty());
  must(s.store->exec("COMMIT"));
  CHECK(must(reader->find_ticket(t.id)));
  CHECK(must(reader->events_after(0, 10)).size() == 2);
  CHECK(must(reader->search(Search().text("pending commit"))).size() == 1);

  NewTicket other = sample("20261126", "by a reader");
  other.id = "ZZ20261126999999";
  const auto refused = reader->insert_ticket(other);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().category == ErrorCategory::read_only);
  CHECK_FALSE(must(s.store->find_ticket(other.id)));
}

TEMPLATE_TEST_CASE("contract: tickets per state are counted", "[storage][contract]", HOTLINE_STORAGE_ENGINES) {
  Scratch<TestType> s;
  const auto counts = [&] {
    std::map<std::string, std::int64_t> out;
    for (const auto& [state, n] : must(s.store->count_by_state())) {
      CHECK(out.count(state) == 0);  // one row per state
      out[state] = n;
    }
    return out;
  };
  CHECK(counts().empty());
  std::vector<NewTicket> batch;
  for (const char* state : {"awaiting_sign_for", "in_progress", "awaiting_sign_for", "closed", "awaiting_sign_for"}) {
    batch.push_back(sample("20261126", state));
    batch.back().state = state;
  }
  must(s.store->insert_tickets(batch));
  using Counts = std::map<std::string, std::int64_t>;
  CHECK(counts() == Counts{{"awaiting_sign_for", 3}, {"in_progress", 1}, {"closed", 1}});
  // A projection's state is the ticket's state.
  must(s.store->write_projection(batch[0].id, {"replied", 2, {}, {}}));
  CHECK(counts() == Counts{{"awaiting_sign_for", 2}, {"in_progress", 1}, {"closed", 1}, {"replied", 1}});
  s.reopen();
  CHECK(counts() == Counts{{"awaiting_sign_for", 2}, {"in_progress", 1}, {"closed", 1}, {"replied", 1}});
  CHECK(must(s.store->count_tickets()) == 5);
}

TEMPLATE_TEST_CASE("contract: every ticket id is listed once, in id order, in pages", "[storage][contract]",
                   HOTLINE_STORAGE_ENGINES) {
  Scratch<TestType> s;
  std::vector<NewTicket> batch{sample("20261127", "c"), sample("20261126", "a"), sample("20261126", "b")};
  must(s.store->insert_tickets(batch));
  std::vector<std::string> listed;
  std::string after;
  for (int guard = 0; guard < 10; ++guard) {
    const auto page = must(s.store->ticket_ids(after, 2));
    if (page.empty()) break;
    listed.insert(listed.end(), page.begin(), page.end());
    after = page.back();
  }
  CHECK(listed == std::vector<std::string>{"ZZ20261126000001", "ZZ20261126000002", "ZZ20261127000001"});
}
