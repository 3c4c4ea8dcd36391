// What the server asks of the layer above it: an answer for each parsed request. The transport knows no endpoint;
// the API implements this interface. serve() runs concurrently on the server's threads.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>

#include "daemon/http/http_response.hpp"
#include "daemon/http/stream_response.hpp"

namespace hotline::daemon {

// Who sent the request, as the connection shows it.
struct Peer {
  std::string address;  // the client's IP address as text ("127.0.0.1", "::1")
};

class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  // A response, or a stream that takes over the connection. Never throws for bad input.
  virtual boost::asio::awaitable<Handled> serve(const Request& request, const Peer& peer) = 0;
  // The label the request is counted under (a route template, never the raw path, so ids do not explode the
  // label set); one of the labels the server's HttpCounters were made with, or "other".
  virtual std::string_view metric_label(const Request& request) const = 0;
};

}  // namespace hotline::daemon
