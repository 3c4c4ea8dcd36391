// The rotated backups of `hotlinectl db backup --into DIR --keep N` (the daily hotline-backup.timer): one file a
// run, named by its local time, and the oldest removed beyond N. Only files named like a rotated backup are ever
// counted or removed; anything else in the folder is left alone.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

namespace hotline::daemon {

// "hotline-20261206-023112.db" for a local RFC 3339 stamp "2026-12-06T02:31:12.345+08:00"; "" when the stamp
// is not of that form.
std::string rotated_backup_name(const std::string& local_rfc3339);

// Whether `name` is a rotated backup's file name (hotline-YYYYMMDD-HHMMSS.db).
bool is_rotated_backup_name(const std::string& name);

// The rotated backups in `dir`, oldest first (their names sort by time). Empty with `error` set when the folder
// cannot be read.
std::vector<std::filesystem::path> rotated_backups(const std::filesystem::path& dir, std::error_code& error);

// Removes the oldest rotated backups in `dir` until `keep` remain; returns what it removed. Stops at the first
// file it cannot remove, with `error` set.
std::vector<std::filesystem::path> prune_rotated_backups(const std::filesystem::path& dir, std::size_t keep,
                                                         std::error_code& error);

// Removes what a rotated backup killed mid-copy left behind (hotline-YYYYMMDD-HHMMSS.db.partial and its -wal,
// -shm, -journal), once untouched for `stale` (a copy under way writes its files all the time); returns what it
// removed. A reboot or an OOM kill during the nightly copy would otherwise leave them for good.
std::vector<std::filesystem::path> remove_interrupted_backups(const std::filesystem::path& dir,
                                                              std::filesystem::file_time_type now,
                                                              std::chrono::seconds stale, std::error_code& error);

}  // namespace hotline::daemon
