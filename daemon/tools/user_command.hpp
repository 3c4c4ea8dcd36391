// hotlinectl user add|list|disable|enable|passwd: people's accounts for the web terminal, in the hotline database.
// A password is asked for twice on a terminal (not echoed), or read as the first line of standard input.
#pragma once

#include <iosfwd>
#include <string>

namespace hotline::daemon {

struct UserAddArgs {
  std::string database;
  std::string login;
  std::string name;
  std::string role;
  std::string unit;       // required for role unit
  std::string rules_dir;  // to check that the unit exists
};

// Each returns the process exit code; `in` gives the password when it is not a terminal.
int user_add(const UserAddArgs& args, std::istream& in, std::ostream& out, std::ostream& err);
int user_list(const std::string& database, std::ostream& out, std::ostream& err);
int user_set_disabled(const std::string& database, const std::string& login, bool disabled, std::ostream& out,
                      std::ostream& err);
int user_passwd(const std::string& database, const std::string& login, std::istream& in, std::ostream& out,
                std::ostream& err);

// A login is 2 to 32 of a-z, 0-9, '.', '_' and '-', starting with a letter.
bool valid_login(const std::string& login);

}  // namespace hotline::daemon
