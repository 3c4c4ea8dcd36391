// A minimal blocking HTTP/1.1 client for tests, over one keep-alive connection to 127.0.0.1. Test-only.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace hotline::test {

struct HttpResult {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

class HttpClient {
 public:
  // Connects to 127.0.0.1:`port` from the loopback address `from` (127.0.0.2 is another client).
  explicit HttpClient(std::uint16_t port, const std::string& from = "127.0.0.1");
  ~HttpClient();

  HttpResult get(const std::string& target);
  HttpResult post(const std::string& target, const std::string& body,
                  const std::string& content_type = "application/json");
  // Any method, with an optional bearer token.
  HttpResult request(const std::string& method, const std::string& target, const std::string& body,
                     const std::string& bearer);
  // Any method with extra header fields (a Cookie, an X-CSRF-Token), no bearer token.
  HttpResult request_with(const std::string& method, const std::string& target, const std::string& body,
                          const std::map<std::string, std::string>& headers);
  // Sends raw bytes as the whole request and reads one response (for malformed or oversized requests).
  HttpResult raw(const std::string& bytes);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hotline::test
