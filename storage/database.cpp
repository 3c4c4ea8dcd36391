#include "storage/database.hpp"

#include "storage/migrations.hpp"

namespace hotline::storage {
namespace {

// A reader never migrates, yet refuses what a writer refuses: a file that is no database, or one of a newer
// schema. SQLite reads nothing when it opens a file, so without this the first query of a reader found out —
// and its statement's preparation threw instead of returning an Error.
Result<void> check_readable(Connection& db, const std::string& path) {
  Statement version(db.get(), "PRAGMA user_version");  // prepared without reading the file
  auto row = version.step();
  if (!row) return Error{row.error().code, "cannot open database '" + path + "': " + row.error().message};
  const auto v = version.column_int(0);
  if (v > schema_version()) {
    return Error{ErrorCategory::schema, "database '" + path + "' has schema version " + std::to_string(v) +
                                            ", newer than this build's (" + std::to_string(schema_version()) +
                                            "); refusing to read it"};
  }
  return {};
}

}  // namespace

Result<Connection> open_database(const std::string& path, const OpenOptions& options) {
  auto db = Connection::open(path, options.create, options.read_only);
  if (!db) return db.error();
  if (options.read_only) {
    if (auto r = check_readable(*db, path); !r) return r.error();
  } else {
    if (auto m = migrate(*db); !m) return m.error();
  }
  return db;
}

}  // namespace hotline::storage
