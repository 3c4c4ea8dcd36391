// The WAL write buffer: SQLite's many small WAL writes leave the process as few large ones, and a commit is on
// disk when it returns even if the process dies at once (nothing left in the buffer).
#include "storage/wal_write_buffer.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <string>

#include "storage/database.hpp"
#include "storage/statement.hpp"
#include "store_fixture.hpp"
#include "tests/storage/sync_counting_vfs.hpp"

namespace hotline::storage::test {
namespace {

// Commits `rows` rows of 1 KB into table t (created when missing) over `db`, `per_commit` rows a transaction.
void fill(Connection& db, int rows, int per_commit) {
  REQUIRE(db.exec("CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, body TEXT NOT NULL)").has_value());
  for (int done = 0; done < rows; done += per_commit) {
    REQUIRE(db.exec("BEGIN IMMEDIATE").has_value());
    for (int i = 0; i < per_commit; ++i)
      REQUIRE(db.exec("INSERT INTO t(body) VALUES (printf('%.1024c', 'x'))").has_value());
    REQUIRE(db.exec("COMMIT").has_value());
  }
}

std::int64_t count_rows(const std::string& path) {
  auto reader = Connection::open(path, false, true);
  REQUIRE(reader.has_value());
  Statement st(reader->get(), "SELECT count(*) FROM t");
  REQUIRE(st.step().value());
  return st.column_int(0);
}

}  // namespace

TEST_CASE("WAL frames of a commit leave in a handful of writes instead of two per page", "[storage][wal]") {
  TempDb db;
  auto conn = Connection::open(db.path, true, false);
  REQUIRE(conn.has_value());
  REQUIRE(wal_write_buffer_vfs() != nullptr);
  const auto before = wal_write_counts();
  fill(*conn, 2000, 100);  // 20 commits of about 30 pages each (more than one write of the VFS takes)
  const auto after = wal_write_counts();
  const auto writes = after.writes - before.writes;
  const auto flushes = after.flushes - before.flushes;
  CHECK(writes >= 20 * 2 * 25);        // SQLite still asks for two writes per frame
  CHECK(flushes <= 20 * 3);            // but each commit reaches the file in about one
  CHECK(count_rows(db.path) == 2000);  // another connection (default VFS) sees every committed row
}

TEST_CASE("every commit syncs the WAL after its buffered frames were written", "[storage][wal]") {
  // Counted below the write buffer (sync_counting_vfs): what the real WAL file was given, and when it was synced.
  REQUIRE(sync_counting_vfs_installed());
  TempDb db;
  auto conn = open_database(db.path);  // as every store opens it
  REQUIRE(conn.has_value());
  {
    Statement sync(conn->get(), "PRAGMA synchronous");
    REQUIRE(sync.step().value());
    REQUIRE(sync.column_int(0) == 2);  // FULL: SQLite syncs the WAL at every commit
  }
  REQUIRE(conn->exec("CREATE TABLE t(id INTEGER PRIMARY KEY, body TEXT NOT NULL)").has_value());
  // Small commits, and commits larger than the buffer (flushed part-way through the transaction).
  for (const int rows : {1, 1, 40, 1, 1500, 3}) {
    CAPTURE(rows);
    const auto before = wal_file_counts();
    REQUIRE(conn->exec("BEGIN IMMEDIATE").has_value());
    for (int i = 0; i < rows; ++i)
      REQUIRE(conn->exec("INSERT INTO t(body) VALUES (printf('%.1024c', 'z'))").has_value());
    const auto in_transaction = wal_file_counts();
    REQUIRE(conn->exec("COMMIT").has_value());
    const auto after = wal_file_counts();
    CHECK(in_transaction.syncs == before.syncs);         // nothing synced before the commit
    CHECK(after.bytes > before.bytes);                   // the commit's frames reached the WAL file...
    CHECK(after.syncs > before.syncs);                   // ...which was synced...
    CHECK(after.bytes_before_last_sync == after.bytes);  // ...after the last of them was written
  }
}

TEST_CASE("a commit is in the file when it returns even if the process is killed at once", "[storage][wal]") {
  TempDb db;
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // No cleanup, no close, no checkpoint: SIGKILL right after the last commit returns.
    auto conn = Connection::open(db.path, true, false);
    if (!conn) _exit(2);
    (void)conn->exec("CREATE TABLE t(id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
    for (int i = 0; i < 50; ++i) (void)conn->exec("INSERT INTO t(body) VALUES (printf('%.1024c', 'y'))");
    (void)conn->exec("BEGIN IMMEDIATE; INSERT INTO t(body) VALUES ('never committed');");
    ::kill(::getpid(), SIGKILL);
    _exit(3);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFSIGNALED(status));
  CHECK(count_rows(db.path) == 50);  // every commit, recovered from the WAL; the open transaction is gone
}

}  // namespace hotline::storage::test
