// Opening the hotline database: connection, durability pragmas and (for writers) schema migration.
#pragma once

#include <string>

#include "storage/statement.hpp"

namespace hotline::storage {

struct OpenOptions {
  bool create = true;      // create the file and run migrations when missing
  bool read_only = false;  // a reader: no migrations, no writes
};

// A connection to `path`, migrated to the current schema unless read-only. Errors: cannot open, not a database,
// newer schema (read-only connections check the last two at once as well, without migrating).
Result<Connection> open_database(const std::string& path, const OpenOptions& options = {});

}  // namespace hotline::storage
