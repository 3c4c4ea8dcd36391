// End-to-end: rule-set introspection, dry-run routing and reloads (HTTP and SIGHUP) on the real daemon.
#include <signal.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/e2e.hpp"

namespace {

json::object body_of(const hotline::test::HttpResult& r) {
  return json::parse(r.body).as_object();
}
struct RulesCopy {
  TempDir dir;
  std::string rules = dir.path() + "/rules";
  RulesCopy() { std::filesystem::copy(E2E_RULES_DIR, rules, std::filesystem::copy_options::recursive); }
  void write(const std::string& name, const std::string& text) const { std::ofstream(rules + "/" + name) << text; }
};

}  // namespace

TEST_CASE("GET /v1/rules reports version and counts and explain dry-runs a ticket", "[e2e][rules]") {
  TempDir dir;
  DaemonProcess daemon(HOTLINED_PATH,
                       {"--listen", "127.0.0.1:0", "--database", dir.path() + "/h.db", "--rules", SHIPPED_RULES_DIR});
  HttpClient client(daemon.port());
  const auto info = client.get("/v1/rules");
  REQUIRE(info.status == 200);
  const auto rules = body_of(info);
  CHECK(rules.at("version").as_string().size() == 16);
  CHECK(rules.at("counts").at("units").as_int64() >= 1300);
  CHECK(rules.at("counts").at("rules").as_int64() > 100);
  CHECK(rules.at("load_ms").as_double() > 0);

  const auto r = client.post("/v1/route/explain", R"({"content":"漳浦县绥安镇某小区物业乱收停车费"})");
  REQUIRE(r.status == 200);
  const auto d = body_of(r);
  CHECK(str(d.at("area").at("code")) == "350623100");
  CHECK(d.at("area").at("inferred").as_bool());
  CHECK(d.at("category").at("inferred").as_bool());
  CHECK(str(d.at("unit").at("id")).starts_with("350623"));
  CHECK(d.at("explain").as_array().size() >= 3);
  CHECK(str(d.at("rules_version")) == str(rules.at("version")));
  CHECK(client.post("/v1/route/explain", R"({"content":""})").status == 400);
}

TEST_CASE("a bad rule set sent via reload is refused with file:line:col and the old set keeps routing",
          "[e2e][rules]") {
  RulesCopy copy;
  TempDir db;
  DaemonProcess daemon(HOTLINED_PATH,
                       {"--listen", "127.0.0.1:0", "--database", db.path() + "/h.db", "--rules", copy.rules});
  HttpClient client(daemon.port());
  const auto before = str(body_of(client.get("/v1/rules")).at("version"));

  copy.write("typo.yaml", "rules:\n  - id: typo\n    when: {keywords: [噪音]}\n    lead: 3506.cgjj\n");
  const auto refused = client.post("/v1/admin/reload", "");
  CHECK(refused.status == 422);
  const auto problem = body_of(refused);
  CHECK(str(problem.at("type")) == "urn:hotline:problem:invalid-rules");
  REQUIRE(problem.at("errors").as_array().size() == 1);
  CHECK(str(problem.at("errors").as_array()[0]) ==
        copy.rules + "/typo.yaml:2:5: error: rule 'typo' names unknown unit '3506.cgjj'");
  CHECK(str(problem.at("live_version")) == before);
  CHECK(str(body_of(client.get("/v1/rules")).at("version")) == before);
  const auto still = client.post("/v1/tickets", R"({"content":"工资拖欠"})");
  REQUIRE(still.status == 201);
  CHECK(str(body_of(still).at("unit").at("id")) == "3506.rsj");

  copy.write("typo.yaml", "rules:\n  - id: typo\n    when: {keywords: [工资]}\n    priority: 5\n    lead: 3506.cgj\n");
  const auto accepted = client.post("/v1/admin/reload", "");
  REQUIRE(accepted.status == 200);
  const auto after = str(body_of(accepted).at("version"));
  CHECK(after != before);
  const auto now = client.post("/v1/tickets", R"({"content":"工资拖欠"})");
  CHECK(str(body_of(now).at("unit").at("id")) == "3506.cgj");
  CHECK(str(body_of(now).at("rules_version")) == after);
}

TEST_CASE("SIGHUP reloads the rules and refuses a bad set", "[e2e][rules]") {
  RulesCopy copy;
  TempDir db;
  DaemonProcess daemon(HOTLINED_PATH,
                       {"--listen", "127.0.0.1:0", "--database", db.path() + "/h.db", "--rules", copy.rules});
  HttpClient client(daemon.port());
  copy.write("bad.yaml", "rules: [{id: x, lead: nobody}]\n");
  ::kill(daemon.pid(), SIGHUP);
  REQUIRE(daemon.wait_for_output("SIGHUP reload refused"));
  std::filesystem::remove(copy.rules + "/bad.yaml");
  copy.write("good.yaml", "rules: [{id: always, when: {keywords: [工资]}, priority: 9, lead: 12345.desk}]\n");
  ::kill(daemon.pid(), SIGHUP);
  REQUIRE(daemon.wait_for_output("rules reloaded on SIGHUP"));
  CHECK(str(body_of(client.post("/v1/tickets", R"({"content":"工资拖欠"})")).at("rule")) == "always");
  CHECK(daemon.stop(SIGTERM) == 0);
}

TEST_CASE("a reload whose rules fail their own golden cases is refused unless forced, and logged either way",
          "[e2e][rules]") {
  RulesCopy copy;
  TempDir db;
  std::filesystem::create_directories(copy.rules + "/tests");
  copy.write("tests/wages.yaml", "cases:\n  - ticket: {content: 工资拖欠}\n    expect: {unit: 3506.rsj}\n");
  DaemonProcess daemon(HOTLINED_PATH,
                       {"--listen", "127.0.0.1:0", "--database", db.path() + "/h.db", "--rules", copy.rules});
  HttpClient client(daemon.port());
  const auto before = str(body_of(client.get("/v1/rules")).at("version"));

  // A rule that sends wages to city management: it compiles, and the folder's own case says it is wrong.
  copy.write("wrong.yaml",
             "rules:\n  - id: wrong\n    when: {keywords: [工资]}\n    priority: 5\n    lead: 3506.cgj\n");
  const auto refused = client.post("/v1/admin/reload", "");
  CHECK(refused.status == 422);
  const auto problem = body_of(refused);
  CHECK(str(problem.at("type")) == "urn:hotline:problem:golden-cases-failed");
  CHECK(problem.at("golden_cases").at("cases").as_int64() == 1);
  CHECK(problem.at("golden_cases").at("failed").as_int64() == 1);
  REQUIRE(problem.at("errors").as_array().size() == 1);
  CHECK(str(problem.at("errors").as_array()[0]).find("tests/wages.yaml:2") != std::string::npos);
  CHECK(str(problem.at("live_version")) == before);
  CHECK(str(body_of(client.post("/v1/tickets", R"({"content":"工资拖欠"})")).at("unit").at("id")) == "3506.rsj");
  CHECK(client.post("/v1/admin/reload?force=maybe", "").status == 400);
  CHECK(client.post("/v1/admin/reload?forse=true", "").status == 400);
  CHECK(str(body_of(client.get("/v1/rules")).at("version")) == before);

  const auto forced = client.post("/v1/admin/reload?force=true", "");
  REQUIRE(forced.status == 200);
  const auto body = body_of(forced);
  CHECK(str(body.at("version")) != before);
  CHECK(body.at("golden_cases").at("forced").as_bool());
  CHECK(body.at("golden_cases").at("failed").as_int64() == 1);
  CHECK(daemon.wait_for_output("rules reload forced"));
  CHECK(str(body_of(client.post("/v1/tickets", R"({"content":"工资拖欠"})")).at("unit").at("id")) == "3506.cgj");

  // Once the case agrees again, a plain reload passes and says how many cases ran.
  copy.write("tests/wages.yaml", "cases:\n  - ticket: {content: 工资拖欠}\n    expect: {unit: 3506.cgj}\n");
  const auto agreed = client.post("/v1/admin/reload", "");
  REQUIRE(agreed.status == 200);
  CHECK(body_of(agreed).at("golden_cases").at("failed").as_int64() == 0);
  CHECK_FALSE(body_of(agreed).at("golden_cases").at("forced").as_bool());
}
