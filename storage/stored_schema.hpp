// The schema version an existing database file was last brought to, read without migrating or writing anything.
#pragma once

#include <string>

#include "storage/error.hpp"

namespace hotline::storage {

// PRAGMA user_version of the database at `path` (which must exist), opened read-only.
Result<int> stored_schema_version(const std::string& path);

}  // namespace hotline::storage
