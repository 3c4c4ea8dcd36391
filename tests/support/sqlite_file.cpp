#include "support/sqlite_file.hpp"

#include <sqlite3.h>

#include <memory>
#include <stdexcept>

namespace hotline::test {
namespace {

using Handle = std::unique_ptr<sqlite3, decltype(&sqlite3_close)>;

Handle open(const std::string& db) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr);
  Handle handle(raw, &sqlite3_close);
  if (rc != SQLITE_OK) throw std::runtime_error("cannot open " + db + ": " + sqlite3_errstr(rc));
  return handle;
}

}  // namespace

void run_sql(const std::string& db, const std::string& sql) {
  const auto handle = open(db);
  char* error = nullptr;
  const int rc = sqlite3_exec(handle.get(), sql.c_str(), nullptr, nullptr, &error);
  const std::string message = error ? error : "";
  sqlite3_free(error);
  if (rc != SQLITE_OK) throw std::runtime_error(sql + ": " + message);
}

std::vector<std::int64_t> query_ints(const std::string& db, const std::string& sql) {
  const auto handle = open(db);
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(handle.get(), sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
    throw std::runtime_error(sql + ": " + sqlite3_errmsg(handle.get()));
  }
  const std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> st(raw, &sqlite3_finalize);
  std::vector<std::int64_t> out;
  int rc = 0;
  while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) out.push_back(sqlite3_column_int64(st.get(), 0));
  if (rc != SQLITE_DONE) throw std::runtime_error(sql + ": " + sqlite3_errmsg(handle.get()));
  return out;
}

WriteLock::WriteLock(const std::string& db) {
  auto handle = open(db);
  sqlite3_busy_timeout(handle.get(), 30'000);  // waits for a transaction of the daemon's to end
  char* error = nullptr;
  const int rc = sqlite3_exec(handle.get(), "BEGIN IMMEDIATE", nullptr, nullptr, &error);
  const std::string message = error ? error : "";
  sqlite3_free(error);
  if (rc != SQLITE_OK) throw std::runtime_error("cannot take the write lock of " + db + ": " + message);
  handle_ = handle.release();
}

WriteLock::~WriteLock() {
  (void)sqlite3_exec(handle_, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(handle_);
}

}  // namespace hotline::test
