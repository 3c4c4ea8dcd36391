// End-to-end: the real hotlined spoken to in raw bytes — a body that would be a second request once framing is
// misread (request smuggling), HEAD on a kept-alive connection, malformed requests, and the http.* header limits.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "support/e2e.hpp"
#include "support/raw_connection.hpp"

namespace {

using hotline::test::parse_head;
using hotline::test::parse_responses;
using hotline::test::RawConnection;
using hotline::test::RawResponse;

std::vector<std::string> daemon_args(const TempDir& dir, const std::string& config_text = "") {
  std::vector<std::string> args{"--listen", "127.0.0.1:0", "--database", dir.path() + "/hotline.db",
                                "--rules",  E2E_RULES_DIR};
  if (!config_text.empty()) {
    std::ofstream(dir.path() + "/hotline.yaml") << config_text;
    args.insert(args.end(), {"--config", dir.path() + "/hotline.yaml"});
  }
  return args;
}

// Everything the daemon answers to `bytes` on one connection, up to its closing the connection.
std::vector<RawResponse> until_closed(const DaemonProcess& d, const std::string& bytes) {
  RawConnection c(d.port());
  c.send(bytes);
  const auto received = c.read_until_closed();
  REQUIRE(received.has_value());  // the daemon closed the connection
  return parse_responses(*received);
}

void check_problem(const RawResponse& r, int status, const std::string& type) {
  CHECK(r.status == status);
  CHECK(r.header("content-type") == "application/problem+json");
  CHECK(r.header("connection") == "close");
  const auto body = json::parse(r.body).as_object();
  CHECK(str(body.at("type")) == "urn:hotline:problem:" + type);
  CHECK(body.at("status") == status);
}

const std::string k_ticket = R"({"content":"芗城区胜利路路灯不亮","category":"0101","area":"350602"})";
const std::string k_smuggled = "GET /v1/rules HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

}  // namespace

TEST_CASE("a POST whose body is a second request under an unsupported transfer coding gets one 501", "[e2e][http]") {
  TempDir dir;
  DaemonProcess daemon(HOTLINED_PATH, daemon_args(dir));
  const auto responses = until_closed(daemon,
                                      "POST /v1/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                      "Content-Type: application/json\r\nTransfer-Encoding: gzip\r\n\r\n" +
                                          k_smuggled);
  REQUIRE(responses.size() == 1);  // no answer to the smuggled GET
  check_problem(responses[0], 501, "not-implemented");

  // Both Content-Length and Transfer-Encoding: refused, whichever comes first.
  const std::string chunked = "0\r\n\r\n" + k_smuggled;
  const auto both = until_closed(
      daemon, "POST /v1/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + std::to_string(chunked.size()) +
                  "\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked);
  REQUIRE(both.size() == 1);
  check_problem(both[0], 400, "bad-request");

  // Nothing was stored, and the daemon serves the next connection as usual.
  HttpClient client(daemon.port());
  CHECK(client.get("/v1/tickets?q=%E8%B7%AF%E7%81%AF").body.find("路灯") == std::string::npos);
  CHECK(client.post("/v1/tickets", k_ticket).status == 201);
}

TEST_CASE("HEAD /healthz sends headers only and the connection serves the next request", "[e2e][http]") {
  TempDir dir;
  DaemonProcess daemon(HOTLINED_PATH, daemon_args(dir));
  RawConnection c(daemon.port());
  c.send("HEAD /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  const auto head = c.read_head();
  REQUIRE(head);
  CHECK(parse_head(*head).status == 200);
  const auto next = c.read_head();
  REQUIRE(next);
  const auto get = parse_head(*next);
  REQUIRE(get.status == 200);  // not the HEAD's body
  const auto body = c.read_exactly(std::stoul(get.header("content-length")));
  REQUIRE(body);
  CHECK(json::parse(*body).at("status") == "ok");
}

TEST_CASE("malformed requests get 400, 414 or 431 as problems, within the configured limits", "[e2e][http]") {
  TempDir dir;
  DaemonProcess daemon(HOTLINED_PATH, daemon_args(dir,
                                                  "http:\n  max_request_line: 512\n  max_header_bytes: 2048\n"
                                                  "  max_header_fields: 10\n"));
  const auto request = [](const std::string& target, int fields, std::size_t value_size) {
    std::string r = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (int i = 1; i < fields; ++i) r += "X-" + std::to_string(i) + ": " + std::string(value_size, 'v') + "\r\n";
    return r + "Connection: close\r\n\r\n";
  };
  // Up to the limits: served.
  {
    const auto ok = until_closed(daemon, request("/healthz?" + std::string(450, 'q'), 9, 100));
    REQUIRE(ok.size() == 1);
    CHECK(ok[0].status == 200);
  }
  const auto refused = [&](const std::string& bytes, int status, const std::string& type) {
    const auto responses = until_closed(daemon, bytes);
    REQUIRE(responses.size() == 1);
    check_problem(responses[0], status, type);
  };
  refused(request("/healthz?" + std::string(600, 'q'), 2, 1), 414, "uri-too-long");
  refused(request("/healthz", 11, 1), 431, "header-fields-too-large");
  refused(request("/healthz", 3, 1500), 431, "header-fields-too-large");
  refused("HELLO\r\n\r\n", 400, "bad-request");
}
