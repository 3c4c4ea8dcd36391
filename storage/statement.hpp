// Thin RAII wrappers over sqlite3 handles: a connection and a prepared statement.
// A Connection and its Statements belong to one thread at a time.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "storage/error.hpp"

namespace hotline::storage {

class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, std::string_view sql);  // throws std::runtime_error on invalid SQL (a programming error)
  Statement(Statement&& other) noexcept : stmt_(std::exchange(other.stmt_, nullptr)) {}
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Binding is 1-based, like SQLite. Empty optionals bind NULL.
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, const std::optional<std::string>& text);
  Statement& bind_null(int index);

  // Steps once: true when a row is available, false when done. Errors come back as values.
  Result<bool> step();
  // Runs to completion, ignoring rows, then resets.
  Result<void> run();
  // Steps through every row, calling on_row() for each (it reads the columns), then resets: a cached statement
  // is ready for its next use and holds no read transaction open. An error ends the walk (step() resets then).
  template <class OnRow>
  Result<void> each_row(OnRow&& on_row) {
    while (true) {
      auto row = step();
      if (!row) return row.error();
      if (!*row) break;
      on_row();
    }
    reset();
    return {};
  }
  void reset();

  std::string column_text(int index) const;       // "" for NULL
  std::string_view column_view(int index) const;  // "" for NULL; valid until the next step() or reset()
  std::optional<std::string> column_optional_text(int index) const;
  std::int64_t column_int(int index) const;

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

// Process-wide SQLite settings that must precede its initialisation; Connection::open calls it. Idempotent.
void configure_sqlite();

class Connection {
 public:
  // Opens (creating when `create`) the database file and applies the durability pragmas (WAL, synchronous=FULL).
  static Result<Connection> open(const std::string& path, bool create, bool read_only);
  Connection(Connection&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  sqlite3* get() const { return db_; }
  Result<void> exec(std::string_view sql);  // one or more statements, no rows
  // Stops this connection from checkpointing the WAL itself: after each commit it calls `on_commit` with the
  // WAL's size in pages instead (on the committing thread; keep it short), so another connection can checkpoint.
  // When `on_commit` returns true, this connection runs a RESTART checkpoint there and then: it copies what
  // the other connection's passive checkpoints have not (under steady writes they never catch up with the last
  // commit, so the WAL would never start over and would grow for as long as the load lasts), waits for readers
  // to leave the WAL, and the next commit writes the WAL from its beginning again. `on_commit` must outlive the
  // connection, or be replaced (nullptr: no checkpoints by this connection at all).
  using CommitHook = std::function<bool(int wal_pages)>;
  void hand_off_checkpoints(CommitHook* on_commit);
  // A PASSIVE checkpoint: copies what it can of the WAL into the database without blocking writers or readers.
  Result<void> checkpoint();
  Error last_error(std::string_view what) const;

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

}  // namespace hotline::storage
