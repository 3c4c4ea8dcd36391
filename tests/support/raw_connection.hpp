// A raw TCP connection to 127.0.0.1 for tests that send bytes no HTTP client would (smuggling attempts, malformed
// heads) and read exactly what comes back. Every read is bounded by a deadline (the io_context runs until it);
// nothing sleeps. Test-only.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hotline::test {

class RawConnection {
 public:
  // Connects to 127.0.0.1:`port` from the loopback address `from` (127.0.0.2 is another client). Returns once
  // the kernel has completed the handshake, whether or not the server has accepted the connection yet.
  explicit RawConnection(std::uint16_t port, const std::string& from = "127.0.0.1");

  // Writes all of `bytes`; false when the server closed or reset the connection first.
  bool send(const std::string& bytes);
  // Everything that arrives until the server closes the connection (end of stream or reset). nullopt when the
  // connection is still open after `limit`.
  std::optional<std::string> read_until_closed(std::chrono::milliseconds limit = std::chrono::seconds(10));
  // One response head, through its blank line; nullopt when the connection closes or `limit` passes first.
  std::optional<std::string> read_head(std::chrono::milliseconds limit = std::chrono::seconds(10));
  // Exactly `n` more bytes; nullopt when the connection closes or `limit` passes first.
  std::optional<std::string> read_exactly(std::size_t n, std::chrono::milliseconds limit = std::chrono::seconds(10));

 private:
  // Waits for more bytes until `deadline`; false on timeout. Sets closed_ at end of stream or an error.
  bool fill(std::chrono::steady_clock::time_point deadline);

  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::socket socket_;
  std::string pending_;  // received, not yet returned
  bool closed_ = false;
};

// A response as it came over the wire.
struct RawResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

// Splits bytes into the responses they hold, framed by Content-Length (a response without one takes the rest).
// Bytes that do not start a response become one with status 0 and those bytes as its body.
std::vector<RawResponse> parse_responses(const std::string& bytes);
// A response head (from read_head) with no body.
RawResponse parse_head(const std::string& head);

}  // namespace hotline::test
