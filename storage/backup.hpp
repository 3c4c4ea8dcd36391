// A consistent copy of a hotline database while the daemon runs, and putting such a copy back (SQLite's online
// backup API both ways).
#pragma once

#include <cstdint>
#include <string>

#include "storage/error.hpp"

namespace hotline::storage {

struct BackupSummary {
  std::int64_t pages = 0;
  std::int64_t bytes = 0;
  std::string quick_check;  // PRAGMA quick_check of the copy: "ok"
};

// Copies the database at `source` (which must exist and be of a schema this build reads) to the new file
// `target` as one snapshot: the copy runs in a single read transaction, so it is consistent, and a running
// daemon's writes go on meanwhile (WAL). The copy is written to `target`.partial, created 0600 (it holds callers'
// names and phones), made a single file (no WAL), checked with PRAGMA quick_check, synced, and only then renamed
// to `target`. Refuses a `target` that exists; on any failure nothing is left behind.
Result<BackupSummary> backup_database(const std::string& source, const std::string& target);

struct RestoreSummary {
  std::int64_t pages = 0;
  std::int64_t schema_version = 0;  // the backup's; a daemon of this build migrates it when it opens it
  bool created = false;             // there was no database at the target: a new file (0640) holds the backup
};

// Replaces the contents of the database at `target` with the backup at `backup`. The backup is checked first: an
// SQLite database of this product (it has the tickets table and a schema version), PRAGMA quick_check ok, a
// schema not newer than this build's. Then its pages go into `target` in one write transaction of the backup API,
// which works through the target's WAL: a failure or a crash midway leaves the target as it was. A missing
// `target` (whose folder exists) is created, and removed again on failure. The caller makes sure no daemon has
// `target` open (the lock of daemon/runtime/database_lock).
Result<RestoreSummary> restore_database(const std::string& backup, const std::string& target);

}  // namespace hotline::storage
