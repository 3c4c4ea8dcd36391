// Direct SQL on a database file the daemon is not running on, as an administrator with the sqlite3 shell would:
// tests seed large logs and ticket tables with it. Test-only; throws std::runtime_error on any SQLite error.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

struct sqlite3;

namespace hotline::test {

// Runs `sql` (one or more statements) in the database at `db`.
void run_sql(const std::string& db, const std::string& sql);

// The first column of every row `sql` gives, as integers.
std::vector<std::int64_t> query_ints(const std::string& db, const std::string& sql);

// Holds the database's write lock (BEGIN IMMEDIATE, as another process's long write would) until destroyed; the
// one helper here meant for a database a running daemon has open.
class WriteLock {
 public:
  explicit WriteLock(const std::string& db);
  ~WriteLock();
  WriteLock(const WriteLock&) = delete;
  WriteLock& operator=(const WriteLock&) = delete;

 private:
  sqlite3* handle_ = nullptr;
};

}  // namespace hotline::test
