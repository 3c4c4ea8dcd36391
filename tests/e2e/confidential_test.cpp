// End-to-end: a confidential ticket's caller never reaches a unit token — not in the ticket view, its queue,
// search, its live feed or its webhook — while the hotline's roles see it; every answer that shows a caller is
// in the caller access log (who, when, which ticket, which endpoint) by the time it is sent. Fixture rules:
// tests/e2e/escalation_rules (350602.cgj takes streetlights in 芗城区; sign-for clocks get a yellow card 2 s after
// dispatch, which its webhook hears).
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <csignal>
#include <fstream>
#include <string>
#include <vector>

#include "support/e2e.hpp"
#include "support/sse_client.hpp"
#include "support/webhook_receiver.hpp"

using hotline::test::SseClient;
using hotline::test::WebhookReceiver;
using namespace std::chrono_literals;

namespace {

constexpr const char* k_unit = "350602.cgj";
constexpr const char* k_secret_phone = "13912345678";
constexpr const char* k_secret_name = "保密人甲";
constexpr const char* k_open_phone = "13700001111";

struct Caller {
  HttpClient client;
  std::string token;
  HttpResult get(const std::string& target) { return client.request("GET", target, "", token); }
  std::string get_ok(const std::string& target) {
    const auto r = get(target);
    INFO(target << " → " << r.status << " " << r.body);
    REQUIRE(r.status == 200);
    return r.body;
  }
};

std::string post_ticket(Caller& operator_, const std::string& name, const std::string& phone, bool confidential) {
  const auto r = operator_.client.request(
      "POST", "/v1/tickets",
      R"({"content":"路灯不亮，晚上很黑","category":"0101","area":"350602","caller":{"name":")" + name +
          R"(","phone":")" + phone + R"("},"confidential":)" + (confidential ? "true" : "false") + "}",
      operator_.token);
  INFO(r.body);
  REQUIRE(r.status == 201);
  const auto body = json::parse(r.body);
  REQUIRE(body.at("unit").at("id") == k_unit);
  return str(body.at("id"));
}

bool shows_secret(const std::string& text) {
  return text.find(k_secret_phone) != std::string::npos || text.find(k_secret_name) != std::string::npos;
}

// The token's public id: "hl_<id>_<secret>".
std::string token_id(const std::string& token) {
  return token.substr(3, token.find('_', 3) - 3);
}

json::array access_log(Caller& admin, const std::string& ticket) {
  return json::parse(admin.get_ok("/v1/admin/access-log?ticket=" + ticket)).at("items").as_array();
}

}  // namespace

TEST_CASE("a confidential ticket's caller never reaches a unit, and every read of a caller is logged",
          "[e2e][confidential]") {
  TempDir dir;
  WebhookReceiver receiver;
  const std::string config = dir.path() + "/hotline.yaml";
  std::ofstream(config) << "notifications:\n  webhooks:\n"
                        << "    - unit: " << k_unit << "\n      url: http://127.0.0.1:" << receiver.port() << "/n\n";
  const std::string db = dir.path() + "/h.db";
  const auto op_token = make_token(db, "operator");
  const auto sup_token = make_token(db, "supervisor");
  const auto admin_token = make_token(db, "admin");
  const auto unit_token = make_token(db, "unit", k_unit);
  std::string secret;  // the confidential ticket's id
  {
    DaemonProcess daemon(HOTLINED_PATH, {"--config", config, "--listen", "127.0.0.1:0", "--database", db, "--rules",
                                         ESCALATION_RULES_DIR});
    Caller operator_{HttpClient(daemon.port()), op_token};
    Caller supervisor{HttpClient(daemon.port()), sup_token};
    Caller admin{HttpClient(daemon.port()), admin_token};
    Caller unit{HttpClient(daemon.port()), unit_token};
    // The unit's terminal follows its feed from before the tickets come in.
    SseClient feed(daemon.port(), std::string("/v1/units/") + k_unit + "/feed", unit_token);
    REQUIRE(feed.status() == 200);

    secret = post_ticket(operator_, k_secret_name, k_secret_phone, true);
    const auto open = post_ticket(operator_, "公开人乙", k_open_phone, false);

    // The ticket view: the unit gets the marker in place of the caller, and knows the ticket is confidential.
    const auto unit_view = unit.get_ok("/v1/tickets/" + secret);
    CHECK_FALSE(shows_secret(unit_view));
    CHECK(json::parse(unit_view).at("caller") == json::value(json::object{{"confidential", true}}));
    CHECK(json::parse(unit_view).at("confidential") == true);
    // An ordinary ticket's caller is shown to the unit, as before.
    const auto unit_open_view = json::parse(unit.get_ok("/v1/tickets/" + open));
    CHECK(unit_open_view.at("caller").at("phone") == k_open_phone);
    CHECK(unit_open_view.at("confidential") == false);

    // Queue, search (by text and by nothing) and the escalation board: no caller, whichever ticket.
    for (const std::string& target :
         {std::string("/v1/units/") + k_unit + "/queue", std::string("/v1/tickets?q=%E8%B7%AF%E7%81%AF"),
          std::string("/v1/tickets"), std::string("/v1/escalations"), std::string("/v1/escalations/counts")}) {
      INFO(target);
      const auto body = unit.get_ok(target);
      CHECK_FALSE(shows_secret(body));
    }
    const auto listed = json::parse(unit.get_ok(std::string("/v1/units/") + k_unit + "/queue"));
    CHECK(listed.at("items").as_array().size() == 2);  // it does hold the ticket
    // A phone look-up would confirm a guessed number: it is the hotline's, not a unit's.
    CHECK(unit.get(std::string("/v1/tickets?phone=") + k_secret_phone).status == 403);
    const auto by_phone = json::parse(operator_.get_ok(std::string("/v1/tickets?phone=") + k_secret_phone));
    REQUIRE(by_phone.at("items").as_array().size() == 1);
    CHECK(by_phone.at("items").at(0).at("id") == secret.c_str());

    // The feed: both dispatches arrive, and no message names the confidential caller.
    bool secret_dispatched = false, open_dispatched = false;
    while (!(secret_dispatched && open_dispatched)) {
      const auto m = feed.next(10s);
      REQUIRE(m);
      CHECK_FALSE(shows_secret(m->data));
      const auto data = json::parse(m->data);
      if (m->event != "dispatched") continue;
      secret_dispatched = secret_dispatched || data.at("ticket") == secret.c_str();
      open_dispatched = open_dispatched || data.at("ticket") == open.c_str();
    }
    // A resumed feed replays the log from the start: the same.
    SseClient replay(daemon.port(), std::string("/v1/units/") + k_unit + "/feed", unit_token, "0");
    REQUIRE(replay.status() == 200);
    for (int replayed = 0; replayed < 2;) {
      const auto m = replay.next(10s);
      REQUIRE(m);
      CHECK_FALSE(shows_secret(m->data));
      if (m->event == "dispatched") ++replayed;
    }

    // The webhook: the dispatch and the yellow card of the confidential ticket, without its caller.
    const auto heard = [&](const std::vector<WebhookReceiver::Post>& posts) {
      bool dispatched = false, yellow = false;
      for (const auto& p : posts) {
        boost::system::error_code ec;
        const auto body = json::parse(p.body, ec);
        if (ec || !body.is_object() || !body.as_object().contains("ticket_id")) continue;
        if (body.at("ticket_id") != secret.c_str()) continue;
        dispatched = dispatched || body.at("kind") == "dispatched";
        yellow = yellow || body.at("kind") == "stage_yellow";
      }
      return dispatched && yellow;
    };
    REQUIRE(receiver.wait_until(heard, 30s));
    for (const auto& p : receiver.posts()) {
      INFO(p.body);
      CHECK_FALSE(shows_secret(p.body));
    }

    // The hotline's roles see the confidential caller.
    for (Caller* reader : {&operator_, &supervisor}) {
      const auto view = json::parse(reader->get_ok("/v1/tickets/" + secret));
      CHECK(view.at("caller").at("phone") == k_secret_phone);
      CHECK(view.at("caller").at("name") == k_secret_name);
      CHECK(view.at("confidential") == true);
    }

    // The access log has each shown caller by the time the answer came: the operator's and the supervisor's reads
    // of the confidential ticket (never the unit's withheld one), the unit's read of the ordinary ticket.
    const auto log = access_log(admin, secret);
    REQUIRE(log.size() == 2);
    CHECK(log.at(0).at("ticket") == secret.c_str());
    CHECK(log.at(0).at("role") == "operator");
    CHECK(log.at(0).at("token") == token_id(op_token).c_str());
    CHECK(log.at(0).at("unit").is_null());
    CHECK(log.at(0).at("endpoint") == "GET /v1/tickets/{id}");
    CHECK(str(log.at(0).at("at")).size() >= 20);  // RFC 3339 with offset
    CHECK(log.at(1).at("role") == "supervisor");
    CHECK(log.at(1).at("token") == token_id(sup_token).c_str());
    CHECK(log.at(0).at("seq").as_int64() < log.at(1).at("seq").as_int64());
    const auto open_log = access_log(admin, open);
    REQUIRE(open_log.size() == 1);
    CHECK(open_log.at(0).at("role") == "unit");
    CHECK(open_log.at(0).at("unit") == k_unit);
    CHECK(open_log.at(0).at("token") == token_id(unit_token).c_str());
    // A second read is a second row.
    operator_.get_ok("/v1/tickets/" + secret);
    CHECK(access_log(admin, secret).size() == 3);
    // The whole log, paged by its cursor.
    const auto page = json::parse(supervisor.get_ok("/v1/admin/access-log?limit=2"));
    REQUIRE(page.at("items").as_array().size() == 2);
    const auto rest =
        json::parse(supervisor.get_ok("/v1/admin/access-log?limit=2&cursor=" + str(page.at("next_cursor"))));
    CHECK(rest.at("items").as_array().size() == 2);
    CHECK(rest.at("items").at(0).at("seq").as_int64() > page.at("items").at(1).at("seq").as_int64());
    // The log is for admins and supervisors.
    CHECK(operator_.get("/v1/admin/access-log?ticket=" + secret).status == 403);
    CHECK(unit.get("/v1/admin/access-log?ticket=" + secret).status == 403);
    CHECK(admin.get("/v1/admin/access-log?bogus=1").status == 400);
    CHECK(daemon.stop(SIGTERM) == 0);
  }
  // hotlinectl reads the same log from the file: one tab-separated line a read.
  const auto printed = run_command(HOTLINECTL_PATH, {"db", "access-log", "--database", db, "--ticket", secret});
  INFO(printed.out << printed.err);
  CHECK(printed.status == 0);
  std::vector<std::string> lines;
  for (std::size_t at = 0, end; (end = printed.out.find('\n', at)) != std::string::npos; at = end + 1) {
    lines.push_back(printed.out.substr(at, end - at));
  }
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].find("\t" + secret + "\t" + token_id(op_token) + "\toperator\t-\tGET /v1/tickets/{id}") !=
        std::string::npos);
  CHECK(lines[1].find("\t" + token_id(sup_token) + "\tsupervisor\t") != std::string::npos);
  CHECK(lines[2].find("\toperator\t") != std::string::npos);
  // The new table and column leave the database consistent.
  const auto verified = run_command(HOTLINECTL_PATH, {"db", "verify", "--database", db});
  INFO(verified.out << verified.err);
  CHECK(verified.status == 0);
}
