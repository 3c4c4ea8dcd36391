// End-to-end: the live unit feed (SSE) and /metrics on the real daemon, with tokens.
#include <signal.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <iostream>
#include <regex>
#include <set>
#include <string>

#include "support/e2e.hpp"
#include "support/sse_client.hpp"

using hotline::test::SseClient;
using namespace std::chrono_literals;

namespace {

constexpr const char* k_unit = "350602.cgj";
const std::string k_feed = std::string("/v1/units/") + k_unit + "/feed";
constexpr const char* k_mine = R"({"content":"胜利路路灯不亮","category":"010101","area":"350602"})";
// A territorial matter with no place: the dispatch desk gets it (the ladder does not send it to the city).
constexpr const char* k_elsewhere = R"({"content":"路灯不亮","category":"010101"})";

struct Fixture {
  TempDir dir;
  std::string db = dir.path() + "/h.db";
  std::string op = make_token(db, "operator");
  std::string unit = make_token(db, "unit", k_unit);
  std::string foreign = make_token(db, "unit", "350623.cgj");
  std::string supervisor = make_token(db, "supervisor");

  std::vector<std::string> args(const std::string& config_text = "") {
    std::vector<std::string> a{"--listen", "127.0.0.1:0", "--database", db, "--rules", SHIPPED_RULES_DIR};
    if (!config_text.empty()) {
      const std::string path = dir.path() + "/hotline.yaml";
      std::ofstream(path) << config_text;
      a.insert(a.end(), {"--config", path});
    }
    return a;
  }
};

// Posts a ticket as the operator; returns its id (fails the test unless 201).
std::string post(HttpClient& client, const std::string& token, const char* body) {
  const auto res = client.request("POST", "/v1/tickets", body, token);
  REQUIRE(res.status == 201);
  const auto parsed = json::parse(res.body);
  return json::value_to<std::string>(parsed.at("id"));
}

json::object data_of(const hotline::test::SseMessage& m) {
  auto v = json::parse(m.data);
  return v.as_object();
}

}  // namespace

TEST_CASE("a unit terminal on its feed sees a new dispatch as soon as it is committed", "[e2e][feed]") {
  Fixture f;
  DaemonProcess daemon(HOTLINED_PATH, f.args());
  HttpClient client(daemon.port());
  SseClient feed(daemon.port(), k_feed, f.unit);
  REQUIRE(feed.status() == 200);

  const auto id = post(client, f.op, k_mine);
  const auto after_201 = std::chrono::steady_clock::now();
  const auto message = feed.next(5s);
  const auto latency = std::chrono::steady_clock::now() - after_201;
  REQUIRE(message);
  CHECK(message->event == "dispatched");
  const auto data = data_of(*message);
  CHECK(data.at("ticket") == id.c_str());
  CHECK(data.at("kind") == "dispatched");
  CHECK(data.at("unit") == k_unit);
  CHECK(data.at("summary") == "dispatched to 350602.cgj as lead unit");
  CHECK(std::to_string(data.at("seq").as_int64()) == message->id);
  WARN("feed latency from the 201 to the SSE message: "
       << std::chrono::duration_cast<std::chrono::microseconds>(latency).count() << " us");

  // A ticket for another unit never shows up on this feed; the next one of ours does.
  post(client, f.op, k_elsewhere);
  const auto second = post(client, f.op, k_mine);
  const auto next = feed.next(5s);
  REQUIRE(next);
  CHECK(data_of(*next).at("ticket") == second.c_str());
}

TEST_CASE("an urge of the whole ticket reaches the unit's feed with a null unit, as in the ticket", "[e2e][feed]") {
  Fixture f;
  DaemonProcess daemon(HOTLINED_PATH, f.args());
  HttpClient client(daemon.port());
  const auto id = post(client, f.op, k_mine);
  SseClient feed(daemon.port(), k_feed, f.unit);
  REQUIRE(feed.status() == 200);

  REQUIRE(client.request("POST", "/v1/tickets/" + id + "/urge", R"({"note":"请尽快"})", f.op).status == 200);
  const auto message = feed.next(5s);
  REQUIRE(message);
  CHECK(message->event == "urged");
  CHECK(data_of(*message).at("unit").is_null());
  const auto ticket = json::parse(client.request("GET", "/v1/tickets/" + id, "", f.op).body).as_object();
  const auto& events = ticket.at("events").as_array();
  REQUIRE(!events.empty());
  CHECK(events.back().at("kind") == "urged");
  CHECK(events.back().at("unit").is_null());
}

TEST_CASE("a feed needs a token of its unit or of the hotline", "[e2e][feed]") {
  Fixture f;
  DaemonProcess daemon(HOTLINED_PATH, f.args());
  CHECK(SseClient(daemon.port(), k_feed, f.foreign).status() == 403);
  CHECK(SseClient(daemon.port(), k_feed).status() == 401);
  CHECK(SseClient(daemon.port(), "/v1/units/nowhere/feed", f.supervisor).status() == 404);
  CHECK(SseClient(daemon.port(), k_feed, f.unit, "not-a-number").status() == 400);
  CHECK(SseClient(daemon.port(), k_feed + "?scope=galaxy", f.unit).status() == 400);
  CHECK(SseClient(daemon.port(), k_feed, f.supervisor).status() == 200);
}

TEST_CASE("a terminal that reconnects with Last-Event-ID misses nothing and sees nothing twice", "[e2e][feed]") {
  Fixture f;
  DaemonProcess daemon(HOTLINED_PATH, f.args());
  HttpClient client(daemon.port());
  std::string last_id;
  std::vector<std::string> seen_tickets;
  {
    SseClient feed(daemon.port(), k_feed, f.unit);
    REQUIRE(feed.status() == 200);
    seen_tickets.push_back(post(client, f.op, k_mine));
    const auto m = feed.next(5s);
    REQUIRE(m);
    last_id = m->id;
  }  // the terminal goes away
  std::vector<std::string> expected = seen_tickets;
  for (int i = 0; i < 5; ++i) {
    expected.push_back(post(client, f.op, k_mine));
    post(client, f.op, k_elsewhere);
  }
  SseClient again(daemon.port(), k_feed, f.unit, last_id);
  REQUIRE(again.status() == 200);
  std::vector<std::string> got{seen_tickets};
  std::set<std::string> ids{last_id};
  long previous = std::stol(last_id);
  // Five replayed from the log, then one live after the switch.
  for (int i = 0; i < 5; ++i) {
    const auto m = again.next(5s);
    REQUIRE(m);
    CHECK(std::stol(m->id) > previous);
    previous = std::stol(m->id);
    CHECK(ids.insert(m->id).second);
    got.push_back(json::value_to<std::string>(data_of(*m).at("ticket")));
  }
  expected.push_back(post(client, f.op, k_mine));
  const auto live = again.next(5s);
  REQUIRE(live);
  CHECK(std::stol(live->id) > previous);
  got.push_back(json::value_to<std::string>(data_of(*live).at("ticket")));
  CHECK(got == expected);
  CHECK_FALSE(again.next(200ms));  // nothing else: no duplicate of anything already seen
}

TEST_CASE("metrics parse as Prometheus text and count what happened", "[e2e][metrics]") {
  Fixture f;
  DaemonProcess daemon(HOTLINED_PATH, f.args());
  HttpClient client(daemon.port());
  for (int i = 0; i < 3; ++i) post(client, f.op, k_mine);
  post(client, f.op, k_elsewhere);
  SseClient feed(daemon.port(), k_feed, f.unit);
  REQUIRE(feed.status() == 200);

  CHECK(client.request("GET", "/metrics", "", "").status == 401);
  CHECK(client.request("GET", "/metrics", "", f.unit).status == 403);
  const auto res = client.request("GET", "/metrics", "", f.supervisor);
  REQUIRE(res.status == 200);
  CHECK(res.header("content-type").starts_with("text/plain; version=0.0.4"));

  // name, optional {label="value",...} (values may hold braces and escaped quotes), value.
  const std::regex sample(R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? )"
                          R"((-?[0-9.eE+-]+|NaN|\+Inf|-Inf)$)");
  const std::regex comment(R"(^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*$)");
  std::map<std::string, double> values;  // name{labels} -> value
  std::set<std::string> families;
  std::istringstream lines(res.body);
  std::string line;
  while (std::getline(lines, line)) {
    std::smatch m;
    if (std::regex_match(line, m, sample)) {
      values[m[1].str() + m[2].str()] = std::stod(m[3].str());
      families.insert(m[1].str());
    } else {
      INFO(line);
      CHECK(std::regex_match(line, comment));
    }
  }
  for (const char* name : {"hotline_http_requests_total", "hotline_routing_decisions_total", "hotline_tickets",
                           "hotline_writer_commits_total", "hotline_writer_jobs_total", "hotline_feed_subscribers",
                           "hotline_stages_pending", "hotline_outbox_depth", "hotline_outbox_failures_total",
                           "hotline_outbox_dead_total", "hotline_timer_lag_seconds"}) {
    INFO(name);
    CHECK(families.count(name) == 1);
  }
  CHECK(values[R"(hotline_http_requests_total{route="/v1/tickets",status="201"})"] == 4);
  CHECK(values[R"(hotline_http_requests_total{route="/metrics",status="401"})"] == 1);
  CHECK(values[R"(hotline_routing_decisions_total{outcome="rule"})"] == 3);
  CHECK(values[R"(hotline_routing_decisions_total{outcome="fallback"})"] == 1);
  CHECK(values[R"(hotline_tickets{state="awaiting_sign_for"})"] == 4);
  CHECK(values["hotline_feed_subscribers"] == 1);
  CHECK(values["hotline_writer_jobs_total"] >= 4);
  CHECK(values["hotline_stages_pending"] >= 4);  // each awaiting ticket has its sign-for clock armed
}

TEST_CASE("a terminal that hangs up frees its feed at once", "[e2e][feed]") {
  Fixture f;
  DaemonProcess daemon(HOTLINED_PATH, f.args());
  HttpClient client(daemon.port());
  const auto subscribers = [&] {
    const auto body = client.request("GET", "/metrics", "", f.supervisor).body;
    const auto at = body.find("\nhotline_feed_subscribers ");
    return at == std::string::npos ? -1 : std::stoi(body.substr(at + 26));
  };
  {
    SseClient feed(daemon.port(), k_feed, f.unit);
    REQUIRE(feed.status() == 200);
    CHECK(subscribers() == 1);
  }
  // Bounded in count and time; the heartbeat (15 s) is far away, so only the hang-up can end the feed.
  int seen = 1;
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  for (int i = 0; i < 5000 && seen != 0 && std::chrono::steady_clock::now() < deadline; ++i) seen = subscribers();
  CHECK(seen == 0);
}

TEST_CASE("SIGTERM ends open feeds at once and the daemon exits 0", "[e2e][feed]") {
  Fixture f;
  DaemonProcess daemon(HOTLINED_PATH, f.args("http:\n  shutdown_grace: 60\nfeed:\n  heartbeat: 1\n"));
  SseClient feed(daemon.port(), k_feed, f.unit);
  REQUIRE(feed.status() == 200);
  CHECK_FALSE(feed.next(1500ms));  // no event, but the heartbeat comment arrives
  CHECK(feed.comments() >= 1);
  const auto started = std::chrono::steady_clock::now();
  CHECK(daemon.stop(SIGTERM) == 0);
  CHECK(std::chrono::steady_clock::now() - started < 10s);  // well inside the 60 s grace period
  CHECK_FALSE(feed.next(5s));
  CHECK(feed.closed());
}

TEST_CASE("the unit a case was passed down to is told the outcome of the reply it wrote", "[e2e][feed]") {
  Fixture f;
  const std::string child = "350602001.zfd";  // a city-management squad under 350602.cgj
  const auto child_token = make_token(f.db, "unit", child);
  DaemonProcess daemon(HOTLINED_PATH, f.args());
  HttpClient client(daemon.port());
  SseClient feed(daemon.port(), "/v1/units/" + child + "/feed", child_token);
  REQUIRE(feed.status() == 200);
  const auto id = post(client, f.op, k_mine);
  const auto act = [&](const std::string& token, const std::string& action, const std::string& body) {
    const auto r = client.request("POST", "/v1/tickets/" + id + "/" + action, body, token);
    INFO(action << ": " << r.body);
    REQUIRE(r.status == 200);
  };
  act(f.unit, "sign_for", "");
  act(f.unit, "pass_down", R"({"child":")" + child + R"("})");
  const auto passed = feed.next(5s);
  REQUIRE(passed);
  CHECK(passed->event == "passed_down");
  act(child_token, "reply", R"({"text":"路灯已修复","basis":"现场更换灯具"})");
  act(f.op, "review_reply", R"({"decision":"reject","note":"请附照片"})");
  // The child wrote the reply, so its feed hears that it was rejected (the lead's event), and nothing else.
  const auto outcome = feed.next(5s);
  REQUIRE(outcome);
  CHECK(outcome->event == "reply_rejected");
  CHECK(data_of(*outcome).at("unit") == k_unit);
  CHECK(data_of(*outcome).at("summary") == "reply rejected: 请附照片");

  // A terminal that resumes from the start gets the same two events from the log.
  SseClient resumed(daemon.port(), "/v1/units/" + child + "/feed", child_token, "0");
  const auto first = resumed.next(5s);
  const auto second = resumed.next(5s);
  REQUIRE(first);
  REQUIRE(second);
  CHECK(first->event == "passed_down");
  CHECK(second->event == "reply_rejected");
}
