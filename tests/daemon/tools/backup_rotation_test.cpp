#include "daemon/tools/backup_rotation.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>

#include "support/daemon_process.hpp"

namespace fs = std::filesystem;
using hotline::daemon::is_rotated_backup_name;
using hotline::daemon::prune_rotated_backups;
using hotline::daemon::remove_interrupted_backups;
using hotline::daemon::rotated_backup_name;
using hotline::daemon::rotated_backups;

namespace {

void touch(const fs::path& path) {
  std::ofstream(path) << "x";
}

std::vector<std::string> names(const std::vector<fs::path>& paths) {
  std::vector<std::string> out;
  for (const auto& p : paths) out.push_back(p.filename().string());
  return out;
}

}  // namespace

TEST_CASE("a rotated backup is named by its local time and only such names count") {
  CHECK(rotated_backup_name("2026-12-06T02:31:12.345+08:00") == "hotline-20261206-023112.db");
  CHECK(rotated_backup_name("2026-12-06 02:31") == "");
  CHECK(rotated_backup_name("") == "");
  CHECK(is_rotated_backup_name("hotline-20261206-023112.db"));
  CHECK_FALSE(is_rotated_backup_name("hotline-20261206-023112.db-wal"));
  CHECK_FALSE(is_rotated_backup_name("hotline-2026120x-023112.db"));
  CHECK_FALSE(is_rotated_backup_name("before-rules-change.db"));
  CHECK_FALSE(is_rotated_backup_name("hotline.db"));
}

TEST_CASE("pruning keeps the newest rotated backups and never touches another file") {
  hotline::test::TempDir dir;
  const fs::path d = dir.path();
  for (const auto* n : {"hotline-20261203-023000.db", "hotline-20261201-023000.db", "hotline-20261204-023000.db",
                        "hotline-20261202-023000.db", "before-upgrade.db", "hotline.db", "notes.txt"}) {
    touch(d / n);
  }
  std::error_code error;
  CHECK(names(rotated_backups(d, error)) ==
        std::vector<std::string>{"hotline-20261201-023000.db", "hotline-20261202-023000.db",
                                 "hotline-20261203-023000.db", "hotline-20261204-023000.db"});
  const auto removed = prune_rotated_backups(d, 2, error);
  CHECK_FALSE(error);
  CHECK(names(removed) == std::vector<std::string>{"hotline-20261201-023000.db", "hotline-20261202-023000.db"});
  CHECK(names(rotated_backups(d, error)) ==
        std::vector<std::string>{"hotline-20261203-023000.db", "hotline-20261204-023000.db"});
  for (const auto* n : {"before-upgrade.db", "hotline.db", "notes.txt"}) CHECK(fs::exists(d / n));

  CHECK(prune_rotated_backups(d, 2, error).empty());  // nothing beyond the two
  CHECK(prune_rotated_backups(d, 0, error).size() == 2);
  CHECK(rotated_backups(d, error).empty());
}

TEST_CASE("what an interrupted backup left is removed once stale, and nothing else") {
  hotline::test::TempDir dir;
  const fs::path d = dir.path();
  for (const auto* n : {"hotline-20261201-023000.db.partial", "hotline-20261201-023000.db.partial-wal",
                        "hotline-20261202-023000.db.partial", "hotline-20261201-023000.db", "hotline.db.partial",
                        "hotline-20261201-023000.db.partial-old", "notes.partial"}) {
    touch(d / n);
  }
  const auto now = fs::file_time_type::clock::now();
  // The one copy under way (written a minute ago) is left alone; those untouched for a day go.
  fs::last_write_time(d / "hotline-20261201-023000.db.partial", now - std::chrono::hours(24));
  fs::last_write_time(d / "hotline-20261201-023000.db.partial-wal", now - std::chrono::hours(24));
  fs::last_write_time(d / "hotline-20261202-023000.db.partial", now - std::chrono::minutes(1));
  for (const auto* n : {"hotline-20261201-023000.db", "hotline.db.partial", "hotline-20261201-023000.db.partial-old",
                        "notes.partial"}) {
    fs::last_write_time(d / n, now - std::chrono::hours(24));
  }
  std::error_code error;
  auto removed = names(remove_interrupted_backups(d, now, std::chrono::hours(1), error));
  std::sort(removed.begin(), removed.end());
  CHECK_FALSE(error);
  CHECK(removed ==
        std::vector<std::string>{"hotline-20261201-023000.db.partial", "hotline-20261201-023000.db.partial-wal"});
  for (const auto* n : {"hotline-20261202-023000.db.partial", "hotline-20261201-023000.db", "hotline.db.partial",
                        "hotline-20261201-023000.db.partial-old", "notes.partial"}) {
    CHECK(fs::exists(d / n));
  }
}

TEST_CASE("a folder that cannot be read is an error, not an empty folder") {
  std::error_code error;
  CHECK(rotated_backups("/nonexistent/hotline/backups", error).empty());
  CHECK(error);
}
