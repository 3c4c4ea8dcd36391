// The schema version an existing database file was last brought to, read without migrating or writing anything.
#pragma once

#include <string>

#include "storage/error.hpp"

namespace hotline::storage {

// PRAGMA user_version of the database at `path` (which must exist), opened read-only.
Result<int> stored_schema_version(const std::string& path);
// How many tables, indexes, views and triggers the database at `path` holds (0 for a new or empty file; a file
// of schema version 0 that holds some belongs to another program).
Result<int> schema_object_count(const std::string& path);

}  // namespace hotline::storage
