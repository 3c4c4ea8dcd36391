// End-to-end: the connection and feed caps of issue 14. One client address holds at most
// http.max_connections_per_address connections and feed.max_per_address feeds, one token feed.max_per_token
// feeds: the next is refused with 429 and Retry-After while another address or token still gets in. At
// http.max_connections the daemon accepts nothing more until a connection closes. Meanwhile a normal client is
// served without delay. Every client is on loopback: 127.0.0.1 and 127.0.0.2 are two addresses.
#include <algorithm>
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "support/e2e.hpp"
#include "support/raw_connection.hpp"
#include "support/sse_client.hpp"

using hotline::test::parse_head;
using hotline::test::parse_responses;
using hotline::test::RawConnection;
using hotline::test::RawResponse;
using hotline::test::SseClient;
using namespace std::chrono;

namespace {

constexpr const char* k_feed = "/v1/units/350602.cgj/feed";
const std::string k_health = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

struct Daemon {
  TempDir dir;
  std::string db = dir.path() + "/h.db";
  std::unique_ptr<DaemonProcess> process;

  void start(const std::string& config_text) {
    std::ofstream(dir.path() + "/hotline.yaml") << config_text;
    process = std::make_unique<DaemonProcess>(
        HOTLINED_PATH, std::vector<std::string>{"--config", dir.path() + "/hotline.yaml", "--listen", "127.0.0.1:0",
                                                "--database", db, "--rules", SHIPPED_RULES_DIR});
  }
  std::uint16_t port() const { return process->port(); }
};

// The worst of `n` request latencies of `client` (GET `target`), in ms; every answer must be 200.
double worst_latency_ms(HttpClient& client, const std::string& token = "", int n = 100) {
  double worst = 0;
  for (int i = 0; i < n; ++i) {
    const auto t0 = steady_clock::now();
    const auto r = token.empty() ? client.get("/healthz") : client.request("GET", "/v1/rules", "", token);
    REQUIRE(r.status == 200);
    worst = std::max(worst, duration<double, std::milli>(steady_clock::now() - t0).count());
  }
  return worst;
}

// A connection the daemon has accepted and served once, then left open and idle.
std::unique_ptr<RawConnection> held_connection(std::uint16_t port, const std::string& from = "127.0.0.1") {
  auto c = std::make_unique<RawConnection>(port, from);
  REQUIRE(c->send(k_health));
  const auto head = c->read_head();
  REQUIRE(head);
  REQUIRE(parse_head(*head).status == 200);
  c->read_exactly(std::stoul(parse_head(*head).header("content-length")));
  return c;
}

// The problem type of a refusal, without its urn prefix.
std::string problem_type(const RawResponse& r) {
  return str(json::parse(r.body).at("type")).substr(std::string("urn:hotline:problem:").size());
}

// GET the feed as `token` from `from` and read a refusal (status, headers, body) that leaves the connection open.
RawResponse feed_refusal(std::uint16_t port, const std::string& token, const std::string& from = "127.0.0.1") {
  RawConnection c(port, from);
  REQUIRE(c.send(std::string("GET ") + k_feed + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token +
                 "\r\n\r\n"));
  const auto head = c.read_head();
  REQUIRE(head);
  auto r = parse_head(*head);
  if (const auto length = r.header("content-length"); !length.empty())
    r.body = c.read_exactly(std::stoul(length)).value_or("");
  return r;
}

// Polls `open` (a new feed) until it is 200 or 10 s pass: a closed feed frees its slot once the daemon sees the
// connection end.
bool feed_opens_again(const std::function<std::unique_ptr<SseClient>()>& open) {
  const auto deadline = steady_clock::now() + seconds(10);
  for (int i = 0; i < 1000 && steady_clock::now() < deadline; ++i) {
    if (open()->status() == 200) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("one address gets http.max_connections_per_address connections and the next a 429 while another gets in",
          "[e2e][limits]") {
  Daemon d;
  d.start("http:\n  max_connections_per_address: 4\n");
  std::vector<std::unique_ptr<RawConnection>> held;
  for (int i = 0; i < 4; ++i) held.push_back(held_connection(d.port()));

  RawConnection over(d.port());
  const auto received = over.read_until_closed();
  REQUIRE(received);  // answered and closed at once, before any request was sent
  const auto responses = parse_responses(*received);
  REQUIRE(responses.size() == 1);
  CHECK(responses[0].status == 429);
  CHECK(responses[0].header("retry-after") == "5");
  CHECK(responses[0].header("connection") == "close");
  CHECK(responses[0].header("content-type") == "application/problem+json");
  CHECK(problem_type(responses[0]) == "too-many-connections-from-address");

  // Another address is served, promptly, while 127.0.0.1 holds its cap.
  HttpClient other(d.port(), "127.0.0.2");
  const double worst = worst_latency_ms(other);
  INFO("worst latency from 127.0.0.2: " << worst << " ms");
  CHECK(worst < 1000);

  // One of the four hangs up: 127.0.0.1 gets a connection again.
  held.pop_back();
  bool served = false;
  const auto deadline = steady_clock::now() + seconds(10);
  for (int i = 0; i < 1000 && !served && steady_clock::now() < deadline; ++i) {
    RawConnection again(d.port());
    served = again.send(k_health) && again.read_head().value_or("").starts_with("HTTP/1.1 200");
  }
  CHECK(served);
}

TEST_CASE("at http.max_connections the daemon accepts nothing until a connection closes", "[e2e][limits]") {
  Daemon d;
  d.start("http:\n  max_connections: 6\n");
  HttpClient normal(d.port());  // one of the six, kept open
  REQUIRE(normal.get("/healthz").status == 200);
  std::vector<std::unique_ptr<RawConnection>> held;
  for (int i = 0; i < 5; ++i) held.push_back(held_connection(d.port(), i % 2 == 0 ? "127.0.0.1" : "127.0.0.2"));

  // The seventh is queued by the kernel, not accepted: no answer while all six stay open.
  RawConnection waiting(d.port(), "127.0.0.3");
  REQUIRE(waiting.send(k_health));
  CHECK(!waiting.read_head(milliseconds(500)));

  // The connections the daemon has are served as usual meanwhile.
  const double worst = worst_latency_ms(normal);
  INFO("worst latency of an open connection at the cap: " << worst << " ms");
  CHECK(worst < 1000);

  held.pop_back();  // one closes: the waiting connection is accepted and answered
  const auto head = waiting.read_head(seconds(10));
  REQUIRE(head);
  CHECK(parse_head(*head).status == 200);
}

TEST_CASE("one token gets feed.max_per_token feeds and the next a 429 while another token gets in",
          "[e2e][limits][feed]") {
  Daemon d;
  const std::string first = make_token(d.db, "unit", "350602.cgj");
  const std::string second = make_token(d.db, "unit", "350602.cgj");
  const std::string op = make_token(d.db, "operator");
  d.start("feed:\n  max_per_token: 2\n");
  std::vector<std::unique_ptr<SseClient>> feeds;
  for (int i = 0; i < 2; ++i) {
    feeds.push_back(std::make_unique<SseClient>(d.port(), k_feed, first));
    REQUIRE(feeds.back()->status() == 200);
  }

  const auto refused = feed_refusal(d.port(), first);
  CHECK(refused.status == 429);
  CHECK(refused.header("retry-after") == "5");
  CHECK(refused.header("content-type") == "application/problem+json");
  CHECK(problem_type(refused) == "too-many-feeds-for-token");

  SseClient other(d.port(), k_feed, second);
  CHECK(other.status() == 200);
  HttpClient normal(d.port());
  const double worst = worst_latency_ms(normal, op);
  INFO("worst latency of GET /v1/rules while the feeds are held: " << worst << " ms");
  CHECK(worst < 1000);

  feeds.pop_back();  // one hangs up: the token gets a feed again
  CHECK(feed_opens_again([&] { return std::make_unique<SseClient>(d.port(), k_feed, first); }));
}

TEST_CASE("one address gets feed.max_per_address feeds and the next a 429 while another address gets in",
          "[e2e][limits][feed]") {
  Daemon d;
  std::vector<std::string> tokens;
  for (int i = 0; i < 3; ++i) tokens.push_back(make_token(d.db, "unit", "350602.cgj"));
  const std::string op = make_token(d.db, "operator");
  d.start("feed:\n  max_per_address: 2\n");
  SseClient a(d.port(), k_feed, tokens[0]);
  SseClient b(d.port(), k_feed, tokens[1]);
  REQUIRE(a.status() == 200);
  REQUIRE(b.status() == 200);

  const auto refused = feed_refusal(d.port(), tokens[2]);
  CHECK(refused.status == 429);
  CHECK(refused.header("retry-after") == "5");
  CHECK(problem_type(refused) == "too-many-feeds-from-address");

  SseClient elsewhere(d.port(), k_feed, tokens[2], "", "127.0.0.2");
  CHECK(elsewhere.status() == 200);
  HttpClient normal(d.port());
  const double worst = worst_latency_ms(normal, op);
  INFO("worst latency of GET /v1/rules while the feeds are held: " << worst << " ms");
  CHECK(worst < 1000);
}
