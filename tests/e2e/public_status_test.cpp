// End-to-end: a citizen asks how their case stands with the ticket number and the lookup code (查询码) given at
// intake, without a token; a wrong code and an unknown number get the same answer, a burst is rate-limited, and
// the reply shows only once the hotline approved it.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "support/e2e.hpp"
#include "support/sqlite_file.hpp"

TEST_CASE(
    "the public status look-up needs the right code, says the same for a wrong code and an unknown "
    "ticket, is rate-limited, and shows the reply once approved",
    "[e2e][public]") {
  TempDir dir;
  const std::string db = dir.path() + "/h.db";
  const std::string config = dir.path() + "/hotline.yaml";
  std::ofstream(config) << "public:\n  per_minute: 8\n";
  const auto op = make_token(db, "operator");
  const auto unit = make_token(db, "unit", "350602.cgj");
  DaemonProcess daemon(HOTLINED_PATH,
                       {"--config", config, "--listen", "127.0.0.1:0", "--database", db, "--rules", SHIPPED_RULES_DIR});
  HttpClient client(daemon.port());

  const auto created = client.request(
      "POST", "/v1/tickets",
      R"({"content":"胜利路路灯不亮","category":"010101","area":"350602","caller":{"name":"李女士","phone":"13800138000"}})",
      op);
  REQUIRE(created.status == 201);
  const auto intake = json::parse(created.body);
  const auto id = str(intake.at("id"));
  const auto code = str(intake.at("lookup_code"));
  REQUIRE(code.size() == 6);
  // Only a keyed hash of the code is stored.
  CHECK(hotline::test::query_ints(db, "SELECT count(*) FROM tickets WHERE lookup_hash LIKE '%" + code + "%'") ==
        std::vector<std::int64_t>{0});
  CHECK(hotline::test::query_ints(db, "SELECT length(lookup_hash) FROM tickets") == std::vector<std::int64_t>{64});

  // 1: the right code, no token: state, unit, dates, and nothing of the caller or the text.
  const auto right = client.get("/v1/public/tickets/" + id + "?code=" + code);
  REQUIRE(right.status == 200);
  const auto status = json::parse(right.body).as_object();
  CHECK(str(status.at("state")) == "awaiting_sign_for");
  CHECK(str(status.at("state_name")) == "待签收");
  CHECK(str(status.at("unit")) == "芗城区城市管理局");
  CHECK(status.at("reply").is_null());
  CHECK(status.at("reply_due_at").is_string());
  for (const char* hidden : {"13800138000", "李女士", "路灯", "events", "caller", "content"}) {
    INFO(hidden);
    CHECK(right.body.find(hidden) == std::string::npos);
  }
  // 2, 3: a wrong code and an unknown ticket: the same answer, byte for byte.
  const std::string wrong_code = code == "000000" ? "111111" : "000000";
  const auto wrong = client.get("/v1/public/tickets/" + id + "?code=" + wrong_code);
  const auto unknown = client.get("/v1/public/tickets/ZZ20990101999999?code=" + code);
  CHECK(wrong.status == 404);
  CHECK(unknown.status == 404);
  CHECK(wrong.body == unknown.body);
  // 4: no code at all is a bad request, which tells nothing about the ticket.
  CHECK(client.get("/v1/public/tickets/" + id).status == 400);

  // The hotline answers, the operator approves: now the citizen sees the reply.
  const auto act = [&](const std::string& token, const std::string& action, const std::string& body) {
    return client.request("POST", "/v1/tickets/" + id + "/" + action, body, token).status;
  };
  REQUIRE(act(unit, "sign_for", "{}") == 200);
  REQUIRE(act(unit, "reply", R"({"text":"已更换灯泡，路灯恢复照明"})") == 200);
  // 5: replied but not yet approved: no reply shown.
  const auto reviewing = json::parse(client.get("/v1/public/tickets/" + id + "?code=" + code).body);
  CHECK(str(reviewing.at("state")) == "reply_review");
  CHECK(reviewing.at("reply").is_null());
  REQUIRE(act(op, "review_reply", R"({"decision":"approve"})") == 200);
  // 6
  const auto replied = json::parse(client.get("/v1/public/tickets/" + id + "?code=" + code).body);
  CHECK(str(replied.at("state")) == "awaiting_follow_up");
  CHECK(str(replied.at("reply")) == "已更换灯泡，路灯恢复照明");

  // 7, 8 used the rest of the burst of eight; then the address is refused, even with the right code.
  CHECK(client.get("/v1/public/tickets/" + id + "?code=" + wrong_code).status == 404);
  CHECK(client.get("/v1/public/tickets/" + id + "?code=" + code).status == 200);
  const auto limited = client.get("/v1/public/tickets/" + id + "?code=" + code);
  CHECK(limited.status == 429);
  CHECK(limited.body.find("too-many-requests") != std::string::npos);
  // The token-holding API is not limited by it.
  CHECK(client.request("GET", "/v1/tickets/" + id, "", op).status == 200);
}
