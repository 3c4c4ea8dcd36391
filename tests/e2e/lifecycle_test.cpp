// End-to-end: a ticket's whole life over HTTP with real tokens, a foreign unit refused at every step, and the
// event log rebuilding every state (hotlinectl db verify).
#include <signal.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "support/e2e.hpp"

namespace {

struct Caller {
  HttpClient& client;
  std::string token;
  HttpResult act(const std::string& id, const std::string& action, const std::string& body = "{}") {
    return client.request("POST", "/v1/tickets/" + id + "/" + action, body, token);
  }
};

std::string state_of(const HttpResult& r) {
  return str(json::parse(r.body).at("state"));
}

}  // namespace

TEST_CASE("a ticket goes through return extension reply redo and close while a foreign unit is refused",
          "[e2e][lifecycle]") {
  TempDir dir;
  const std::string db = dir.path() + "/h.db";
  const auto op = make_token(db, "operator");
  const auto first = make_token(db, "unit", "350602.cgj");
  const auto second = make_token(db, "unit", "350602001.gov");
  const auto foreign = make_token(db, "unit", "350623.cgj");
  DaemonProcess daemon(HOTLINED_PATH, {"--listen", "127.0.0.1:0", "--database", db, "--rules", SHIPPED_RULES_DIR});
  HttpClient client(daemon.port());
  Caller hotline{client, op}, unit_a{client, first}, unit_b{client, second}, stranger{client, foreign};

  const auto created =
      client.request("POST", "/v1/tickets", R"({"content":"胜利路路灯不亮","category":"010101","area":"350602"})", op);
  REQUIRE(created.status == 201);
  const auto ticket = json::parse(created.body).as_object();
  const auto id = str(ticket.at("id"));
  CHECK(str(ticket.at("state")) == "awaiting_sign_for");
  CHECK(ticket.at("reply_due_at").as_string() > ticket.at("sign_for_due_at").as_string());
  const auto first_view = json::parse(client.request("GET", "/v1/tickets/" + id, "", op).body);
  const auto& lead = first_view.at("case").at("assignments").as_array().at(0);
  CHECK(str(lead.at("unit")) == "350602.cgj");
  CHECK(lead.at("reply").at("working_days_left").as_int64() >= 4);
  // The unit's dashboard counts it, and its queue row carries the clock the terminal colours.
  const auto counts = json::parse(client.request("GET", "/v1/units/350602.cgj/counts", "", first).body);
  CHECK(counts.at("open") == 1);
  CHECK(counts.at("states") == json::value{{"awaiting_sign_for", 1}});
  CHECK(counts.at("overdue") == 0);
  CHECK(client.request("GET", "/v1/units/350602.cgj/counts", "", foreign).status == 403);
  CHECK(client.request("GET", "/v1/units/350602.cgj/counts?x=1", "", first).status == 400);
  const auto queued = json::parse(client.request("GET", "/v1/units/350602.cgj/queue", "", first).body);
  REQUIRE(queued.at("items").as_array().size() == 1);
  const auto& row = queued.at("items").as_array()[0];
  CHECK(row.at("stage") == "pending");
  CHECK(row.at("working_days_left") == lead.at("reply").at("working_days_left"));

  // Every step is tried first by the foreign unit (404: it may not see the ticket), then by the right caller.
  CHECK(stranger.act(id, "sign_for").status == 404);
  // An argument the action does not take is refused, naming it, and nothing is written.
  const auto misspelt = unit_a.act(id, "sign_for", R"({"not":"x"})");
  CHECK(misspelt.status == 400);
  CHECK(misspelt.body.find("\"not\"") != std::string::npos);
  CHECK(state_of(unit_a.act(id, "sign_for")) == "in_progress");
  CHECK(unit_a.act(id, "sign_for").status == 409);  // already signed
  const std::string ret = R"({"reason_code":"not_our_territory","reason":"该路段路灯由西桥街道管养"})";
  CHECK(stranger.act(id, "request_return", ret).status == 404);
  CHECK(state_of(unit_a.act(id, "request_return", ret)) == "return_requested");
  // The operator's review queue of returns is a search by state.
  const auto returns = json::parse(client.request("GET", "/v1/tickets?state=return_requested", "", op).body);
  REQUIRE(returns.at("items").as_array().size() == 1);
  CHECK(str(returns.at("items").as_array()[0].at("id")) == id);
  CHECK(unit_a.act(id, "review_return", R"({"decision":"approve","unit":"350602001.gov"})").status == 403);
  const auto approved = hotline.act(id, "review_return", R"({"decision":"approve","unit":"350602001.gov"})");
  REQUIRE(approved.status == 200);
  CHECK(state_of(approved) == "awaiting_sign_for");
  const auto rounds = json::parse(approved.body).at("case").at("assignments").as_array();
  REQUIRE(rounds.size() == 2);
  CHECK(str(rounds[0].at("state")) == "withdrawn");
  CHECK(str(rounds[1].at("unit")) == "350602001.gov");
  // Search shows the current lead, named from the rules, not the first routing's unit.
  const auto moved = json::parse(client.request("GET", "/v1/tickets?q=%E8%B7%AF%E7%81%AF%E4%B8%8D", "", op).body);
  REQUIRE(moved.at("items").as_array().size() == 1);
  CHECK(moved.at("items").as_array()[0].at("unit") ==
        json::value{{"id", "350602001.gov"}, {"name", "东铺头街道办事处"}});

  CHECK(unit_a.act(id, "sign_for").status == 403);  // no longer on the case
  CHECK(stranger.act(id, "sign_for").status == 404);
  CHECK(state_of(unit_b.act(id, "sign_for")) == "in_progress");
  const std::string ext = R"({"working_days":3,"reason":"需协调供电部门更换线路"})";
  // Each argument has its JSON type: nothing is converted from another (and nothing is written for a refusal).
  for (const auto* wrong : {R"({"working_days":"3","reason":"需协调"})", R"({"working_days":2.5,"reason":"需协调"})",
                            R"({"working_days":3,"reason":true})"}) {
    const auto refused = unit_b.act(id, "request_extension", wrong);
    INFO(wrong << " → " << refused.body);
    CHECK(refused.status == 400);
  }
  const auto blank = unit_b.act(id, "request_extension", R"({"working_days":3,"reason":"\u3000 "})");
  CHECK(blank.status == 422);  // a reason of white space is no reason
  CHECK(stranger.act(id, "request_extension", ext).status == 404);
  CHECK(state_of(unit_b.act(id, "request_extension", ext)) == "extension_requested");
  const auto extended = hotline.act(id, "review_extension", R"({"decision":"approve"})");
  REQUIRE(extended.status == 200);
  const auto extended_body = json::parse(extended.body);
  const auto& b = extended_body.at("case").at("assignments").as_array().at(1);
  CHECK(b.at("extension_days") == 3);
  CHECK(str(b.at("reply").at("due_at")) > str(b.at("original_reply_due_at")));

  CHECK(stranger.act(id, "reply", R"({"text":"已修复"})").status == 404);
  CHECK(unit_b.act(id, "reply", R"({"text":"   "})").status == 422);
  CHECK(unit_b.act(id, "reply", R"({"text":true})").status == 400);
  CHECK(state_of(unit_b.act(id, "reply", R"({"text":"已更换灯具，恢复照明"})")) == "reply_review");
  CHECK(state_of(hotline.act(id, "review_reply", R"({"decision":"approve"})")) == "awaiting_follow_up");
  CHECK(stranger.act(id, "follow_up", R"({"satisfaction":"unsatisfied","resolution":"unresolved"})").status == 404);
  const auto redo =
      hotline.act(id, "follow_up", R"({"satisfaction":"unsatisfied","resolution":"unresolved","redo":true})");
  CHECK(state_of(redo) == "in_progress");
  CHECK(json::parse(redo.body).at("case").at("redos") == 1);
  CHECK(state_of(unit_b.act(id, "reply", R"({"text":"重新排查线路并更换开关"})")) == "reply_review");
  CHECK(state_of(hotline.act(id, "review_reply", R"({"decision":"approve"})")) == "awaiting_follow_up");
  CHECK(state_of(hotline.act(id, "follow_up", R"({"satisfaction":"satisfied","resolution":"resolved"})")) == "closed");
  CHECK(unit_b.act(id, "reply", R"({"text":"x"})").status == 409);
  CHECK(stranger.act(id, "urge").status == 404);

  const auto view = client.request("GET", "/v1/tickets/" + id, "", op);
  REQUIRE(view.status == 200);
  std::vector<std::string> kinds;
  const auto view_body = json::parse(view.body);
  for (const auto& e : view_body.at("events").as_array()) kinds.push_back(str(e.at("kind")));
  const std::vector<std::string> expected{"received",
                                          "dispatched",
                                          "signed_for",
                                          "return_requested",
                                          "return_approved",
                                          "dispatched",
                                          "signed_for",
                                          "extension_requested",
                                          "extension_approved",
                                          "replied",
                                          "reply_approved",
                                          "followed_up",
                                          "redo",
                                          "replied",
                                          "reply_approved",
                                          "followed_up",
                                          "closed"};
  CHECK(kinds == expected);
  CHECK(client.request("GET", "/v1/tickets/" + id, "", foreign).status == 404);
  CHECK(client.request("GET", "/v1/tickets/" + id, "", second).status == 200);

  // Queues: the closed ticket has left the new lead's open queue but shows under state=closed.
  const auto open_queue = json::parse(client.request("GET", "/v1/units/350602001.gov/queue", "", second).body);
  CHECK(open_queue.at("items").as_array().empty());
  CHECK(json::parse(client.request("GET", "/v1/units/350602001.gov/counts", "", second).body).at("open") == 0);
  const auto closed = json::parse(client.request("GET", "/v1/units/350602001.gov/queue?state=closed", "", second).body);
  REQUIRE(closed.at("items").as_array().size() == 1);
  CHECK(client.request("GET", "/v1/units/350602001.gov/queue", "", foreign).status == 403);
  const auto found = json::parse(client.request("GET", "/v1/tickets?q=%E8%B7%AF%E7%81%AF%E4%B8%8D", "", op).body);
  CHECK(found.at("items").as_array().size() == 1);
  // A NUL in the search text is bad input, answered in our words, never the database's.
  const auto nul = client.request("GET", "/v1/tickets?q=%E8%B7%AF%00%E7%81%AF", "", op);
  CHECK(nul.status == 400);
  CHECK(json::parse(nul.body).at("field") == "q");
  CHECK(nul.body.find("SQL") == std::string::npos);

  CHECK(daemon.stop(SIGTERM) == 0);
  const auto verify = run_command(HOTLINECTL_PATH, {"db", "verify", "--database", db});
  INFO(verify.out << verify.err);
  CHECK(verify.status == 0);
  CHECK(verify.out.find("1 ticket(s) rebuilt from their events, 0 difference(s)") != std::string::npos);
}
