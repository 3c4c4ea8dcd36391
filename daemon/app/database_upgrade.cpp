#include "daemon/app/database_upgrade.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "storage/backup.hpp"
#include "storage/migrations.hpp"
#include "storage/stored_schema.hpp"

namespace hotline::daemon {

int prepare_database_upgrade(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(path, ec)) return 0;  // a new database is created at the current schema
  const auto stored = storage::stored_schema_version(path);
  if (!stored) {
    spdlog::critical("{}", stored.error().message);
    return 3;
  }
  const int current = storage::schema_version();
  if (*stored > current) {
    spdlog::critical(
        "database {} has schema {}; this hotlined understands up to {}: install the newer hotline or restore a "
        "backup",
        path, *stored, current);
    return k_exit_schema_too_new;
  }
  if (*stored == 0) {
    // Schema 0 is a new, empty file hotlined makes its own, or another program's database: never take that over.
    const auto objects = storage::schema_object_count(path);
    if (!objects) {
      spdlog::critical("{}", objects.error().message);
      return 3;
    }
    if (*objects == 0) return 0;
    spdlog::critical(
        "{} is not a hotline database: schema version 0 with {} table(s) or index(es) of another program; hotlined "
        "creates its database in a new or empty file (check `database` in the config)",
        path, *objects);
    return 3;
  }
  if (*stored == current) return 0;
  const std::string backup = path + ".before-schema-" + std::to_string(current) + ".bak";
  if (fs::exists(backup, ec) || fs::is_symlink(backup, ec)) {
    // An earlier start made it (and its upgrade did not finish): it holds the older state, so it is kept.
    spdlog::warn("database {} has schema {}; the backup {} exists already and is kept as it is; migrating to {}", path,
                 *stored, backup, current);
    return 0;
  }
  spdlog::info("database {} has schema {}: copying it to {} before migrating to schema {} …", path, *stored, backup,
               current);
  const auto copied = storage::backup_database(path, backup);
  if (!copied) {
    spdlog::critical("database {} has schema {} and is not upgraded to {} without a backup, which failed: {}", path,
                     *stored, current, copied.error().message);
    return 3;
  }
  fs::permissions(backup, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read, ec);
  spdlog::info("database {} has schema {}: backed up to {} ({} bytes) before migrating to schema {}", path, *stored,
               backup, copied->bytes, current);
  return 0;
}

}  // namespace hotline::daemon
