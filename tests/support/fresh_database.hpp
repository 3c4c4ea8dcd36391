// A hotline database for a test to put tokens and accounts into before its daemon starts. hotlinectl never creates
// a database (only hotlined does, on its first start); this creates it the same way, without starting a daemon.
// Test-only.
#pragma once

#include <string>

namespace hotline::test {

// Creates the database at `db` (its folder too), migrated to this build's schema, when it does not exist yet.
void create_database_if_missing(const std::string& db);

}  // namespace hotline::test
