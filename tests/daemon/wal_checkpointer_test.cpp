// WAL checkpoints off the writer: under a writer that never pauses, the WAL is started over again and again
// instead of growing for as long as the load lasts.
#include "daemon/wal_checkpointer.hpp"

#include <catch2/catch.hpp>
#include <climits>
#include <filesystem>

#include "storage/statement.hpp"
#include "tests/storage/store_fixture.hpp"

namespace hotline::daemon {
namespace {

// The WAL's largest size in pages after `commits` back-to-back commits of one 4 KB row each.
std::uintmax_t wal_pages_after(int commits, int restart_pages) {
  storage::test::TempDb db;
  auto writer = storage::Connection::open(db.path, true, false);
  REQUIRE(writer.has_value());
  REQUIRE(writer->exec("CREATE TABLE t(id INTEGER PRIMARY KEY, body BLOB NOT NULL)").has_value());
  {
    WalCheckpointer checkpointer(db.path, 50, restart_pages);
    writer->hand_off_checkpoints(checkpointer.hook());
    for (int i = 0; i < commits; ++i) REQUIRE(writer->exec("INSERT INTO t(body) VALUES (zeroblob(4000))").has_value());
    writer->hand_off_checkpoints(nullptr);
  }
  // The WAL file keeps its high-water mark when it is started over, so its size tells how far it ever grew.
  return std::filesystem::file_size(db.path + "-wal") / 4096;
}

}  // namespace

TEST_CASE("a steady writer's WAL is started over instead of growing with the load", "[daemon][checkpoint]") {
  const auto bounded = wal_pages_after(4000, 400);
  const auto unbounded = wal_pages_after(4000, INT_MAX);  // passive checkpoints only
  INFO("WAL pages with restarts " << bounded << ", without " << unbounded);
  CHECK(bounded < 1200);    // about the restart size, plus a commit or two while a passive run finished
  CHECK(unbounded > 3000);  // 4,000 commits of three frames each, and the WAL was never started over
}

}  // namespace hotline::daemon
