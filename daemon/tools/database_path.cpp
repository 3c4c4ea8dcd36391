#include "daemon/tools/database_path.hpp"

#include <filesystem>
#include <ostream>

namespace hotline::daemon {

bool require_database(const char* command, const std::string& database, std::ostream& err) {
  std::error_code ec;
  if (std::filesystem::is_directory(database, ec)) {
    err << command << ": " << database << " is a folder, not a database file; give the file's path (--database)\n";
    return false;
  }
  if (std::filesystem::exists(database, ec)) return true;
  const auto absolute = std::filesystem::absolute(database, ec).lexically_normal();
  err << command << ": no database at " << (ec ? database : absolute.string())
      << " — start hotlined once to create it, or give --config or --database\n";
  return false;
}

}  // namespace hotline::daemon
