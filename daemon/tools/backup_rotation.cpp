#include "daemon/tools/backup_rotation.hpp"

#include <algorithm>
#include <cctype>

namespace hotline::daemon {
namespace {

constexpr std::string_view k_prefix = "hotline-";
constexpr std::string_view k_suffix = ".db";

bool digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

}  // namespace

std::string rotated_backup_name(const std::string& local_rfc3339) {
  // 2026-12-06T02:31:12...
  const std::string_view s = local_rfc3339;
  if (s.size() < 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':') return "";
  std::string stamp;
  stamp.append(s.substr(0, 4)).append(s.substr(5, 2)).append(s.substr(8, 2)).append("-");
  stamp.append(s.substr(11, 2)).append(s.substr(14, 2)).append(s.substr(17, 2));
  const std::string name = std::string(k_prefix) + stamp + std::string(k_suffix);
  return is_rotated_backup_name(name) ? name : "";
}

bool is_rotated_backup_name(const std::string& name) {
  // hotline-YYYYMMDD-HHMMSS.db
  const std::string_view s = name;
  constexpr std::size_t length = k_prefix.size() + 15 + k_suffix.size();
  if (s.size() != length || !s.starts_with(k_prefix) || !s.ends_with(k_suffix)) return false;
  const auto stamp = s.substr(k_prefix.size(), 15);
  return digits(stamp.substr(0, 8)) && stamp[8] == '-' && digits(stamp.substr(9, 6));
}

std::vector<std::filesystem::path> rotated_backups(const std::filesystem::path& dir, std::error_code& error) {
  std::vector<std::filesystem::path> found;
  for (std::filesystem::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    if (it->is_regular_file() && is_rotated_backup_name(it->path().filename().string())) found.push_back(it->path());
  }
  if (error) return {};
  std::sort(found.begin(), found.end());
  return found;
}

std::vector<std::filesystem::path> prune_rotated_backups(const std::filesystem::path& dir, std::size_t keep,
                                                         std::error_code& error) {
  const auto all = rotated_backups(dir, error);
  std::vector<std::filesystem::path> removed;
  if (error || all.size() <= keep) return removed;
  for (std::size_t i = 0; i + keep < all.size(); ++i) {
    if (std::filesystem::remove(all[i], error)) {
      removed.push_back(all[i]);
    } else if (error) {
      return removed;
    }  // else gone already (another run pruned it)
  }
  return removed;
}

std::vector<std::filesystem::path> remove_interrupted_backups(const std::filesystem::path& dir,
                                                              std::filesystem::file_time_type now,
                                                              std::chrono::seconds stale, std::error_code& error) {
  std::vector<std::filesystem::path> leftovers;
  for (std::filesystem::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    const auto name = it->path().filename().string();
    const auto at = name.find(".partial");
    if (at == std::string::npos || !is_rotated_backup_name(name.substr(0, at))) continue;
    const auto rest = std::string_view(name).substr(at + 8);
    if (!rest.empty() && rest != "-wal" && rest != "-shm" && rest != "-journal") continue;
    std::error_code time_error;
    const auto written = std::filesystem::last_write_time(it->path(), time_error);
    if (!time_error && now - written >= stale) leftovers.push_back(it->path());
  }
  std::vector<std::filesystem::path> removed;
  if (error) return removed;
  for (const auto& path : leftovers) {
    std::error_code ignored;
    if (std::filesystem::remove(path, ignored)) removed.push_back(path);
  }
  return removed;
}

}  // namespace hotline::daemon
