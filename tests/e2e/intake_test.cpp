// End-to-end: the real hotlined on 127.0.0.1:0 with a temporary database, spoken to over HTTP.
#include <signal.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "support/e2e.hpp"

namespace {

std::vector<std::string> daemon_args(const TempDir& dir, const std::string& rules = E2E_RULES_DIR) {
  return {"--listen", "127.0.0.1:0", "--database", dir.path() + "/var/hotline.db", "--rules", rules};
}

json::object as_object(const HttpResult& r) {
  return json::parse(r.body).as_object();
}

// Ticket numbers are prefix + local date + a daily sequence that only a committed ticket advances.
long sequence_of(const std::string& id) {
  return std::stol(id.substr(id.size() - 6));
}

}  // namespace

TEST_CASE("a posted ticket is routed, stored, readable, and survives a restart", "[e2e]") {
  TempDir dir;
  std::string id;
  {
    DaemonProcess daemon(HOTLINED_PATH, daemon_args(dir));
    HttpClient client(daemon.port());
    const auto created = client.post("/v1/tickets", R"({"content":"芗城区胜利路路灯不亮","type":"投诉",)"
                                                    R"("category":"0101","area":"350602",)"
                                                    R"("caller":{"name":"张先生","phone":"13800000000"}})");
    REQUIRE(created.status == 201);
    const auto body = as_object(created);
    id = json::value_to<std::string>(body.at("id"));
    CHECK(std::regex_match(id, std::regex(R"(ZZ\d{8}\d{6})")));
    CHECK(body.at("state") == "awaiting_sign_for");
    CHECK(body.at("unit").at("id") == "350602.cgj");
    CHECK(body.at("unit").at("name") == "芗城区城市管理局");
    CHECK(body.at("rule") == "streetlight-county");
    CHECK(body.at("rules_version").as_string().size() == 16);
    CHECK(std::regex_match(std::string(body.at("received_at").as_string()),
                           std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00)")));
    CHECK(created.header("location") == "/v1/tickets/" + id);

    const auto read = client.get("/v1/tickets/" + id);
    REQUIRE(read.status == 200);
    const auto ticket = as_object(read);
    CHECK(ticket.at("content") == "芗城区胜利路路灯不亮");
    CHECK(ticket.at("type") == "complaint");
    CHECK(ticket.at("caller").at("phone") == "13800000000");
    const auto& events = ticket.at("events").as_array();
    REQUIRE(events.size() == 2);
    CHECK(events[0].at("kind") == "received");
    CHECK(events[1].at("kind") == "dispatched");
    CHECK(events[1].at("unit") == "350602.cgj");

    CHECK(daemon.stop(SIGTERM) == 0);
    CHECK(daemon.output().find("stopped cleanly") != std::string::npos);
  }
  DaemonProcess again(HOTLINED_PATH, daemon_args(dir));
  HttpClient client(again.port());
  const auto read = client.get("/v1/tickets/" + id);
  REQUIRE(read.status == 200);
  CHECK(as_object(read).at("unit").at("id") == "350602.cgj");
  // The next number continues the day's sequence instead of reusing one.
  const auto next = client.post("/v1/tickets", R"({"content":"工资被拖欠三个月"})");
  REQUIRE(next.status == 201);
  const auto next_id = json::value_to<std::string>(as_object(next).at("id"));
  if (next_id.substr(0, 10) == id.substr(0, 10)) CHECK(sequence_of(next_id) == sequence_of(id) + 1);
  CHECK(as_object(next).at("unit").at("id") == "3506.rsj");
}

TEST_CASE("every kind of bad input gets a 4xx problem and writes nothing", "[e2e]") {
  TempDir dir;
  DaemonProcess daemon(HOTLINED_PATH, daemon_args(dir));
  HttpClient client(daemon.port());
  const auto first = client.post("/v1/tickets", R"({"content":"路灯不亮"})");
  REQUIRE(first.status == 201);
  const auto first_id = json::value_to<std::string>(as_object(first).at("id"));

  struct Bad {
    const char* what;
    std::string body;
    std::string content_type;
    int status;
    std::string type;
    std::string field;
  };
  const std::vector<Bad> cases{
      {"malformed JSON", R"({"content": "路灯)", "application/json", 400, "malformed-json", ""},
      {"not an object", R"(["路灯不亮"])", "application/json", 400, "invalid-field", ""},
      {"missing content", R"({"type":"投诉"})", "application/json", 400, "invalid-field", "content"},
      {"content of the wrong type", R"({"content":42})", "application/json", 400, "invalid-field", "content"},
      {"empty content", R"({"content":"   "})", "application/json", 400, "invalid-field", "content"},
      {"content of ideographic spaces", R"({"content":"\u3000\u3000 "})", "application/json", 400, "invalid-field",
       "content"},
      {"a settlement field without its disposition", R"({"content":"路灯不亮","merged_into":"ZZ20000101000001"})",
       "application/json", 400, "invalid-field", "merged_into"},
      {"an answer for another disposition", R"({"content":"路灯不亮","disposition":"not_accepted","answer":"已答复"})",
       "application/json", 400, "invalid-field", "answer"},
      {"a NUL in the content", R"({"content":"路灯\u0000不亮"})", "application/json", 400, "invalid-field", "content"},
      {"an escape in the address", R"({"content":"路灯不亮","address":"胜利路\u001b[31m"})", "application/json", 400,
       "invalid-field", "address"},
      {"a blank reason", R"({"content":"路灯不亮","disposition":"not_accepted","reason":"\u3000"})", "application/json",
       422, "invalid-action", ""},
      {"invalid UTF-8", "{\"content\":\"\xe8\xb7\xaf\xff\"}", "application/json", 400, "invalid-utf8", ""},
      {"unknown request type", R"({"content":"路灯不亮","type":"抱怨"})", "application/json", 400, "invalid-field",
       "type"},
      {"unknown field", R"({"content":"路灯不亮","priority":1})", "application/json", 400, "invalid-field", "priority"},
      {"caller not an object", R"({"content":"路灯不亮","caller":"张三"})", "application/json", 400, "invalid-field",
       "caller"},
      {"bad phone", R"({"content":"路灯不亮","caller":{"phone":"call me"}})", "application/json", 400, "invalid-field",
       "caller.phone"},
      {"area not a code", R"({"content":"路灯不亮","area":"芗城"})", "application/json", 400, "invalid-field", "area"},
      {"unknown area", R"({"content":"路灯不亮","area":"110101"})", "application/json", 400, "invalid-field", "area"},
      {"unknown matter", R"({"content":"路灯不亮","category":"9999"})", "application/json", 400, "invalid-field",
       "category"},
      {"unknown channel", R"({"content":"路灯不亮","channel":"fax"})", "application/json", 400, "invalid-field",
       "channel"},
      {"wrong content type", R"({"content":"路灯不亮"})", "text/plain", 415, "unsupported-media-type", ""},
      {"no content type", R"({"content":"路灯不亮"})", "", 415, "unsupported-media-type", ""},
      {"body over the limit", "{\"content\":\"" + std::string(70 * 1024, 'a') + "\"}", "application/json", 413,
       "payload-too-large", ""},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    HttpClient fresh(daemon.port());
    const auto r = fresh.post("/v1/tickets", c.body, c.content_type);
    CHECK(r.status == c.status);
    CHECK(r.header("content-type") == "application/problem+json");
    const auto problem = as_object(r);
    CHECK(json::value_to<std::string>(problem.at("type")) == "urn:hotline:problem:" + c.type);
    CHECK(problem.at("status") == c.status);
    if (!c.field.empty()) CHECK(json::value_to<std::string>(problem.at("field")) == c.field);
  }
  CHECK(client.get("/v1/tickets/ZZ20000101000001").status == 404);
  CHECK(client.get("/v1/tickets/..%2F..").status == 404);
  CHECK(client.get("/v1/nothing").status == 404);

  // Nothing was committed in between: the next ticket takes the very next number.
  const auto next = client.post("/v1/tickets", R"({"content":"路灯不亮"})");
  REQUIRE(next.status == 201);
  const auto next_id = json::value_to<std::string>(as_object(next).at("id"));
  if (next_id.substr(0, 10) == first_id.substr(0, 10)) CHECK(sequence_of(next_id) == sequence_of(first_id) + 1);
  CHECK(client.get("/healthz").status == 200);
}

TEST_CASE("the shipped rules load and route the README's example", "[e2e]") {
  TempDir dir;
  DaemonProcess daemon(HOTLINED_PATH, daemon_args(dir, SHIPPED_RULES_DIR));
  HttpClient client(daemon.port());
  const auto r = client.post("/v1/tickets", R"({"content":"芗城区胜利路路灯不亮","type":"投诉"})");
  REQUIRE(r.status == 201);
  const auto body = as_object(r);
  // As the README shows: the matter and the district are inferred from the text, and the central-district
  // streetlight rule sends it to that district's 城管局 (not the dispatch desk).
  CHECK(body.at("unit").at("id") == "350602.cgj");
  CHECK(body.at("unit").at("name") == "芗城区城市管理局");
  CHECK(body.at("rule") == "streetlight-central");
  CHECK(body.at("category").at("code") == "010101");
  CHECK(body.at("category").at("inferred") == true);
  CHECK(body.at("area").at("code") == "350602");
  CHECK(body.at("area").at("inferred") == true);
  CHECK(daemon.stop(SIGINT) == 0);
}

TEST_CASE("check-config validates without touching the database or a port", "[e2e]") {
  TempDir dir;
  const auto ok = run_command(
      HOTLINED_PATH, {"--check-config", "--rules", E2E_RULES_DIR, "--database", dir.path() + "/db/hotline.db"});
  CHECK(ok.status == 0);
  CHECK(ok.out.find("config and rules OK") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.path() + "/db"));

  const std::string config = dir.path() + "/hotline.yaml";
  std::ofstream(config) << "listen: 127.0.0.1:0\nhttp:\n  body_limit: 4096\n  bodylimit: 1\nprefix: ZZ\n";
  const auto bad = run_command(HOTLINED_PATH, {"--check-config", "--config", config, "--rules", E2E_RULES_DIR});
  CHECK(bad.status == 1);
  CHECK(bad.err.find(config + ":4:3: error: unknown config key 'http.bodylimit'") != std::string::npos);
  CHECK(bad.err.find(config + ":5:1: error: unknown config key 'prefix'") != std::string::npos);
}

TEST_CASE("hotlined refuses to listen beyond loopback while no tokens exist", "[e2e]") {
  TempDir dir;
  const auto r = run_command(
      HOTLINED_PATH, {"--listen", "0.0.0.0:0", "--rules", E2E_RULES_DIR, "--database", dir.path() + "/hotline.db"});
  CHECK(r.status == 1);
  CHECK(r.err.find("only loopback") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.path() + "/hotline.db"));
}

TEST_CASE("hotlinectl rules check lists every mistake with file:line:col", "[e2e]") {
  TempDir dir;
  std::filesystem::copy(E2E_RULES_DIR, dir.path() + "/rules", std::filesystem::copy_options::recursive);
  CHECK(run_command(HOTLINECTL_PATH, {"rules", "check", dir.path() + "/rules"}).status == 0);
  std::ofstream(dir.path() + "/rules/extra.yaml") << "rules:\n"
                                                     "  - id: lamps\n"
                                                     "    when: {keywords: [灯]}\n"
                                                     "    lead: 3506.cgjj\n"
                                                     "  - id: noise\n"
                                                     "    when: {urgncy: [urgent]}\n"
                                                     "    lead: 3506.cgj\n";
  const auto r = run_command(HOTLINECTL_PATH, {"rules", "check", dir.path() + "/rules"});
  CHECK(r.status == 1);
  const std::string file = dir.path() + "/rules/extra.yaml";
  CHECK(r.err.find(file + ":6:12: error: unknown key 'urgncy' in when") != std::string::npos);
  CHECK(r.err.find(file + ":2:5: error: rule 'lamps' names unknown unit '3506.cgjj'") != std::string::npos);
  CHECK(run_command(HOTLINECTL_PATH, {"--version"}).out.find("hotlinectl ") == 0);
}

TEST_CASE("every ticket answered 201 survives a SIGKILL of the daemon", "[e2e]") {
  TempDir dir;
  std::vector<std::string> ids;
  {
    DaemonProcess daemon(HOTLINED_PATH, daemon_args(dir));
    HttpClient a(daemon.port());
    HttpClient b(daemon.port());
    for (int i = 0; i < 40; ++i) {
      auto& client = i % 2 == 0 ? a : b;
      const auto r = client.post("/v1/tickets", R"({"content":"第)" + std::to_string(i) + R"(号：路灯不亮"})");
      REQUIRE(r.status == 201);
      ids.push_back(json::value_to<std::string>(as_object(r).at("id")));
    }
    CHECK(daemon.stop(SIGKILL) == 128 + SIGKILL);
  }
  DaemonProcess again(HOTLINED_PATH, daemon_args(dir));
  HttpClient client(again.port());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const auto r = client.get("/v1/tickets/" + ids[i]);
    REQUIRE(r.status == 200);
    CHECK(json::value_to<std::string>(as_object(r).at("content")) == "第" + std::to_string(i) + "号：路灯不亮");
  }
}

TEST_CASE("queue and search filters with a year outside 2000-2099 are a 400 naming the filter", "[e2e]") {
  TempDir dir;
  DaemonProcess daemon(HOTLINED_PATH,
                       {"--listen", "127.0.0.1:0", "--database", dir.path() + "/h.db", "--rules", E2E_RULES_DIR});
  HttpClient client(daemon.port());
  CHECK(client.get("/v1/units/3506.cgj/queue?due_before=2026-01-01T00:00:00%2B08:00").status == 200);
  CHECK(client.get("/v1/tickets?q=abc&from=2026-01-01T00:00:00Z").status == 200);
  const std::vector<std::pair<std::string, std::string>> bad{
      {"/v1/units/3506.cgj/queue?due_before=0000-01-01T00:00:00Z", "due_before"},
      {"/v1/units/3506.cgj/queue?due_before=9999-12-31T23:59:59Z", "due_before"},
      {"/v1/tickets?q=abc&from=0000-01-01T00:00:00Z", "from"},
      {"/v1/tickets?q=abc&to=9999-12-31T00:00:00%2B08:00", "to"},
  };
  for (const auto& [target, field] : bad) {
    const auto r = client.get(target);
    INFO(target << " " << r.body);
    CHECK(r.status == 400);
    CHECK(r.body.find("\"field\":\"" + field + "\"") != std::string::npos);
    CHECK(r.body.find("2000-01-01 to 2099-12-31") != std::string::npos);
  }
  CHECK(daemon.stop(SIGTERM) == 0);
}

TEST_CASE("a rules-folder file over rules_files.max_bytes is refused, naming the file and the cap", "[e2e]") {
  TempDir dir;
  std::filesystem::copy(E2E_RULES_DIR, dir.path() + "/rules", std::filesystem::copy_options::recursive);
  const std::string config = dir.path() + "/hotline.yaml";
  std::ofstream(config) << "rules_files:\n  max_bytes: 4096\n";
  // The rules (1384 bytes) pass; the calendars (4272 and 4843 bytes) and the time limits (4186) do not.
  const auto r = run_command(HOTLINED_PATH, {"--check-config", "--config", config, "--rules", dir.path() + "/rules"});
  INFO(r.err);
  CHECK(r.status == 1);
  const std::string rules = dir.path() + "/rules";
  CHECK(r.err.find(rules + "/calendar/2026.json: error: rules file " + rules +
                   "/calendar/2026.json is 4843 bytes, more than the cap of 4096 bytes (rules_files.max_bytes)") !=
        std::string::npos);
  CHECK(r.err.find(rules + "/time_limits.yaml: error: rules file " + rules + "/time_limits.yaml is 4186 bytes") !=
        std::string::npos);
  CHECK(r.err.find(rules + "/calendar/2025.json: error: rules file " + rules + "/calendar/2025.json is 4272 bytes") !=
        std::string::npos);
}

TEST_CASE("a rules file whose aliases expand past 4 million nodes is refused by hotlinectl rules check", "[e2e]") {
  TempDir dir;
  std::filesystem::copy(E2E_RULES_DIR, dir.path() + "/rules", std::filesystem::copy_options::recursive);
  std::string laughs =
      "divisions:\n  - code: \"99\"\n    name: 甲\n    aliases: &a0 [乙, 乙, 乙, 乙, 乙, 乙, 乙, 乙, 乙, 乙]\n";
  for (int i = 1; i < 9; ++i) {
    laughs += "  - code: \"9" + std::to_string(i) + "\"\n    name: 甲\n    aliases: &a" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) laughs += (k ? ", *a" : "*a") + std::to_string(i - 1);
    laughs += "]\n";
  }
  std::ofstream(dir.path() + "/rules/laughs.yaml") << laughs;
  const auto r = run_command(HOTLINECTL_PATH, {"rules", "check", dir.path() + "/rules"});
  CHECK(r.status == 1);
  CHECK(r.err.find("rules file " + dir.path() + "/rules/laughs.yaml expands to more than 4000000 nodes") !=
        std::string::npos);
}
