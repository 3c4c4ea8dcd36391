// End-to-end: a published report is announced through the notification outbox. hotlined runs on a copy of the
// scenario database; POST /v1/admin/report runs the report as the nightly timer would, and a local webhook
// receiver must get one report_published notification per recipient, also after being down for a while.
#include <signal.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>

#include "report_fixture.hpp"
#include "support/http_client.hpp"
#include "support/webhook_receiver.hpp"

namespace hotline::test {
namespace {
namespace json = boost::json;
using namespace std::chrono_literals;

struct AnnounceSetup {
  TempDir dir;
  WebhookReceiver receiver;
  std::string db = dir.path() + "/h.db";
  std::string reports = dir.path() + "/reports";
  std::string supervisor, operator_token;

  // `notify`: the report.notify line ("" = none, so the fallback unit 12345.desk is told).
  explicit AnnounceSetup(const std::string& notify) {
    std::filesystem::copy_file(report_fixture().db, db);
    supervisor = make_token(HOTLINECTL_PATH, db, "supervisor", "", report_fixture().rules_dir);
    operator_token = make_token(HOTLINECTL_PATH, db, "operator", "", report_fixture().rules_dir);
    std::ofstream(dir.path() + "/hotline.yaml")
        << "report:\n  dir: " << reports << "\n  formats: html,json\n"
        << notify << "notifications:\n  max_attempts: 100\n  backoff_base_ms: 100\n  backoff_max_ms: 200\n  webhooks:\n"
        << "    - unit: 12345.desk\n      url: http://127.0.0.1:" << receiver.port() << "/desk\n"
        << "    - unit: 3506.cgj\n      url: http://127.0.0.1:" << receiver.port() << "/cgj\n";
  }
  std::vector<std::string> args() const {
    return {"--config", dir.path() + "/hotline.yaml", "--listen", "127.0.0.1:0", "--database", db,
            "--rules",  report_fixture().rules_dir};
  }
};

json::object body_of(const WebhookReceiver::Post& p) {
  return json::parse(p.body).as_object();
}

std::size_t delivered(const std::vector<WebhookReceiver::Post>& posts) {
  return static_cast<std::size_t>(
      std::count_if(posts.begin(), posts.end(), [](const auto& p) { return p.status == 200; }));
}

}  // namespace

TEST_CASE("A report run by a supervisor is announced once to each recipient's webhook", "[report][announce]") {
  AnnounceSetup s("  notify: [12345.desk, 3506.cgj]\n");
  s.receiver.set_up(false);  // down first: the announcements must wait in the outbox and arrive later
  DaemonProcess daemon(HOTLINED_PATH, s.args());
  HttpClient client(daemon.port());

  const auto run = client.request("POST", "/v1/admin/report", R"({"as_of":"2026-11-20"})", s.supervisor);
  REQUIRE(run.status == 200);
  const auto answer = json::parse(run.body).as_object();
  CHECK(answer.at("as_of") == "2026-11-20");
  CHECK(answer.at("notified").as_int64() == 2);
  std::set<std::string> files;
  for (const auto& f : answer.at("files").as_array()) {
    files.insert(std::string(f.as_string()));
    CHECK(std::filesystem::exists(std::string(f.as_string())));
  }
  CHECK(files == std::set<std::string>{s.reports + "/hotline-report-2026-11-20.html",
                                       s.reports + "/hotline-report-2026-11-20.json"});

  REQUIRE(s.receiver.wait_until([](const auto& posts) { return posts.size() >= 2; }, 10s));
  CHECK(delivered(s.receiver.posts()) == 0);
  s.receiver.set_up(true);
  REQUIRE(s.receiver.wait_until([](const auto& posts) { return delivered(posts) >= 2; }, 10s));

  std::set<std::string> units, keys;
  for (const auto& p : s.receiver.posts()) {
    if (p.status != 200) continue;
    const auto body = body_of(p);
    CHECK(body.at("kind") == "report_published");
    CHECK(body.at("as_of") == "2026-11-20");
    CHECK(body.at("dir").as_string() == s.reports);
    std::set<std::string> announced;
    for (const auto& f : body.at("files").as_array()) announced.insert(std::string(f.as_string()));
    CHECK(announced == files);
    units.insert(std::string(body.at("unit").as_string()));
    keys.insert(p.key);
  }
  CHECK(units == std::set<std::string>{"12345.desk", "3506.cgj"});
  CHECK(keys.size() == 2);  // one Idempotency-Key per notification
  CHECK(daemon.stop(SIGTERM) == 0);
  CHECK(delivered(s.receiver.posts()) == 2);  // delivered ones are never sent again
}

TEST_CASE("Without report notify the hotline's own desk is told", "[report][announce]") {
  AnnounceSetup s("");
  DaemonProcess daemon(HOTLINED_PATH, s.args());
  HttpClient client(daemon.port());
  const auto run = client.request("POST", "/v1/admin/report", R"({"as_of":"2026-11-19"})", s.supervisor);
  REQUIRE(run.status == 200);
  CHECK(json::parse(run.body).at("notified").as_int64() == 1);
  REQUIRE(s.receiver.wait_until([](const auto& posts) { return delivered(posts) >= 1; }, 10s));
  const auto body = body_of(s.receiver.posts().front());
  CHECK(body.at("unit") == "12345.desk");
  CHECK(body.at("as_of") == "2026-11-19");
  CHECK(daemon.stop(SIGTERM) == 0);
}

TEST_CASE("Bad report requests get a problem and write no file and no notification", "[report][announce]") {
  AnnounceSetup s("");
  DaemonProcess daemon(HOTLINED_PATH, s.args());
  HttpClient client(daemon.port());
  struct Bad {
    std::string method, body, token;
    int status;
  };
  const std::vector<Bad> bad{
      {"POST", R"({"as_of":"2026-13-01"})", s.supervisor, 400},
      {"POST", R"({"as_of":"2999-01-01"})", s.supervisor, 400},
      {"POST", R"({"as_of":20261120})", s.supervisor, 400},
      {"POST", R"({"day":"2026-11-20"})", s.supervisor, 400},
      {"POST", R"(["2026-11-20"])", s.supervisor, 400},
      {"POST", R"({"as_of":)", s.supervisor, 400},
      {"GET", "", s.supervisor, 405},
      {"POST", R"({"as_of":"2026-11-20"})", s.operator_token, 403},
      {"POST", R"({"as_of":"2026-11-20"})", "", 401},
  };
  for (const auto& b : bad) {
    const auto r = client.request(b.method, "/v1/admin/report", b.body, b.token);
    INFO(b.method << " " << b.body);
    CHECK(r.status == b.status);
    CHECK(r.header("content-type") == "application/problem+json");
  }
  // A date outside 2000-2099 is refused as a mistake, naming the field.
  for (const char* body : {R"({"as_of":"0000-01-01"})", R"({"as_of":"1999-12-31"})"}) {
    const auto r = client.request("POST", "/v1/admin/report", body, s.supervisor);
    INFO(body << " " << r.body);
    CHECK(r.status == 400);
    CHECK(r.body.find(R"("field":"as_of")") != std::string::npos);
    CHECK(r.body.find("2000-01-01 to 2099-12-31") != std::string::npos);
  }
  CHECK_FALSE(std::filesystem::exists(s.reports));
  CHECK(daemon.stop(SIGTERM) == 0);
  CHECK(s.receiver.posts().empty());
}

TEST_CASE("A report notify naming an unknown unit stops hotlined before it starts", "[report][announce]") {
  AnnounceSetup s("  notify: 3506.cgj, 9999.none\n");
  const auto r = run_command(HOTLINED_PATH, [&] {
    auto a = s.args();
    a.push_back("--check-config");
    return a;
  }());
  CHECK(r.status == 1);
  CHECK(r.err.find("report.notify names unit '9999.none'") != std::string::npos);
}

}  // namespace hotline::test
