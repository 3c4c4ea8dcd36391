#include "storage/stored_schema.hpp"

#include "storage/statement.hpp"

namespace hotline::storage {
namespace {

// The one number `sql` gives, from the database at `path` opened read-only.
Result<int> read_number(const std::string& path, const char* sql) {
  auto db = Connection::open(path, /*create=*/false, /*read_only=*/true);
  if (!db) return db.error();
  Statement query(db->get(), sql);
  auto row = query.step();
  if (!row) return Error{row.error().code, "cannot read database '" + path + "': " + row.error().message};
  return static_cast<int>(query.column_int(0));
}

}  // namespace

Result<int> stored_schema_version(const std::string& path) {
  return read_number(path, "PRAGMA user_version");
}

Result<int> schema_object_count(const std::string& path) {
  return read_number(path, "SELECT count(*) FROM sqlite_master");
}

}  // namespace hotline::storage
