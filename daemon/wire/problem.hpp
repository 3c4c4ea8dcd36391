// RFC 9457 problem details: the one shape of every HTTP error the API returns.
#pragma once

#include <string>
#include <string_view>

#include "storage/error.hpp"

namespace hotline::daemon {

struct Problem {
  int status = 400;
  std::string type;    // stable short name, sent as "urn:hotline:problem:<type>"
  std::string title;   // short, fixed per type
  std::string detail;  // what exactly was wrong
  std::string field;   // JSON path of the field at fault, empty when none

  std::string to_json() const;
};

Problem bad_field(std::string field, std::string detail);

// The one mapping of storage failures to HTTP, by category (never by message text):
//   busy, unavailable, io            -> 503 storage-unavailable (retry later)
//   over_budget                      -> 503 query-too-long (it ran past its time budget and was stopped)
//   full                             -> 507 storage-full
//   constraint                       -> 409 conflict
//   not_found                        -> 404 not-found
//   corrupt, schema, read_only, internal -> 500 storage-failure
// `title` says what could not be done ("The ticket could not be stored"). The detail names the category only; the
// store's own message (paths, SQL) is logged, not sent.
Problem storage_problem(const storage::Error& error, std::string title);

// The Retry-After a problem's response carries (seconds), empty for none: "2" for storage-unavailable (the
// database busy with another process's lock, a failed read or write, the daemon stopping).
std::string_view retry_after(const Problem& problem);

}  // namespace hotline::daemon
