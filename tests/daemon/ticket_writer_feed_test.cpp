// The writer publishes each committed transaction's events, and nothing a failed job wrote.
#include <catch2/catch.hpp>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <future>
#include <mutex>

#include "daemon/ticket_writer.hpp"

using namespace hotline;
using namespace hotline::daemon;

namespace {

struct TempDb {
  std::string dir, path;
  TempDb() {
    std::string pattern = std::filesystem::temp_directory_path().string() + "/hotline-writer-XXXXXX";
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    dir = pattern;
    path = dir + "/t.db";
  }
  ~TempDb() { std::filesystem::remove_all(dir); }
};

struct Recorder : CommitListener {
  bool listening = true;
  std::mutex mutex;
  std::vector<std::vector<storage::AppendedEvent>> commits;
  bool wants_events() const override { return listening; }
  void committed(std::vector<storage::AppendedEvent> events) override {
    std::lock_guard lock(mutex);
    commits.push_back(std::move(events));
  }
};

storage::NewEvent new_event(std::string kind) {
  return {"2026-11-26T09:30:00.000+08:00", 1'795'000'000'000, std::move(kind), "local", "operator", "350602.cgj", "{}"};
}

// A job that numbers and inserts a ticket with `kinds` as its events, then fails when `fail` is set.
WriteJob ticket_job(std::vector<std::string> kinds, bool fail) {
  return [kinds, fail](storage::TicketStore& store) -> WriteResult {
    auto id = store.next_ticket_id("ZZ", "20261126");
    if (!id) return id.error();
    storage::NewTicket t;
    t.id = *id;
    t.received_at = "2026-11-26T09:30:00.000+08:00";
    t.type = "complaint";
    t.urgency = "normal";
    t.content = "路灯不亮";
    t.state = "awaiting_sign_for";
    t.unit_id = "350602.cgj";
    t.unit_name = "城管局";
    t.rule_id = "r";
    t.rules_version = "v";
    t.decision = "{}";
    for (const auto& k : kinds) t.events.push_back(new_event(k));
    if (auto r = store.insert_ticket(t); !r) return r.error();
    if (fail) return storage::Error{1, "the job changed its mind"};
    return {};
  };
}

std::vector<std::string> kinds_of(const std::vector<storage::AppendedEvent>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.event.kind);
  return out;
}

}  // namespace

TEST_CASE("a group commit publishes its events in seq order without those of a failed job", "[feed][writer]") {
  TempDb db;
  auto store = storage::TicketStore::open(db.path);
  REQUIRE(store);
  Recorder recorder;
  TicketWriter writer(std::move(*store), 64);
  writer.set_listener(&recorder);

  // Hold the writer inside a job so the next three queue up and share one transaction.
  std::promise<void> release;
  std::promise<void> holding;
  auto hold = std::async(std::launch::async, [&] {
    return writer.run_blocking([&](storage::TicketStore&) -> WriteResult {
      holding.set_value();
      release.get_future().wait();
      return {};
    });
  });
  holding.get_future().wait();
  // async_write queues before it returns, so the three are waiting together when the writer is released.
  std::array<std::promise<WriteResult>, 3> done;
  writer.async_write(ticket_job({"received", "dispatched"}, false), [&](WriteResult r) { done[0].set_value(r); });
  writer.async_write(ticket_job({"received", "merged"}, true), [&](WriteResult r) { done[1].set_value(r); });
  writer.async_write(ticket_job({"received", "closed"}, false), [&](WriteResult r) { done[2].set_value(r); });
  release.set_value();
  REQUIRE(hold.get());
  REQUIRE(done[0].get_future().get());
  REQUIRE_FALSE(done[1].get_future().get());
  REQUIRE(done[2].get_future().get());
  CHECK(writer.commits() == 2);  // the holding job's transaction, then one for the three
  writer.stop();

  std::vector<storage::AppendedEvent> all;
  for (auto& commit : recorder.commits) {
    for (std::size_t i = 1; i < commit.size(); ++i) CHECK(commit[i - 1].seq < commit[i].seq);
    all.insert(all.end(), commit.begin(), commit.end());
  }
  const auto kinds = kinds_of(all);
  CHECK(std::find(kinds.begin(), kinds.end(), "merged") == kinds.end());  // the failed job published nothing
  CHECK(std::count(kinds.begin(), kinds.end(), "received") == 2);
  CHECK(std::count(kinds.begin(), kinds.end(), "dispatched") == 1);
  CHECK(std::count(kinds.begin(), kinds.end(), "closed") == 1);
  for (std::size_t i = 1; i < all.size(); ++i) CHECK(all[i - 1].seq < all[i].seq);
}

TEST_CASE("nothing is recorded or published while nobody listens", "[feed][writer]") {
  TempDb db;
  auto store = storage::TicketStore::open(db.path);
  REQUIRE(store);
  Recorder recorder;
  recorder.listening = false;
  TicketWriter writer(std::move(*store), 64);
  writer.set_listener(&recorder);
  std::size_t recorded = 99;
  REQUIRE(writer.run_blocking(ticket_job({"received", "dispatched"}, false)));
  REQUIRE(writer.run_blocking([&](storage::TicketStore& s) -> WriteResult {
    recorded = s.appended().size();
    return {};
  }));
  writer.stop();
  CHECK(recorded == 0);
  CHECK(recorder.commits.empty());
}
