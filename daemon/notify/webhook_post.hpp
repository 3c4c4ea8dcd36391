// One webhook POST over http or https (Beast; Asio SSL on OpenSSL), and the TLS client context that the https
// ones share. Free functions without state; one context serves many posts, all on the sender's strand.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <string>

namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

namespace hotline::daemon {

// The client context of https webhooks: TLS 1.2 at least, the peer's certificate verified against the PEM CAs in
// `ca_file`, or the system's trust store when it is "". Null, with `error` naming the file, when it cannot be
// read or holds no certificate: hotlined refuses to start then.
std::shared_ptr<boost::asio::ssl::context> make_webhook_tls(const std::string& ca_file, std::string& error);

// POSTs `body` (JSON) with `Idempotency-Key: key` to `url`, http:// or https:// (host name checked, SNI sent).
// "" on a 2xx answer, otherwise what went wrong: "connect: ...", "handshake: certificate verify failed ...",
// "HTTP 503". `timeout` covers connect, handshake, write and read.
boost::asio::awaitable<std::string> post_webhook(const std::string& url, const std::string& body,
                                                 const std::string& key, std::chrono::milliseconds timeout,
                                                 boost::asio::ssl::context& tls);

}  // namespace hotline::daemon
