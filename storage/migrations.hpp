// Embedded schema migrations, applied in order and tracked with PRAGMA user_version.
#pragma once

#include "storage/statement.hpp"

namespace hotline::storage {

// The schema version this build writes. A database with a higher user_version is refused.
int schema_version();

// Brings the database up to schema_version() in one transaction per step. Fails on a newer database.
Result<void> migrate(Connection& db);

// The same, up to `version` (0..schema_version()) only: tests build the databases of earlier releases.
Result<void> migrate_to(Connection& db, int version);

}  // namespace hotline::storage
