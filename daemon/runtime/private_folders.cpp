#include "daemon/runtime/private_folders.hpp"

#include <sys/stat.h>

#include <cerrno>

namespace hotline::daemon {

std::error_code create_private_folders(const std::filesystem::path& folder) {
  std::error_code ec;
  if (folder.empty() || std::filesystem::is_directory(folder, ec)) return {};
  if (folder.has_parent_path() && folder.parent_path() != folder) {
    if (auto parent = create_private_folders(folder.parent_path())) return parent;
  }
  if (::mkdir(folder.c_str(), 0750) != 0 && errno != EEXIST) return {errno, std::generic_category()};
  return {};
}

}  // namespace hotline::daemon
