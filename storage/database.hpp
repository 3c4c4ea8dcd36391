// Opening the hotline database: connection, durability pragmas and (for writers) schema migration.
#pragma once

#include <string>

#include "storage/statement.hpp"

namespace hotline::storage {

struct OpenOptions {
  bool create = true;      // create the file and run migrations when missing
  bool read_only = false;  // a reader: no migrations, no writes
  bool migrate = true;     // a writer brings the schema up to date; false: it must be current already
};

// A connection to `path`, migrated to the current schema unless read-only or told not to. Errors: cannot open,
// not a database, not a hotline database (schema version 0: an empty file, another program's database), newer
// schema; and, for a writer that must not migrate (the hotlinectl commands: only hotlined upgrades, after a
// copy), an older schema.
Result<Connection> open_database(const std::string& path, const OpenOptions& options = {});

}  // namespace hotline::storage
