// The transport on 127.0.0.1:0 with a handler that echoes what it is given, spoken to in raw bytes: message
// framing (Transfer-Encoding, Content-Length), HEAD, and malformed or oversized requests. Every refusal is one
// problem+json response and then the end of the connection; nothing the refused request carried is ever served.
#include "daemon/http/http_server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/raw_connection.hpp"

namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace hotline::daemon;
using hotline::test::parse_head;
using hotline::test::parse_responses;
using hotline::test::RawConnection;
using hotline::test::RawResponse;

// Answers 200 with {"method","target","body","fields"} (each field "name: value"); remembers every target it served.
class EchoHandler : public RequestHandler {
 public:
  asio::awaitable<Handled> serve(const Request& req, const Peer&) override {
    {
      std::lock_guard lock(mutex_);
      served_.emplace_back(req.target());
    }
    json::array fields;
    for (const auto& f : req) fields.emplace_back(std::string(f.name_string()) + ": " + std::string(f.value()));
    json::object o{{"method", std::string(req.method_string())},
                   {"target", std::string(req.target())},
                   {"body", req.body()},
                   {"fields", std::move(fields)}};
    co_return Handled{make_response(req, http::status::ok, json::serialize(o)), nullptr};
  }
  std::string_view metric_label(const Request&) const override { return "other"; }
  std::vector<std::string> served() {
    std::lock_guard lock(mutex_);
    return served_;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> served_;
};

// The server on its own thread; stopped and joined on destruction.
struct TestServer {
  asio::io_context ioc;
  EchoHandler handler;
  HttpServer server;
  std::uint16_t port = 0;
  std::thread thread;

  explicit TestServer(ServerLimits limits = {}) : server(ioc, handler, limits) {
    port = server.listen("127.0.0.1", 0).port();
    server.start();
    thread = std::thread([this] { ioc.run(); });
  }
  ~TestServer() {
    server.shutdown();
    thread.join();
  }
};

// Sends `bytes` on a new connection and returns everything the server sent before it closed the connection.
std::vector<RawResponse> exchange_until_closed(const TestServer& s, const std::string& bytes) {
  RawConnection c(s.port);
  c.send(bytes);
  const auto received = c.read_until_closed();
  REQUIRE(received.has_value());  // the server closed the connection
  return parse_responses(*received);
}

// The one response of a refused request: status, problem+json of the daemon's shape, Connection: close.
void check_refusal(const std::vector<RawResponse>& responses, int status, const std::string& type) {
  REQUIRE(responses.size() == 1);
  const auto& r = responses[0];
  INFO(r.body);
  CHECK(r.status == status);
  CHECK(r.header("content-type") == "application/problem+json");
  CHECK(r.header("connection") == "close");
  const auto body = json::parse(r.body).as_object();
  CHECK(json::value_to<std::string>(body.at("type")) == "urn:hotline:problem:" + type);
  CHECK(body.at("status") == status);
  CHECK(!body.at("title").as_string().empty());
  CHECK(!body.at("detail").as_string().empty());
}

const std::string k_smuggled = "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n";

std::string post_with(const std::string& fields, const std::string& body) {
  return "POST /first HTTP/1.1\r\nHost: a\r\n" + fields + "\r\n" + body;
}

}  // namespace

TEST_CASE("a transfer coding other than chunked is refused with 501 and its body is never a request",
          "[daemon][http][framing]") {
  TestServer s;
  for (const std::string coding : {"gzip", "identity", "deflate", "gzip, chunked", "GZIP"}) {
    INFO(coding);
    check_refusal(exchange_until_closed(s, post_with("Transfer-Encoding: " + coding + "\r\n", k_smuggled)), 501,
                  "not-implemented");
  }
  // Two fields make one list: gzip then chunked.
  check_refusal(exchange_until_closed(s, post_with("Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n",
                                                   "0\r\n\r\n" + k_smuggled)),
                501, "not-implemented");
  CHECK(s.handler.served().empty());
}

TEST_CASE("chunked that is not the final transfer coding is a 400: the body length is unknown",
          "[daemon][http][framing]") {
  TestServer s;
  for (const std::string coding : {"chunked, gzip", "chunked, chunked", "chunked, identity"}) {
    INFO(coding);
    check_refusal(exchange_until_closed(s, post_with("Transfer-Encoding: " + coding + "\r\n", k_smuggled)), 400,
                  "bad-request");
  }
  // Transfer-Encoding in an HTTP/1.0 request is faulty framing (RFC 9112 section 6.1).
  check_refusal(exchange_until_closed(s, "POST /first HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), 400,
                "bad-request");
  CHECK(s.handler.served().empty());
}

TEST_CASE("a request with both Content-Length and Transfer-Encoding is refused with 400", "[daemon][http][framing]") {
  TestServer s;
  const std::string body = "0\r\n\r\n" + k_smuggled;
  const auto cl = "Content-Length: " + std::to_string(body.size()) + "\r\n";
  const std::vector<std::string> combinations{
      cl + "Transfer-Encoding: chunked\r\n", "Transfer-Encoding: chunked\r\n" + cl, cl + "Transfer-Encoding: gzip\r\n",
      "Transfer-Encoding: gzip\r\n" + cl, "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n"};
  for (const auto& fields : combinations) {
    INFO(fields);
    check_refusal(exchange_until_closed(s, post_with(fields, body)), 400, "bad-request");
  }
  CHECK(s.handler.served().empty());
}

TEST_CASE("a chunked body is read and the connection stays open for the next request", "[daemon][http][framing]") {
  TestServer s;
  RawConnection c(s.port);
  c.send(post_with("Transfer-Encoding: chunked\r\n", "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n") +
         "GET /second HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
  const auto received = c.read_until_closed();
  REQUIRE(received);
  const auto responses = parse_responses(*received);
  REQUIRE(responses.size() == 2);
  CHECK(responses[0].status == 200);
  CHECK(json::parse(responses[0].body).at("body") == "hello world");
  CHECK(responses[1].status == 200);
  CHECK(json::parse(responses[1].body).at("target") == "/second");
}

TEST_CASE("the trailer fields of a chunked body are dropped: the request served has the head that was checked",
          "[daemon][http][framing]") {
  TestServer s;
  RawConnection c(s.port);
  // A second Content-Type, which the handler would otherwise see, and a field that repeats one of the head.
  c.send(post_with("Transfer-Encoding: chunked\r\nX-Note: head\r\n",
                   "5\r\nhello\r\n0\r\nContent-Type: text/evil\r\nX-Note: trailer\r\n\r\n") +
         "GET /second HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
  const auto received = c.read_until_closed();
  REQUIRE(received);
  const auto responses = parse_responses(*received);
  REQUIRE(responses.size() == 2);
  REQUIRE(responses[0].status == 200);
  const auto first = json::parse(responses[0].body).as_object();
  CHECK(first.at("body") == "hello");
  CHECK(first.at("fields") == json::array{"Host: a", "Transfer-Encoding: chunked", "X-Note: head"});
  CHECK(responses[1].status == 200);
  CHECK(json::parse(responses[1].body).at("target") == "/second");
}

TEST_CASE("framing fields in a chunked body's trailer are refused with 400", "[daemon][http][framing]") {
  TestServer s;
  for (const std::string trailer : {"Transfer-Encoding: gzip", "Content-Length: 99"}) {
    INFO(trailer);
    check_refusal(exchange_until_closed(s, post_with("Transfer-Encoding: chunked\r\n",
                                                     "5\r\nhello\r\n0\r\n" + trailer + "\r\n\r\n" + k_smuggled)),
                  400, "bad-request");
  }
  CHECK(s.handler.served().empty());
}

TEST_CASE("a HEAD response has the headers of the GET and no body, and the connection stays usable",
          "[daemon][http][head]") {
  TestServer s;
  RawConnection c(s.port);
  c.send("HEAD /first HTTP/1.1\r\nHost: a\r\n\r\nGET /second HTTP/1.1\r\nHost: a\r\n\r\n");
  const auto head = c.read_head();
  REQUIRE(head);
  const auto first = parse_head(*head);
  CHECK(first.status == 200);
  CHECK(first.header("content-type") == "application/json");
  CHECK(std::stoul(first.header("content-length")) > 0);  // what the GET would send
  // The next bytes are the second response, not a body.
  const auto next = c.read_head();
  REQUIRE(next);
  const auto second = parse_head(*next);
  REQUIRE(second.status == 200);
  const auto body = c.read_exactly(std::stoul(second.header("content-length")));
  REQUIRE(body);
  CHECK(json::parse(*body).at("target") == "/second");
  CHECK(s.handler.served() == std::vector<std::string>{"/first", "/second"});
}

TEST_CASE("a malformed request is answered with a problem, then the connection is closed",
          "[daemon][http][malformed]") {
  TestServer s;
  struct Case {
    const char* name;
    std::string bytes;
    int status;
    const char* type;
  };
  const std::vector<Case> cases{
      {"garbage request line", "HELLO\r\n\r\n", 400, "bad-request"},
      {"space in the method", "GE T / HTTP/1.1\r\nHost: a\r\n\r\n", 400, "bad-request"},
      {"bad version", "GET / HTTP/x.1\r\nHost: a\r\n\r\n", 400, "bad-request"},
      {"bad field name", "GET / HTTP/1.1\r\nHost: a\r\nBad Field: x\r\n\r\n", 400, "bad-request"},
      {"bad Content-Length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1x\r\n\r\n", 400, "bad-request"},
      {"two Content-Lengths", "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400,
       "bad-request"},
      // Beast folds a list of equal values into one length; a proxy may not, so only one plain number is taken.
      {"a Content-Length list of equal values", "POST / HTTP/1.1\r\nContent-Length: 0, 0\r\n\r\n", 400, "bad-request"},
      {"the same Content-Length twice", "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\na", 400,
       "bad-request"},
      {"a signed Content-Length", "POST / HTTP/1.1\r\nContent-Length: +1\r\n\r\na", 400, "bad-request"},
      {"bad chunk", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400, "bad-request"},
      {"HTTP/2.0 over HTTP/1 framing", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505, "http-version-not-supported"},
      {"headers over the limit", "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + std::string(10000, 'b') + "\r\n\r\n", 431,
       "header-fields-too-large"},
      {"many small headers over the limit",
       [] {
         std::string r = "GET / HTTP/1.1\r\nHost: a\r\n";
         for (int i = 0; i < 600; ++i) r += "X-" + std::to_string(i) + ": " + std::string(10, 'v') + "\r\n";
         return r + "\r\n";
       }(),
       431, "header-fields-too-large"},
      {"too many header fields",
       [] {
         std::string r = "GET / HTTP/1.1\r\nHost: a\r\n";
         for (int i = 0; i < 150; ++i) r += "X-" + std::to_string(i) + ": v\r\n";
         return r + "\r\n";
       }(),
       431, "header-fields-too-large"},
      {"over-long request target", "GET /" + std::string(10000, 't') + " HTTP/1.1\r\nHost: a\r\n\r\n", 414,
       "uri-too-long"},
      // Beyond what the parser buffers at all (request line and header limits together).
      {"headers far over the limit", "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + std::string(40000, 'b') + "\r\n\r\n", 431,
       "header-fields-too-large"},
      {"request target far over the limit", "GET /" + std::string(40000, 't') + " HTTP/1.1\r\nHost: a\r\n\r\n", 414,
       "uri-too-long"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    check_refusal(exchange_until_closed(s, c.bytes), c.status, c.type);
  }
  CHECK(s.handler.served().empty());
}

TEST_CASE("a body over the limit is a 413 and the connection is closed", "[daemon][http][malformed]") {
  ServerLimits limits;
  limits.body_limit = 1024;
  TestServer s(limits);
  check_refusal(exchange_until_closed(s, post_with("Content-Length: 2000\r\n", std::string(2000, 'x'))), 413,
                "payload-too-large");
  check_refusal(
      exchange_until_closed(s, post_with("Transfer-Encoding: chunked\r\n", "800\r\n" + std::string(2048, 'x'))), 413,
      "payload-too-large");
  CHECK(s.handler.served().empty());
}

TEST_CASE("the request line and header limits are the server's to set", "[daemon][http][malformed]") {
  ServerLimits limits;
  limits.max_request_line = 300;
  limits.max_header_bytes = 1024;
  limits.max_header_fields = 5;
  TestServer s(limits);
  // "GET <target> HTTP/1.1" and up to `fields` fields, the last Connection: close.
  const auto request = [](std::size_t line, int fields, std::size_t value_size) {
    std::string r = "GET /" + std::string(line - 14, 't') + " HTTP/1.1\r\n";
    for (int i = 1; i < fields; ++i) r += "X-" + std::to_string(i) + ": " + std::string(value_size, 'v') + "\r\n";
    return r + "Connection: close\r\n\r\n";
  };
  // At the limits: served. "X-1: " + 230 + CRLF is 237 bytes, four of them and "Connection: close" CRLF 967.
  const auto ok = exchange_until_closed(s, request(300, 5, 230));
  REQUIRE(ok.size() == 1);
  CHECK(ok[0].status == 200);
  CHECK(s.handler.served().size() == 1);
  // One byte, or one field, more: refused.
  check_refusal(exchange_until_closed(s, request(301, 5, 230)), 414, "uri-too-long");
  check_refusal(exchange_until_closed(s, request(300, 6, 1)), 431, "header-fields-too-large");
  check_refusal(exchange_until_closed(s, request(300, 5, 245)), 431, "header-fields-too-large");
  // Far beyond them, where the parser itself stops.
  check_refusal(exchange_until_closed(s, request(5000, 2, 1)), 414, "uri-too-long");
  check_refusal(exchange_until_closed(s, request(300, 3, 3000)), 431, "header-fields-too-large");
  CHECK(s.handler.served().size() == 1);
}
