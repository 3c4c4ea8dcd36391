#include "support/sse_client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <stdexcept>

namespace hotline::test {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct SseClient::Impl {
  asio::io_context ioc;
  tcp::socket socket{ioc};
};

SseClient::SseClient(std::uint16_t port, const std::string& target, const std::string& bearer,
                     const std::string& last_event_id, const std::string& from, const std::string& cookie)
    : impl_(std::make_unique<Impl>()) {
  boost::system::error_code ec;
  impl_->socket.open(tcp::v4(), ec);
  if (!ec) impl_->socket.bind(tcp::endpoint(asio::ip::make_address(from), 0), ec);
  if (!ec) impl_->socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
  if (ec) throw std::runtime_error("cannot connect: " + ec.message());
  std::string req = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n";
  if (!bearer.empty()) req += "Authorization: Bearer " + bearer + "\r\n";
  if (!last_event_id.empty()) req += "Last-Event-ID: " + last_event_id + "\r\n";
  if (!cookie.empty()) req += "Cookie: " + cookie + "\r\n";
  req += "\r\n";
  asio::write(impl_->socket, asio::buffer(req));
  if (!fill_until("\r\n\r\n", std::chrono::steady_clock::now() + std::chrono::seconds(10))) return;
  // "HTTP/1.1 200 OK"
  status_ = std::stoi(buffer_.substr(9, 3));
  head_ = buffer_.substr(0, buffer_.find("\r\n\r\n") + 4);
  buffer_.erase(0, head_.size());
}

SseClient::~SseClient() = default;

bool SseClient::fill_until(const std::string& delimiter, std::chrono::steady_clock::time_point deadline) {
  char chunk[4096];
  while (buffer_.find(delimiter) == std::string::npos) {
    if (closed_) return false;
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) return false;
    bool done = false;
    boost::system::error_code result;
    std::size_t got = 0;
    impl_->socket.async_read_some(asio::buffer(chunk), [&](boost::system::error_code ec, std::size_t n) {
      done = true;
      result = ec;
      got = n;
    });
    impl_->ioc.restart();
    impl_->ioc.run_for(left);
    if (!done) {
      impl_->socket.cancel();  // deadline: abandon the read, then let its handler run
      impl_->ioc.restart();
      impl_->ioc.run();
      buffer_.append(chunk, got);
      return buffer_.find(delimiter) != std::string::npos;
    }
    buffer_.append(chunk, got);
    if (result) closed_ = true;
  }
  return true;
}

std::optional<SseMessage> SseClient::next(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (fill_until("\n\n", deadline)) {
    const auto end = buffer_.find("\n\n");
    const std::string block = buffer_.substr(0, end + 1);
    buffer_.erase(0, end + 2);
    SseMessage m;
    bool has_data = false;
    std::size_t start = 0;
    while (start < block.size()) {
      const auto nl = block.find('\n', start);
      const std::string line = block.substr(start, nl - start);
      start = nl + 1;
      if (line.starts_with(":")) {
        ++comments_;
      } else if (line.starts_with("id: ")) {
        m.id = line.substr(4);
      } else if (line.starts_with("event: ")) {
        m.event = line.substr(7);
      } else if (line.starts_with("data: ")) {
        m.data += line.substr(6);
        has_data = true;
      }
    }
    if (has_data) return m;
  }
  return std::nullopt;
}

}  // namespace hotline::test
