// A minimal Server-Sent Events client for tests: opens GET <target> on 127.0.0.1 and reads messages with a
// deadline (asio with run_for: no sleeps). Test-only; one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace hotline::test {

struct SseMessage {
  std::string id, event, data;
};

class SseClient {
 public:
  // Connects and reads the response head (up to 10 s). Throws std::runtime_error when it cannot connect.
  // From the loopback address `from` (127.0.0.2 is another client); `cookie` ("name=value") as a browser sends it.
  SseClient(std::uint16_t port, const std::string& target, const std::string& bearer = "",
            const std::string& last_event_id = "", const std::string& from = "127.0.0.1",
            const std::string& cookie = "");
  ~SseClient();

  int status() const { return status_; }
  // The response head as received (status line and header fields), e.g. to read Retry-After on a refusal.
  const std::string& head() const { return head_; }
  // The next message with data, skipping comments (heartbeats) and field-only blocks; nullopt when `timeout`
  // passes or the server closed the stream.
  std::optional<SseMessage> next(std::chrono::milliseconds timeout);
  // Comment lines (": …") seen so far, e.g. heartbeats.
  int comments() const { return comments_; }
  // True once the server has closed the connection.
  bool closed() const { return closed_; }

 private:
  // Reads until `delimiter` is in the buffer; false on timeout or end of stream.
  bool fill_until(const std::string& delimiter, std::chrono::steady_clock::time_point deadline);

  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string buffer_;
  std::string head_;
  int status_ = 0;
  int comments_ = 0;
  bool closed_ = false;
};

}  // namespace hotline::test
