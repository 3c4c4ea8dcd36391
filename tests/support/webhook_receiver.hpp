// A tiny webhook receiver for end-to-end tests: an HTTP server on 127.0.0.1:0 in its own thread that records
// every POST (Idempotency-Key and body) and answers 200, or 503 while switched down; optionally https with a
// given certificate (a connection whose handshake fails records nothing). Test-only; thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace hotline::test {

class WebhookReceiver {
 public:
  struct Post {
    std::string key;  // Idempotency-Key
    std::string body;
    int status = 0;                              // what the receiver answered
    std::chrono::steady_clock::time_point at{};  // when it arrived
  };

  // PEM files of the certificate served over https (see test_certificates.hpp).
  struct Tls {
    std::string cert_file;
    std::string key_file;
  };

  WebhookReceiver();
  explicit WebhookReceiver(const Tls& tls);  // https on 127.0.0.1:port()
  ~WebhookReceiver();
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  std::uint16_t port() const;
  // Down: every POST is answered 503 (and recorded as such).
  void set_up(bool up);
  std::vector<Post> posts() const;
  // Blocks until `done(posts)` holds (checked on every POST) or `timeout` passes; false on timeout.
  bool wait_until(const std::function<bool(const std::vector<Post>&)>& done, std::chrono::milliseconds timeout);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hotline::test
