#include "daemon/notify/webhook_post.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fstream>

#include "daemon/config/config.hpp"

namespace hotline::daemon {
namespace asio = boost::asio;
namespace ssl = asio::ssl;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

using Request = http::request<http::string_body>;

Request make_request(const WebhookUrl& u, const std::string& body, const std::string& key) {
  Request req{http::verb::post, u.path, 11};
  // Host names the authority: IPv6 in brackets, the port left out when it is the scheme's own.
  const std::string host = u.host.find(':') == std::string::npos ? u.host : "[" + u.host + "]";
  req.set(http::field::host, u.port == (u.tls ? "443" : "80") ? host : host + ":" + u.port);
  req.set(http::field::content_type, "application/json");
  req.set(http::field::user_agent, "hotlined");
  req.set("Idempotency-Key", key);
  req.keep_alive(false);
  req.body() = body;
  req.prepare_payload();
  return req;
}

// Resolves and connects; the stream's deadline is already running.
asio::awaitable<std::string> connect(beast::tcp_stream& stream, const WebhookUrl& u) {
  asio::ip::tcp::resolver resolver(stream.get_executor());
  const auto [rec, endpoints] = co_await resolver.async_resolve(u.host, u.port, asio::as_tuple(asio::use_awaitable));
  if (rec) co_return "resolve: " + rec.message();
  if (auto [ec, ep] = co_await stream.async_connect(endpoints, asio::as_tuple(asio::use_awaitable)); ec) {
    co_return "connect: " + ec.message();
  }
  co_return "";
}

// Writes the request and reads the answer on a connected stream, plain or TLS.
template <class Stream>
asio::awaitable<std::string> exchange(Stream& stream, const Request& req) {
  if (auto [ec, n] = co_await http::async_write(stream, req, asio::as_tuple(asio::use_awaitable)); ec) {
    co_return "write: " + ec.message();
  }
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  if (auto [ec, n] = co_await http::async_read(stream, buffer, res, asio::as_tuple(asio::use_awaitable)); ec) {
    co_return "read: " + ec.message();
  }
  const unsigned status = res.result_int();
  if (status < 200 || status > 299) co_return "HTTP " + std::to_string(status);
  co_return "";
}

asio::awaitable<std::string> post_http(beast::tcp_stream& stream, const WebhookUrl& u, const Request& req) {
  if (auto error = co_await connect(stream, u); !error.empty()) co_return error;
  auto error = co_await exchange(stream, req);
  beast::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  co_return error;
}

// "handshake: certificate verify failed (SSL routines): unable to get local issuer certificate".
std::string handshake_error(ssl::stream<beast::tcp_stream>& stream, const beast::error_code& ec) {
  std::string out = "handshake: " + ec.message();
  const long verify = SSL_get_verify_result(stream.native_handle());
  if (verify != X509_V_OK) out += std::string(": ") + X509_verify_cert_error_string(verify);
  return out;
}

asio::awaitable<std::string> post_https(ssl::stream<beast::tcp_stream>& stream, const WebhookUrl& u,
                                        const Request& req) {
  boost::system::error_code not_ip;
  asio::ip::make_address(u.host, not_ip);
  // SNI carries host names only (RFC 6066); virtual hosts on one address pick their certificate by it. This is
  // SSL_set_tlsext_host_name without the macro's C cast (OpenSSL copies the name).
  if (not_ip && SSL_ctrl(stream.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                         const_cast<char*>(u.host.c_str())) != 1) {
    co_return "handshake: cannot set the server name " + u.host;
  }
  // Asio's check leaves no reason behind; record one, so last_error says "hostname mismatch".
  stream.set_verify_callback([check = ssl::host_name_verification(u.host)](bool preverified, ssl::verify_context& v) {
    if (check(preverified, v)) return true;
    if (preverified) X509_STORE_CTX_set_error(v.native_handle(), X509_V_ERR_HOSTNAME_MISMATCH);
    return false;
  });
  if (auto error = co_await connect(beast::get_lowest_layer(stream), u); !error.empty()) co_return error;
  if (auto [ec] = co_await stream.async_handshake(ssl::stream_base::client, asio::as_tuple(asio::use_awaitable)); ec) {
    co_return handshake_error(stream, ec);
  }
  auto error = co_await exchange(stream, req);
  // No close_notify round trip: the answer is complete (Content-Length framed), and a receiver that never answers
  // the alert would hold the sender's strand until the timeout.
  beast::error_code ignored;
  beast::get_lowest_layer(stream).socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  co_return error;
}

}  // namespace

std::shared_ptr<ssl::context> make_webhook_tls(const std::string& ca_file, std::string& error) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
  ctx->set_verify_mode(ssl::verify_peer);
  boost::system::error_code ec;
  if (ca_file.empty()) {
    ctx->set_default_verify_paths(ec);
    if (ec) error = "cannot use the system's trust store: " + ec.message();
  } else if (!std::ifstream(ca_file)) {
    error = "notifications.ca_file '" + ca_file + "' cannot be read";
  } else {
    ctx->load_verify_file(ca_file, ec);
    if (ec) error = "notifications.ca_file '" + ca_file + "' holds no PEM certificate (" + ec.message() + ")";
  }
  return error.empty() ? ctx : nullptr;
}

asio::awaitable<std::string> post_webhook(const std::string& url, const std::string& body, const std::string& key,
                                          std::chrono::milliseconds timeout, ssl::context& tls) {
  const auto u = parse_webhook_url(url);
  if (!u) co_return "not an http(s)://HOST[:PORT]/PATH url: " + url;
  const auto req = make_request(*u, body, key);
  const auto ex = co_await asio::this_coro::executor;
  if (!u->tls) {
    beast::tcp_stream stream(ex);
    stream.expires_after(timeout);
    co_return co_await post_http(stream, *u, req);
  }
  ssl::stream<beast::tcp_stream> stream(ex, tls);
  beast::get_lowest_layer(stream).expires_after(timeout);
  co_return co_await post_https(stream, *u, req);
}

}  // namespace hotline::daemon
