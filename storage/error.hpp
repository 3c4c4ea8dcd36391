// Error values for storage operations: expected failures (busy, full disk, constraint) come back as values.
#pragma once

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace hotline::storage {

// What kind of failure an Error is, so callers decide by kind and never by message text.
enum class ErrorCategory {
  busy,         // another connection holds the lock (SQLITE_BUSY, SQLITE_LOCKED): retry later
  constraint,   // the data broke a rule of the schema (unique, check, foreign key)
  corrupt,      // the file is damaged or not a database
  io,           // the disk or file system failed, or the file cannot be opened
  full,         // the disk or the database is full
  read_only,    // the database cannot be written
  not_found,    // a file or row the caller named does not exist
  schema,       // a database of another schema version, or not a hotline database
  unavailable,  // the store is closing (the daemon shuts down)
  over_budget,  // a read ran past its time budget and was stopped (see TimeBudget)
  internal,     // anything else: a bug, a misuse of the API
};
std::string_view to_string(ErrorCategory category);
// The category of a SQLite (extended) result code.
ErrorCategory category_of_sqlite(int code);

struct Error {
  // Not an aggregate on purpose: result<int, Error> must not see Error as constructible from an int.
  Error() = default;
  // A SQLite failure: the category follows from the code.
  Error(int c, std::string m) : code(c), category(category_of_sqlite(c)), message(std::move(m)) {}
  // A failure of our own.
  Error(ErrorCategory k, std::string m) : category(k), message(std::move(m)) {}

  int code = 0;  // SQLite result code (extended), or 0 for errors of our own
  ErrorCategory category = ErrorCategory::internal;
  std::string message;  // what failed and why, for logs and problem details
};

// For logs and test failure messages.
inline std::ostream& operator<<(std::ostream& os, const Error& e) {
  return os << e.message << " (" << to_string(e.category) << ", " << e.code << ")";
}

template <class T>
using Result = boost::system::result<T, Error>;

// Called by Result::value() on an error (found by argument-dependent lookup).
[[noreturn]] inline void throw_exception_from_error(const Error& e, const boost::source_location&) {
  throw std::runtime_error(e.message);
}

}  // namespace hotline::storage
