#include "support/http_client.hpp"

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <utility>

namespace hotline::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

struct HttpClient::Impl {
  asio::io_context ioc;
  beast::tcp_stream stream{ioc};
  beast::flat_buffer buffer;
  std::uint16_t port;
  std::string from;

  Impl(std::uint16_t p, std::string f) : port(p), from(std::move(f)) { connect(); }
  void connect() {
    stream.close();
    stream.socket().open(asio::ip::tcp::v4());
    stream.socket().bind(asio::ip::tcp::endpoint(asio::ip::make_address(from), 0));
    stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    buffer.clear();
  }

  HttpResult read(bool head = false) {
    http::response_parser<http::string_body> parser;
    parser.body_limit(64u << 20);
    parser.skip(head);  // a response to HEAD has the headers of GET and no body
    stream.expires_after(std::chrono::seconds(30));
    http::read(stream, buffer, parser);
    auto res = parser.release();
    HttpResult r;
    r.status = static_cast<int>(res.result_int());
    r.body = res.body();
    for (const auto& field : res) {
      std::string name(field.name_string());
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
      r.headers[name] = std::string(field.value());
    }
    if (!res.keep_alive()) connect();
    return r;
  }

  HttpResult request(http::verb verb, const std::string& target, const std::string& body,
                     const std::string& content_type, const std::string& bearer = "",
                     const std::map<std::string, std::string>& headers = {}) {
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, "127.0.0.1");
    for (const auto& [name, value] : headers) req.set(name, value);
    if (!bearer.empty()) req.set(http::field::authorization, "Bearer " + bearer);
    if (verb == http::verb::post) {
      if (!content_type.empty()) req.set(http::field::content_type, content_type);
      req.body() = body;
      req.prepare_payload();
    }
    stream.expires_after(std::chrono::seconds(30));
    http::write(stream, req);
    return read(verb == http::verb::head);
  }
};

HttpClient::HttpClient(std::uint16_t port, const std::string& from) : impl_(std::make_unique<Impl>(port, from)) {}
HttpClient::~HttpClient() = default;

HttpResult HttpClient::get(const std::string& target) {
  return impl_->request(http::verb::get, target, "", "");
}

HttpResult HttpClient::post(const std::string& target, const std::string& body, const std::string& content_type) {
  return impl_->request(http::verb::post, target, body, content_type);
}

HttpResult HttpClient::request(const std::string& method, const std::string& target, const std::string& body,
                               const std::string& bearer) {
  const auto verb = http::string_to_verb(method);
  return impl_->request(verb, target, body, verb == http::verb::post ? "application/json" : "", bearer);
}

HttpResult HttpClient::request_with(const std::string& method, const std::string& target, const std::string& body,
                                    const std::map<std::string, std::string>& headers) {
  const auto verb = http::string_to_verb(method);
  return impl_->request(verb, target, body, verb == http::verb::post ? "application/json" : "", "", headers);
}

HttpResult HttpClient::raw(const std::string& bytes) {
  asio::write(impl_->stream, asio::buffer(bytes));
  return impl_->read();
}

}  // namespace hotline::test
