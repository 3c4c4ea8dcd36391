#include "support/fresh_database.hpp"

#include <filesystem>
#include <stdexcept>

#include "storage/database.hpp"

namespace hotline::test {

void create_database_if_missing(const std::string& db) {
  if (std::filesystem::exists(db)) return;
  const auto folder = std::filesystem::path(db).parent_path();
  if (!folder.empty()) std::filesystem::create_directories(folder);
  auto created = storage::open_database(db);  // what hotlined's TicketStore::open does first
  if (!created) throw std::runtime_error("cannot create " + db + ": " + created.error().message);
}

}  // namespace hotline::test
