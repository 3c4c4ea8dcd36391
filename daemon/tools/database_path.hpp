// The database a hotlinectl command works on must exist: only hotlined creates one (run from the wrong folder, a
// command would otherwise make a fresh empty database and report success).
#pragma once

#include <iosfwd>
#include <string>

namespace hotline::daemon {

// True when `database` exists and is no folder; otherwise says on `err` which path is missing and what to do, and
// returns false.
bool require_database(const char* command, const std::string& database, std::ostream& err);

}  // namespace hotline::daemon
