// End-to-end: the citizen's SMS (短信) through a real gateway webhook — 受理 with the ticket number and lookup code
// at intake, 办结 with the reply's summary and the 回访 request when the reply is approved (also to the caller of a
// ticket merged into it), each once; none to a caller who opted out; each message's read of the phone in the
// caller access log. Quiet hours are off here (the unit tests hold them); shipped rules and templates.
#include <signal.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include "support/e2e.hpp"
#include "support/sqlite_file.hpp"
#include "support/webhook_receiver.hpp"

using hotline::test::WebhookReceiver;
using namespace std::chrono_literals;

namespace {

std::string lamp(const std::string& phone) {
  return R"({"content":"胜利路路灯不亮","category":"010101","area":"350602","caller":{"name":"市民","phone":")" +
         phone + R"("}})";
}

// (ticket, message) → the SMS the gateway got, in arrival order.
std::multimap<std::pair<std::string, std::string>, json::object> by_ticket(
    const std::vector<WebhookReceiver::Post>& posts) {
  std::multimap<std::pair<std::string, std::string>, json::object> out;
  for (const auto& p : posts) {
    auto body = json::parse(p.body).as_object();
    out.emplace(std::make_pair(str(body.at("ticket_id")), str(body.at("message"))), std::move(body));
  }
  return out;
}

}  // namespace

TEST_CASE("citizens get 受理, 办结 and 回访 by SMS once each, and none after opting out", "[e2e][sms]") {
  TempDir dir;
  WebhookReceiver gateway;
  const std::string config = dir.path() + "/hotline.yaml";
  std::ofstream(config) << "notifications:\n  sms:\n    url: http://127.0.0.1:" << gateway.port()
                        << "/sms\n    quiet: none\n";
  const std::string db = dir.path() + "/h.db";
  const auto op = make_token(db, "operator");
  const auto admin = make_token(db, "admin");
  const auto cgj = make_token(db, "unit", "350602.cgj");
  DaemonProcess daemon(HOTLINED_PATH,
                       {"--config", config, "--listen", "127.0.0.1:0", "--database", db, "--rules", SHIPPED_RULES_DIR});
  HttpClient client(daemon.port());
  const auto act = [&](const std::string& token, const std::string& id, const std::string& action,
                       const std::string& body = "{}") {
    const auto r = client.request("POST", "/v1/tickets/" + id + "/" + action, body, token);
    INFO(action << " " << id << " → " << r.status << " " << r.body);
    REQUIRE(r.status == 200);
  };
  const auto intake = [&](const std::string& phone) {
    const auto r = client.request("POST", "/v1/tickets", lamp(phone), op);
    INFO(r.body);
    REQUIRE(r.status == 201);
    return json::parse(r.body).as_object();
  };

  // The opt-out: the hotline's to record, any way the number is written; the phone must be one.
  const auto opt = [&](const std::string& token, const std::string& body) {
    return client.request("POST", "/v1/callers/sms", body, token);
  };
  CHECK(opt(cgj, R"({"phone":"13900139000","sms":false})").status == 403);
  CHECK(opt(op, R"({"phone":"12","sms":false})").status == 400);
  CHECK(opt(op, R"({"phone":"13900139000"})").status == 400);
  CHECK(opt(op, R"({"phone":"13900139000","sms":false,"why":"x"})").status == 400);
  const auto opted = opt(op, R"({"phone":"0086 139-0013-9000","sms":false})");
  REQUIRE(opted.status == 200);
  CHECK(json::parse(opted.body) == json::parse(R"({"sms":false,"changed":true})"));
  CHECK(json::parse(opt(admin, R"({"phone":"13900139000","sms":false})").body).at("changed") == false);

  const auto a = intake("+86 138-0013-8000");
  const auto a_id = str(a.at("id"));
  const auto silent_id = str(intake("139 0013 9000").at("id"));  // opted out
  const auto c_id = str(intake("13700137000").at("id"));

  // 受理: the number and the lookup code the intake answer gave the operator.
  REQUIRE(gateway.wait_until([](const auto& posts) { return posts.size() >= 2; }, 30s));
  {
    const auto got = by_ticket(gateway.posts());
    REQUIRE(got.count({a_id, "accepted"}) == 1);
    const auto& accepted = got.find({a_id, "accepted"})->second;
    CHECK(accepted.at("kind") == "sms");
    CHECK(accepted.at("to") == "13800138000");
    const auto text = str(accepted.at("text"));
    CHECK(text.starts_with("【漳州12345】"));
    CHECK(text.find(a_id) != std::string::npos);
    CHECK(text.find("查询码" + str(a.at("lookup_code"))) != std::string::npos);
    CHECK(got.count({c_id, "accepted"}) == 1);
  }

  // C is merged into A; B (opted out) and then A get approved replies.
  act(op, c_id, "merge", R"({"into":")" + a_id + R"("})");
  for (const auto& id : {silent_id, a_id}) {
    act(cgj, id, "sign_for");
    act(cgj, id, "reply",
        R"({"text":"经现场核查，胜利路共有三盏路灯因线路老化不亮，已于当日更换电缆和灯具，恢复夜间照明，并将该路段纳入每月巡查，发现问题及时处理。感谢您对城市管理工作的监督和支持。"})");
    act(op, id, "review_reply", R"({"decision":"approve"})");
  }
  REQUIRE(gateway.wait_until([](const auto& posts) { return posts.size() >= 6; }, 30s));
  CHECK(daemon.stop(SIGTERM) == 0);  // everything due was sent: nothing more can come

  const auto posts = gateway.posts();
  const auto got = by_ticket(posts);
  CHECK(posts.size() == 6);
  std::set<std::string> keys;
  for (const auto& p : posts) keys.insert(p.key);
  CHECK(keys.size() == posts.size());  // each message once, each with its own Idempotency-Key
  for (const auto& id : {a_id, c_id}) {
    INFO(id);
    REQUIRE(got.count({id, "replied"}) == 1);
    REQUIRE(got.count({id, "follow_up"}) == 1);
    const auto replied = str(got.find({id, "replied"})->second.at("text"));
    CHECK(replied.find("经现场核查，胜利路共有三盏路灯") != std::string::npos);  // the master's reply reaches C
    CHECK(replied.ends_with("…"));                                               // cut to reply_chars
    CHECK(replied.find("监督和支持") == std::string::npos);
    CHECK(str(got.find({id, "follow_up"})->second.at("text")).find("评价") != std::string::npos);
  }
  CHECK(got.count({a_id, "accepted"}) == 1);
  // Nothing for the caller who opted out: not sent, not even queued.
  for (const auto& [key, body] : got) CHECK(key.first != silent_id);
  CHECK(hotline::test::query_ints(db, "SELECT count(*) FROM notifications WHERE ticket_id = '" + silent_id + "'") ==
        std::vector<std::int64_t>{0});
  // Each message read the caller's phone: logged like any other read.
  CHECK(hotline::test::query_ints(db, "SELECT count(*) FROM caller_access_log WHERE ticket_id = '" + a_id +
                                          "' AND role = 'system' AND endpoint LIKE 'SMS %'") ==
        std::vector<std::int64_t>{3});

  const auto verified = run_command(HOTLINECTL_PATH, {"db", "verify", "--database", db});
  INFO(verified.out << verified.err);
  CHECK(verified.status == 0);
}
