// End-to-end: hotlinectl db restore puts a backup made by db backup back in place — refused while a hotlined has
// the database open (the database untouched), done once it stopped (the next daemon serves the backup's tickets and
// not the later ones), and refused for a file that is not a sound hotline database (the database unchanged).
#include <catch2/catch.hpp>
#include <csignal>
#include <fstream>
#include <string>

#include "support/e2e.hpp"
#include "support/sqlite_file.hpp"

using hotline::test::query_ints;
using hotline::test::run_sql;

namespace {

const std::string k_ticket = R"({"content":"胜利路路灯不亮","category":"010101","area":"350602"})";

std::string new_ticket(HttpClient& client, const std::string& token) {
  const auto r = client.request("POST", "/v1/tickets", k_ticket, token);
  REQUIRE(r.status == 201);
  return str(json::parse(r.body).at("id"));
}

}  // namespace

TEST_CASE("db restore is refused under a running daemon and brings the backup back once it stopped", "[e2e][backup]") {
  TempDir dir;
  const std::string db = dir.path() + "/h.db";
  const std::string copy = dir.path() + "/h-copy.db";
  const auto op = make_token(db, "operator");
  const std::vector<std::string> daemon_args{"--listen", "127.0.0.1:0", "--database", db, "--rules", SHIPPED_RULES_DIR};
  std::string before, after;
  {
    DaemonProcess daemon(HOTLINED_PATH, daemon_args);
    HttpClient client(daemon.port());
    before = new_ticket(client, op);
    REQUIRE(run_command(HOTLINECTL_PATH, {"db", "backup", "--database", db, "--to", copy}).status == 0);
    after = new_ticket(client, op);

    const auto refused = run_command(HOTLINECTL_PATH, {"db", "restore", "--database", db, "--from", copy});
    CHECK(refused.status == 1);
    CHECK(refused.err.find(db + " is in use by a running hotlined (pid " + std::to_string(daemon.pid()) +
                           "); stop it first (systemctl stop hotline)") != std::string::npos);
    CHECK(client.request("GET", "/v1/tickets/" + after, "", op).status == 200);  // nothing was replaced
    CHECK(daemon.stop(SIGTERM) == 0);
  }
  CHECK(query_ints(db, "SELECT count(*) FROM tickets").at(0) == 2);

  const auto restored = run_command(HOTLINECTL_PATH, {"db", "restore", "--database", db, "--from", copy});
  INFO(restored.out << restored.err);
  REQUIRE(restored.status == 0);
  CHECK(restored.out.find(db + " restored from " + copy) != std::string::npos);

  DaemonProcess daemon(HOTLINED_PATH, daemon_args);
  HttpClient client(daemon.port());
  CHECK(client.request("GET", "/v1/tickets/" + before, "", op).status == 200);
  CHECK(client.request("GET", "/v1/tickets/" + after, "", op).status == 404);
  CHECK(new_ticket(client, op) != before);  // and it takes new tickets on top of the backup
}

TEST_CASE("db restore refuses what is not a sound hotline backup and leaves the database as it was", "[e2e][backup]") {
  TempDir dir;
  const std::string db = dir.path() + "/h.db";
  make_token(db, "operator");
  const auto restore_from = [&](const std::string& from) {
    return run_command(HOTLINECTL_PATH, {"db", "restore", "--database", db, "--from", from});
  };

  const auto text = dir.path() + "/notes.txt";
  std::ofstream(text) << "not a database at all, but long enough to have a header.............................";
  const auto not_sqlite = restore_from(text);
  CHECK(not_sqlite.status == 1);
  CHECK(not_sqlite.err.find(db + " is unchanged") != std::string::npos);

  const auto other = dir.path() + "/other.db";
  { std::ofstream touch(other); }
  run_sql(other, "CREATE TABLE notes(text TEXT); INSERT INTO notes VALUES ('x');");
  const auto foreign = restore_from(other);
  CHECK(foreign.status == 1);
  CHECK(foreign.err.find(other + " is not a hotline database") != std::string::npos);

  const auto newer = dir.path() + "/newer.db";
  REQUIRE(run_command(HOTLINECTL_PATH, {"db", "backup", "--database", db, "--to", newer}).status == 0);
  run_sql(newer, "PRAGMA user_version = 9999;");
  const auto too_new = restore_from(newer);
  CHECK(too_new.status == 1);
  CHECK(too_new.err.find("newer than this build's") != std::string::npos);

  CHECK(restore_from(dir.path() + "/none.db").status == 1);

  // A restore that was to create the database leaves nothing behind when the backup is refused.
  const auto fresh = dir.path() + "/fresh.db";
  const auto refused = run_command(HOTLINECTL_PATH, {"db", "restore", "--database", fresh, "--from", text});
  CHECK(refused.status == 1);
  CHECK_THAT(refused.err, Catch::Contains(fresh + " was not created"));
  CHECK_FALSE(std::filesystem::exists(fresh));
  CHECK_FALSE(std::filesystem::exists(fresh + ".lock"));
  CHECK(query_ints(db, "SELECT count(*) FROM tokens").at(0) == 1);  // the database is as it was
}
