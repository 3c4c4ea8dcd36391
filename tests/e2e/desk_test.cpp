// End-to-end: the dispatch desk's moves and arbitration over HTTP with real tokens — a ticket the rules cannot
// place waits in the desk's queue and is dispatched by hand (and the nightly report counts no return for it), a
// re-dispatch before sign-for, and a supervisor's arbitration after a return past the cap, seen in both units'
// feeds. Each ends with the event log rebuilding every state (hotlinectl db verify).
#include <signal.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/e2e.hpp"
#include "support/sse_client.hpp"

using hotline::test::SseClient;
using namespace std::chrono_literals;

namespace {

constexpr const char* k_desk = "12345.desk";
// A territorial matter with no place: the rules send it to the dispatch desk.
constexpr const char* k_unplaced = R"({"content":"路灯不亮","category":"010101"})";
constexpr const char* k_placed = R"({"content":"胜利路路灯不亮","category":"010101","area":"350602"})";
const std::string k_return = R"({"reason_code":"not_our_duty","reason":"该路灯不归本单位管养"})";

struct Desk {
  TempDir dir;
  std::string db = dir.path() + "/h.db";
  std::string op = make_token(db, "operator");
  std::string supervisor = make_token(db, "supervisor");
  std::string cgj = make_token(db, "unit", "350602.cgj");
  DaemonProcess daemon{HOTLINED_PATH, {"--listen", "127.0.0.1:0", "--database", db, "--rules", SHIPPED_RULES_DIR}};
  HttpClient client{daemon.port()};

  std::string post(const char* body) {
    const auto res = client.request("POST", "/v1/tickets", body, op);
    REQUIRE(res.status == 201);
    return str(json::parse(res.body).at("id"));
  }
  HttpResult act(const std::string& token, const std::string& id, const std::string& action,
                 const std::string& body = "{}") {
    return client.request("POST", "/v1/tickets/" + id + "/" + action, body, token);
  }
  json::value desk_queue(const std::string& token) {
    const auto res = client.request("GET", "/v1/desk/queue", "", token);
    REQUIRE(res.status == 200);
    return json::parse(res.body);
  }
  // The database is consistent with its events once the daemon is stopped.
  void verify() {
    CHECK(daemon.stop(SIGTERM) == 0);
    const auto verified = run_command(HOTLINECTL_PATH, {"db", "verify", "--database", db});
    INFO(verified.out << verified.err);
    CHECK(verified.status == 0);
    CHECK(verified.out.find(" 0 difference(s)") != std::string::npos);
  }
};

std::string state_of(const HttpResult& r) {
  return str(json::parse(r.body).at("state"));
}

std::vector<std::string> event_kinds(const HttpResult& r) {
  std::vector<std::string> kinds;
  const auto body = json::parse(r.body);
  for (const auto& e : body.at("events").as_array()) kinds.push_back(str(e.at("kind")));
  return kinds;
}

// Today in the daemon's zone (Asia/Shanghai, UTC+8, no DST), YYYY-MM-DD.
// The rows of the report section `key`.
json::array section_rows(const json::value& report, const std::string& key) {
  for (const auto& s : report.at("sections").as_array()) {
    if (s.at("key") == key.c_str()) return s.at("rows").as_array();
  }
  FAIL("no section " << key);
  return {};
}

// Today's nightly report (JSON) over the stopped daemon's database.
json::value nightly_report(const Desk& d) {
  const std::string out = d.dir.path() + "/reports";
  const auto report = run_command(HOTLINECTL_PATH, {"report", "nightly", "--as-of", local_today(), "--database", d.db,
                                                    "--out", out, "--format", "json", "--rules", SHIPPED_RULES_DIR});
  INFO(report.out << report.err);
  REQUIRE(report.status == 0);
  std::ifstream in(out + "/hotline-report-" + local_today() + ".json");
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

// Reads feed messages until one of `kind` (or nothing more within the timeout).
std::optional<json::object> next_of(SseClient& feed, const std::string& kind) {
  while (auto m = feed.next(5s)) {
    if (m->event == kind) return json::parse(m->data).as_object();
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("a ticket the rules cannot place waits in the desk queue, is dispatched by hand, and is no return",
          "[e2e][desk]") {
  Desk d;
  const auto older = d.post(k_unplaced);
  const auto newer = d.post(k_unplaced);
  const auto placed = d.post(k_placed);

  // The desk's queue: only what waits for a human dispatcher, oldest first, each with its dispatch limit.
  const auto queue = d.desk_queue(d.op);
  CHECK(queue.at("unit") == k_desk);
  const auto& items = queue.at("items").as_array();
  REQUIRE(items.size() == 2);
  CHECK(items[0].at("id") == older.c_str());
  CHECK(items[1].at("id") == newer.c_str());
  CHECK(str(items[0].at("waiting_since")) <= str(items[1].at("waiting_since")));
  CHECK(str(items[0].at("dispatch_due_at")) > str(items[0].at("waiting_since")));
  CHECK(items[0].at("overdue") == false);
  CHECK(d.desk_queue(d.supervisor).at("items").as_array().size() == 2);
  CHECK(d.client.request("GET", "/v1/desk/queue", "", d.cgj).status == 403);
  CHECK(d.client.request("GET", "/v1/desk/queue?limit=1", "", d.op).status == 200);
  const auto page = json::parse(d.client.request("GET", "/v1/desk/queue?limit=1", "", d.op).body);
  REQUIRE(page.at("items").as_array().size() == 1);
  const auto rest = json::parse(
      d.client.request("GET", "/v1/desk/queue?limit=1&cursor=" + str(page.at("next_cursor")), "", d.op).body);
  REQUIRE(rest.at("items").as_array().size() == 1);
  CHECK(rest.at("items").as_array()[0].at("id") == newer.c_str());

  // The ticket's view shows the desk's clock: its dispatch limit.
  const auto view = json::parse(d.client.request("GET", "/v1/tickets/" + older, "", d.op).body);
  const auto& at_desk = view.at("case").at("assignments").as_array().at(0);
  CHECK(at_desk.at("desk") == true);
  CHECK(at_desk.at("dispatch").at("due_at") == items[0].at("dispatch_due_at"));

  // Dispatch by hand: only operators; only what the desk holds.
  const std::string to_cgj = R"({"unit":"350602.cgj","co":"350602.zjj","note":"胜利路属芗城区"})";
  CHECK(d.act(d.cgj, older, "dispatch", to_cgj).status == 404);  // a unit never sees what the desk holds
  CHECK(d.act(d.supervisor, older, "dispatch", to_cgj).status == 403);
  CHECK(d.act(d.op, placed, "dispatch", to_cgj).status == 409);
  CHECK(d.act(d.op, older, "dispatch", R"({"unit":"nowhere.1"})").status == 422);
  const auto dispatched = d.act(d.op, older, "dispatch", to_cgj);
  REQUIRE(dispatched.status == 200);
  CHECK(state_of(dispatched) == "awaiting_sign_for");
  CHECK(event_kinds(dispatched) == std::vector<std::string>{"desk_dispatched", "dispatched", "dispatched"});
  const auto body = json::parse(dispatched.body);
  const auto& rounds = body.at("case").at("assignments").as_array();
  REQUIRE(rounds.size() == 3);
  CHECK(rounds[0].at("unit") == k_desk);
  CHECK(rounds[0].at("state") == "withdrawn");
  CHECK(rounds[1].at("unit") == "350602.cgj");
  CHECK(rounds[1].at("lead") == true);
  CHECK(body.at("case").at("returns") == 0);
  CHECK(body.at("case").at("return_requests") == 0);
  CHECK(d.act(d.op, older, "dispatch", to_cgj).status == 409);  // no longer at the desk

  // It has left the desk's queue and is in the unit's.
  const auto after = d.desk_queue(d.op).at("items").as_array();
  REQUIRE(after.size() == 1);
  CHECK(after[0].at("id") == newer.c_str());
  const auto unit_queue = json::parse(d.client.request("GET", "/v1/units/350602.cgj/queue", "", d.cgj).body);
  bool found = false;
  for (const auto& i : unit_queue.at("items").as_array()) found = found || i.at("id") == older.c_str();
  CHECK(found);

  // A real return on another ticket, for contrast.
  CHECK(state_of(d.act(d.cgj, placed, "request_return", k_return)) == "return_requested");
  d.verify();

  // The nightly report counts the real return only: no return for the desk or the hand-dispatched ticket, and
  // no "fallback" rule among the rules with returns.
  const auto parsed = nightly_report(d);
  const auto details = section_rows(parsed, "return_details");
  REQUIRE(details.size() == 1);
  CHECK(details[0].at("ticket") == placed.c_str());
  for (const auto& r : section_rows(parsed, "rules_by_returns")) CHECK(r.at("rule") != "fallback");
  for (const auto& r : section_rows(parsed, "returns_by_unit")) CHECK(r.at("unit_id") != k_desk);
  int desk_rows = 0;
  for (const auto& s : parsed.at("sections").as_array()) {
    for (const auto& r : s.at("rows").as_array()) {
      const auto& row = r.as_object();
      if (row.contains("unit_id") && row.at("unit_id") == k_desk && row.contains("return_rate")) {
        ++desk_rows;
        CHECK(row.at("return_rate").at("num") == 0);
      }
    }
  }
  CHECK(desk_rows == 1);
}

TEST_CASE("a return of a ticket dispatched by hand from the desk counts against (派单), not fallback",
          "[e2e][desk][report]") {
  Desk d;
  const auto unplaced = d.post(k_unplaced);
  const auto placed = d.post(k_placed);
  REQUIRE(d.act(d.op, unplaced, "dispatch", R"({"unit":"350602.cgj","note":"胜利路属芗城区"})").status == 200);
  CHECK(state_of(d.act(d.cgj, unplaced, "request_return", k_return)) == "return_requested");
  CHECK(state_of(d.act(d.cgj, placed, "request_return", k_return)) == "return_requested");
  const auto placed_rule = str(json::parse(d.client.request("GET", "/v1/tickets/" + placed, "", d.op).body).at("rule"));
  REQUIRE(placed_rule != "fallback");
  d.verify();

  // One return each: the hand-dispatched round's under (派单), the rule-routed one's under its rule.
  const auto parsed = nightly_report(d);
  const auto rules = section_rows(parsed, "rules_by_returns");
  REQUIRE(rules.size() == 2);
  for (const auto& r : rules) {
    CHECK(r.at("rule") != "fallback");
    CHECK(r.at("requests") == 1);
  }
  CHECK((rules[0].at("rule") == "(派单)" || rules[1].at("rule") == "(派单)"));
  CHECK((rules[0].at("rule") == placed_rule.c_str() || rules[1].at("rule") == placed_rule.c_str()));
  for (const auto& r : section_rows(parsed, "return_details")) {
    CHECK(r.at("rule") == (r.at("ticket") == unplaced.c_str() ? "(派单)" : placed_rule.c_str()));
  }
}

TEST_CASE("a ticket is re-dispatched before sign-for and not after", "[e2e][desk]") {
  Desk d;
  const auto zjj = make_token(d.db, "unit", "350602.zjj");
  const auto id = d.post(k_placed);
  const std::string to_zjj = R"({"unit":"350602.zjj","note":"属住建管养"})";
  CHECK(d.act(d.cgj, id, "redispatch", to_zjj).status == 403);
  CHECK(d.act(d.op, id, "redispatch", R"({"unit":"350602.cgj"})").status == 422);  // nothing would change
  const auto moved = d.act(d.op, id, "redispatch", to_zjj);
  REQUIRE(moved.status == 200);
  CHECK(event_kinds(moved) == std::vector<std::string>{"redispatched", "dispatched"});
  CHECK(json::parse(moved.body).at("case").at("redispatches") == 1);
  // The first unit is off the case; the new one signs, after which the ticket stays where it is.
  CHECK(d.act(d.cgj, id, "sign_for").status == 403);
  CHECK(state_of(d.act(zjj, id, "sign_for")) == "in_progress");
  const auto late = d.act(d.op, id, "redispatch", R"({"unit":"350602.sthj"})");
  CHECK(late.status == 409);
  CHECK(json::parse(late.body).at("detail").as_string().find("in_progress") != json::string::npos);
  d.verify();
}

TEST_CASE("a return past the cap goes to a supervisor whose arbitration both units see in their feeds",
          "[e2e][desk][arbitration]") {
  Desk d;
  const auto gov = make_token(d.db, "unit", "350602001.gov");
  const auto zjj = make_token(d.db, "unit", "350602.zjj");
  const auto id = d.post(k_placed);
  // Two approved returns reach the shipped cap (max_returns: 2).
  CHECK(state_of(d.act(d.cgj, id, "request_return", k_return)) == "return_requested");
  CHECK(d.act(d.op, id, "review_return", R"({"decision":"approve","unit":"350602001.gov"})").status == 200);
  CHECK(state_of(d.act(gov, id, "request_return", k_return)) == "return_requested");
  CHECK(d.act(d.op, id, "review_return", R"({"decision":"approve","unit":"350602.zjj"})").status == 200);
  const auto third = d.act(zjj, id, "request_return", k_return);
  REQUIRE(third.status == 200);
  CHECK(state_of(third) == "arbitration_requested");
  CHECK(event_kinds(third) == std::vector<std::string>{"arbitration_requested"});
  CHECK(d.act(d.op, id, "review_return", R"({"decision":"approve","unit":"350602.cgj"})").status == 409);

  SseClient disputer(d.daemon.port(), "/v1/units/350602.zjj/feed", zjj);
  SseClient decided(d.daemon.port(), "/v1/units/350602.cgj/feed", d.cgj);
  REQUIRE(disputer.status() == 200);
  REQUIRE(decided.status() == 200);
  const std::string ruling = R"({"unit":"350602.cgj","note":"胜利路路灯由城管局管养，仲裁为主办"})";
  CHECK(d.act(d.op, id, "arbitrate", ruling).status == 403);
  CHECK(d.act(d.cgj, id, "arbitrate", ruling).status == 403);
  const auto ruled = d.act(d.supervisor, id, "arbitrate", ruling);
  REQUIRE(ruled.status == 200);
  CHECK(state_of(ruled) == "awaiting_sign_for");
  CHECK(event_kinds(ruled) == std::vector<std::string>{"arbitrated", "dispatched"});
  CHECK(json::parse(ruled.body).at("case").at("arbitrated") == true);

  for (auto* feed : {&disputer, &decided}) {
    const auto seen = next_of(*feed, "arbitrated");
    REQUIRE(seen);
    CHECK(seen->at("ticket") == id.c_str());
    CHECK(seen->at("summary") == "arbitration: 350602.cgj is the lead unit: 胜利路路灯由城管局管养，仲裁为主办");
  }
  // Final: the decided lead signs for it and cannot return it.
  CHECK(state_of(d.act(d.cgj, id, "sign_for")) == "in_progress");
  CHECK(d.act(d.cgj, id, "request_return", k_return).status == 409);
  d.verify();
}
