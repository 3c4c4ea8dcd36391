#include "daemon/notify/outbox.hpp"

#include <catch2/catch.hpp>

#include "daemon/config/config.hpp"
#include "daemon/config/rules_holder.hpp"
#include "daemon/runtime/local_time.hpp"

using namespace hotline::daemon;

namespace {

const hotline::routing::RuleSet& rules() {
  static const auto loaded = load_initial_rules(E2E_RULES_DIR);
  REQUIRE(loaded.ok);
  return *loaded.info.rules;
}

Config config(const std::string& text, std::vector<hotline::routing::Diagnostic>& errors) {
  return parse_config("c.yaml", text, errors);
}

constexpr std::int64_t k_midnight_shanghai = 1'767'196'800'000;  // 2026-01-01T00:00:00+08:00
constexpr int k_shanghai = 480;

}  // namespace

TEST_CASE("webhooks are chosen by unit id first match then by kind and level", "[daemon][outbox]") {
  std::vector<hotline::routing::Diagnostic> errors;
  const auto c = config(R"(notifications:
  webhooks:
    - unit: 350602.cgj
      url: http://127.0.0.1:9001/a
    - kind: 城市管理局
      level: county
      url: http://127.0.0.1:9002/b
      quiet: "22:00-07:00"
    - level: city
      url: http://127.0.0.1:9003
)",
                        errors);
  REQUIRE(errors.empty());
  REQUIRE(c.webhooks.size() == 3);
  CHECK(c.webhooks[1].quiet_from_min == 22 * 60);
  CHECK(c.webhooks[1].quiet_to_min == 7 * 60);
  CHECK(c.webhooks[2].path == "/");
  const Outbox outbox(c.webhooks);
  CHECK(outbox.webhook_for("350602.cgj", rules())->url == "http://127.0.0.1:9001/a");
  CHECK(outbox.webhook_for("350623.cgj", rules())->url == "http://127.0.0.1:9002/b");
  CHECK(outbox.webhook_for("3506.rsj", rules())->url == "http://127.0.0.1:9003");
  CHECK(outbox.webhook_for("nowhere", rules()) == nullptr);
}

TEST_CASE("bad webhook entries are reported with file line and column", "[daemon][outbox]") {
  std::vector<hotline::routing::Diagnostic> errors;
  config(R"(notifications:
  webhooks:
    - unit: a
      url: ftp://example.org/hook
    - kind: x
      unit: y
      url: http://127.0.0.1:1/
    - url: http://127.0.0.1:1/
      quiet: "25:00-07:00"
      colour: red
)",
         errors);
  std::string all;
  for (const auto& e : errors) all += e.to_string() + "\n";
  CAPTURE(all);
  CHECK(errors.size() == 5);
  CHECK(all.find("c.yaml:4:12: error: webhook 'url' must be http://") != std::string::npos);
  CHECK(all.find("either a 'unit' or a unit 'kind'") != std::string::npos);
  CHECK(all.find("'quiet' must be HH:MM-HH:MM") != std::string::npos);
  CHECK(all.find("unknown webhook key 'colour'") != std::string::npos);
}

TEST_CASE("quiet hours hold non-urgent notifications to their end as a digest", "[daemon][outbox]") {
  REQUIRE(select_time_zone("Asia/Shanghai").empty());
  const auto at = [](int hour, int minute) { return k_midnight_shanghai + (hour * 60 + minute) * 60'000LL; };
  // 22:00-07:00 wraps midnight.
  CHECK(Outbox::quiet_until(22 * 60, 7 * 60, at(23, 30), k_shanghai) == at(31, 0));
  CHECK(Outbox::quiet_until(22 * 60, 7 * 60, at(3, 15), k_shanghai) == at(7, 0));
  CHECK_FALSE(Outbox::quiet_until(22 * 60, 7 * 60, at(7, 0), k_shanghai));
  CHECK_FALSE(Outbox::quiet_until(22 * 60, 7 * 60, at(12, 0), k_shanghai));
  CHECK(Outbox::quiet_until(12 * 60, 14 * 60, at(13, 59), k_shanghai) == at(14, 0));

  WebhookConfig w;
  w.unit = "3506.rsj";
  w.url = "http://127.0.0.1:9/h";
  w.quiet_from_min = 22 * 60;
  w.quiet_to_min = 7 * 60;
  const Outbox outbox({w});
  const auto held = outbox.make("T", "3506.rsj", "stage_yellow", false, 7, "{}", at(23, 0), rules());
  CHECK(held.target == w.url);
  CHECK(held.digest);
  CHECK(held.next_attempt_ms == at(31, 0));
  const auto urgent = outbox.make("T", "3506.rsj", "stage_red", true, 8, "{}", at(23, 0), rules());
  CHECK_FALSE(urgent.digest);
  CHECK(urgent.next_attempt_ms == at(23, 0));
  const auto nobody = outbox.make("T", "3506.cgj", "stage_red", true, 9, "{}", at(23, 0), rules());
  CHECK_FALSE(nobody.target);
}
