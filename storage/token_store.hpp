// TokenStore: access tokens (role, bound unit, hash of the secret) in the hotline database. Synchronous; one
// instance per thread. Hashing and token text are the daemon's business: this stores and finds records.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace hotline::storage {

struct TokenRecord {
  std::string id;  // public part
  std::string name;
  std::string role;  // operator, unit, supervisor, admin
  std::optional<std::string> unit_id;
  std::string secret_hash;
  std::string created_at;
  std::optional<std::string> revoked_at;
};

// A person's account (the web terminal's login), beside the machines' tokens.
struct UserRecord {
  std::string login;
  std::string name;
  std::string role;  // operator, unit, supervisor, admin
  std::optional<std::string> unit_id;
  std::string password_hash;  // Argon2id, libsodium's crypto_pwhash_str text
  std::string created_at;
  std::optional<std::string> disabled_at;
  friend bool operator==(const UserRecord&, const UserRecord&) = default;
};

class TokenStore {
 public:
  static Result<std::unique_ptr<TokenStore>> open(const std::string& path, const OpenOptions& options = {});

  // Errors: a duplicate id, a role/unit combination the schema refuses.
  Result<void> create(const TokenRecord& token);
  // Every token, newest first.
  Result<std::vector<TokenRecord>> list();
  // false when no such token exists or it was already revoked.
  Result<bool> revoke(const std::string& id, const std::string& at);
  Result<std::optional<TokenRecord>> find(const std::string& id);
  // Credentials that can authenticate — tokens not revoked and accounts not disabled — ; 0 in a database that has
  // no tokens table yet. With none, the daemon serves loopback only, without authentication.
  Result<std::int64_t> count_active();

  // People's accounts. Errors: a duplicate login, a role/unit combination the schema refuses.
  Result<void> create_user(const UserRecord& user);
  Result<std::optional<UserRecord>> find_user(const std::string& login);
  // Every account, by login.
  Result<std::vector<UserRecord>> list_users();
  // Disables (at = the time) or enables (at = nullopt) an account; false when no such account.
  Result<bool> set_user_disabled(const std::string& login, const std::optional<std::string>& at);
  // false when no such account.
  Result<bool> set_user_password(const std::string& login, const std::string& password_hash);

 private:
  explicit TokenStore(Connection db) : db_(std::move(db)) {}
  Result<std::vector<TokenRecord>> query(const std::string& where, const std::string& arg);
  Result<std::vector<UserRecord>> query_users(const std::string& where, const std::string& arg);

  Connection db_;
};

}  // namespace hotline::storage
