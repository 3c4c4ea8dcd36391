// hotlinectl token create|list|revoke: access tokens in the hotline database.
#pragma once

#include <iosfwd>
#include <string>

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
int token_list(const std::string& database, std::ostream& out, std::ostream& err);
int token_revoke(const std::string& database, const std::string& id, std::ostream& out, std::ostream& err);

}  // namespace hotline::daemon
