// TimeBudget: stops the statements of one connection that run past a deadline. While it lives, SQLite calls a
// progress handler every few thousand virtual-machine steps; once the deadline has passed the handler interrupts
// the statement, whose step() then fails with SQLITE_INTERRUPT. exceeded() tells that failure from any other.
// One per connection at a time (it owns the connection's progress handler); same thread rules as the connection.
#pragma once

#include <sqlite3.h>

#include <chrono>

namespace hotline::storage {

class TimeBudget {
 public:
  // A zero or negative `budget` sets no deadline (the handler is not installed).
  TimeBudget(sqlite3* db, std::chrono::milliseconds budget);
  ~TimeBudget();
  TimeBudget(const TimeBudget&) = delete;
  TimeBudget& operator=(const TimeBudget&) = delete;

  // The deadline passed and a statement was interrupted for it.
  bool exceeded() const { return exceeded_; }

 private:
  static int on_progress(void* self);

  sqlite3* db_;
  std::chrono::steady_clock::time_point deadline_;
  bool exceeded_ = false;
};

}  // namespace hotline::storage
