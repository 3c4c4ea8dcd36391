#include "daemon/app/ctl_app.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>

#include "daemon/config/config_file.hpp"
#include "daemon/config/golden_cases.hpp"
#include "daemon/config/rules_loader.hpp"
#include "daemon/runtime/local_time.hpp"
#include "daemon/runtime/scheduler_clock.hpp"
#include "daemon/runtime/version.hpp"
#include "daemon/tools/db_command.hpp"
#include "daemon/tools/deadline_command.hpp"
#include "daemon/tools/learn_command.hpp"
#include "daemon/tools/report_command.hpp"
#include "daemon/tools/route_command.hpp"
#include "daemon/tools/rules_check_command.hpp"
#include "daemon/tools/token_command.hpp"
#include "daemon/tools/user_command.hpp"

namespace hotline::daemon {
namespace {

// Loads and compiles a rules folder, printing every diagnostic; null when it has errors.
std::shared_ptr<const routing::RuleSet> load_or_report(const std::string& dir) {
  auto result = load_rules(dir);
  for (const auto& d : result.diagnostics) std::cerr << d.to_string() << '\n';
  if (!result.rule_set) std::cerr << dir << ": rules rejected\n";
  return result.rule_set;
}

int rules_test(const std::string& dir) {
  const auto rules = load_or_report(dir);
  if (!rules) return 1;
  std::vector<routing::Diagnostic> errors;
  const auto cases = read_golden_cases(dir, errors);
  for (const auto& e : errors) std::cerr << e.to_string() << '\n';
  if (routing::has_errors(errors)) return 1;
  const auto failures = run_golden_cases(*rules, cases);
  for (const auto& f : failures) std::cout << f << '\n';
  std::cout << "golden cases: " << cases.size() - failures.size() << " passed, " << failures.size() << " failed\n";
  return failures.empty() && !cases.empty() ? 0 : 1;
}

int rules_diff(const std::string& old_dir, const std::string& new_dir, std::size_t examples) {
  const auto before = load_or_report(old_dir);
  const auto after = load_or_report(new_dir);
  if (!before || !after) return 1;
  std::cout << "old " << old_dir << " (" << before->version() << ") → new " << new_dir << " (" << after->version()
            << ")\n";
  const auto counts = diff_routes(*before, *after, std::cin, std::cout, examples);
  if (counts.routed == 0 && counts.bad > 0) {
    // Nothing compared is no answer: say so in the exit code, so a script does not read "0 differ" as good news.
    std::cerr << "hotlinectl rules diff: none of the " << counts.bad
              << " line(s) is a ticket (JSON lines of the POST /v1/tickets fields); nothing was compared\n";
    return 1;
  }
  return 0;
}

int route(const std::string& dir, bool explain) {
  const auto rules = load_or_report(dir);
  if (!rules) return 1;
  std::ios::sync_with_stdio(false);
  const auto bad = route_lines(*rules, std::cin, std::cout, explain);
  std::cout.flush();
  if (bad > 0) std::cerr << bad << " bad line(s)\n";
  return 0;
}

// Options given after a subcommand's name reach the commands above it (`hotlinectl token list --config FILE`).
void let_options_fall_through(CLI::App& app) {
  for (auto* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    sub->fallthrough();
    let_options_fall_through(*sub);
  }
}

// Where hotlinectl finds things: from the config file when there is one, else today's defaults (relative to the
// current directory). An option given on the command line wins over both.
struct Whereabouts {
  std::string database = "./var/hotline.db";
  std::string rules = "rules";
  std::string report_dir;  // "" without a config: report nightly needs --out
  std::string timezone = "Asia/Shanghai";
  bool from_config = false;
};

// `value` from `where` unless `option` was given.
void unless_given(const CLI::Option* option, std::string& value, const std::string& where) {
  if (option->count() == 0) value = where;
}

}  // namespace

int run_ctl(int argc, char** argv) {
  CLI::App app{"hotlinectl — command line for hotline rule authors, operators and admins"};
  app.set_version_flag("--version", std::string("hotlinectl ") + k_version);
  app.require_subcommand(1);
  std::string config_path;
  app.add_option("--config", config_path,
                 "hotline.yaml to take the database, rules and report folder from (installed: "
                 "/etc/hotline/hotline.yaml when it exists)");
  std::string database = "./var/hotline.db";
  std::vector<CLI::Option*> database_options;
  const auto add_database_option = [&](CLI::App* command) {
    database_options.push_back(command->add_option(
        "--database", database, "SQLite database file (default: the config's database, else ./var/hotline.db)"));
  };
  bool as_json = false;
  const auto add_json_flag = [&as_json](CLI::App* command) {
    command->add_flag("--json", as_json, "one JSON document on stdout, for scripts");
  };

  auto* rules = app.add_subcommand("rules", "check, test and compare dispatch rules");
  rules->require_subcommand(1);

  std::string check_dir = "rules";
  bool strict = false;
  auto* check = rules->add_subcommand("check", "validate a rules folder: errors exit 1, warnings print");
  check->add_option("DIR", check_dir, "rules folder")->capture_default_str();
  check->add_flag("--strict", strict, "warnings fail too");
  add_json_flag(check);

  std::string test_dir = "rules";
  auto* test = rules->add_subcommand("test", "run the golden cases in DIR/tests/*.yaml");
  test->add_option("DIR", test_dir, "rules folder")->capture_default_str();

  std::string old_dir, new_dir;
  std::size_t examples = 3;
  auto* diff =
      rules->add_subcommand("diff", "route tickets (JSON lines on stdin) under two rule sets and report the changes");
  diff->add_option("OLD_DIR", old_dir, "rules folder in force")->required();
  diff->add_option("NEW_DIR", new_dir, "candidate rules folder")->required();
  diff->add_option("--examples", examples, "example tickets per group")->capture_default_str();

  LearnArgs learn_args;
  bool dry_run = false;
  auto* learn = rules->add_subcommand("learn", "train the matter model from labelled messages (text, matter code)");
  learn->add_option("--rules", learn_args.rules_dir, "rules folder (its catalogue checks the labels)")
      ->capture_default_str();
  learn->add_option("--from", learn_args.from, "labelled messages: FILE.csv (with a header row) or FILE.jsonl");
  learn->add_option("--database", learn_args.database, "or the tickets of a hotline database whose matter was given");
  learn->add_option("--text", learn_args.text, "field (column) with the message")->capture_default_str();
  learn->add_option("--label", learn_args.label, "field (column) with the matter code")->capture_default_str();
  learn->add_option("--map", learn_args.map, "label map: CSV of (the history's label, catalogue code), no header");
  learn->add_option("--level", learn_args.level, "cut labels to: class, subclass or leaf")
      ->check(CLI::IsMember({"class", "subclass", "leaf"}));
  learn->add_option("--cv", learn_args.cv, "cross-validate with this many folds and print per-label figures");
  learn->add_option("--test", learn_args.test, "score a held-out file (alone: the rules folder's model)");
  learn->add_option("--out", learn_args.out, "model file (default RULES/model/matters.model)");
  learn->add_option("--ngrams", learn_args.max_n, "n-grams of 1 to N characters")->capture_default_str();
  learn->add_option("--max-features", learn_args.max_features, "n-grams kept, most frequent first")
      ->capture_default_str();
  learn->add_flag("--dry-run", dry_run, "train and report, write nothing");

  std::string route_dir = "rules";
  bool explain = false;
  auto* route_cmd = app.add_subcommand("route", "route tickets given as JSON lines on stdin; one decision per line");
  route_cmd->add_option("--rules", route_dir, "rules folder")->capture_default_str();
  route_cmd->add_flag("--explain", explain, "include the explain trace");

  DeadlineArgs deadline_args;
  auto* deadline = app.add_subcommand("deadline", "preview the deadlines of a ticket dispatched at --from");
  deadline->add_option("--rules", deadline_args.rules_dir, "rules folder")->capture_default_str();
  deadline->add_option("--type", deadline_args.type, "request type (complaint, 投诉, ...)")->capture_default_str();
  deadline->add_option("--urgency", deadline_args.urgency, "normal, urgent, very_urgent (一般 紧急 特急)")
      ->capture_default_str();
  deadline->add_option("--channel", deadline_args.channel, "intake channel")->capture_default_str();
  deadline->add_option("--level", deadline_args.level, "level of the handling unit: city, county, township");
  deadline->add_option("--from", deadline_args.from, "dispatch instant, RFC 3339 (default: now)");
  deadline->add_flag("--json", deadline_args.json, "one JSON document on stdout, for scripts");

  auto* token = app.add_subcommand("token", "manage access tokens in the database");
  token->require_subcommand(1);
  add_database_option(token);
  TokenCreateArgs create_args;
  auto* token_create_cmd = token->add_subcommand("create", "issue a token; prints it once on stdout");
  token_create_cmd->add_option("--role", create_args.role, "operator, unit, supervisor or admin")->required();
  token_create_cmd->add_option("--unit", create_args.unit, "unit id, for role unit");
  token_create_cmd->add_option("--name", create_args.name, "who holds it, e.g. a person or terminal")->required();
  token_create_cmd->add_option("--rules", create_args.rules_dir, "rules folder to check the unit against")
      ->default_val("rules");
  auto* token_list_cmd = token->add_subcommand("list", "list tokens (never their secrets)");
  add_json_flag(token_list_cmd);
  std::string revoke_id;
  auto* token_revoke_cmd = token->add_subcommand("revoke", "revoke a token at once");
  token_revoke_cmd->add_option("ID", revoke_id, "token id (from token list)")->required();

  auto* user = app.add_subcommand("user", "manage people's accounts (the web terminal's logins)");
  user->require_subcommand(1);
  add_database_option(user);
  UserAddArgs user_args;
  auto* user_add_cmd = user->add_subcommand("add", "add an account; the password is asked for (or read from stdin)");
  user_add_cmd->add_option("--login", user_args.login, "login name, e.g. wangmin")->required();
  user_add_cmd->add_option("--role", user_args.role, "operator, unit, supervisor or admin")->required();
  user_add_cmd->add_option("--unit", user_args.unit, "unit id, for role unit");
  user_add_cmd->add_option("--name", user_args.name, "the person's name, e.g. 王敏")->required();
  user_add_cmd->add_option("--rules", user_args.rules_dir, "rules folder to check the unit against")
      ->default_val("rules");
  auto* user_list_cmd = user->add_subcommand("list", "list accounts (never their passwords)");
  std::string user_login;
  auto* user_disable_cmd = user->add_subcommand("disable", "disable an account; its sessions end");
  user_disable_cmd->add_option("LOGIN", user_login, "login")->required();
  auto* user_enable_cmd = user->add_subcommand("enable", "enable a disabled account again");
  user_enable_cmd->add_option("LOGIN", user_login, "login")->required();
  auto* user_passwd_cmd = user->add_subcommand("passwd", "set an account's password (asked for, or read from stdin)");
  user_passwd_cmd->add_option("LOGIN", user_login, "login")->required();

  auto* db = app.add_subcommand("db", "database maintenance");
  db->require_subcommand(1);
  auto* verify = db->add_subcommand("verify", "rebuild every ticket's state from its events and compare");
  add_database_option(verify);
  add_json_flag(verify);
  std::string access_ticket;
  auto* access_log = db->add_subcommand("access-log", "who was shown callers' names and phones, oldest first");
  add_database_option(access_log);
  access_log->add_option("--ticket", access_ticket, "one ticket's reads only");
  bool retry_dead = false;
  auto* notifications = db->add_subcommand("notifications", "the webhook outbox: rows per state and the dead ones");
  add_database_option(notifications);
  notifications->add_flag("--retry-dead", retry_dead, "queue the dead-lettered notifications again");
  std::string backup_to;
  auto* backup = db->add_subcommand("backup", "a consistent copy of the database while the daemon runs");
  add_database_option(backup);
  std::string backup_into;
  std::size_t backup_keep = 0;
  auto* backup_to_option = backup->add_option("--to", backup_to, "the copy: a new file (never overwritten)");
  auto* backup_into_option =
      backup->add_option("--into", backup_into, "or a folder: the copy is DIR/hotline-YYYYMMDD-HHMMSS.db (local time)");
  backup->add_option("--keep", backup_keep, "with --into: keep the N newest such copies, remove older (0: keep all)")
      ->check([](const std::string& v) {
        return !v.empty() && v.find_first_not_of("0123456789") == std::string::npos ? ""
                                                                                    : "a count of backups, 0 or more";
      })
      ->needs(backup_into_option);
  backup_to_option->excludes(backup_into_option);
  std::string restore_from;
  auto* restore =
      db->add_subcommand("restore", "replace the database with a backup (refused while a hotlined has it open)");
  add_database_option(restore);
  restore->add_option("--from", restore_from, "a backup made by db backup")->required();

  ReportArgs report_args;
  auto* report_nightly_cmd = add_report_command(app, report_args);
  let_options_fall_through(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 says "A subcommand is required" when the command given is none it knows: name the unknown word.
    if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr) {
      const CLI::App* at = &app;
      for (auto subs = at->get_subcommands(); !subs.empty(); subs = at->get_subcommands()) at = subs.front();
      if (const auto rest = app.remaining(true); !rest.empty()) {
        std::string known;
        for (const auto* sub : at->get_subcommands({})) known += (known.empty() ? "" : ", ") + sub->get_name();
        std::cerr << "hotlinectl" << (at == &app ? "" : " " + at->get_display_name(true))
                  << ": unknown command or option '" << rest.front() << "'"
                  << (known.empty() ? "" : " (commands: " + known + ")") << "\nRun with --help for more information.\n";
        return 2;
      }
    }
    return app.exit(e) == 0 ? 0 : 2;
  }
  Whereabouts where;
  if (const auto file = choose_config_file(config_path); !file.empty()) {
    std::vector<routing::Diagnostic> errors;
    const auto config = load_config_file(file, errors);
    if (!config) {
      for (const auto& e : errors) std::cerr << e.to_string() << '\n';
      return 1;
    }
    where = {config->database, config->rules, config->report_dir, config->timezone, true};
  }
  if (std::none_of(database_options.begin(), database_options.end(), [](auto* o) { return o->count() > 0; })) {
    database = where.database;
  }
  unless_given(report_nightly_cmd->get_option("--database"), report_args.database, where.database);
  unless_given(report_nightly_cmd->get_option("--out"), report_args.out_dir, where.report_dir);
  report_args.published_dir = where.report_dir;
  unless_given(check->get_option("DIR"), check_dir, where.rules);
  unless_given(test->get_option("DIR"), test_dir, where.rules);
  unless_given(learn->get_option("--rules"), learn_args.rules_dir, where.rules);
  unless_given(route_cmd->get_option("--rules"), route_dir, where.rules);
  unless_given(deadline->get_option("--rules"), deadline_args.rules_dir, where.rules);
  unless_given(token_create_cmd->get_option("--rules"), create_args.rules_dir, where.rules);
  unless_given(user_add_cmd->get_option("--rules"), user_args.rules_dir, where.rules);
  unless_given(report_nightly_cmd->get_option("--rules"), report_args.rules_dir, where.rules);
  // Time stamps written by hotlinectl use the deployment's zone (a config's, as hotlined checks it, must load).
  if (const auto error = select_time_zone(where.timezone); !error.empty() && where.from_config) {
    std::cerr << "hotlinectl: timezone: " << error << '\n';
    return 1;
  }
  if (check->parsed()) {
    const auto now_ms = wall_clock().now_ms();
    return rules_check(check_dir, routing::local_day(now_ms, utc_offset_minutes(now_ms)), strict, as_json, std::cout,
                       std::cerr);
  }
  if (test->parsed()) return rules_test(test_dir);
  if (diff->parsed()) return rules_diff(old_dir, new_dir, examples);
  if (learn->parsed()) {
    learn_args.write = !dry_run;
    return rules_learn(learn_args, std::cout, std::cerr);
  }
  if (route_cmd->parsed()) return route(route_dir, explain);
  if (verify->parsed()) return db_verify(database, as_json, std::cout, std::cerr);
  if (access_log->parsed()) return db_access_log(database, access_ticket, std::cout, std::cerr);
  if (notifications->parsed()) return db_notifications(database, retry_dead, std::cout, std::cerr);
  if (backup->parsed()) {
    if (backup_to.empty() == backup_into.empty()) {
      std::cerr << "db backup: give --to FILE or --into DIR\n";
      return 2;
    }
    if (!backup_into.empty()) return db_backup_rotated(database, backup_into, backup_keep, std::cout, std::cerr);
    return db_backup(database, backup_to, std::cout, std::cerr);
  }
  if (restore->parsed()) return db_restore(database, restore_from, std::cout, std::cerr);
  if (report_nightly_cmd->parsed()) return report_nightly(report_args, std::cout, std::cerr);
  if (deadline->parsed()) return deadline_preview(deadline_args, std::cout, std::cerr);
  if (token_create_cmd->parsed()) {
    create_args.database = database;
    return token_create(create_args, std::cout, std::cerr);
  }
  if (token_list_cmd->parsed()) return token_list(database, as_json, std::cout, std::cerr);
  if (user_add_cmd->parsed()) {
    user_args.database = database;
    return user_add(user_args, std::cin, std::cout, std::cerr);
  }
  if (user_list_cmd->parsed()) return user_list(database, std::cout, std::cerr);
  if (user_disable_cmd->parsed()) return user_set_disabled(database, user_login, true, std::cout, std::cerr);
  if (user_enable_cmd->parsed()) return user_set_disabled(database, user_login, false, std::cout, std::cerr);
  if (user_passwd_cmd->parsed()) return user_passwd(database, user_login, std::cin, std::cout, std::cerr);
  if (token_revoke_cmd->parsed()) return token_revoke(database, revoke_id, std::cout, std::cerr);
  return 2;
}

}  // namespace hotline::daemon
