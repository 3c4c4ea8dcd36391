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
  // Tokens not revoked: when there are none the daemon serves loopback only, without authentication.
  // Tokens not revoked; 0 in a database that has no tokens table yet.
  Result<std::int64_t> count_active();

 private:
  explicit TokenStore(Connection db) : db_(std::move(db)) {}
  Result<std::vector<TokenRecord>> query(const std::string& where, const std::string& arg);

  Connection db_;
};

}  // namespace hotline::storage
