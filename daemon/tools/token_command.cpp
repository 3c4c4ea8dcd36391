#include "daemon/tools/token_command.hpp"

#include <boost/json.hpp>
#include <chrono>
#include <ostream>

#include "daemon/access/token_auth.hpp"
#include "daemon/config/rules_loader.hpp"
#include "daemon/runtime/local_time.hpp"
#include "daemon/runtime/scheduler_clock.hpp"
#include "daemon/tools/database_path.hpp"
#include "storage/token_store.hpp"

namespace hotline::daemon {
namespace {

namespace json = boost::json;

std::string now_rfc3339() {
  return local_stamp_ms(wall_clock().now_ms()).rfc3339;
}

}  // namespace

int check_role_and_unit(const char* command, const std::string& role, const std::string& unit,
                        const std::string& rules_dir, std::ostream& err) {
  if (!parse_token_role(role)) {
    err << command << ": --role must be operator, unit, supervisor or admin\n";
    return 2;
  }
  if ((role == "unit") != !unit.empty()) {
    err << command << ": --unit is required for role unit and only for it\n";
    return 2;
  }
  if (unit.empty()) return 0;
  const auto rules = load_rules(rules_dir);
  if (!rules.rule_set) {
    err << command << ": cannot check the unit: rules in '" << rules_dir << "' do not load\n";
    return 1;
  }
  if (rules.rule_set->find_unit(unit) == nullptr) {
    err << command << ": no unit '" << unit << "' in " << rules_dir << '\n';
    return 1;
  }
  return 0;
}

std::unique_ptr<storage::TokenStore> open_credentials(const char* command, const std::string& database,
                                                      std::ostream& err) {
  if (!require_database(command, database, err)) return nullptr;
  auto store = storage::TokenStore::open(database, {.create = false, .read_only = false, .migrate = false});
  if (!store) {
    err << command << ": " << store.error().message << '\n';
    return nullptr;
  }
  return std::move(*store);
}

int token_create(const TokenCreateArgs& args, std::ostream& out, std::ostream& err) {
  if (args.name.find_first_not_of(" \t") == std::string::npos) {
    err << "token create: --name says who holds the token, e.g. 受理终端3 or 芗城区城管局联络员\n";
    return 2;
  }
  if (const int bad = check_role_and_unit("token create", args.role, args.unit, args.rules_dir, err)) return bad;
  auto store = open_credentials("token create", args.database, err);
  if (!store) return 1;
  const auto issued = issue_token(args.name, args.role, args.unit, now_rfc3339());
  if (auto r = store->create(issued.record); !r) {
    err << "token create: " << r.error().message << '\n';
    return 1;
  }
  out << issued.text << '\n';
  err << "token " << issued.record.id << " (" << args.role << (args.unit.empty() ? "" : " " + args.unit)
      << ") created; it is shown only now — store it safely. Restart or SIGHUP hotlined if it ran without tokens.\n";
  return 0;
}

int token_list(const std::string& database, bool as_json, std::ostream& out, std::ostream& err) {
  if (!require_database("token list", database, err)) return 1;
  auto store = storage::TokenStore::open(database, {.create = false, .read_only = true});
  if (!store) {
    err << "token list: " << store.error().message << '\n';
    return 1;
  }
  auto tokens = (*store)->list();
  if (!tokens) {
    err << "token list: " << tokens.error().message << '\n';
    return 1;
  }
  if (as_json) {
    json::array list;
    const auto text_or_null = [](const std::optional<std::string>& v) { return v ? json::value(*v) : json::value(); };
    for (const auto& t : *tokens) {
      list.push_back({{"id", t.id},
                      {"role", t.role},
                      {"unit", text_or_null(t.unit_id)},
                      {"name", t.name},
                      {"created_at", t.created_at},
                      {"revoked_at", text_or_null(t.revoked_at)}});
    }
    out << json::serialize(json::object{{"tokens", std::move(list)}}) << '\n';
    return 0;
  }
  out << "ID        ROLE        UNIT                 CREATED                        REVOKED                        "
         "NAME\n";
  for (const auto& t : *tokens) {
    char line[512];
    std::snprintf(line, sizeof line, "%-9s %-11s %-20s %-30s %-30s %s\n", t.id.c_str(), t.role.c_str(),
                  t.unit_id.value_or("-").c_str(), t.created_at.c_str(), t.revoked_at.value_or("-").c_str(),
                  t.name.c_str());
    out << line;
  }
  return 0;
}

int token_revoke(const std::string& database, const std::string& id, std::ostream& out, std::ostream& err) {
  if (!require_database("token revoke", database, err)) return 1;
  auto store = storage::TokenStore::open(database, {.create = false, .read_only = false, .migrate = false});
  if (!store) {
    err << "token revoke: " << store.error().message << '\n';
    return 1;
  }
  auto revoked = (*store)->revoke(id, now_rfc3339());
  if (!revoked) {
    err << "token revoke: " << revoked.error().message << '\n';
    return 1;
  }
  if (!*revoked) {
    err << "token revoke: no active token with id '" << id << "'\n";
    return 1;
  }
  out << "token " << id << " revoked\n";
  return 0;
}

}  // namespace hotline::daemon
