#include "storage/statement.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <utility>

#include "storage/wal_write_buffer.hpp"

namespace hotline::storage {
namespace {

// How long a connection waits for a lock another connection holds before it answers SQLITE_BUSY.
constexpr int k_busy_timeout_ms = 5000;

}  // namespace

Statement::Statement(sqlite3* db, std::string_view sql) {
  if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) !=
      SQLITE_OK) {
    throw std::runtime_error("cannot prepare SQL: " + std::string(sqlite3_errmsg(db)) + ": " + std::string(sql));
  }
}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

Statement& Statement::bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::bind(int index, const std::optional<std::string>& text) {
  return text ? bind(index, std::string_view(*text)) : bind_null(index);
}

Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Result<bool> Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite3* db = sqlite3_db_handle(stmt_);
  Error e{sqlite3_extended_errcode(db), sqlite3_errmsg(db)};
  sqlite3_reset(stmt_);
  return e;
}

Result<void> Statement::run() {
  while (true) {
    auto r = step();
    if (!r) return r.error();
    if (!*r) break;
  }
  reset();
  return {};
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string Statement::column_text(int index) const {
  const auto* p = sqlite3_column_text(stmt_, index);
  if (p == nullptr) return {};
  return {reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, index))};
}

std::string_view Statement::column_view(int index) const {
  const auto* p = sqlite3_column_text(stmt_, index);
  if (p == nullptr) return {};
  return {reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, index))};
}

std::optional<std::string> Statement::column_optional_text(int index) const {
  if (sqlite3_column_type(stmt_, index) == SQLITE_NULL) return std::nullopt;
  return column_text(index);
}

std::int64_t Statement::column_int(int index) const {
  return sqlite3_column_int64(stmt_, index);
}

void configure_sqlite() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Before SQLite initialises: no global allocation statistics, so no process-wide mutex on every allocation
    // (we never read them). Ignored (SQLITE_MISUSE) if something initialised SQLite first.
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  });
}

namespace {

// A new database file is created here 0640, less what the umask takes: its owner writes, the owner's group may
// read (an admin group that backs it up or reports from it), others nothing — it holds callers' names and phone
// numbers. SQLite gives the -wal and -shm files the mode of the database file. An existing file keeps its mode;
// ":memory:" and URIs are left to SQLite.
Result<void> create_private_file(const std::string& path) {
  if (path.empty() || path == ":memory:" || path.rfind("file:", 0) == 0) return {};
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd >= 0) {
    ::close(fd);
    return {};
  }
  if (errno == EEXIST) return {};
  const int err = errno;
  return Error{err == ENOENT                   ? ErrorCategory::not_found
               : err == EACCES || err == EROFS ? ErrorCategory::read_only
                                               : ErrorCategory::io,
               "cannot create database '" + path + "': " + std::strerror(err)};
}

}  // namespace

Result<Connection> Connection::open(const std::string& path, bool create, bool read_only) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX | (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE);
  if (create && !read_only) {
    flags |= SQLITE_OPEN_CREATE;
    if (auto r = create_private_file(path); !r) return r.error();
  }
  configure_sqlite();
  // Writers gather their WAL writes (see wal_write_buffer.hpp); readers never write the WAL.
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, read_only ? nullptr : wal_write_buffer_vfs());
  if (rc != SQLITE_OK) {
    Error e{rc, "cannot open database '" + path + "': " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc))};
    sqlite3_close(db);
    return e;
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, k_busy_timeout_ms);
  Connection c(db);
  // synchronous=FULL in WAL mode syncs the WAL on every commit: a committed transaction survives power loss.
  const char* pragmas = read_only ? "PRAGMA foreign_keys=ON;"
                                  : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;";
  if (auto r = c.exec(pragmas); !r) {
    return Error{r.error().code, "cannot open database '" + path + "': " + r.error().message};
  }
  return c;
}

void Connection::hand_off_checkpoints(CommitHook* on_commit) {
  // Installing a WAL hook replaces SQLite's own auto-checkpoint hook (null: no hook, and no checkpoints at all).
  if (on_commit == nullptr) {
    sqlite3_wal_hook(db_, nullptr, nullptr);
    return;
  }
  sqlite3_wal_hook(
      db_,
      [](void* hook, sqlite3* db, const char*, int pages) {
        if ((*static_cast<CommitHook*>(hook))(pages)) {
          // Allowed inside the hook (SQLite's own auto-checkpoint runs there). Without a busy handler: a RESTART
          // waits through it for every reader still on an older snapshot, so one long read (a nightly report)
          // held up each commit for the whole busy timeout. Now it copies what it can and answers BUSY at once
          // (also when another checkpoint is running), and is tried again after the next commit.
          sqlite3_busy_timeout(db, 0);
          (void)sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
          sqlite3_busy_timeout(db, k_busy_timeout_ms);
        }
        return SQLITE_OK;
      },
      on_commit);
}

Result<void> Connection::checkpoint() {
  int log = 0, copied = 0;
  const int rc = sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
  if (rc != SQLITE_OK && rc != SQLITE_BUSY) return last_error("checkpoint");
  return {};
}

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}

Connection::~Connection() {
  sqlite3_close_v2(db_);
}

Result<void> Connection::exec(std::string_view sql) {
  char* message = nullptr;
  const std::string text(sql);
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    Error e{sqlite3_extended_errcode(db_), message ? message : "unknown error"};
    sqlite3_free(message);
    return e;
  }
  return {};
}

Error Connection::last_error(std::string_view what) const {
  return {sqlite3_extended_errcode(db_), std::string(what) + ": " + sqlite3_errmsg(db_)};
}

}  // namespace hotline::storage
