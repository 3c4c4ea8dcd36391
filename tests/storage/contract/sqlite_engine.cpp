#include "tests/storage/contract/sqlite_engine.hpp"

#include <sqlite3.h>

#include "storage/migrations.hpp"

namespace hotline::storage::contract {

Result<std::unique_ptr<TicketStore>> SqliteEngine::open_tickets(const std::string& path,
                                                                const OpenOptions& options) const {
  return TicketStore::open(path, options);
}

Result<std::unique_ptr<EscalationStore>> SqliteEngine::open_escalations(const std::string& path,
                                                                        const OpenOptions& options) const {
  return EscalationStore::open(path, options);
}

Result<std::unique_ptr<TokenStore>> SqliteEngine::open_tokens(const std::string& path,
                                                              const OpenOptions& options) const {
  return TokenStore::open(path, options);
}

Result<std::unique_ptr<ReportStore>> SqliteEngine::open_report(const std::string& path) const {
  return ReportStore::open(path);
}

void SqliteEngine::make_newer(const std::string& path) const {
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
  const std::string sql = "PRAGMA user_version = " + std::to_string(schema_version() + 1);
  const int rc = sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr);
  sqlite3_close(raw);
  REQUIRE(rc == SQLITE_OK);
}

Result<void> SqliteEngine::try_update_event(TicketStore& store, std::int64_t seq) const {
  return store.exec("UPDATE events SET kind = 'forged', payload = '{\"forged\":true}' WHERE seq = " +
                    std::to_string(seq));
}

Result<void> SqliteEngine::try_delete_event(TicketStore& store, std::int64_t seq) const {
  return store.exec("DELETE FROM events WHERE seq = " + std::to_string(seq));
}

}  // namespace hotline::storage::contract
