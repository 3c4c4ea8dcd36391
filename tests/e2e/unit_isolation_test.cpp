// End-to-end: a unit token never sees a sibling unit's tickets through search or the escalation board, whether it
// asks for them by text, by unit, or not at all. Fixture rules: tests/e2e/escalation_rules (the e2e units, whose
// county 城管局 350602.cgj and 350623.cgj are siblings; sign-for clocks get a yellow card 2 s after dispatch).
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <set>
#include <string>

#include "support/e2e.hpp"
#include "support/webhook_receiver.hpp"

using hotline::test::WebhookReceiver;
using namespace std::chrono_literals;

namespace {

constexpr const char* k_mine = "350602.cgj";
constexpr const char* k_theirs = "350623.cgj";

struct Caller {
  HttpClient client;
  std::string token;
  HttpResult get(const std::string& target) { return client.request("GET", target, "", token); }
  json::value get_json(const std::string& target) {
    const auto r = get(target);
    INFO(target << " → " << r.status << " " << r.body);
    REQUIRE(r.status == 200);
    return json::parse(r.body);
  }
};

std::string post_lamp_ticket(Caller& operator_, const std::string& area, const std::string& unit,
                             const std::string& category = "0101") {
  const auto r = operator_.client.request(
      "POST", "/v1/tickets",
      R"({"content":"路灯不亮，晚上很黑","category":")" + category + R"(","area":")" + area + R"("})", operator_.token);
  REQUIRE(r.status == 201);
  const auto body = json::parse(r.body);
  REQUIRE(body.at("unit").at("id") == unit.c_str());
  return str(body.at("id"));
}

// The ticket ids of a search answer.
std::set<std::string> ticket_ids(const json::value& answer) {
  std::set<std::string> ids;
  for (const auto& item : answer.at("items").as_array()) ids.insert(str(item.at("id")));
  return ids;
}

// Both tickets' sign-for clocks got their yellow card (2 s after dispatch), as their webhooks heard.
bool both_yellow(const std::vector<WebhookReceiver::Post>& posts, const std::string& a, const std::string& b) {
  bool yellow_a = false, yellow_b = false;
  for (const auto& p : posts) {
    boost::system::error_code ec;
    const auto body = json::parse(p.body, ec);
    if (ec || !body.is_object() || !body.as_object().contains("kind") || body.at("kind") != "stage_yellow") continue;
    yellow_a = yellow_a || body.at("ticket_id") == a.c_str();
    yellow_b = yellow_b || body.at("ticket_id") == b.c_str();
  }
  return yellow_a && yellow_b;
}

}  // namespace

TEST_CASE("a unit token never sees a sibling unit's tickets in search or escalations", "[e2e][auth]") {
  TempDir dir;
  WebhookReceiver receiver;
  const std::string config = dir.path() + "/hotline.yaml";
  std::ofstream(config) << "notifications:\n  webhooks:\n"
                        << "    - unit: " << k_mine << "\n      url: http://127.0.0.1:" << receiver.port() << "/a\n"
                        << "    - unit: " << k_theirs << "\n      url: http://127.0.0.1:" << receiver.port() << "/b\n";
  const std::string db = dir.path() + "/h.db";
  const auto op = make_token(db, "operator");
  const auto sup = make_token(db, "supervisor");
  const auto mine_token = make_token(db, "unit", k_mine);
  DaemonProcess daemon(HOTLINED_PATH, {"--config", config, "--listen", "127.0.0.1:0", "--database", db, "--rules",
                                       ESCALATION_RULES_DIR});
  Caller operator_{HttpClient(daemon.port()), op};
  Caller supervisor{HttpClient(daemon.port()), sup};
  Caller mine{HttpClient(daemon.port()), mine_token};

  // The same text in both counties: the county streetlight rule sends each to its own 城管局.
  const auto a = post_lamp_ticket(operator_, "350602", k_mine);
  const auto b = post_lamp_ticket(operator_, "350623", k_theirs);
  const std::set<std::string> only_mine{a};
  const std::set<std::string> both{a, b};

  // Search: by text (the trigram index and the short-text scan), by nothing, by own unit.
  CHECK(ticket_ids(supervisor.get_json("/v1/tickets?q=%E8%B7%AF%E7%81%AF%E4%B8%8D%E4%BA%AE")) == both);
  CHECK(ticket_ids(mine.get_json("/v1/tickets?q=%E8%B7%AF%E7%81%AF%E4%B8%8D%E4%BA%AE")) == only_mine);  // 路灯不亮
  CHECK(ticket_ids(mine.get_json("/v1/tickets?q=%E8%B7%AF%E7%81%AF")) == only_mine);                    // 路灯
  CHECK(ticket_ids(mine.get_json("/v1/tickets")) == only_mine);
  CHECK(ticket_ids(mine.get_json(std::string("/v1/tickets?unit=") + k_mine)) == only_mine);
  // Asking for the sibling explicitly is refused, also when it is the last of a repeated parameter.
  CHECK(mine.get(std::string("/v1/tickets?unit=") + k_theirs).status == 403);
  CHECK(mine.get(std::string("/v1/tickets?q=%E8%B7%AF%E7%81%AF&unit=") + k_theirs).status == 403);
  CHECK(mine.get(std::string("/v1/tickets?unit=") + k_mine + "&unit=" + k_theirs).status == 403);
  // The sibling's ticket answers exactly as a ticket that does not exist, so ids cannot be probed.
  const auto theirs = mine.get("/v1/tickets/" + b);
  const auto missing = mine.get("/v1/tickets/ZZ2099010100001");
  CHECK(theirs.status == 404);
  CHECK(missing.status == 404);
  CHECK(json::parse(theirs.body).at("title") == json::parse(missing.body).at("title"));
  // Nor its queue, nor an action on its ticket.
  const auto queue = mine.get_json(std::string("/v1/units/") + k_mine + "/queue");
  REQUIRE(queue.at("items").as_array().size() == 1);
  CHECK(queue.at("items").at(0).at("id") == a.c_str());
  CHECK(mine.get(std::string("/v1/units/") + k_theirs + "/queue").status == 403);
  CHECK(mine.client.request("POST", "/v1/tickets/" + b + "/sign_for", "{}", mine.token).status == 404);

  // Escalations: wait (on the webhook receiver, no sleeping) until both sign-for clocks have a stage.
  REQUIRE(receiver.wait_until([&](const auto& posts) { return both_yellow(posts, a, b); }, 30s));
  const auto board_all = supervisor.get_json("/v1/escalations");
  std::set<std::string> on_board;
  for (const auto& item : board_all.at("items").as_array()) on_board.insert(str(item.at("ticket_id")));
  REQUIRE(on_board == both);  // the board has the sibling's clock to hide

  for (const std::string target : {"/v1/escalations", "/v1/escalations?unit=350602.cgj"}) {
    INFO(target);
    const auto board = mine.get_json(target);
    REQUIRE_FALSE(board.at("items").as_array().empty());
    for (const auto& item : board.at("items").as_array()) {
      CHECK(item.at("unit") == k_mine);
      CHECK(item.at("ticket_id") == a.c_str());
    }
    CHECK(json::serialize(board).find(k_theirs) == std::string::npos);
    CHECK(json::serialize(board).find(b) == std::string::npos);
  }
  const auto counts_all = supervisor.get_json("/v1/escalations/counts");
  REQUIRE(counts_all.at("units").as_object().contains(k_theirs));
  const auto counts = mine.get_json("/v1/escalations/counts");
  REQUIRE(counts.at("units").as_object().size() == 1);
  CHECK(counts.at("units").as_object().contains(k_mine));
  std::int64_t mine_total = 0;
  for (const auto& [stage, n] : counts.at("totals").as_object()) mine_total += n.as_int64();
  CHECK(mine_total == 1);  // one clock (A's sign-for), at its latest stage
  CHECK(json::serialize(counts).find(k_theirs) == std::string::npos);

  for (const std::string& target :
       {std::string("/v1/escalations?unit=") + k_theirs, std::string("/v1/escalations/counts?unit=") + k_theirs,
        std::string("/v1/escalations?unit=") + k_mine + "&unit=" + k_theirs}) {
    INFO(target);
    CHECK(mine.get(target).status == 403);
  }
}

TEST_CASE("a unit's search without a unit finds the tickets of the units below it, and no sibling's", "[e2e][auth]") {
  TempDir dir;
  const std::string db = dir.path() + "/h.db";
  const auto op = make_token(db, "operator");
  const auto county = make_token(db, "unit", "350602.gov");  // 芗城区人民政府, above its 城管局
  DaemonProcess daemon(HOTLINED_PATH, {"--listen", "127.0.0.1:0", "--database", db, "--rules", SHIPPED_RULES_DIR});
  Caller operator_{HttpClient(daemon.port()), op};
  Caller government{HttpClient(daemon.port()), county};
  const auto below = post_lamp_ticket(operator_, "350602", k_mine, "010101");
  post_lamp_ticket(operator_, "350623", "350623.gov", "010101");  // another county's
  const std::set<std::string> only_below{below};
  CHECK(ticket_ids(government.get_json("/v1/tickets")) == only_below);
  CHECK(ticket_ids(government.get_json("/v1/tickets?q=%E8%B7%AF%E7%81%AF")) == only_below);
  CHECK(ticket_ids(government.get_json(std::string("/v1/tickets?unit=") + k_mine)) == only_below);
  CHECK(ticket_ids(government.get_json("/v1/tickets?unit=350602.gov")).empty());  // narrowed to its own
  CHECK(government.get(std::string("/v1/tickets?unit=") + k_theirs).status == 403);
}
