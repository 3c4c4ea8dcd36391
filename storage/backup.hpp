// A consistent copy of a hotline database while the daemon runs (SQLite's online backup API).
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

}  // namespace hotline::storage
