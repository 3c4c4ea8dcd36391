#include "storage/error.hpp"

#include <sqlite3.h>

namespace hotline::storage {

std::string_view to_string(ErrorCategory category) {
  switch (category) {
    case ErrorCategory::busy:
      return "busy";
    case ErrorCategory::constraint:
      return "constraint";
    case ErrorCategory::corrupt:
      return "corrupt";
    case ErrorCategory::io:
      return "io";
    case ErrorCategory::full:
      return "full";
    case ErrorCategory::read_only:
      return "read-only";
    case ErrorCategory::not_found:
      return "not found";
    case ErrorCategory::schema:
      return "schema";
    case ErrorCategory::unavailable:
      return "unavailable";
    case ErrorCategory::over_budget:
      return "over budget";
    case ErrorCategory::internal:
      return "internal";
  }
  return "internal";
}

ErrorCategory category_of_sqlite(int code) {
  switch (code & 0xFF) {  // the primary code of an extended one
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return ErrorCategory::busy;
    case SQLITE_CONSTRAINT:
      return ErrorCategory::constraint;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return ErrorCategory::corrupt;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL:
    case SQLITE_NOLFS:
      return ErrorCategory::io;
    case SQLITE_FULL:
      return ErrorCategory::full;
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return ErrorCategory::read_only;
    case SQLITE_INTERRUPT:
      return ErrorCategory::unavailable;
    default:
      return ErrorCategory::internal;
  }
}

}  // namespace hotline::storage
