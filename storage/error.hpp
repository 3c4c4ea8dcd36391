// Error values for storage operations: expected failures (busy, full disk, constraint) come back as values.
#pragma once

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>

#include <ostream>
#include <stdexcept>
#include <string>
#include <utility>

namespace hotline::storage {

struct Error {
  // Not an aggregate on purpose: result<int, Error> must not see Error as constructible from an int.
  Error() = default;
  Error(int c, std::string m) : code(c), message(std::move(m)) {}

  int code = 0;         // SQLite result code (extended), or 0 for errors of our own
  std::string message;  // what failed and why, for logs and problem details
};

// For logs and test failure messages.
inline std::ostream& operator<<(std::ostream& os, const Error& e) { return os << e.message << " (" << e.code << ")"; }

template <class T>
using Result = boost::system::result<T, Error>;

// Called by Result::value() on an error (found by argument-dependent lookup).
[[noreturn]] inline void throw_exception_from_error(const Error& e, const boost::source_location&) {
  throw std::runtime_error(e.message);
}

}  // namespace hotline::storage
