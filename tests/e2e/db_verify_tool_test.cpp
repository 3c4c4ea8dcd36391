// End-to-end: `hotlinectl db verify` on a database the daemon wrote, before and after its stored state was
// tampered with behind the event log's back.
#include <signal.h>
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <regex>
#include <string>
#include <thread>

#include "support/e2e.hpp"

namespace {

std::string post(HttpClient& client, const std::string& body) {
  const auto r = client.post("/v1/tickets", body);
  REQUIRE(r.status == 201);
  return str(json::parse(r.body).at("id"));
}

// Runs one statement on the database file directly, as an administrator with the sqlite3 shell would.
void exec_sql(const std::string& db, const std::string& sql) {
  sqlite3* handle = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &handle) == SQLITE_OK);
  char* error = nullptr;
  const int rc = sqlite3_exec(handle, sql.c_str(), nullptr, nullptr, &error);
  const std::string message = error ? error : "";
  sqlite3_free(error);
  const int changed = sqlite3_changes(handle);
  sqlite3_close(handle);
  INFO(sql << ": " << message);
  REQUIRE(rc == SQLITE_OK);
  REQUIRE(changed == 1);
}

}  // namespace

TEST_CASE("db verify finds no difference in a clean database and names each tampered ticket", "[e2e][tools][verify]") {
  TempDir dir;
  const std::string db = dir.path() + "/h.db";
  std::string lamp, wages;
  {
    DaemonProcess daemon(HOTLINED_PATH, {"--listen", "127.0.0.1:0", "--database", db, "--rules", E2E_RULES_DIR});
    HttpClient client(daemon.port());
    lamp = post(client, R"({"content":"胜利路路灯不亮","category":"0101","area":"350602"})");
    wages = post(client, R"({"content":"工资被拖欠三个月"})");
    CHECK(daemon.stop(SIGTERM) == 0);
  }
  {
    const auto clean = run_command(HOTLINECTL_PATH, {"db", "verify", "--database", db});
    INFO(clean.out << clean.err);
    CHECK(clean.status == 0);
    CHECK(clean.out == "2 ticket(s) rebuilt from their events, 0 difference(s)\n");
  }

  // No trigger guards the projection (only events are append-only): change one ticket's state and another's
  // reply deadline.
  exec_sql(db, "UPDATE tickets SET state = 'closed' WHERE id = '" + lamp + "'");
  exec_sql(db, "UPDATE deadlines SET due_ms = due_ms + 60000 WHERE clock = 'reply' AND ticket_id = '" + wages + "'");
  const auto r = run_command(HOTLINECTL_PATH, {"db", "verify", "--database", db});
  INFO(r.out << r.err);
  CHECK(r.status == 1);
  CHECK(r.out.find(lamp + ": stored   state closed;") != std::string::npos);
  CHECK(r.out.find(lamp + ": rebuilt  state awaiting_sign_for;") != std::string::npos);
  // The wage ticket's state agrees; its reply clock is a minute later stored than rebuilt.
  std::smatch stored, rebuilt;
  REQUIRE(std::regex_search(r.out, stored,
                            std::regex(wages + ": stored   state awaiting_sign_for;.*\\{3506\\.rsj reply (\\d+)\\}")));
  REQUIRE(std::regex_search(r.out, rebuilt,
                            std::regex(wages + ": rebuilt  state awaiting_sign_for;.*\\{3506\\.rsj reply (\\d+)\\}")));
  CHECK(std::stoll(stored[1]) - std::stoll(rebuilt[1]) == 60000);
  CHECK(r.out.find("2 ticket(s) rebuilt from their events, 2 difference(s)\n") != std::string::npos);
}

TEST_CASE("db verify finds no difference after clocks escalated: stage events do not move updated_ms",
          "[e2e][tools][verify]") {
  // tests/e2e/escalation_rules: the sign-for clock turns yellow at 2 s and red at 3 s after dispatch.
  TempDir dir;
  const std::string db = dir.path() + "/h.db";
  {
    DaemonProcess daemon(HOTLINED_PATH, {"--listen", "127.0.0.1:0", "--database", db, "--rules", ESCALATION_RULES_DIR});
    HttpClient client(daemon.port());
    const auto id = post(client, R"({"content":"工资被拖欠三个月"})");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    std::string body;
    while (std::chrono::steady_clock::now() < deadline) {
      body = client.get("/v1/tickets/" + id).body;
      if (body.find("stage_red") != std::string::npos) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    INFO(body);
    REQUIRE(body.find("stage_yellow") != std::string::npos);
    REQUIRE(body.find("stage_red") != std::string::npos);
    CHECK(daemon.stop(SIGTERM) == 0);
  }
  const auto r = run_command(HOTLINECTL_PATH, {"db", "verify", "--database", db});
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  CHECK(r.out == "1 ticket(s) rebuilt from their events, 0 difference(s)\n");

  // A changed updated_ms is a difference, shown as such.
  exec_sql(db, "UPDATE tickets SET updated_ms = updated_ms + 1");
  const auto changed = run_command(HOTLINECTL_PATH, {"db", "verify", "--database", db});
  CHECK(changed.status == 1);
  std::smatch stored, rebuilt;
  REQUIRE(std::regex_search(changed.out, stored, std::regex(": stored   state [a-z_]+; updated (\\d+);")));
  REQUIRE(std::regex_search(changed.out, rebuilt, std::regex(": rebuilt  state [a-z_]+; updated (\\d+);")));
  CHECK(std::stoll(stored[1]) - std::stoll(rebuilt[1]) == 1);
}

TEST_CASE("db verify on a missing database fails without creating one", "[e2e][tools][verify]") {
  TempDir dir;
  const auto r = run_command(HOTLINECTL_PATH, {"db", "verify", "--database", dir.path() + "/none.db"});
  CHECK(r.status == 1);
  CHECK(r.err.find("db verify: ") == 0);
  CHECK_FALSE(std::filesystem::exists(dir.path() + "/none.db"));
}
