// End-to-end: an arbitration reaches the webhooks of every unit it concerns — the unit that disputed and the lead
// it decided for — not only their live feeds (desk_test.cpp holds the feeds). Shipped rules.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <set>
#include <string>

#include "support/e2e.hpp"
#include "support/webhook_receiver.hpp"

using hotline::test::WebhookReceiver;
using namespace std::chrono_literals;

TEST_CASE("an arbitration is posted to the webhooks of the disputing unit and of the decided lead",
          "[e2e][arbitration]") {
  TempDir dir;
  WebhookReceiver receiver;
  const std::string config = dir.path() + "/hotline.yaml";
  std::ofstream(config) << "notifications:\n  webhooks:\n"
                        << "    - unit: 350602.zjj\n      url: http://127.0.0.1:" << receiver.port() << "/zjj\n"
                        << "    - unit: 350602.cgj\n      url: http://127.0.0.1:" << receiver.port() << "/cgj\n";
  const std::string db = dir.path() + "/h.db";
  const auto op = make_token(db, "operator");
  const auto supervisor = make_token(db, "supervisor");
  const auto cgj = make_token(db, "unit", "350602.cgj");
  const auto gov = make_token(db, "unit", "350602001.gov");
  const auto zjj = make_token(db, "unit", "350602.zjj");
  DaemonProcess daemon(HOTLINED_PATH,
                       {"--config", config, "--listen", "127.0.0.1:0", "--database", db, "--rules", SHIPPED_RULES_DIR});
  HttpClient client(daemon.port());
  const auto act = [&](const std::string& token, const std::string& id, const std::string& action,
                       const std::string& body) {
    const auto r = client.request("POST", "/v1/tickets/" + id + "/" + action, body, token);
    INFO(action << " → " << r.body);
    REQUIRE(r.status == 200);
  };
  const auto posted =
      client.request("POST", "/v1/tickets", R"({"content":"胜利路路灯不亮","category":"010101","area":"350602"})", op);
  REQUIRE(posted.status == 201);
  const auto id = str(json::parse(posted.body).at("id"));
  const std::string ret = R"({"reason_code":"not_our_duty","reason":"该路灯不归本单位管养"})";
  act(cgj, id, "request_return", ret);
  act(op, id, "review_return", R"({"decision":"approve","unit":"350602001.gov"})");
  act(gov, id, "request_return", ret);
  act(op, id, "review_return", R"({"decision":"approve","unit":"350602.zjj"})");
  act(zjj, id, "request_return", ret);  // past the cap: a supervisor arbitrates
  act(supervisor, id, "arbitrate", R"({"unit":"350602.cgj","note":"胜利路路灯由城管局管养"})");

  const auto arbitrations = [](const std::vector<WebhookReceiver::Post>& posts) {
    std::set<std::string> units;
    for (const auto& p : posts) {
      const auto body = json::parse(p.body);
      if (body.at("kind") == "arbitrated") units.insert(str(body.at("unit")));
    }
    return units;
  };
  REQUIRE(receiver.wait_until(
      [&](const auto& posts) {
        return arbitrations(posts) == std::set<std::string>{"350602.zjj", "350602.cgj"};
      },
      30s));
  for (const auto& p : receiver.posts()) {
    const auto body = json::parse(p.body);
    if (body.at("kind") != "arbitrated") continue;
    CHECK(body.at("ticket_id") == id.c_str());
    CHECK(body.at("disputed_by") == "350602.zjj");
    CHECK(body.at("new_lead") == "350602.cgj");
  }
}
