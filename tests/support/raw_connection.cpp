#include "support/raw_connection.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <cctype>
#include <cstdlib>
#include <utility>

namespace hotline::test {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

RawConnection::RawConnection(std::uint16_t port, const std::string& from) : socket_(ioc_) {
  socket_.open(tcp::v4());
  socket_.bind(tcp::endpoint(asio::ip::make_address(from), 0));
  socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
}

bool RawConnection::send(const std::string& bytes) {
  boost::system::error_code ec;
  asio::write(socket_, asio::buffer(bytes), ec);
  return !ec;
}

bool RawConnection::fill(Clock::time_point deadline) {
  std::array<char, 4096> chunk{};
  bool done = false;
  boost::system::error_code result;
  std::size_t received = 0;
  socket_.async_read_some(asio::buffer(chunk), [&](boost::system::error_code ec, std::size_t n) {
    done = true;
    result = ec;
    received = n;
  });
  ioc_.restart();
  ioc_.run_until(deadline);
  if (!done) {  // time is up: cancel the read and let its handler run
    socket_.cancel();
    ioc_.restart();
    ioc_.run();
    return false;
  }
  pending_.append(chunk.data(), received);
  if (result) closed_ = true;  // end of stream, or a reset after the answer
  return true;
}

std::optional<std::string> RawConnection::read_until_closed(std::chrono::milliseconds limit) {
  const auto deadline = Clock::now() + limit;
  while (!closed_) {
    if (!fill(deadline)) return std::nullopt;
  }
  return std::exchange(pending_, {});
}

std::optional<std::string> RawConnection::read_head(std::chrono::milliseconds limit) {
  const auto deadline = Clock::now() + limit;
  while (true) {
    if (const auto end = pending_.find("\r\n\r\n"); end != std::string::npos) {
      std::string head = pending_.substr(0, end + 4);
      pending_.erase(0, end + 4);
      return head;
    }
    if (closed_ || !fill(deadline)) return std::nullopt;
  }
}

std::optional<std::string> RawConnection::read_exactly(std::size_t n, std::chrono::milliseconds limit) {
  const auto deadline = Clock::now() + limit;
  while (pending_.size() < n) {
    if (closed_ || !fill(deadline)) return std::nullopt;
  }
  std::string out = pending_.substr(0, n);
  pending_.erase(0, n);
  return out;
}

RawResponse parse_head(const std::string& head) {
  RawResponse r;
  if (head.rfind("HTTP/1.", 0) != 0 || head.size() < 12) {
    r.body = head;
    return r;
  }
  r.status = std::atoi(head.substr(9, 3).c_str());
  std::size_t line = head.find("\r\n");
  while (line != std::string::npos && line + 2 < head.size()) {
    const auto begin = line + 2;
    const auto end = head.find("\r\n", begin);
    if (end == std::string::npos || end == begin) break;
    const auto colon = head.find(':', begin);
    if (colon != std::string::npos && colon < end) {
      std::string name = head.substr(begin, colon - begin);
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
      auto value_begin = colon + 1;
      while (value_begin < end && head[value_begin] == ' ') ++value_begin;
      r.headers[name] = head.substr(value_begin, end - value_begin);
    }
    line = end;
  }
  return r;
}

std::vector<RawResponse> parse_responses(const std::string& bytes) {
  std::vector<RawResponse> out;
  std::size_t at = 0;
  while (at < bytes.size()) {
    const auto end = bytes.find("\r\n\r\n", at);
    if (bytes.compare(at, 7, "HTTP/1.") != 0 || end == std::string::npos) {
      out.push_back(RawResponse{0, {}, bytes.substr(at)});
      break;
    }
    RawResponse r = parse_head(bytes.substr(at, end + 4 - at));
    at = end + 4;
    const auto length = r.header("content-length");
    const std::size_t n =
        length.empty() ? bytes.size() - at : std::min<std::size_t>(std::stoul(length), bytes.size() - at);
    r.body = bytes.substr(at, n);
    at += n;
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace hotline::test
