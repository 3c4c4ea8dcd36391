#include "daemon/writer/ticket_writer.hpp"

#include <unistd.h>

#include <algorithm>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <future>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "storage/statement.hpp"

using namespace hotline;
using daemon::TicketWriter;
using daemon::WriteJob;
using daemon::WriteResult;

namespace {

struct TempDir {
  std::string path;
  TempDir() {
    std::string pattern = std::filesystem::temp_directory_path().string() + "/hotline-writer-XXXXXX";
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

// A ticket with one event of each of `kinds` (none by default).
storage::NewTicket ticket(const std::string& content, const std::vector<std::string>& kinds = {}) {
  storage::NewTicket t;
  t.prefix = "ZZ";
  t.day = "20261127";
  t.received_at = "2026-11-27T09:30:00.000+08:00";
  t.received_ms = 1'795'000'000'000;
  t.type = "complaint";
  t.urgency = "normal";
  t.content = content;
  t.state = "awaiting_sign_for";
  t.unit_id = "350602.cgj";
  t.unit_name = "芗城区城市管理局";
  t.rule_id = "r";
  t.rules_version = "v";
  t.decision = "{}";
  for (const auto& k : kinds) t.events.push_back({"", 0, k, "local", "operator", "350602.cgj", "{}"});
  return t;
}

// Stores a ticket; with `fail_after`, then fails, so the writer must undo what it wrote.
WriteJob store_ticket(const std::string& content, bool fail_after = false, std::vector<std::string> kinds = {}) {
  return [content, fail_after, kinds](storage::TicketStore& store) -> WriteResult {
    auto t = ticket(content, kinds);
    auto id = store.next_ticket_id(t.prefix, t.day);
    if (!id) return id.error();
    t.id = *id;
    if (auto r = store.insert_ticket(t); !r) return r.error();
    if (fail_after) return storage::Error{0, "failed after writing"};
    return {};
  };
}

// Collects what the writer publishes after each commit.
struct Recorder : daemon::CommitListener {
  bool listening = true;
  std::mutex mutex;
  std::vector<std::vector<storage::AppendedEvent>> commits;
  bool wants_events() const override { return listening; }
  void committed(std::vector<storage::AppendedEvent> events) override {
    std::lock_guard lock(mutex);
    commits.push_back(std::move(events));
  }
};

}  // namespace

TEST_CASE("a job that fails after writing is undone alone while the rest of its group commits", "[writer]") {
  TempDir dir;
  const std::string path = dir.path + "/t.db";
  TicketWriter writer(storage::TicketStore::open(path).value(), 64);
  boost::asio::io_context io;

  // Hold the writer in a first group so the next jobs queue up and run as one group.
  std::promise<void> started, release;
  auto released = release.get_future().share();
  std::map<std::string, WriteResult> results;
  writer.async_write(
      [&](storage::TicketStore&) -> WriteResult {
        started.set_value();
        released.wait();
        return {};
      },
      boost::asio::bind_executor(io, [&](WriteResult r) { results["hold"] = r; }));
  started.get_future().wait();
  const auto record = [&](std::string name) { return [&, name](WriteResult r) { results[name] = r; }; };
  writer.async_write(store_ticket("甲"), boost::asio::bind_executor(io, record("a")));
  writer.async_write(store_ticket("乙", /*fail_after=*/true), boost::asio::bind_executor(io, record("b")));
  writer.async_write(store_ticket("丙"), boost::asio::bind_executor(io, record("c")));
  writer.async_write(
      [](storage::TicketStore&) -> WriteResult {
        return storage::Error{0, "refused"};
      },
      boost::asio::bind_executor(io, record("d")));
  release.set_value();
  io.run();  // returns once every handler has run: each holds outstanding work until its commit
  writer.stop();

  REQUIRE(results.size() == 5);
  CHECK(results["a"]);
  CHECK_FALSE(results["b"]);
  CHECK(results["c"]);
  CHECK_FALSE(results["d"]);
  CHECK(writer.commits() == 2);  // the hold, then a, b, c, d together (rolled back once and run again isolated)
  auto store = storage::TicketStore::open(path).value();
  CHECK(store->count_tickets().value() == 2);
  CHECK(store->find_ticket("ZZ20261127000001").value()->content == "甲");
  CHECK(store->find_ticket("ZZ20261127000002").value()->content == "丙");  // b's number was never committed
}

TEST_CASE("a job that throws fails alone and the writer goes on", "[writer]") {
  TempDir dir;
  const std::string path = dir.path + "/t.db";
  TicketWriter writer(storage::TicketStore::open(path).value(), 64);
  const WriteJob throws_after_writing = [](storage::TicketStore& store) -> WriteResult {
    if (auto r = store_ticket("甲")(store); !r) return r;
    throw std::runtime_error("a bug in the job");
  };
  const WriteResult thrown = writer.run_blocking(throws_after_writing);
  REQUIRE_FALSE(thrown);
  CHECK(thrown.error().category == storage::ErrorCategory::internal);
  CHECK(thrown.error().message.find("a bug in the job") != std::string::npos);
  REQUIRE(writer.run_blocking(store_ticket("乙")));  // the writer thread is still there
  writer.stop();
  auto store = storage::TicketStore::open(path).value();
  CHECK(store->count_tickets().value() == 1);  // what the throwing job wrote was rolled back
  CHECK(store->find_ticket("ZZ20261127000001").value()->content == "乙");
}

TEST_CASE("the writer indexes new tickets for search once a batch has gathered", "[writer]") {
  TempDir dir;
  // Never idle long enough to index a partial batch: only a full batch of 2 is indexed, right after its group.
  TicketWriter writer(storage::TicketStore::open(dir.path + "/t.db").value(), 64, /*search_batch=*/2,
                      std::chrono::hours(1));
  const auto backlog = [&] {
    std::int64_t seen = -1;
    REQUIRE(writer.run_blocking([&](storage::TicketStore& store) -> WriteResult {
      seen = store.search_backlog().value();
      return {};
    }));
    return seen;
  };
  REQUIRE(writer.run_blocking(store_ticket("路灯不亮")));
  CHECK(backlog() == 1);  // less than a batch: it waits
  REQUIRE(writer.run_blocking(store_ticket("路灯闪烁")));
  // The second ticket made a batch: indexed after its group on the writer thread, before the next job ran.
  CHECK(backlog() == 0);
  REQUIRE(writer.run_blocking(store_ticket("路灯倒了")));
  CHECK(backlog() == 1);
}

TEST_CASE("the writer leaves a partial search batch alone while jobs keep coming", "[writer]") {
  TempDir dir;
  // Never idle long enough: the writer waits an hour without jobs before it indexes fewer than 100 tickets.
  TicketWriter writer(storage::TicketStore::open(dir.path + "/t.db").value(), 64, /*search_batch=*/100,
                      std::chrono::hours(1));
  for (const char* content : {"路灯不亮", "路灯闪烁", "路灯倒了"}) REQUIRE(writer.run_blocking(store_ticket(content)));
  std::int64_t seen = -1;
  REQUIRE(writer.run_blocking([&](storage::TicketStore& store) -> WriteResult {
    seen = store.search_backlog().value();
    return {};
  }));
  // Indexing whatever waited each time the queue ran dry would have left at most one.
  CHECK(seen == 3);
}

TEST_CASE("an idle writer indexes a partial search batch", "[writer]") {
  TempDir dir;
  TicketWriter writer(storage::TicketStore::open(dir.path + "/t.db").value(), 64, /*search_batch=*/100,
                      std::chrono::milliseconds(20));
  REQUIRE(writer.run_blocking(store_ticket("路灯不亮")));
  REQUIRE(writer.run_blocking(store_ticket("路灯闪烁")));
  // Watched from a read-only connection of its own, which is no work for the writer; bounded at 30 s.
  auto reader = storage::Connection::open(dir.path + "/t.db", /*create=*/false, /*read_only=*/true).value();
  const auto indexed = [&] {
    storage::Statement s(reader.get(), "SELECT indexed_rowid FROM search_progress");
    REQUIRE(s.step().value());
    return s.column_int(0);
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (indexed() != 2 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  CHECK(indexed() == 2);
}

TEST_CASE("a group commit publishes its events in seq order without those of a failed job", "[writer][feed]") {
  TempDir dir;
  TicketWriter writer(storage::TicketStore::open(dir.path + "/t.db").value(), 64);
  Recorder recorder;
  writer.set_listener(&recorder);
  boost::asio::io_context io;
  std::promise<void> started, release;
  auto released = release.get_future().share();
  writer.async_write(
      [&](storage::TicketStore&) -> WriteResult {
        started.set_value();
        released.wait();
        return {};
      },
      boost::asio::bind_executor(io, [](WriteResult) {}));
  started.get_future().wait();
  // Queued together behind the hold: one group, rolled back once for b and run again with savepoints.
  const auto ignore = [&io] { return boost::asio::bind_executor(io, [](WriteResult) {}); };
  writer.async_write(store_ticket("甲", false, {"received", "dispatched"}), ignore());
  writer.async_write(store_ticket("乙", true, {"received", "merged"}), ignore());
  writer.async_write(store_ticket("丙", false, {"received", "closed"}), ignore());
  release.set_value();
  io.run();
  writer.stop();

  std::vector<storage::AppendedEvent> all;
  for (auto& commit : recorder.commits) all.insert(all.end(), commit.begin(), commit.end());
  std::vector<std::string> kinds;
  for (const auto& e : all) kinds.push_back(e.event.kind);
  CHECK(kinds == std::vector<std::string>{"received", "dispatched", "received", "closed"});  // nothing of b
  for (std::size_t i = 1; i < all.size(); ++i) CHECK(all[i - 1].seq < all[i].seq);
  CHECK(all.front().ticket_id == "ZZ20261127000001");
  CHECK(all.back().ticket_id == "ZZ20261127000002");
}

TEST_CASE("nothing is recorded or published while nobody listens", "[writer][feed]") {
  TempDir dir;
  TicketWriter writer(storage::TicketStore::open(dir.path + "/t.db").value(), 64);
  Recorder recorder;
  recorder.listening = false;
  writer.set_listener(&recorder);
  std::size_t recorded = 99;
  REQUIRE(writer.run_blocking(store_ticket("甲", false, {"received", "dispatched"})));
  REQUIRE(writer.run_blocking([&](storage::TicketStore& s) -> WriteResult {
    recorded = s.appended().size();
    return {};
  }));
  writer.stop();
  CHECK(recorded == 0);
  CHECK(recorder.commits.empty());
}
