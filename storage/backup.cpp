#include "storage/backup.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include "storage/database.hpp"

namespace hotline::storage {
namespace {

namespace fs = std::filesystem;

// fsync of a file or a folder; false when it cannot be opened or synced.
bool sync_path(const fs::path& path, bool directory) {
  const int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

// The copy: the source's pages into `partial`, then a single file checked by quick_check.
Result<BackupSummary> copy_into(Connection& source, const std::string& partial) {
  auto target = Connection::open(partial, /*create=*/true, /*read_only=*/false);
  if (!target) return target.error();
  BackupSummary summary;
  {
    const auto release = [](sqlite3_backup* b) { sqlite3_backup_finish(b); };
    std::unique_ptr<sqlite3_backup, decltype(release)> backup(
        sqlite3_backup_init(target->get(), "main", source.get(), "main"), release);
    if (!backup) return target->last_error("backup");
    // All pages in one step: one read transaction on the source, so one consistent snapshot.
    const int rc = sqlite3_backup_step(backup.get(), -1);
    if (rc != SQLITE_DONE) return Error{rc, std::string("copying the pages: ") + sqlite3_errstr(rc)};
    summary.pages = sqlite3_backup_pagecount(backup.get());
  }
  // A single file, with no WAL beside it: whoever restores it opens it in WAL mode again.
  if (auto r = target->exec("PRAGMA journal_mode = DELETE"); !r) return r.error();
  Statement check(target->get(), "PRAGMA quick_check");
  auto row = check.step();
  if (!row) return row.error();
  summary.quick_check = *row ? check.column_text(0) : "";
  if (summary.quick_check != "ok") {
    return Error{ErrorCategory::corrupt, "backup: quick_check of the copy says: " + summary.quick_check};
  }
  Statement size(target->get(), "PRAGMA page_size");
  if (auto r = size.step(); r && *r) summary.bytes = summary.pages * size.column_int(0);
  return summary;
}

}  // namespace

Result<BackupSummary> backup_database(const std::string& source_path, const std::string& target_path) {
  std::error_code ec;
  if (fs::exists(target_path, ec) || fs::is_symlink(target_path, ec)) {
    return Error{ErrorCategory::constraint, target_path + " exists; a backup never overwrites a file"};
  }
  auto source = open_database(source_path, {.create = false, .read_only = true});
  if (!source) return source.error();
  const std::string partial = target_path + ".partial";
  const auto clean_up = [&partial] {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(partial + suffix, ignored);
  };
  clean_up();  // what a killed earlier backup left
  // A backup leaves the machine: created 0600 here (owner only), before SQLite would create it as a database (0640).
  if (const int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600); fd >= 0) ::close(fd);
  auto copied = copy_into(*source, partial);
  if (!copied) {
    clean_up();
    return copied.error();
  }
  if (!sync_path(partial, false)) {
    clean_up();
    return Error{ErrorCategory::io, "backup: cannot sync " + partial};
  }
  fs::rename(partial, target_path, ec);
  if (ec) {
    clean_up();
    return Error{ErrorCategory::io, "backup: cannot rename " + partial + " to " + target_path + ": " + ec.message()};
  }
  const auto folder = fs::path(target_path).parent_path();
  sync_path(folder.empty() ? fs::path(".") : folder, true);
  return copied;
}

}  // namespace hotline::storage
