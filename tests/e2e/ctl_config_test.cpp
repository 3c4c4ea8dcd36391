// End-to-end: hotlinectl and hotlined find the database, rules and reports from one hotline.yaml (--config), its
// relative paths taken from the file's folder; command-line options win over it; hotlinectl never creates a
// database; the database file is created 0640 and the folders for it and the reports 0750; one hotlined per
// database; --json for scripts.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "storage/migrations.hpp"
#include "support/e2e.hpp"
#include "support/sqlite_file.hpp"

namespace {

namespace fs = std::filesystem;

unsigned mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

// What the process's umask leaves of `mode`.
unsigned after_umask(unsigned mode) {
  const auto mask = ::umask(0);
  ::umask(mask);
  return mode & ~static_cast<unsigned>(mask);
}

// dir/etc/hotline.yaml naming everything relative to dir/etc; the rules folder is a link to the shipped rules.
struct Deployment {
  TempDir dir;
  std::string etc = dir.path() + "/etc";
  std::string config = etc + "/hotline.yaml";
  std::string db = dir.path() + "/data/h.db";  // where "../data/h.db" in the config lands
  Deployment() {
    fs::create_directories(etc);
    fs::create_directory_symlink(SHIPPED_RULES_DIR, etc + "/rules");
    std::ofstream(config) << "database: ../data/h.db\nrules: rules\nreport:\n  dir: ../reports\n";
  }
};

}  // namespace

TEST_CASE("hotlinectl never creates a database: each command that needs one says where it looked", "[e2e][ctl]") {
  TempDir dir;
  const std::string db = dir.path() + "/var/hotline.db";
  const std::vector<std::vector<std::string>> commands{
      {"token", "create", "--database", db, "--role", "operator", "--name", "x"},
      {"token", "list", "--database", db},
      {"token", "revoke", "--database", db, "abcdefgh"},
      {"user", "add", "--database", db, "--login", "wangmin", "--role", "operator", "--name", "王敏"},
      {"user", "list", "--database", db},
      {"user", "disable", "--database", db, "wangmin"},
      {"user", "passwd", "--database", db, "wangmin"},
      {"db", "verify", "--database", db},
      {"db", "access-log", "--database", db},
      {"db", "backup", "--database", db, "--to", dir.path() + "/copy.db"},
      {"report", "nightly", "--as-of", "2026-11-20", "--database", db, "--out", dir.path() + "/reports", "--rules",
       SHIPPED_RULES_DIR},
      {"rules", "learn", "--rules", SHIPPED_RULES_DIR, "--database", db, "--dry-run"},
  };
  for (const auto& args : commands) {
    const auto r = run_command(HOTLINECTL_PATH, args, "a long enough password\n");
    INFO(args[0] << ' ' << args[1] << ": " << r.err);
    CHECK(r.status == 1);
    CHECK(r.err.find("no database at " + db + " — start hotlined once to create it, or give --config or --database") !=
          std::string::npos);
    CHECK(fs::is_empty(dir.path()));  // no database, no folder, no report, no copy
  }
}

TEST_CASE("hotlinectl refuses what is no hotline database and never upgrades one", "[e2e][ctl]") {
  TempDir dir;
  // An empty file (SQLite would take it for an empty database): every command says so and leaves it empty, and a
  // report run makes no folder.
  const std::string empty = dir.path() + "/empty.db";
  { std::ofstream touch(empty); }
  const std::string reports = dir.path() + "/reports";
  const std::vector<std::vector<std::string>> commands{
      {"token", "create", "--role", "operator", "--name", "x"},
      {"token", "list"},
      {"user", "add", "--login", "wangmin", "--role", "operator", "--name", "王敏"},
      {"user", "list"},
      {"db", "verify"},
      {"db", "access-log"},
      {"db", "backup", "--to", dir.path() + "/copy.db"},
      {"report", "nightly", "--as-of", "2026-11-20", "--out", reports, "--rules", SHIPPED_RULES_DIR},
      {"rules", "learn", "--rules", SHIPPED_RULES_DIR, "--dry-run"},
  };
  for (auto args : commands) {
    args.insert(args.end(), {"--database", empty});
    const auto r = run_command(HOTLINECTL_PATH, args, "a long enough password\n");
    INFO(args[0] << ' ' << args[1] << ": " << r.err);
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Catch::Contains("is not a hotline database (schema version 0)"));
    CHECK(fs::file_size(empty) == 0);
    CHECK_FALSE(fs::exists(reports));
    CHECK_FALSE(fs::exists(dir.path() + "/copy.db"));
  }
  const auto folder = run_command(HOTLINECTL_PATH, {"token", "list", "--database", dir.path()});
  CHECK(folder.status == 1);
  CHECK_THAT(folder.err, Catch::Contains(dir.path() + " is a folder, not a database file"));

  // A database of the previous schema: read, never migrated (only hotlined upgrades, after a copy).
  const std::string older = dir.path() + "/older.db";
  const int previous = hotline::storage::schema_version() - 1;
  {
    auto connection = hotline::storage::Connection::open(older, /*create=*/true, /*read_only=*/false);
    REQUIRE(connection.has_value());
    REQUIRE(hotline::storage::migrate_to(*connection, previous).has_value());
  }
  const auto create =
      run_command(HOTLINECTL_PATH, {"token", "create", "--database", older, "--role", "operator", "--name", "x"});
  INFO(create.err);
  CHECK(create.status == 1);
  CHECK_THAT(create.err, Catch::Contains("older than this build's"));
  CHECK_THAT(create.err, Catch::Contains("start hotlined once to upgrade it"));
  CHECK(hotline::test::query_ints(older, "PRAGMA user_version") == std::vector<std::int64_t>{previous});
  CHECK(run_command(HOTLINECTL_PATH, {"token", "list", "--database", older}).status == 0);
  CHECK(hotline::test::query_ints(older, "PRAGMA user_version") == std::vector<std::int64_t>{previous});

  // A report figure asked of a unit there is not: named as such, not as a unit without tickets.
  const auto explain =
      run_command(HOTLINECTL_PATH, {"report", "nightly", "--as-of", "2026-11-20", "--database", older, "--rules",
                                    SHIPPED_RULES_DIR, "--explain", "no.such", "on_time_rate"});
  CHECK(explain.status == 1);
  CHECK_THAT(explain.err,
             Catch::Contains("no unit 'no.such' in " + std::string(SHIPPED_RULES_DIR) + " nor in the tickets"));
}

TEST_CASE("a misspelt command is named, with the commands there are", "[e2e][ctl]") {
  const auto top = run_command(HOTLINECTL_PATH, {"chek"});
  CHECK(top.status == 2);
  CHECK_THAT(top.err, Catch::Contains("hotlinectl: unknown command or option 'chek' (commands: rules, route,"));
  const auto nested = run_command(HOTLINECTL_PATH, {"rules", "chek"});
  CHECK(nested.status == 2);
  CHECK_THAT(
      nested.err,
      Catch::Contains("hotlinectl rules: unknown command or option 'chek' (commands: check, test, diff, learn)"));
}

TEST_CASE("one config tells hotlined and hotlinectl where things are, relative to its own folder", "[e2e][ctl]") {
  Deployment d;
  DaemonProcess daemon(HOTLINED_PATH, {"--config", d.config, "--listen", "127.0.0.1:0"});
  // hotlined made the database the config names: the file 0640, its new folder 0750.
  REQUIRE(fs::exists(d.db));
  CHECK(mode_of(d.db) == after_umask(0640));
  CHECK(mode_of(d.dir.path() + "/data") == after_umask(0750));

  // hotlinectl reads the same file, with --config before or after the command's name.
  const auto created =
      run_command(HOTLINECTL_PATH, {"token", "create", "--config", d.config, "--role", "operator", "--name", "desk"});
  INFO(created.err);
  REQUIRE(created.status == 0);
  const auto listed = run_command(HOTLINECTL_PATH, {"--config", d.config, "token", "list", "--json"});
  INFO(listed.err);
  REQUIRE(listed.status == 0);
  const auto tokens = json::parse(listed.out).at("tokens").as_array();
  REQUIRE(tokens.size() == 1);
  CHECK(tokens[0].at("role") == "operator");
  CHECK(tokens[0].at("name") == "desk");
  CHECK(tokens[0].at("unit").is_null());
  CHECK(tokens[0].at("revoked_at").is_null());
  CHECK(created.out.find(str(tokens[0].at("id"))) != std::string::npos);

  // The rules folder from the config (relative to it), unless one is given.
  const auto checked = run_command(HOTLINECTL_PATH, {"rules", "check", "--config", d.config, "--json"});
  REQUIRE(checked.status == 0);
  CHECK(str(json::parse(checked.out).at("dir")) == d.etc + "/rules");
  const auto given = run_command(HOTLINECTL_PATH, {"rules", "check", "--config", d.config, "--json", d.dir.path()});
  CHECK(given.status == 1);
  CHECK(str(json::parse(given.out).at("dir")) == d.dir.path());

  // An explicit --database wins over the config's.
  const auto other = d.dir.path() + "/other.db";
  const auto elsewhere = run_command(HOTLINECTL_PATH, {"token", "list", "--config", d.config, "--database", other});
  CHECK(elsewhere.status == 1);
  CHECK(elsewhere.err.find("no database at " + other) != std::string::npos);

  // The report goes to the config's report.dir, made 0750 like the daemon makes it.
  const auto reported = run_command(
      HOTLINECTL_PATH, {"report", "nightly", "--config", d.config, "--as-of", "2026-11-20", "--format", "json"});
  INFO(reported.err);
  CHECK(reported.status == 0);
  CHECK(fs::exists(d.dir.path() + "/reports/hotline-report-2026-11-20.json"));
  CHECK(mode_of(d.dir.path() + "/reports") == after_umask(0750));
}

TEST_CASE("a bad or missing config is an error, never a silent fall-back to the defaults", "[e2e][ctl]") {
  TempDir dir;
  const auto bad = dir.path() + "/bad.yaml";
  std::ofstream(bad) << "databse: h.db\n";
  const auto r = run_command(HOTLINECTL_PATH, {"--config", bad, "token", "list"});
  CHECK(r.status == 1);
  CHECK(r.err.find(bad + ":1:1: error: unknown config key 'databse'") != std::string::npos);
  const auto missing = run_command(HOTLINECTL_PATH, {"token", "list", "--config", dir.path() + "/none.yaml"});
  CHECK(missing.status == 1);
  CHECK(missing.err.find(dir.path() + "/none.yaml") != std::string::npos);
  CHECK(run_command(HOTLINED_PATH, {"--config", dir.path() + "/none.yaml"}).status == 2);
}

TEST_CASE("a second hotlined on the same database is refused while the first runs", "[e2e][ctl]") {
  TempDir dir;
  const std::string db = dir.path() + "/h.db";
  DaemonProcess first(HOTLINED_PATH, {"--listen", "127.0.0.1:0", "--database", db, "--rules", SHIPPED_RULES_DIR});
  const auto second =
      run_command(HOTLINED_PATH, {"--listen", "127.0.0.1:0", "--database", db, "--rules", SHIPPED_RULES_DIR});
  CHECK(second.status == 1);
  CHECK(second.err.find(db + " is in use by a running hotlined (pid " + std::to_string(first.pid()) + ")") !=
        std::string::npos);
  // Nor does another name for the same file get past the lock: a symlink to it, or one to its folder.
  fs::create_symlink(db, dir.path() + "/alias.db");
  fs::create_directory_symlink(dir.path(), dir.path() + "/folder");
  for (const auto& alias : {dir.path() + "/alias.db", dir.path() + "/folder/h.db"}) {
    const auto other =
        run_command(HOTLINED_PATH, {"--listen", "127.0.0.1:0", "--database", alias, "--rules", SHIPPED_RULES_DIR});
    CHECK(other.status == 1);
    CHECK(other.err.find(alias + " is in use by a running hotlined") != std::string::npos);
    const auto restore = run_command(HOTLINECTL_PATH, {"db", "restore", "--database", alias, "--from", db});
    CHECK(restore.status == 1);
    CHECK(restore.err.find("in use by a running hotlined") != std::string::npos);
  }
  HttpClient client(first.port());
  CHECK(client.get("/healthz").status == 200);  // the first one goes on
  CHECK(first.stop(SIGTERM) == 0);
  // Once it stopped, the database is free again.
  DaemonProcess again(HOTLINED_PATH, {"--listen", "127.0.0.1:0", "--database", db, "--rules", SHIPPED_RULES_DIR});
  CHECK(HttpClient(again.port()).get("/healthz").status == 200);
}

TEST_CASE("scripts get one JSON document with --json: rules check, deadline, db verify", "[e2e][ctl]") {
  TempDir dir;
  const auto broken = dir.path() + "/rules";
  fs::copy(E2E_RULES_DIR, broken, fs::copy_options::recursive);
  std::ofstream(broken + "/typo.yaml") << "rules:\n  - id: typo\n    when: {keywords: [x]}\n    lead: nobody\n";
  const auto rejected = run_command(HOTLINECTL_PATH, {"rules", "check", broken, "--json"});
  CHECK(rejected.status == 1);
  const auto verdict = json::parse(rejected.out);
  CHECK(verdict.at("ok") == false);
  CHECK(verdict.at("errors").to_number<int>() >= 1);
  CHECK_FALSE(verdict.as_object().contains("version"));
  CHECK(verdict.at("diagnostics").as_array().at(0).at("severity") == "error");
  CHECK(rejected.err.empty());

  const auto shipped = run_command(HOTLINECTL_PATH, {"rules", "check", SHIPPED_RULES_DIR, "--json"});
  CHECK(shipped.status == 0);
  CHECK(json::parse(shipped.out).at("ok") == true);
  CHECK(json::parse(shipped.out).at("units").to_number<int>() > 0);

  const auto due = run_command(HOTLINECTL_PATH, {"deadline", "--rules", SHIPPED_RULES_DIR, "--type", "投诉", "--from",
                                                 "2025-09-26T10:00:00+08:00", "--json"});
  INFO(due.err);
  REQUIRE(due.status == 0);
  const auto preview = json::parse(due.out);
  const auto& reply = preview.at("clocks").as_array().at(1);
  CHECK(reply.at("clock") == "reply");
  CHECK(reply.at("due") == "2025-10-11T00:00:00.000+08:00");
  CHECK(reply.at("working_days").as_array().size() == 5);
  CHECK(preview.at("red_card").as_object().contains("at"));
  CHECK(run_command(HOTLINECTL_PATH, {"deadline", "--type", "nonsense", "--json"}).status == 2);

  const std::string db = dir.path() + "/h.db";
  const auto op = make_token(db, "operator");
  {
    DaemonProcess daemon(HOTLINED_PATH, {"--listen", "127.0.0.1:0", "--database", db, "--rules", SHIPPED_RULES_DIR});
    HttpClient client(daemon.port());
    for (int i = 0; i < 3; ++i) {
      REQUIRE(client.request("POST", "/v1/tickets", R"({"content":"路灯不亮","category":"010101","area":"350602"})", op)
                  .status == 201);
    }
    CHECK(daemon.stop(SIGTERM) == 0);
  }
  const auto verified = run_command(HOTLINECTL_PATH, {"db", "verify", "--database", db, "--json"});
  INFO(verified.err);
  CHECK(verified.status == 0);
  const auto report = json::parse(verified.out);
  CHECK(report.at("checked").to_number<int>() == 3);
  CHECK(report.at("differences").as_array().empty());
}
