#include "storage/ticket_store.hpp"

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "storage/migrations.hpp"
#include "storage/time_budget.hpp"
#include "tests/storage/store_fixture.hpp"

using namespace hotline::storage;
using hotline::storage::test::sample;
using hotline::storage::test::TempDb;

namespace {}  // namespace

TEST_CASE("a batch of tickets is numbered per day and read back with its events", "[storage]") {
  TempDb db;
  auto store = TicketStore::open(db.path).value();
  std::vector<NewTicket> batch{sample("20261126", "a"), sample("20261126", "b"), sample("20261127", "c")};
  REQUIRE(store->insert_tickets(batch));
  CHECK(batch[0].id == "ZZ20261126000001");
  CHECK(batch[1].id == "ZZ20261126000002");
  CHECK(batch[2].id == "ZZ20261127000001");
  std::vector<NewTicket> more{sample("20261126", "d")};
  REQUIRE(store->insert_tickets(more));
  CHECK(more[0].id == "ZZ20261126000003");
  CHECK(store->count_tickets().value() == 4);

  const auto found = store->find_ticket("ZZ20261126000002").value();
  REQUIRE(found);
  CHECK(found->content == "b");
  CHECK(found->unit_name == "芗城区城市管理局");
  CHECK(found->channel == "phone");
  CHECK_FALSE(found->address);
  REQUIRE(found->events.size() == 2);
  CHECK(found->events[0].kind == "received");
  CHECK_FALSE(found->events[0].unit_id);
  CHECK(found->events[1].unit_id == "350602.cgj");
  CHECK(found->events[0].seq < found->events[1].seq);
  CHECK_FALSE(store->find_ticket("ZZ20261126000099").value());
}

TEST_CASE("a failed batch writes nothing and leaves the numbering untouched", "[storage]") {
  TempDb db;
  auto store = TicketStore::open(db.path).value();
  std::vector<NewTicket> ok{sample("20261126", "a")};
  REQUIRE(store->insert_tickets(ok));
  // A trigger refuses the batch's second ticket: the first must roll back with it.
  std::vector<NewTicket> bad{sample("20261126", "b"), sample("20261126", "c")};
  const auto result = [&] {
    sqlite3* raw = nullptr;
    sqlite3_open(db.path.c_str(), &raw);
    sqlite3_exec(raw,
                 "CREATE TRIGGER fail_c BEFORE INSERT ON tickets WHEN NEW.content = 'c' "
                 "BEGIN SELECT RAISE(ABORT, 'refused for the test'); END;",
                 nullptr, nullptr, nullptr);
    sqlite3_close(raw);
    return store->insert_tickets(bad);
  }();
  CHECK_FALSE(result);
  CHECK(result.error().message.find("refused for the test") != std::string::npos);
  CHECK(bad[0].id.empty());
  CHECK(store->count_tickets().value() == 1);
  std::vector<NewTicket> next{sample("20261126", "d")};
  REQUIRE(store->insert_tickets(next));
  CHECK(next[0].id == "ZZ20261126000002");
}

TEST_CASE("events are append-only", "[storage]") {
  TempDb db;
  auto store = TicketStore::open(db.path).value();
  std::vector<NewTicket> one{sample("20261126", "a")};
  REQUIRE(store->insert_tickets(one));
  sqlite3* raw = nullptr;
  sqlite3_open(db.path.c_str(), &raw);
  char* err = nullptr;
  CHECK(sqlite3_exec(raw, "UPDATE events SET kind = 'forged'", nullptr, nullptr, &err) != SQLITE_OK);
  CHECK(std::string(err) == "events are append-only");
  sqlite3_free(err);
  CHECK(sqlite3_exec(raw, "DELETE FROM events", nullptr, nullptr, &err) != SQLITE_OK);
  sqlite3_free(err);
  sqlite3_close(raw);
  CHECK(store->find_ticket(one[0].id).value()->events.size() == 2);
}

TEST_CASE("migrations set user_version, run once, and refuse a newer database", "[storage]") {
  TempDb db;
  { auto store = TicketStore::open(db.path).value(); }
  { auto again = TicketStore::open(db.path).value(); }  // re-opening must not re-run step 1
  sqlite3* raw = nullptr;
  sqlite3_open(db.path.c_str(), &raw);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(raw, "PRAGMA user_version", -1, &stmt, nullptr);
  sqlite3_step(stmt);
  CHECK(sqlite3_column_int(stmt, 0) == schema_version());
  sqlite3_finalize(stmt);
  sqlite3_prepare_v2(raw, "PRAGMA journal_mode", -1, &stmt, nullptr);
  sqlite3_step(stmt);
  CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0))) == "wal");
  sqlite3_finalize(stmt);
  sqlite3_exec(raw, "PRAGMA user_version = 999", nullptr, nullptr, nullptr);
  sqlite3_close(raw);
  const auto newer = TicketStore::open(db.path);
  REQUIRE_FALSE(newer);
  CHECK(newer.error().message.find("newer than this build") != std::string::npos);
  CHECK(newer.error().category == ErrorCategory::schema);
}

TEST_CASE("opening a missing database read-only fails with a clear error", "[storage]") {
  TempDb db;
  const auto r = TicketStore::open(db.path + ".missing", {.create = false, .read_only = true});
  REQUIRE_FALSE(r);
  CHECK(r.error().message.find("cannot open database") != std::string::npos);
  CHECK(r.error().category == ErrorCategory::io);
}

TEST_CASE("a new database and its WAL are 0640 (owner writes, group reads), and an existing file keeps its mode",
          "[storage]") {
  namespace fs = std::filesystem;
  const mode_t saved = ::umask(022);
  TempDb tmp;
  const auto owner_and_group_read = fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read;
  {
    auto store = TicketStore::open(tmp.path);
    REQUIRE(store);
    auto t = sample("20261205", "有人的电话和名字");
    REQUIRE((*store)->insert_ticket(t));  // the WAL now exists
    const auto perms = [](const std::string& p) { return fs::status(p).permissions() & fs::perms::all; };
    CHECK(perms(tmp.path) == owner_and_group_read);
    CHECK(perms(tmp.path + "-wal") == owner_and_group_read);
  }
  // An admin who chose to keep the file to its owner (chmod 600) keeps that choice.
  fs::permissions(tmp.path, fs::perms::owner_read | fs::perms::owner_write);
  REQUIRE(TicketStore::open(tmp.path));
  CHECK((fs::status(tmp.path).permissions() & fs::perms::all) == (fs::perms::owner_read | fs::perms::owner_write));
  ::umask(saved);
}

TEST_CASE("storage errors carry the category callers decide by", "[storage]") {
  CHECK(category_of_sqlite(SQLITE_BUSY) == ErrorCategory::busy);
  CHECK(category_of_sqlite(SQLITE_LOCKED_SHAREDCACHE) == ErrorCategory::busy);
  CHECK(category_of_sqlite(SQLITE_CONSTRAINT_UNIQUE) == ErrorCategory::constraint);
  CHECK(category_of_sqlite(SQLITE_CORRUPT) == ErrorCategory::corrupt);
  CHECK(category_of_sqlite(SQLITE_NOTADB) == ErrorCategory::corrupt);
  CHECK(category_of_sqlite(SQLITE_IOERR_FSYNC) == ErrorCategory::io);
  CHECK(category_of_sqlite(SQLITE_CANTOPEN) == ErrorCategory::io);
  CHECK(category_of_sqlite(SQLITE_FULL) == ErrorCategory::full);
  CHECK(category_of_sqlite(SQLITE_READONLY_DBMOVED) == ErrorCategory::read_only);
  CHECK(category_of_sqlite(SQLITE_ERROR) == ErrorCategory::internal);
  CHECK(Error(SQLITE_CONSTRAINT_CHECK, "x").category == ErrorCategory::constraint);

  // A constraint the schema enforces comes back as such: the same ticket number twice.
  TempDb db;
  auto store = TicketStore::open(db.path).value();
  std::vector<NewTicket> one{sample("20261126", "a")};
  REQUIRE(store->insert_tickets(one));
  auto again = sample("20261126", "b");
  again.id = one[0].id;
  const auto twice = store->insert_ticket(again);
  REQUIRE_FALSE(twice);
  CHECK(twice.error().category == ErrorCategory::constraint);
}

TEST_CASE("search finds substrings of any length and never over-matches a longer phrase", "[storage]") {
  TempDb db;
  auto store = TicketStore::open(db.path).value();
  std::vector<NewTicket> batch{sample("20261126", "小区门口路灯不亮已经一周"),
                               sample("20261126", "路灯不好使，灯不亮了没人管"),
                               sample("20261126", "工地夜间施工噪音扰民")};
  REQUIRE(store->insert_tickets(batch));
  const auto ids = [&](const std::string& text) {
    SearchQuery q;
    q.text = text;
    std::vector<std::string> out;
    for (const auto& row : store->search(q).value()) out.push_back(row.content);
    return out;
  };
  // The same answers before the batch indexer ran (a direct scan) and after (the trigram index).
  for (const bool indexed : {false, true}) {
    CAPTURE(indexed);
    if (indexed) {
      REQUIRE(store->search_backlog().value() == 3);
      REQUIRE(store->index_search(2).value() == 2);
      REQUIRE(store->index_search(2).value() == 1);
      REQUIRE(store->index_search(2).value() == 0);
      REQUIRE(store->search_backlog().value() == 0);
    }
    CHECK(ids("路灯不亮") ==
          std::vector<std::string>{"小区门口路灯不亮已经一周"});  // the other has both trigrams, not the phrase
    CHECK(ids("路灯").size() == 2);                               // two characters: a scan
    CHECK(ids("施工噪音扰民") == std::vector<std::string>{"工地夜间施工噪音扰民"});
    CHECK(ids("不存在的内容").empty());
    CHECK(ids("\"路灯\"").empty());  // quotes in the text are searched for, not interpreted
  }
}

TEST_CASE("the search index covers every ticket once and resumes after a reopen", "[storage]") {
  TempDb db;
  {
    auto store = TicketStore::open(db.path).value();
    std::vector<NewTicket> batch{sample("20261126", "路灯不亮"), sample("20261126", "路灯闪烁")};
    REQUIRE(store->insert_tickets(batch));
    REQUIRE(store->index_search(10).value() == 2);
    std::vector<NewTicket> more{sample("20261126", "路灯倒了")};
    REQUIRE(store->insert_tickets(more));
  }
  auto store = TicketStore::open(db.path).value();
  CHECK(store->search_backlog().value() == 1);  // read back from search_progress and the tickets table
  CHECK(store->index_search(10).value() == 1);
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open_v2(db.path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(raw, "SELECT count(*) FROM tickets_fts WHERE tickets_fts MATCH '\"路灯\"'", -1, &st,
                             nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(st) == SQLITE_ROW);
  CHECK(sqlite3_column_int(st, 0) == 0);  // two characters are no trigram
  sqlite3_finalize(st);
  REQUIRE(sqlite3_prepare_v2(raw,
                             "SELECT count(*) FROM tickets_fts WHERE tickets_fts MATCH '\"路灯不\" OR \"路灯闪\" OR"
                             " \"路灯倒\"'",
                             -1, &st, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(st) == SQLITE_ROW);
  CHECK(sqlite3_column_int(st, 0) == 3);  // each ticket indexed exactly once
  sqlite3_finalize(st);
  sqlite3_close(raw);
}

TEST_CASE("a store's escalation tables are one session: their statements are prepared once", "[storage]") {
  TempDb db;
  auto store = TicketStore::open(db.path).value();
  const auto prepared = [&] {
    int n = 0;
    for (sqlite3_stmt* s = sqlite3_next_stmt(store->handle(), nullptr); s != nullptr;
         s = sqlite3_next_stmt(store->handle(), s)) {
      ++n;
    }
    return n;
  };
  REQUIRE(store->escalations().earliest_stage().has_value());
  REQUIRE(store->escalations().count_armed().has_value());
  const int after_first = prepared();
  CHECK(after_first >= 2);             // the two statements outlive the calls that prepared them
  for (int job = 0; job < 3; ++job) {  // as three write jobs would
    REQUIRE(store->escalations().earliest_stage().has_value());
    REQUIRE(store->escalations().count_armed().has_value());
  }
  CHECK(&store->escalations() == &store->escalations());
  CHECK(prepared() == after_first);
}

TEST_CASE("a time budget interrupts a statement that runs past it, and only that", "[storage]") {
  TempDb db;
  auto store = TicketStore::open(db.path).value();
  // A statement that never ends on its own.
  Statement endless(store->handle(),
                    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT max(x) FROM c");
  const auto started = std::chrono::steady_clock::now();
  {
    const TimeBudget budget(store->handle(), std::chrono::milliseconds(20));
    const auto r = endless.step();
    REQUIRE_FALSE(r.has_value());
    CHECK(budget.exceeded());
  }
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
  endless.reset();
  // Without a budget (the handler is gone with it) the same connection runs statements to their end.
  Statement bounded(store->handle(),
                    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000)"
                    " SELECT max(x) FROM c");
  REQUIRE(bounded.step().value());
  CHECK(bounded.column_int(0) == 100000);
}

TEST_CASE("a search over its time budget is an over_budget error, and within it the rows are the same", "[storage]") {
  TempDb db;
  auto store = TicketStore::open(db.path).value();
  std::vector<NewTicket> batch;
  for (int i = 0; i < 30000; ++i)
    batch.push_back(sample("20261126", "芗城区胜利路路灯不亮第" + std::to_string(i) + "号"));
  REQUIRE(store->insert_tickets(batch));
  SearchQuery q;
  q.text = "噪音";  // two characters: a scan of every ticket, and none matches
  const auto stopped = store->search(q, std::chrono::milliseconds(1));
  REQUIRE_FALSE(stopped.has_value());
  CHECK(stopped.error().category == ErrorCategory::over_budget);
  CHECK(stopped.error().message.find("SQL") == std::string::npos);
  // The connection is usable afterwards, and a generous budget gives what no budget gives.
  q.text = "路灯";
  const auto unbounded = store->search(q).value();
  const auto budgeted = store->search(q, std::chrono::seconds(60)).value();
  REQUIRE(unbounded.size() == 50);
  REQUIRE(budgeted.size() == unbounded.size());
  for (std::size_t i = 0; i < budgeted.size(); ++i) CHECK(budgeted[i].ticket_id == unbounded[i].ticket_id);
}
