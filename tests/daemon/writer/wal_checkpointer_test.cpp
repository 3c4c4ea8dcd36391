// WAL checkpoints off the writer: under a writer that never pauses, the WAL is started over again and again
// instead of growing for as long as the load lasts, and each cycle gets one passive checkpoint, not one a commit.
#include "daemon/writer/wal_checkpointer.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <climits>
#include <filesystem>

#include "storage/statement.hpp"
#include "tests/storage/store_fixture.hpp"

namespace hotline::daemon {
namespace {

// A writer connection to a fresh database with one table of 4 KB rows.
storage::Connection open_writer(const storage::test::TempDb& db) {
  auto writer = storage::Connection::open(db.path, true, false);
  REQUIRE(writer.has_value());
  REQUIRE(writer->exec("CREATE TABLE t(id INTEGER PRIMARY KEY, body BLOB NOT NULL)").has_value());
  return std::move(*writer);
}

void insert_rows(storage::Connection& writer, int commits) {
  for (int i = 0; i < commits; ++i) REQUIRE(writer.exec("INSERT INTO t(body) VALUES (zeroblob(4000))").has_value());
}

// Watches the WAL sizes the writer reports and counts its cycles, then hands each size on to the checkpointer.
// Used where it is made (its hook refers to it), never copied.
struct CycleWatch {
  WalCheckpointer& checkpointer;
  int passive_pages = INT_MAX;
  int cycles = 0;               // times the WAL started over
  int cycles_past_passive = 0;  // cycles that reached passive_pages (the current one counted by finish())
  int last = 0;
  bool reached = false;
  storage::Connection::CommitHook hook = [this](int pages) {
    if (pages < last) {
      ++cycles;
      if (reached) ++cycles_past_passive;
      reached = false;
    }
    last = pages;
    reached = reached || pages >= passive_pages;
    return (*checkpointer.hook())(pages);
  };
  void finish() {
    if (reached) ++cycles_past_passive;
    reached = false;
  }
};

struct Outcome {
  std::uintmax_t wal_pages = 0;  // the WAL's largest size
  int cycles = 0;
  int cycles_past_passive = 0;
  std::uint64_t passive_requests = 0;  // as counted by the checkpointer
};

// `commits` back-to-back commits of one 4 KB row each, under a checkpointer with the given sizes.
Outcome run_commits(int commits, int passive_pages, int restart_pages) {
  storage::test::TempDb db;
  auto writer = open_writer(db);
  Outcome out;
  {
    WalCheckpointer checkpointer(db.path, passive_pages, restart_pages);
    CycleWatch watch{checkpointer, passive_pages};
    writer.hand_off_checkpoints(&watch.hook);
    insert_rows(writer, commits);
    writer.hand_off_checkpoints(nullptr);
    watch.finish();
    out.cycles = watch.cycles;
    out.cycles_past_passive = watch.cycles_past_passive;
    out.passive_requests = checkpointer.passive_requests();
  }
  // The WAL file keeps its high-water mark when it is started over, so its size tells how far it ever grew.
  out.wal_pages = std::filesystem::file_size(db.path + "-wal") / 4096;
  return out;
}

}  // namespace

TEST_CASE("a steady writer's WAL is started over instead of growing with the load", "[daemon][checkpoint]") {
  const auto bounded = run_commits(4000, 50, 400);
  const auto unbounded = run_commits(4000, 50, INT_MAX);  // a passive checkpoint, never a restart
  INFO("WAL pages with restarts " << bounded.wal_pages << ", without " << unbounded.wal_pages);
  CHECK(bounded.wal_pages < 1200);    // about the restart size, plus a commit or two while a passive run finished
  CHECK(unbounded.wal_pages > 3000);  // 4,000 commits of three frames each, and the WAL was never started over
}

TEST_CASE("a reader on an old snapshot does not hold up the writer's commits past the restart size",
          "[daemon][checkpoint]") {
  storage::test::TempDb db;
  auto writer = open_writer(db);
  insert_rows(writer, 1);
  // A long read (a nightly report) keeps its snapshot while the writer goes on.
  auto reader = storage::Connection::open(db.path, false, true);
  REQUIRE(reader.has_value());
  REQUIRE(reader->exec("BEGIN").has_value());
  {
    storage::Statement s(reader->get(), "SELECT count(*) FROM t");
    REQUIRE(s.step().value());
  }
  WalCheckpointer checkpointer(db.path, INT_MAX, 20);  // no passive runs; a restart from 20 pages on
  CycleWatch watch{checkpointer};
  writer.hand_off_checkpoints(&watch.hook);
  // Past the restart size every commit asks for a restart, which the reader prevents. A restart that waited for
  // the reader would wait out the busy timeout (5 s) in each of these commits: a minute in all.
  const auto start = std::chrono::steady_clock::now();
  insert_rows(writer, 12);
  const auto waited = std::chrono::steady_clock::now() - start;
  CHECK(waited < std::chrono::seconds(5));
  CHECK(watch.cycles == 0);
  // Once the reader is done, the next commits start the WAL over.
  REQUIRE(reader->exec("COMMIT").has_value());
  insert_rows(writer, 3);
  writer.hand_off_checkpoints(nullptr);
  CHECK(watch.cycles == 1);
}

TEST_CASE("each WAL cycle gets one passive checkpoint, however many commits it holds", "[daemon][checkpoint]") {
  const auto o = run_commits(4000, 300, 400);
  INFO("cycles " << o.cycles << ", past the passive size " << o.cycles_past_passive << ", passive runs asked "
                 << o.passive_requests);
  CHECK(o.cycles >= 20);  // 4,000 commits of about three frames each, started over at 400 frames
  CHECK(o.passive_requests == static_cast<std::uint64_t>(o.cycles_past_passive));
}

}  // namespace hotline::daemon
