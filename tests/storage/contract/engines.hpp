// The storage engines the contract suite runs over: each test is a TEMPLATE_TEST_CASE over this list, so it runs
// (and is reported by ctest) once per engine, e.g. "... - SqliteEngine". A new engine adds its StoreFactory here.
#pragma once

#include "tests/storage/contract/sqlite_engine.hpp"

// Unqualified, so the test names stay short: the tests use namespace hotline::storage::contract.
#define HOTLINE_STORAGE_ENGINES SqliteEngine
