#include "support/webhook_receiver.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

namespace hotline::test {
namespace asio = boost::asio;
namespace http = boost::beast::http;

struct WebhookReceiver::Impl {
  asio::io_context ioc;
  asio::ip::tcp::acceptor acceptor{ioc, {asio::ip::make_address("127.0.0.1"), 0}};
  mutable std::mutex mutex;
  std::condition_variable changed;
  std::vector<Post> posts;
  bool up = true;
  std::optional<asio::ssl::context> tls;  // set: serve https
  std::thread thread;

  void start() {
    accept();
    thread = std::thread([this] { ioc.run(); });
  }

  void accept() {
    acceptor.async_accept([this](boost::system::error_code ec, asio::ip::tcp::socket socket) {
      if (ec) return;  // closed: the receiver is going away
      serve(std::move(socket));
      accept();
    });
  }

  // One request per connection (the daemon sends Connection: close); served synchronously on this thread.
  void serve(asio::ip::tcp::socket socket) {
    boost::system::error_code ec;
    if (!tls) {
      exchange(socket);
      socket.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
      return;
    }
    asio::ssl::stream<asio::ip::tcp::socket> stream(std::move(socket), *tls);
    stream.handshake(asio::ssl::stream_base::server, ec);
    if (ec) return;  // the client refused the certificate (or spoke plain http): nothing arrived
    exchange(stream);
    stream.lowest_layer().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  }

  template <class Stream>
  void exchange(Stream& stream) {
    boost::beast::flat_buffer buffer;
    http::request<http::string_body> req;
    boost::system::error_code ec;
    http::read(stream, buffer, req, ec);
    if (ec) return;
    int status = 0;
    {
      std::lock_guard lock(mutex);
      status = up ? 200 : 503;
      posts.push_back({std::string(req["Idempotency-Key"]), req.body(), status, std::chrono::steady_clock::now()});
    }
    changed.notify_all();
    http::response<http::string_body> res{static_cast<http::status>(status), 11};
    res.keep_alive(false);
    res.body() = "{}";
    res.prepare_payload();
    http::write(stream, res, ec);
  }
};

WebhookReceiver::WebhookReceiver() : impl_(std::make_unique<Impl>()) {
  impl_->start();
}

WebhookReceiver::WebhookReceiver(const Tls& tls) : impl_(std::make_unique<Impl>()) {
  auto& ctx = impl_->tls.emplace(asio::ssl::context::tls_server);
  ctx.use_certificate_chain_file(tls.cert_file);
  ctx.use_private_key_file(tls.key_file, asio::ssl::context::pem);
  impl_->start();
}

WebhookReceiver::~WebhookReceiver() {
  impl_->ioc.stop();
  impl_->thread.join();
}

std::uint16_t WebhookReceiver::port() const {
  return impl_->acceptor.local_endpoint().port();
}

void WebhookReceiver::set_up(bool up) {
  std::lock_guard lock(impl_->mutex);
  impl_->up = up;
}

std::vector<WebhookReceiver::Post> WebhookReceiver::posts() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->posts;
}

bool WebhookReceiver::wait_until(const std::function<bool(const std::vector<Post>&)>& done,
                                 std::chrono::milliseconds timeout) {
  std::unique_lock lock(impl_->mutex);
  return impl_->changed.wait_for(lock, timeout, [&] { return done(impl_->posts); });
}

}  // namespace hotline::test
