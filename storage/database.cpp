#include "storage/database.hpp"

#include "storage/migrations.hpp"

namespace hotline::storage {

Result<Connection> open_database(const std::string& path, const OpenOptions& options) {
  auto db = Connection::open(path, options.create, options.read_only);
  if (!db) return db.error();
  if (!options.read_only) {
    if (auto m = migrate(*db); !m) return m.error();
  }
  return db;
}

}  // namespace hotline::storage
