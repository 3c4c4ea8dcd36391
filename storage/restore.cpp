#include <sqlite3.h>

#include <filesystem>
#include <memory>

#include "storage/backup.hpp"
#include "storage/database.hpp"

namespace hotline::storage {
namespace {

namespace fs = std::filesystem;

// The one text row `sql` gives; "" when none.
Result<std::string> single_text(Connection& db, const char* sql) {
  Statement s(db.get(), sql);
  auto row = s.step();
  if (!row) return row.error();
  return *row ? s.column_text(0) : std::string();
}

// The backup's schema version when it is a sound hotline database this build can read.
Result<std::int64_t> check_backup(Connection& backup, const std::string& path) {
  const auto refuse = [&path](ErrorCategory category, const std::string& why) {
    return Error{category, path + " " + why};
  };
  auto tickets = single_text(backup, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'tickets'");
  if (!tickets) return refuse(ErrorCategory::corrupt, "cannot be read: " + tickets.error().message);
  auto version = single_text(backup, "PRAGMA user_version");
  if (!version) return version.error();
  const std::int64_t v = std::stoll(version->empty() ? "0" : *version);
  if (tickets->empty() || v <= 0) return refuse(ErrorCategory::schema, "is not a hotline database");
  auto check = single_text(backup, "PRAGMA quick_check");
  if (!check) return refuse(ErrorCategory::corrupt, "cannot be checked: " + check.error().message);
  if (*check != "ok") return refuse(ErrorCategory::corrupt, "is damaged: quick_check says: " + *check);
  return v;
}

// The backup's pages into `target`, all in one step (one write transaction on the target).
Result<std::int64_t> copy_pages(Connection& backup, Connection& target) {
  const auto release = [](sqlite3_backup* b) { sqlite3_backup_finish(b); };
  std::unique_ptr<sqlite3_backup, decltype(release)> copy(
      sqlite3_backup_init(target.get(), "main", backup.get(), "main"), release);
  if (!copy) return target.last_error("copying the backup in");
  const int rc = sqlite3_backup_step(copy.get(), -1);
  if (rc != SQLITE_DONE) return Error{rc, std::string("copying the backup in: ") + sqlite3_errstr(rc)};
  return static_cast<std::int64_t>(sqlite3_backup_pagecount(copy.get()));
}

// Opens the target (not with open_database: it is overwritten, not migrated), copies, and folds the WAL into the
// database file, so the restored file is whole on its own; the target is closed on return.
Result<std::int64_t> write_into(Connection& backup, const std::string& target_path, bool create) {
  auto target = Connection::open(target_path, create, /*read_only=*/false);
  if (!target) {
    auto e = target.error();
    if (!create) e.message += " (if it is damaged, move it and its -wal and -shm away)";
    return e;
  }
  auto pages = copy_pages(backup, *target);
  if (!pages) return pages.error();
  (void)target->exec("PRAGMA wal_checkpoint(TRUNCATE)");
  return pages;
}

}  // namespace

Result<RestoreSummary> restore_database(const std::string& backup_path, const std::string& target_path) {
  std::error_code ec;
  if (!fs::is_regular_file(backup_path, ec)) {
    return Error{ErrorCategory::not_found, "no backup at " + backup_path};
  }
  // Read-only: refuses a file that is no database or one of a newer schema, and never changes the backup.
  auto backup = open_database(backup_path, {.create = false, .read_only = true});
  if (!backup) return backup.error();
  RestoreSummary summary;
  auto version = check_backup(*backup, backup_path);
  if (!version) return version.error();
  summary.schema_version = *version;

  summary.created = !fs::exists(target_path, ec);
  auto pages = write_into(*backup, target_path, summary.created);
  if (!pages) {
    if (summary.created) {
      std::error_code ignored;
      for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(target_path + suffix, ignored);
    }
    return pages.error();
  }
  summary.pages = *pages;
  return summary;
}

}  // namespace hotline::storage
