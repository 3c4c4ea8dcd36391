// A long-lived response that takes over its connection (Server-Sent Events), and what a handler answers: a
// normal response or such a stream. The server runs the stream until it returns, then closes the connection.
// stop() may be called from any thread (server shutdown) and must make run() return promptly.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <memory>

#include "daemon/http/http_response.hpp"

namespace hotline::daemon {

class StreamResponse {
 public:
  virtual ~StreamResponse() = default;
  // Writes the response head and then messages until the client goes away, the stream ends or stop() is called.
  // Runs on the connection's strand; the stream has no timeout set, run() sets one per write.
  virtual boost::asio::awaitable<void> run(boost::beast::tcp_stream& stream) = 0;
  virtual void stop() = 0;
};

struct Handled {
  Response response;                       // used when `stream` is null
  std::shared_ptr<StreamResponse> stream;  // takes over the connection when set
};

}  // namespace hotline::daemon
