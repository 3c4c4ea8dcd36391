#include "daemon/tools/user_command.hpp"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <ostream>

#include "daemon/access/password.hpp"
#include "daemon/runtime/local_time.hpp"
#include "daemon/runtime/scheduler_clock.hpp"
#include "daemon/tools/database_path.hpp"
#include "daemon/tools/token_command.hpp"
#include "storage/token_store.hpp"

namespace hotline::daemon {
namespace {

std::string now_rfc3339() {
  return local_stamp_ms(wall_clock().now_ms()).rfc3339;
}

// One line typed without echo on the terminal of standard input.
std::string read_hidden(const char* prompt, std::ostream& err) {
  err << prompt << std::flush;
  termios old{};
  const bool tty = tcgetattr(STDIN_FILENO, &old) == 0;
  if (tty) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::string line;
  for (int c = std::getchar(); c != EOF && c != '\n'; c = std::getchar()) line += static_cast<char>(c);
  if (tty) tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
  err << '\n';
  return line;
}

// The new password, asked twice on a terminal or read from `in`; nullopt (with the reason on err) when refused.
std::optional<std::string> new_password(const char* command, std::istream& in, std::ostream& err) {
  std::string password;
  if (&in == &std::cin && isatty(STDIN_FILENO)) {
    password = read_hidden("Password: ", err);
    if (read_hidden("Again: ", err) != password) {
      err << command << ": the two passwords differ\n";
      return std::nullopt;
    }
  } else if (!std::getline(in, password)) {
    err << command << ": no password on standard input\n";
    return std::nullopt;
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (const auto problem = password_problem(password); !problem.empty()) {
    err << command << ": " << problem << '\n';
    return std::nullopt;
  }
  return password;
}

}  // namespace

bool valid_login(const std::string& login) {
  if (login.size() < 2 || login.size() > 32 || login[0] < 'a' || login[0] > 'z') return false;
  for (const char c : login) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

int user_add(const UserAddArgs& args, std::istream& in, std::ostream& out, std::ostream& err) {
  if (!valid_login(args.login)) {
    err << "user add: --login must be 2 to 32 of a-z, 0-9, '.', '_', '-', starting with a letter\n";
    return 2;
  }
  if (args.name.find_first_not_of(" \t") == std::string::npos) {
    err << "user add: --name is the person's name, e.g. 王敏\n";
    return 2;
  }
  if (const int bad = check_role_and_unit("user add", args.role, args.unit, args.rules_dir, err)) return bad;
  auto store = open_credentials("user add", args.database, err);
  if (!store) return 1;
  if (auto existing = store->find_user(args.login); existing && *existing) {
    err << "user add: login '" << args.login << "' exists already\n";
    return 1;
  }
  const auto password = new_password("user add", in, err);
  if (!password) return 2;
  storage::UserRecord user{args.login,
                           args.name,
                           args.role,
                           args.unit.empty() ? std::nullopt : std::optional<std::string>(args.unit),
                           hash_password(*password),
                           now_rfc3339(),
                           std::nullopt};
  if (auto r = store->create_user(user); !r) {
    err << "user add: " << r.error().message << '\n';
    return 1;
  }
  out << "user " << args.login << " (" << args.role << (args.unit.empty() ? "" : " " + args.unit) << ", " << args.name
      << ") added. Restart or SIGHUP hotlined if it ran without tokens or users.\n";
  return 0;
}

int user_list(const std::string& database, std::ostream& out, std::ostream& err) {
  if (!require_database("user list", database, err)) return 1;
  auto store = storage::TokenStore::open(database, {.create = false, .read_only = true});
  if (!store) {
    err << "user list: " << store.error().message << '\n';
    return 1;
  }
  auto users = (*store)->list_users();
  if (!users) {
    err << "user list: " << users.error().message << '\n';
    return 1;
  }
  out << "LOGIN            ROLE        UNIT                 CREATED                        DISABLED                    "
         "   "
         "NAME\n";
  for (const auto& u : *users) {
    char line[512];
    std::snprintf(line, sizeof line, "%-16s %-11s %-20s %-30s %-30s %s\n", u.login.c_str(), u.role.c_str(),
                  u.unit_id.value_or("-").c_str(), u.created_at.c_str(), u.disabled_at.value_or("-").c_str(),
                  u.name.c_str());
    out << line;
  }
  return 0;
}

int user_set_disabled(const std::string& database, const std::string& login, bool disabled, std::ostream& out,
                      std::ostream& err) {
  const char* command = disabled ? "user disable" : "user enable";
  if (!require_database(command, database, err)) return 1;
  auto store = storage::TokenStore::open(database, {.create = false, .read_only = false, .migrate = false});
  if (!store) {
    err << command << ": " << store.error().message << '\n';
    return 1;
  }
  auto changed = (*store)->set_user_disabled(login, disabled ? std::optional(now_rfc3339()) : std::nullopt);
  if (!changed) {
    err << command << ": " << changed.error().message << '\n';
    return 1;
  }
  if (!*changed) {
    err << command << ": no user '" << login << "'\n";
    return 1;
  }
  out << "user " << login << (disabled ? " disabled: its sessions end at their next request\n" : " enabled\n");
  return 0;
}

int user_passwd(const std::string& database, const std::string& login, std::istream& in, std::ostream& out,
                std::ostream& err) {
  if (!require_database("user passwd", database, err)) return 1;
  auto store = storage::TokenStore::open(database, {.create = false, .read_only = false, .migrate = false});
  if (!store) {
    err << "user passwd: " << store.error().message << '\n';
    return 1;
  }
  auto found = (*store)->find_user(login);
  if (!found || !*found) {
    err << "user passwd: no user '" << login << "'\n";
    return 1;
  }
  const auto password = new_password("user passwd", in, err);
  if (!password) return 2;
  if (auto r = (*store)->set_user_password(login, hash_password(*password)); !r) {
    err << "user passwd: " << r.error().message << '\n';
    return 1;
  }
  out << "user " << login << ": password changed\n";
  return 0;
}

}  // namespace hotline::daemon
