// Citizen SMS as outbox rows: addressed to the gateway, rendered from the rules' templates, held to the end of the
// gateway's quiet hours one by one (never in a digest); and the notifications.sms config keys.
#include "daemon/notify/citizen_sms.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "daemon/runtime/local_time.hpp"

using namespace hotline::daemon;
namespace routing = hotline::routing;

namespace {

constexpr std::int64_t k_midnight_shanghai = 1'767'196'800'000;  // 2026-01-01T00:00:00+08:00

std::int64_t at(int hour, int minute) {
  return k_midnight_shanghai + (hour * 60 + minute) * 60'000LL;
}

routing::CitizenTemplates templates() {
  routing::CitizenTemplates t;
  t.signature = "【12345】";
  t.text[0] = "{ticket}已受理，查询码{code}";
  t.text[1] = "{ticket}已由{unit}办结：{reply}";
  t.text[2] = "请评价{ticket}";
  return t;
}

std::vector<routing::Event> events(std::initializer_list<const char*> kinds) {
  std::vector<routing::Event> out;
  for (const auto* k : kinds) {
    routing::Event e;
    e.kind = k;
    out.push_back(e);
  }
  return out;
}

CitizenContact contact() {
  CitizenContact to;
  to.phone = "13800138000";
  to.lookup_code = "246810";
  to.unit = "芗城区城市管理局";
  to.reply = "已修复";
  return to;
}

}  // namespace

TEST_CASE("citizen messages go to the gateway rendered, each a row of its own", "[daemon][sms]") {
  REQUIRE(select_time_zone("Asia/Shanghai").empty());
  SmsGatewayConfig config;
  config.url = "http://127.0.0.1:9/sms";
  config.quiet_from_min = config.quiet_to_min = -1;
  const CitizenSms sms(config);
  const auto rows = sms.make("ZZ1", events({"received", "dispatched"}), contact(), templates(), at(3, 0));
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].kind == "sms.accepted");
  CHECK(rows[0].unit_id.empty());
  CHECK(rows[0].target == config.url);
  CHECK_FALSE(rows[0].digest);
  CHECK(rows[0].next_attempt_ms == at(3, 0));  // no quiet hours: now
  CHECK(boost::json::parse(rows[0].payload) ==
        boost::json::parse(R"({"kind":"sms","message":"accepted","ticket_id":"ZZ1","to":"13800138000",)"
                           R"("text":"【12345】ZZ1已受理，查询码246810"})"));

  const auto replied = sms.make("ZZ1", events({"reply_approved"}), contact(), templates(), at(3, 0));
  REQUIRE(replied.size() == 2);
  CHECK(replied[0].kind == "sms.replied");
  CHECK(replied[0].payload.find("ZZ1已由芗城区城市管理局办结：已修复") != std::string::npos);
  CHECK(replied[1].kind == "sms.follow_up");

  // No phone, no gateway, no template: nothing.
  auto no_phone = contact();
  no_phone.phone.clear();
  CHECK(sms.make("ZZ1", events({"received"}), no_phone, templates(), at(3, 0)).empty());
  CHECK(CitizenSms(SmsGatewayConfig{}).make("ZZ1", events({"received"}), contact(), templates(), at(3, 0)).empty());
  CHECK(sms.make("ZZ1", events({"received"}), contact(), routing::CitizenTemplates{}, at(3, 0)).empty());
}

TEST_CASE("citizen messages wait out the gateway's quiet hours, urgent or not", "[daemon][sms]") {
  REQUIRE(select_time_zone("Asia/Shanghai").empty());
  SmsGatewayConfig config;  // the default quiet hours: 21:00-08:00
  config.url = "http://127.0.0.1:9/sms";
  const CitizenSms sms(config);
  const auto night = sms.make("ZZ1", events({"received"}), contact(), templates(), at(23, 30));
  REQUIRE(night.size() == 1);
  CHECK(night[0].next_attempt_ms == at(32, 0));  // 08:00 the next morning
  CHECK_FALSE(night[0].digest);                  // a message of its own, not a digest
  const auto early = sms.make("ZZ1", events({"received"}), contact(), templates(), at(7, 59));
  CHECK(early[0].next_attempt_ms == at(8, 0));
  const auto day = sms.make("ZZ1", events({"received"}), contact(), templates(), at(8, 0));
  CHECK(day[0].next_attempt_ms == at(8, 0));
}

TEST_CASE("notifications.sms takes a gateway url and quiet hours or none", "[daemon][sms][config]") {
  std::vector<hotline::routing::Diagnostic> errors;
  const auto c = parse_config(
      "c.yaml", "notifications:\n  sms:\n    url: https://sms.example.cn/send\n    quiet: 22:30-07:00\n", errors);
  REQUIRE(errors.empty());
  CHECK(c.sms.url == "https://sms.example.cn/send");
  CHECK(c.sms.quiet_from_min == 22 * 60 + 30);
  CHECK(c.sms.quiet_to_min == 7 * 60);
  const auto none =
      parse_config("c.yaml", "notifications:\n  sms:\n    url: http://127.0.0.1:1/s\n    quiet: none\n", errors);
  REQUIRE(errors.empty());
  CHECK(none.sms.quiet_from_min == -1);
  CHECK(parse_config("c.yaml", "listen: 127.0.0.1:1\n", errors).sms.url.empty());  // off by default

  parse_config("c.yaml", "notifications:\n  sms:\n    url: ftp://x/y\n    quiet: 9-17\n    port: 1\n", errors);
  std::string all;
  for (const auto& e : errors) all += e.to_string() + "\n";
  INFO(all);
  CHECK(all.find("c.yaml:3:10: error: 'notifications.sms.url' must be http://HOST:PORT/PATH") != std::string::npos);
  CHECK(all.find("c.yaml:4:12: error: 'notifications.sms.quiet' must be HH:MM-HH:MM (e.g. 21:00-08:00) or none") !=
        std::string::npos);
  CHECK(all.find("unknown config key 'notifications.sms.port'") != std::string::npos);
}
