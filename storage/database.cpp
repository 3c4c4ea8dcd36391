#include "storage/database.hpp"

#include <filesystem>

#include "storage/migrations.hpp"

namespace hotline::storage {
namespace {

// A reader never migrates, yet refuses what a writer refuses: a file that is no database, or one of a newer
// schema. SQLite reads nothing when it opens a file, so without this the first query of a reader found out —
// and its statement's preparation threw instead of returning an Error.
Error not_hotline(const std::string& path) {
  return {ErrorCategory::schema, path + " is not a hotline database (schema version 0); only hotlined creates one"};
}

// A writer that must not migrate also refuses an older schema: its statements are written for this one.
Result<void> check_readable(Connection& db, const std::string& path, bool need_current) {
  Statement version(db.get(), "PRAGMA user_version");  // prepared without reading the file
  auto row = version.step();
  if (!row) return Error{row.error().code, "cannot open database '" + path + "': " + row.error().message};
  const auto v = version.column_int(0);
  const auto build = std::to_string(schema_version());
  if (v > schema_version()) {
    return Error{ErrorCategory::schema, "database '" + path + "' has schema version " + std::to_string(v) +
                                            ", newer than this build's (" + build + "); refusing to read it"};
  }
  if (v <= 0) {
    return not_hotline(path);
  }
  if (need_current && v < schema_version()) {
    return Error{ErrorCategory::schema, "database '" + path + "' has schema version " + std::to_string(v) +
                                            ", older than this build's (" + build +
                                            "); start hotlined once to upgrade it (it keeps a copy first)"};
  }
  return {};
}

}  // namespace

Result<Connection> open_database(const std::string& path, const OpenOptions& options) {
  // An empty file is refused before SQLite opens it: opening it (in WAL mode) would write its header.
  if (!options.create || options.read_only || !options.migrate) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(path, ec) && std::filesystem::file_size(path, ec) == 0 && !ec) {
      return not_hotline(path);
    }
  }
  auto db = Connection::open(path, options.create, options.read_only);
  if (!db) return db.error();
  if (options.read_only || !options.migrate) {
    if (auto r = check_readable(*db, path, !options.read_only); !r) return r.error();
  } else {
    if (auto m = migrate(*db); !m) return m.error();
  }
  return db;
}

}  // namespace hotline::storage
