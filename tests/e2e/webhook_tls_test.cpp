// End-to-end: https webhooks. The real hotlined posts the notifications of a wage ticket (fixture rules
// tests/e2e/escalation_rules: dispatch, then a yellow card at 2 s) to an https receiver whose certificate comes
// from a throwaway CA made at test time; without that CA, or for a certificate of another host, the handshake
// fails, nothing is delivered and the tries are recorded as failures.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <regex>
#include <set>
#include <string>

#include "support/e2e.hpp"
#include "support/test_certificates.hpp"
#include "support/webhook_receiver.hpp"

using hotline::test::WebhookReceiver;
using namespace std::chrono_literals;

namespace {

// Quick retries to the https receiver; `ca_line` is "" (the system's trust store) or a ca_file line.
std::string write_config(const TempDir& dir, const WebhookReceiver& receiver, const std::string& ca_line) {
  const std::string path = dir.path() + "/hotline.yaml";
  std::ofstream(path) << "notifications:\n"
                      << ca_line
                      << "  max_attempts: 100\n"
                         "  backoff_base_ms: 100\n"
                         "  backoff_max_ms: 200\n"
                         "  webhooks:\n"
                         "    - unit: 3506.rsj\n"
                         "      url: https://127.0.0.1:"
                      << receiver.port() << "/hook\n";
  return path;
}

std::vector<std::string> daemon_args(const TempDir& dir, const std::string& config) {
  return {"--config",           config,    "--listen",          "127.0.0.1:0", "--database",
          dir.path() + "/h.db", "--rules", ESCALATION_RULES_DIR};
}

void post_wage_ticket(HttpClient& client) {
  const auto created = client.post("/v1/tickets", R"({"content":"工资被拖欠三个月"})");
  REQUIRE(created.status == 201);
  CHECK(json::parse(created.body).at("unit").at("id") == "3506.rsj");
}

std::set<std::string> kinds(const std::vector<WebhookReceiver::Post>& posts) {
  std::set<std::string> out;
  for (const auto& p : posts) {
    boost::system::error_code ec;
    const auto body = json::parse(p.body, ec);
    if (!ec && body.is_object() && body.as_object().contains("kind"))
      out.insert(std::string(body.at("kind").as_string()));
  }
  return out;
}

// The daemon logged `pattern` at least twice: a try failed, was recorded, and the retry failed too.
void wait_for_two_failures(DaemonProcess& daemon, const std::string& pattern) {
  REQUIRE(daemon.wait_for_output(pattern + R"([\s\S]*)" + pattern));
}

double failures_total(HttpClient& client) {
  const auto metrics = client.get("/metrics");
  std::smatch m;
  REQUIRE(std::regex_search(metrics.body, m, std::regex(R"(\nhotline_outbox_failures_total (\S+))")));
  return std::stod(m[1].str());
}

}  // namespace

TEST_CASE("an https receiver trusted through ca_file gets the notifications with their keys", "[e2e][tls]") {
  TempDir dir;
  const auto certs = hotline::test::make_test_certificates(dir.path());
  WebhookReceiver receiver(WebhookReceiver::Tls{certs.cert_file, certs.key_file});
  const auto config = write_config(dir, receiver, "  ca_file: " + certs.ca_file + "\n");
  DaemonProcess daemon(HOTLINED_PATH, daemon_args(dir, config));
  HttpClient client(daemon.port());
  post_wage_ticket(client);
  REQUIRE(receiver.wait_until(
      [](const auto& posts) {
        const auto got = kinds(posts);
        return got.contains("dispatched") && got.contains("stage_yellow");
      },
      20s));
  std::set<std::string> keys;
  for (const auto& p : receiver.posts()) {
    CHECK(p.status == 200);
    CHECK(std::regex_match(p.key, std::regex(R"(ZZ-\d+)")));
    keys.insert(p.key);
  }
  CHECK(keys.size() == receiver.posts().size());  // each delivered once
  CHECK(failures_total(client) == 0);
}

TEST_CASE("without the receiver's CA the handshake fails and nothing is delivered", "[e2e][tls]") {
  TempDir dir;
  const auto certs = hotline::test::make_test_certificates(dir.path());
  WebhookReceiver receiver(WebhookReceiver::Tls{certs.cert_file, certs.key_file});
  DaemonProcess daemon(HOTLINED_PATH, daemon_args(dir, write_config(dir, receiver, "")));
  HttpClient client(daemon.port());
  post_wage_ticket(client);
  wait_for_two_failures(
      daemon, R"(handshake: certificate verify failed \(SSL routines\): unable to get local issuer certificate)");
  CHECK(receiver.posts().empty());
  CHECK(failures_total(client) >= 1);
}

TEST_CASE("a certificate for another host name fails even from a trusted CA", "[e2e][tls]") {
  TempDir dir;
  const auto certs = hotline::test::make_test_certificates(dir.path(), "DNS:elsewhere.example");
  WebhookReceiver receiver(WebhookReceiver::Tls{certs.cert_file, certs.key_file});
  const auto config = write_config(dir, receiver, "  ca_file: " + certs.ca_file + "\n");
  DaemonProcess daemon(HOTLINED_PATH, daemon_args(dir, config));
  HttpClient client(daemon.port());
  post_wage_ticket(client);
  wait_for_two_failures(daemon, R"(handshake: certificate verify failed \(SSL routines\): hostname mismatch)");
  CHECK(receiver.posts().empty());
}

TEST_CASE("an https receiver that never answers the handshake times out as a failed try", "[e2e][tls]") {
  TempDir dir;
  // Listening but never accepting: the kernel completes the connection, nobody answers the ClientHello.
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor silent(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const std::string config = dir.path() + "/hotline.yaml";
  std::ofstream(config) << "notifications:\n  timeout_ms: 300\n  backoff_base_ms: 100\n  backoff_max_ms: 200\n"
                           "  webhooks:\n    - unit: 3506.rsj\n      url: https://localhost:"
                        << silent.local_endpoint().port() << "/hook\n";
  DaemonProcess daemon(HOTLINED_PATH, daemon_args(dir, config));
  HttpClient client(daemon.port());
  post_wage_ticket(client);
  wait_for_two_failures(daemon, "handshake: The socket was closed due to a timeout");
  CHECK(failures_total(client) >= 1);
}

TEST_CASE("a ca_file that is missing or holds no certificate stops start-up naming the file", "[e2e][tls]") {
  TempDir dir;
  WebhookReceiver receiver;
  const std::string missing = dir.path() + "/nowhere.pem";
  const std::string garbage = dir.path() + "/garbage.pem";
  std::ofstream(garbage) << "not a certificate\n";
  for (const auto& file : {missing, garbage}) {
    CAPTURE(file);
    const auto config = write_config(dir, receiver, "  ca_file: " + file + "\n");
    const auto checked =
        run_command(HOTLINED_PATH, {"--config", config, "--rules", ESCALATION_RULES_DIR, "--check-config"});
    CHECK(checked.status == 1);
    CHECK(checked.err.find("notifications.ca_file '" + file + "'") != std::string::npos);
    const auto started = run_command(HOTLINED_PATH, daemon_args(dir, config));
    CHECK(started.status == 1);
    CHECK(started.err.find("notifications.ca_file '" + file + "'") != std::string::npos);
  }
}
