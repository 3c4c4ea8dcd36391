// End-to-end: what an operator watches and does to a running hotlined — /readyz, the /metrics families of latency,
// build and process, SIGHUP re-reading the config, and stray signals that must not end it.
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <csignal>
#include <fstream>
#include <future>
#include <map>
#include <regex>
#include <string>

#include "support/e2e.hpp"
#include "support/sqlite_file.hpp"

namespace {

// The value of the one sample of `name` whose labels (with braces, or "" for none) are `labels`; nullopt if absent.
std::optional<double> sample(const std::string& text, const std::string& name, const std::string& labels = "") {
  const std::string head = name + labels + " ";
  for (std::size_t at = text.find(head); at != std::string::npos; at = text.find(head, at + 1)) {
    if (at == 0 || text[at - 1] == '\n') return std::stod(text.substr(at + head.size()));
  }
  return std::nullopt;
}

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

TEST_CASE("/readyz says ready with each check once the daemon serves, without a token", "[e2e][operations]") {
  TempDir dir;
  const std::string db = dir.path() + "/h.db";
  (void)make_token(db, "admin");  // tokens exist: /v1 needs one, the probes do not
  DaemonProcess daemon(HOTLINED_PATH, {"--listen", "127.0.0.1:0", "--database", db, "--rules", SHIPPED_RULES_DIR});
  HttpClient client(daemon.port());
  REQUIRE(client.get("/v1/rules").status == 401);
  const auto r = client.get("/readyz");
  REQUIRE(r.status == 200);
  const auto body = json::parse(r.body).as_object();
  CHECK(body.at("ready") == true);
  CHECK_FALSE(body.contains("failing"));
  const auto& checks = body.at("checks").as_object();
  for (const char* check : {"rules", "database", "escalation_catch_up"}) {
    INFO(check);
    CHECK(checks.at(check).at("ok") == true);
  }
  CHECK(str(checks.at("rules").at("detail")).starts_with("version "));
  CHECK(client.get("/healthz").status == 200);
}

TEST_CASE("/readyz says 503 with the database failing while another process holds the write lock",
          "[e2e][operations]") {
  TempDir dir;
  const std::string db = dir.path() + "/h.db";
  DaemonProcess daemon(HOTLINED_PATH, {"--listen", "127.0.0.1:0", "--database", db, "--rules", SHIPPED_RULES_DIR});
  HttpClient client(daemon.port());
  REQUIRE(client.get("/readyz").status == 200);
  {
    // As a sqlite3 shell left inside a transaction would: the writer's probe and a ticket's write wait out
    // SQLite's busy timeout, then fail; the ticket's caller is told to try again shortly.
    const hotline::test::WriteLock lock(db);
    auto intake = std::async(std::launch::async, [&] {
      HttpClient other(daemon.port());
      return other.post("/v1/tickets", R"({"content":"路灯坏了"})");
    });
    const auto r = client.get("/readyz");
    REQUIRE(r.status == 503);
    const auto body = json::parse(r.body).as_object();
    CHECK(body.at("ready") == false);
    CHECK(body.at("failing") == json::array{"database"});
    const auto& checks = body.at("checks").as_object();
    CHECK(checks.at("database").at("ok") == false);
    CHECK(str(checks.at("database").at("detail")).starts_with("the writer cannot open a transaction"));
    CHECK(checks.at("rules").at("ok") == true);
    const auto refused = intake.get();
    CHECK(refused.status == 503);
    CHECK_THAT(refused.body, Catch::Contains("urn:hotline:problem:storage-unavailable"));
    CHECK(refused.header("retry-after") == "2");
  }
  CHECK(client.get("/readyz").status == 200);  // ready again once the lock is let go
  CHECK(client.post("/v1/tickets", R"({"content":"路灯坏了"})").status == 201);
}

TEST_CASE("/metrics has request latency, build, report and process families with sane values",
          "[e2e][operations][metrics]") {
  TempDir dir;
  const std::string config = dir.path() + "/hotline.yaml";
  std::ofstream(config) << "report:\n  dir: " << dir.path() << "/reports\n  formats: json\n";
  const std::string db = dir.path() + "/h.db";
  const auto supervisor = make_token(db, "supervisor");  // reads /metrics and runs reports
  const double started = now_seconds();
  DaemonProcess daemon(HOTLINED_PATH,
                       {"--config", config, "--listen", "127.0.0.1:0", "--database", db, "--rules", SHIPPED_RULES_DIR});
  HttpClient client(daemon.port());
  REQUIRE(client.get("/healthz").status == 200);
  REQUIRE(client.get("/healthz").status == 200);
  auto metrics = client.request("GET", "/metrics", "", supervisor);
  REQUIRE(metrics.status == 200);
  const std::string& m = metrics.body;
  INFO(m);

  CHECK(m.find("# TYPE hotline_http_request_duration_seconds histogram\n") != std::string::npos);
  const auto count = sample(m, "hotline_http_request_duration_seconds_count", R"({route="/healthz"})");
  REQUIRE(count);
  CHECK(*count == 2);
  CHECK(sample(m, "hotline_http_request_duration_seconds_bucket", R"({route="/healthz",le="+Inf"})") == count);
  const auto fast = sample(m, "hotline_http_request_duration_seconds_bucket", R"({route="/healthz",le="10"})");
  REQUIRE(fast);
  CHECK(*fast == 2);  // two health checks did not take 10 s
  const auto sum = sample(m, "hotline_http_request_duration_seconds_sum", R"({route="/healthz"})");
  REQUIRE(sum);
  CHECK(*sum > 0);
  CHECK(*sum < 20);

  CHECK(std::regex_search(m, std::regex(R"(\nhotline_build_info\{version="[0-9][^"]*"\} 1\n)")));
  CHECK(sample(m, "hotline_report_last_success_timestamp_seconds") == 0.0);  // no report run yet

  const auto resident = sample(m, "process_resident_memory_bytes");
  const auto virtual_bytes = sample(m, "process_virtual_memory_bytes");
  const auto open_fds = sample(m, "process_open_fds");
  const auto max_fds = sample(m, "process_max_fds");
  const auto cpu = sample(m, "process_cpu_seconds_total");
  const auto start = sample(m, "process_start_time_seconds");
  REQUIRE((resident && virtual_bytes && open_fds && max_fds && cpu && start));
  CHECK(*resident > 1e6);  // a daemon with the rules loaded holds megabytes
  CHECK(*virtual_bytes >= *resident);
  CHECK(*open_fds >= 4);  // the standard streams, the database, the listening socket at least
  CHECK(*open_fds < *max_fds);
  CHECK(*cpu > 0);
  CHECK(*start >= std::floor(started) - 2);  // started by this test, a moment ago (ticks of 10 ms)
  CHECK(*start <= now_seconds() + 1);

  // A report run that succeeds stamps its time.
  const double before_report = now_seconds();
  REQUIRE(client.request("POST", "/v1/admin/report", "", supervisor).status == 200);
  const auto stamped =
      sample(client.request("GET", "/metrics", "", supervisor).body, "hotline_report_last_success_timestamp_seconds");
  REQUIRE(stamped);
  CHECK(*stamped >= std::floor(before_report));
  CHECK(*stamped <= now_seconds() + 1);

  // After a restart it starts from the newest report file the folder holds.
  REQUIRE(daemon.stop(SIGTERM) == 0);
  DaemonProcess again(HOTLINED_PATH,
                      {"--config", config, "--listen", "127.0.0.1:0", "--database", db, "--rules", SHIPPED_RULES_DIR});
  HttpClient after(again.port());
  const auto kept =
      sample(after.request("GET", "/metrics", "", supervisor).body, "hotline_report_last_success_timestamp_seconds");
  REQUIRE(kept);
  CHECK(*kept >= before_report - 1);  // the files' modification time, written during the run
  CHECK(*kept <= *stamped + 1);
}

TEST_CASE("SIGPIPE, SIGUSR1 and SIGUSR2 do not end the daemon", "[e2e][operations]") {
  TempDir dir;
  DaemonProcess daemon(HOTLINED_PATH,
                       {"--listen", "127.0.0.1:0", "--database", dir.path() + "/h.db", "--rules", SHIPPED_RULES_DIR});
  for (const int stray : {SIGPIPE, SIGUSR1, SIGUSR2}) REQUIRE(::kill(daemon.pid(), stray) == 0);
  HttpClient client(daemon.port());
  CHECK(client.get("/healthz").status == 200);
  // Pending signals are delivered lowest number first: had any of them been fatal, it would end the process
  // before SIGTERM (15) could, and the exit status would be 128 + it.
  CHECK(daemon.stop(SIGTERM) == 0);
  CHECK(daemon.output().find("stopped cleanly") != std::string::npos);
}

TEST_CASE("SIGHUP re-reads the config: log.level applies live, other keys wait for a restart, a bad file is refused",
          "[e2e][operations][config]") {
  TempDir dir;
  const std::string config = dir.path() + "/hotline.yaml";
  std::ofstream(config) << "log:\n  level: info\nhttp:\n  body_limit: 65536\n";
  DaemonProcess daemon(HOTLINED_PATH, {"--config", config, "--listen", "127.0.0.1:0", "--database",
                                       dir.path() + "/h.db", "--rules", SHIPPED_RULES_DIR});
  std::ofstream(config) << "log:\n  level: debug\nhttp:\n  body_limit: 131072\nsearch:\n  timeout_ms: 500\n";
  REQUIRE(::kill(daemon.pid(), SIGHUP) == 0);
  REQUIRE(daemon.wait_for_output(R"(re-read on SIGHUP: 1 change\(s\) applied, 2 waiting for a restart)"));
  const std::string& log = daemon.output();
  CHECK(log.find("config: log.level info -> debug: applied") != std::string::npos);
  CHECK(log.find("config: http.body_limit changed (65536 -> 131072): needs a restart of hotlined") !=
        std::string::npos);
  CHECK(log.find("config: search.timeout_ms changed ((default) -> 500): needs a restart of hotlined") !=
        std::string::npos);
  CHECK(daemon.wait_for_output("rules reloaded on SIGHUP"));  // the rules are re-read as before
  // At debug each request is logged, its path without the query (which may hold a caller's phone number).
  REQUIRE(HttpClient(daemon.port()).get("/v1/units?q=13800138000").status == 200);
  CHECK(daemon.wait_for_output(R"(127\.0\.0\.1 GET /v1/units 200 [0-9.]+ ms)"));
  CHECK(daemon.output().find("13800138000") == std::string::npos);

  // A file with an error is refused whole, with its file:line:column; the running config stays.
  std::ofstream(config) << "log:\n  level: loud\nhttp:\n  body_limit: 1\n";
  REQUIRE(::kill(daemon.pid(), SIGHUP) == 0);
  REQUIRE(daemon.wait_for_output(R"(config \S+hotline\.yaml refused \(2 error\(s\)\); the running config stays)"));
  CHECK(daemon.wait_for_output(R"(hotline\.yaml:2:\d+: .*log\.level)"));
  CHECK(daemon.wait_for_output(R"(hotline\.yaml:4:\d+: .*http\.body_limit)"));

  // Back to the first file: log.level goes back live; nothing waits for a restart any more.
  std::ofstream(config) << "log:\n  level: info\nhttp:\n  body_limit: 65536\n";
  REQUIRE(::kill(daemon.pid(), SIGHUP) == 0);
  REQUIRE(daemon.wait_for_output(R"(re-read on SIGHUP: 1 change\(s\) applied, 0 waiting for a restart)"));
  CHECK(daemon.output().find("config: log.level debug -> info: applied") != std::string::npos);
  HttpClient client(daemon.port());
  CHECK(client.get("/healthz").status == 200);
}
