// hotlinectl token create|list|revoke: access tokens in the hotline database.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>

#include "storage/token_store.hpp"

namespace hotline::daemon {

struct TokenCreateArgs {
  std::string database;
  std::string name;
  std::string role;
  std::string unit;       // required for role unit
  std::string rules_dir;  // to check that the unit exists
};

// Each returns the process exit code and prints results to `out`, problems to `err`.
int token_create(const TokenCreateArgs& args, std::ostream& out, std::ostream& err);
// token list: a table, or with `as_json` {"tokens": [{"id", "role", "unit", "name", "created_at", "revoked_at"}]}
// (unit and revoked_at null when not set).
int token_list(const std::string& database, bool as_json, std::ostream& out, std::ostream& err);
// Shared with `user add`. The exit code for a role and unit pair (`--role`, `--unit`, checked against the rules in
// `rules_dir`): 0 when good, else 2 (bad arguments) or 1 (rules that do not load, an unknown unit), said on `err`.
int check_role_and_unit(const char* command, const std::string& role, const std::string& unit,
                        const std::string& rules_dir, std::ostream& err);
// The credentials store of `database`, which must exist (only hotlined creates one); null (said on `err`) when
// it is missing or cannot be opened.
std::unique_ptr<storage::TokenStore> open_credentials(const char* command, const std::string& database,
                                                      std::ostream& err);
int token_revoke(const std::string& database, const std::string& id, std::ostream& out, std::ostream& err);

}  // namespace hotline::daemon
