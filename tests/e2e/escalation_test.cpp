// End-to-end: escalation stages of a 3-second sign-for clock fire exactly once across a SIGKILL and a restart,
// and a local webhook receiver hears of each, also after being down across a restart. Fixture rules:
// tests/e2e/escalation_rules (yellow at 2 s, red at 3 s, urge at 5 s, supervise at 7 s after dispatch).
#include <signal.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>

#include "support/e2e.hpp"
#include "support/sqlite_file.hpp"
#include "support/webhook_receiver.hpp"

using hotline::test::WebhookReceiver;
using namespace std::chrono_literals;

namespace {

const std::vector<std::string> k_kinds{"dispatched", "stage_yellow", "stage_red", "stage_urge", "stage_supervise"};

// A config whose webhook for 3506.rsj (where wage complaints go) posts to the receiver, with quick retries.
std::string write_config(const TempDir& dir, const WebhookReceiver& receiver, int max_attempts = 100) {
  const std::string path = dir.path() + "/hotline.yaml";
  std::ofstream(path) << "notifications:\n"
                         "  max_attempts: "
                      << max_attempts
                      << "\n"
                         "  backoff_base_ms: 100\n"
                         "  backoff_max_ms: 400\n"
                         "  webhooks:\n"
                         "    - unit: 3506.rsj\n"
                         "      url: http://127.0.0.1:"
                      << receiver.port() << "/hook\n";
  return path;
}

std::vector<std::string> daemon_args(const TempDir& dir, const std::string& config) {
  return {"--config",           config,    "--listen",          "127.0.0.1:0", "--database",
          dir.path() + "/h.db", "--rules", ESCALATION_RULES_DIR};
}

std::string kind_of(const WebhookReceiver::Post& p) {
  boost::system::error_code ec;
  const auto body = json::parse(p.body, ec);
  if (ec || !body.is_object() || !body.as_object().contains("kind")) return "";
  return std::string(body.at("kind").as_string());
}

// Kinds that got a 200, each with the Idempotency-Keys it was delivered under.
std::map<std::string, std::set<std::string>> delivered(const std::vector<WebhookReceiver::Post>& posts) {
  std::map<std::string, std::set<std::string>> out;
  for (const auto& p : posts) {
    if (p.status == 200) out[kind_of(p)].insert(p.key);
  }
  return out;
}

bool has_all(const std::vector<WebhookReceiver::Post>& posts) {
  const auto got = delivered(posts);
  for (const auto& k : k_kinds) {
    if (!got.contains(k)) return false;
  }
  return true;
}

std::string post_wage_ticket(HttpClient& client) {
  const auto created = client.post("/v1/tickets", R"({"content":"工资被拖欠三个月"})");
  REQUIRE(created.status == 201);
  const auto body = json::parse(created.body);
  CHECK(body.at("unit").at("id") == "3506.rsj");
  return std::string(body.at("id").as_string());
}

}  // namespace

TEST_CASE("an unsigned ticket gets every stage exactly once across a SIGKILL and the receiver hears of each",
          "[e2e][escalation]") {
  TempDir dir;
  WebhookReceiver receiver;
  const auto config = write_config(dir, receiver);
  std::string id;
  {
    DaemonProcess daemon(HOTLINED_PATH, daemon_args(dir, config));
    HttpClient client(daemon.port());
    id = post_wage_ticket(client);
    // Killed between the yellow card (2 s) and the red one (3 s).
    REQUIRE(receiver.wait_until([](const auto& posts) { return delivered(posts).contains("stage_yellow"); }, 20s));
    CHECK(daemon.stop(SIGKILL) == 128 + SIGKILL);
  }
  DaemonProcess again(HOTLINED_PATH, daemon_args(dir, config));
  REQUIRE(receiver.wait_until(has_all, 30s));
  HttpClient client(again.port());

  // The event log holds each stage exactly once.
  const auto ticket = json::parse(client.get("/v1/tickets/" + id).body);
  std::map<std::string, int> stages;
  for (const auto& e : ticket.at("events").as_array()) {
    const std::string kind(e.at("kind").as_string());
    if (kind.starts_with("stage_")) ++stages[kind];
  }
  CHECK(stages ==
        std::map<std::string, int>{{"stage_red", 1}, {"stage_supervise", 1}, {"stage_urge", 1}, {"stage_yellow", 1}});
  // Each notification has one Idempotency-Key: a repeat after the kill would carry the same key.
  for (const auto& [kind, keys] : delivered(receiver.posts())) {
    CAPTURE(kind);
    CHECK(keys.size() == 1);
  }

  // The supervisors' board shows the clock at its last stage.
  const auto board = json::parse(client.get("/v1/escalations?stage=supervise&unit=3506.rsj").body);
  REQUIRE(board.at("items").as_array().size() == 1);
  CHECK(board.at("items").at(0).at("ticket_id") == id.c_str());
  CHECK(board.at("items").at(0).at("clock") == "sign_for");
  CHECK(json::parse(client.get("/v1/escalations?stage=yellow").body).at("items").as_array().empty());
  const auto counts = json::parse(client.get("/v1/escalations/counts").body);
  CHECK(counts.at("units").at("3506.rsj").at("supervise").as_int64() == 1);
  CHECK(counts.at("totals").at("red").as_int64() == 0);
  CHECK(client.get("/v1/escalations?stage=orange").status == 400);
}

TEST_CASE("a webhook receiver that was down gets every notification once it is back", "[e2e][escalation]") {
  TempDir dir;
  WebhookReceiver receiver;
  receiver.set_up(false);
  const auto config = write_config(dir, receiver);
  DaemonProcess daemon(HOTLINED_PATH, daemon_args(dir, config));
  HttpClient client(daemon.port());
  post_wage_ticket(client);
  // Down until several tries were refused (the dispatch's and the first stages'), then back.
  REQUIRE(receiver.wait_until([](const auto& posts) { return posts.size() >= 6; }, 20s));
  receiver.set_up(true);
  REQUIRE(receiver.wait_until(has_all, 30s));
  const auto posts = receiver.posts();
  std::map<std::string, int> ok_per_key;
  for (const auto& p : posts) ok_per_key[p.key] += p.status == 200 ? 1 : 0;
  for (const auto& [key, ok] : ok_per_key) {
    CAPTURE(key);
    CHECK(ok == 1);  // delivered once, however often it was refused before
  }
  CHECK(ok_per_key.size() == k_kinds.size());
  CHECK(posts.size() > k_kinds.size());  // there were refused tries
}

TEST_CASE("a webhook receiver down across a daemon restart gets every notification once", "[e2e][escalation]") {
  TempDir dir;
  WebhookReceiver receiver;
  receiver.set_up(false);
  const std::string config = dir.path() + "/hotline.yaml";
  // Retries capped at a second: an outage of 12 s spans a dozen refused tries, half before the restart and half
  // after it, which is what the test is about (a longer outage only waits longer between the same steps).
  std::ofstream(config) << "notifications:\n  max_attempts: 100\n  backoff_base_ms: 200\n  backoff_max_ms: 1000\n"
                           "  webhooks:\n    - unit: 3506.rsj\n      url: http://127.0.0.1:"
                        << receiver.port() << "/hook\n";
  // A refused try at least `after` past the first refused one.
  const auto refused_since = [](std::chrono::steady_clock::duration after) {
    return [after](const std::vector<WebhookReceiver::Post>& posts) {
      return !posts.empty() && posts.back().status == 503 && posts.back().at - posts.front().at >= after;
    };
  };
  {
    DaemonProcess first(HOTLINED_PATH, daemon_args(dir, config));
    HttpClient client(first.port());
    post_wage_ticket(client);
    REQUIRE(receiver.wait_until(refused_since(6s), 30s));
    CHECK(first.stop(SIGTERM) == 0);  // half way through the outage: the outbox must outlive the daemon
  }
  DaemonProcess second(HOTLINED_PATH, daemon_args(dir, config));
  REQUIRE(receiver.wait_until(refused_since(12s), 30s));
  receiver.set_up(true);
  REQUIRE(receiver.wait_until(has_all, 30s));
  std::map<std::string, int> ok_per_key;
  for (const auto& p : receiver.posts()) ok_per_key[p.key] += p.status == 200 ? 1 : 0;
  for (const auto& [key, ok] : ok_per_key) {
    CAPTURE(key);
    CHECK(ok == 1);
  }
  CHECK(ok_per_key.size() == k_kinds.size());  // the dispatch and the four stages, none lost, none twice
  CHECK(second.stop(SIGTERM) == 0);
}

TEST_CASE("clocks armed with their red card only (the schema 8 upgrade) get their full stage plan at start-up",
          "[e2e][escalation]") {
  TempDir dir;
  const std::string db = dir.path() + "/h.db";
  const std::vector<std::string> args{"--listen", "127.0.0.1:0", "--database", db, "--rules", SHIPPED_RULES_DIR};
  const std::string plans =
      "SELECT coalesce(urge_ms, -1) FROM deadlines WHERE clock = 'reply' UNION ALL "
      "SELECT coalesce(supervise_ms, -1) FROM deadlines WHERE clock = 'reply'";
  std::vector<std::int64_t> planned;
  {
    DaemonProcess daemon(HOTLINED_PATH, args);
    HttpClient client(daemon.port());
    REQUIRE(client.post("/v1/tickets", R"({"content":"公司拖欠工资三个月"})").status == 201);
    CHECK(daemon.stop(SIGTERM) == 0);
    planned = hotline::test::query_ints(db, plans);
    REQUIRE(planned.size() == 2);
    CHECK(planned[0] > 0);
    CHECK(planned[1] > planned[0]);
  }
  // What step 8 of the migrations leaves on a clock written before stage plans existed: its red card at the
  // deadline and nothing else.
  hotline::test::run_sql(db,
                         "UPDATE deadlines SET yellow_ms = NULL, urge_ms = NULL, supervise_ms = NULL, red_ms = due_ms,"
                         " next_stage = 'red', next_ms = due_ms");
  REQUIRE(hotline::test::query_ints(db, plans) == std::vector<std::int64_t>{-1, -1});

  DaemonProcess daemon(HOTLINED_PATH, args);
  REQUIRE(daemon.wait_for_output("escalation stages re-planned at start-up"));
  CHECK(daemon.stop(SIGTERM) == 0);
  CHECK(hotline::test::query_ints(db, plans) == planned);
  // A clock planned without a yellow card stays without one (its start is not stored).
  CHECK(hotline::test::query_ints(db, "SELECT count(*) FROM deadlines WHERE yellow_ms IS NOT NULL") ==
        std::vector<std::int64_t>{0});
}

TEST_CASE("a webhook URL corrected across a restart takes what was queued for the old one", "[e2e][escalation]") {
  TempDir dir;
  WebhookReceiver wrong, right;
  wrong.set_up(false);  // the address typed by mistake: every try refused
  const auto config = write_config(dir, wrong);
  {
    DaemonProcess first(HOTLINED_PATH, daemon_args(dir, config));
    HttpClient client(first.port());
    post_wage_ticket(client);
    REQUIRE(wrong.wait_until([](const auto& posts) { return posts.size() >= 2; }, 20s));
    CHECK(first.stop(SIGTERM) == 0);
  }
  write_config(dir, right);  // corrected while the daemon is down
  DaemonProcess second(HOTLINED_PATH, daemon_args(dir, config));
  CHECK(second.wait_for_output(R"(outbox: [1-9][0-9]* pending notification\(s\) now go to the URL configured)"));
  // The dispatch queued before the restart reaches the right receiver, once.
  REQUIRE(right.wait_until(
      [](const auto& posts) {
        return std::any_of(posts.begin(), posts.end(),
                           [](const auto& p) { return p.status == 200 && kind_of(p) == "dispatched"; });
      },
      30s));
  CHECK(delivered(right.posts()).at("dispatched").size() == 1);
  CHECK(second.stop(SIGTERM) == 0);

  // A webhook removed: what was still queued for it is not sent to anyone.
  std::ofstream(config) << "notifications:\n  max_attempts: 100\n";
  hotline::test::run_sql(dir.path() + "/h.db", "UPDATE notifications SET delivery = 'pending', next_attempt_ms = 0");
  DaemonProcess third(HOTLINED_PATH, daemon_args(dir, config));
  CHECK(third.wait_for_output(R"(outbox: 0 pending notification\(s\) now go to .* [1-9][0-9]* no longer sent)"));
  CHECK(third.stop(SIGTERM) == 0);
  CHECK(hotline::test::query_ints(dir.path() + "/h.db",
                                  "SELECT count(*) FROM notifications WHERE delivery = 'pending'") ==
        std::vector<std::int64_t>{0});
}

TEST_CASE("dead-lettered notifications are listed and can be queued again", "[e2e][escalation]") {
  TempDir dir;
  WebhookReceiver receiver;
  receiver.set_up(false);
  const auto config = write_config(dir, receiver, 1);  // one try, then dead-lettered
  const std::string db = dir.path() + "/h.db";
  {
    DaemonProcess first(HOTLINED_PATH, daemon_args(dir, config));
    HttpClient client(first.port());
    post_wage_ticket(client);
    REQUIRE(receiver.wait_until([](const auto& posts) { return !posts.empty(); }, 20s));
    CHECK(first.stop(SIGTERM) == 0);  // what the one try gave is recorded before it exits
  }
  const auto listed = run_command(HOTLINECTL_PATH, {"db", "notifications", "--database", db});
  INFO(listed.out << listed.err);
  CHECK(listed.status == 0);
  CHECK(std::regex_search(listed.out, std::regex(R"(notifications:.* dead [1-9])")));
  CHECK(
      std::regex_search(listed.out, std::regex(R"(\ndead \d+\t\S+\tZZ\d+\t3506\.rsj\tdispatched\thttp://127\.0\.0\.1:)"
                                               R"(\d+/hook\t1 tries: )")));
  const auto requeued = run_command(HOTLINECTL_PATH, {"db", "notifications", "--database", db, "--retry-dead"});
  CHECK(requeued.status == 0);
  CHECK(std::regex_search(requeued.out, std::regex(R"(^[1-9]\d* dead notification\(s\) queued again)")));
  CHECK(hotline::test::query_ints(db, "SELECT count(*) FROM notifications WHERE delivery = 'dead'") ==
        std::vector<std::int64_t>{0});
  // Sent once the receiver is back.
  receiver.set_up(true);
  DaemonProcess second(HOTLINED_PATH, daemon_args(dir, config));
  REQUIRE(receiver.wait_until([](const auto& posts) { return delivered(posts).contains("dispatched"); }, 30s));
  CHECK(second.stop(SIGTERM) == 0);
}
