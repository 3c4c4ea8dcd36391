#include "storage/stored_schema.hpp"

#include "storage/statement.hpp"

namespace hotline::storage {

Result<int> stored_schema_version(const std::string& path) {
  auto db = Connection::open(path, /*create=*/false, /*read_only=*/true);
  if (!db) return db.error();
  Statement version(db->get(), "PRAGMA user_version");
  auto row = version.step();
  if (!row) return Error{row.error().code, "cannot read database '" + path + "': " + row.error().message};
  return static_cast<int>(version.column_int(0));
}

Result<int> schema_object_count(const std::string& path) {
  auto db = Connection::open(path, /*create=*/false, /*read_only=*/true);
  if (!db) return db.error();
  Statement count(db->get(), "SELECT count(*) FROM sqlite_master");
  auto row = count.step();
  if (!row) return Error{row.error().code, "cannot read database '" + path + "': " + row.error().message};
  return static_cast<int>(count.column_int(0));
}

}  // namespace hotline::storage
