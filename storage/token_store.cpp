#include "storage/token_store.hpp"

namespace hotline::storage {

Result<std::unique_ptr<TokenStore>> TokenStore::open(const std::string& path, const OpenOptions& options) {
  auto db = open_database(path, options);
  if (!db) return db.error();
  return std::unique_ptr<TokenStore>(new TokenStore(std::move(*db)));
}

Result<void> TokenStore::create(const TokenRecord& t) {
  Statement s(db_.get(),
              "INSERT INTO tokens(id, name, role, unit_id, secret_hash, created_at) VALUES(?1,?2,?3,?4,?5,?6)");
  s.bind(1, t.id).bind(2, t.name).bind(3, t.role).bind(4, t.unit_id).bind(5, t.secret_hash).bind(6, t.created_at);
  return s.run();
}

Result<std::vector<TokenRecord>> TokenStore::query(const std::string& where, const std::string& arg) {
  Statement s(db_.get(), "SELECT id, name, role, unit_id, secret_hash, created_at, revoked_at FROM tokens " + where);
  if (!arg.empty()) s.bind(1, arg);
  std::vector<TokenRecord> out;
  const auto walked = s.each_row([&] {
    out.push_back({s.column_text(0), s.column_text(1), s.column_text(2), s.column_optional_text(3), s.column_text(4),
                   s.column_text(5), s.column_optional_text(6)});
  });
  if (!walked) return walked.error();
  return out;
}

Result<std::vector<TokenRecord>> TokenStore::list() {
  return query("ORDER BY created_at DESC, id", "");
}

Result<std::optional<TokenRecord>> TokenStore::find(const std::string& id) {
  auto rows = query("WHERE id = ?1", id);
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<TokenRecord>{};
  return std::optional<TokenRecord>(std::move(rows->front()));
}

Result<bool> TokenStore::revoke(const std::string& id, const std::string& at) {
  Statement s(db_.get(), "UPDATE tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL");
  s.bind(1, id).bind(2, at);
  if (auto r = s.run(); !r) return r.error();
  return sqlite3_changes(db_.get()) > 0;
}

Result<std::int64_t> TokenStore::count_active() {
  // A database from before tokens existed (opened read-only, not migrated) has none.
  Statement exists(db_.get(), "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'tokens'");
  auto found = exists.step();
  if (!found) return found.error();
  if (exists.column_int(0) == 0) return 0;
  Statement users(db_.get(), "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'users'");
  if (auto r = users.step(); !r) return r.error();
  Statement s(db_.get(), users.column_int(0) == 0 ? "SELECT count(*) FROM tokens WHERE revoked_at IS NULL"
                                                  : "SELECT (SELECT count(*) FROM tokens WHERE revoked_at IS NULL) +"
                                                    " (SELECT count(*) FROM users WHERE disabled_at IS NULL)");
  auto row = s.step();
  if (!row) return row.error();
  return s.column_int(0);
}

Result<void> TokenStore::create_user(const UserRecord& u) {
  Statement s(db_.get(),
              "INSERT INTO users(login, name, role, unit_id, password_hash, created_at) VALUES(?1,?2,?3,?4,?5,?6)");
  s.bind(1, u.login).bind(2, u.name).bind(3, u.role).bind(4, u.unit_id).bind(5, u.password_hash).bind(6, u.created_at);
  return s.run();
}

Result<std::vector<UserRecord>> TokenStore::query_users(const std::string& where, const std::string& arg) {
  Statement s(db_.get(),
              "SELECT login, name, role, unit_id, password_hash, created_at, disabled_at FROM users " + where);
  if (!arg.empty()) s.bind(1, arg);
  std::vector<UserRecord> out;
  const auto walked = s.each_row([&] {
    out.push_back({s.column_text(0), s.column_text(1), s.column_text(2), s.column_optional_text(3), s.column_text(4),
                   s.column_text(5), s.column_optional_text(6)});
  });
  if (!walked) return walked.error();
  return out;
}

Result<std::optional<UserRecord>> TokenStore::find_user(const std::string& login) {
  auto rows = query_users("WHERE login = ?1", login);
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<UserRecord>{};
  return std::optional<UserRecord>(std::move(rows->front()));
}

Result<std::vector<UserRecord>> TokenStore::list_users() {
  return query_users("ORDER BY login", "");
}

Result<bool> TokenStore::set_user_disabled(const std::string& login, const std::optional<std::string>& at) {
  Statement s(db_.get(), "UPDATE users SET disabled_at = ?2 WHERE login = ?1");
  s.bind(1, login).bind(2, at);
  if (auto r = s.run(); !r) return r.error();
  return sqlite3_changes(db_.get()) > 0;
}

Result<bool> TokenStore::set_user_password(const std::string& login, const std::string& password_hash) {
  Statement s(db_.get(), "UPDATE users SET password_hash = ?2 WHERE login = ?1");
  s.bind(1, login).bind(2, password_hash);
  if (auto r = s.run(); !r) return r.error();
  return sqlite3_changes(db_.get()) > 0;
}

}  // namespace hotline::storage
