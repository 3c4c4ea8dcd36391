// HttpServer: accepts connections and serves HTTP/1.1 with Beast on C++20 coroutines, one strand per connection.
// Every parser has header and body limits, every request a timeout. A request that is malformed, over a limit or
// framed ambiguously is answered with a problem (request_checks) and its connection closed. HEAD gets the headers
// of the handler's response and never its body. shutdown() stops accepting, closes idle connections,
// lets in-flight requests finish for a bounded grace period, then stops the io_context. A handler may take a
// connection over for a long-lived response (StreamResponse: the unit feed); shutdown() stops those at once.
// Connections are capped (ConnectionSlots): at max_connections the server accepts nothing until one closes (the
// kernel queues new ones); one over max_connections_per_address from a client address is answered 429 with
// Retry-After and closed. Out of descriptors, accepting pauses with a backoff (AcceptBackoff), never spins.
// All members are called from the io_context's threads except shutdown(), which may be called from any thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string_view>

#include "daemon/http/connection_slots.hpp"
#include "daemon/http/request_checks.hpp"
#include "daemon/http/request_handler.hpp"
#include "daemon/http/stream_response.hpp"
#include "daemon/metrics/http_metrics.hpp"
#include "daemon/metrics/latency_histogram.hpp"

namespace hotline::daemon {

class HttpServer {
 public:
  // `counters`, when given, counts every response by route template and status; `latency`, when given, observes
  // how long each request took, from its head read to its response written.
  HttpServer(boost::asio::io_context& ioc, RequestHandler& handler, ServerLimits limits,
             HttpCounters* counters = nullptr, LatencyHistograms* latency = nullptr);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens. Returns the bound endpoint (port 0 resolved) or throws std::system_error on failure
  // (a start-up failure: address in use, permission denied).
  boost::asio::ip::tcp::endpoint listen(const std::string& host, std::uint16_t port);

  // Starts accepting. listen() first.
  void start();

  // Graceful stop; safe from any thread, idempotent.
  void shutdown();

 private:
  struct Connection {
    boost::beast::tcp_stream* stream = nullptr;
    bool busy = false;                          // guarded by HttpServer::mutex_
    std::shared_ptr<StreamResponse> streaming;  // set while the connection serves a long-lived response
  };

  boost::asio::awaitable<void> accept_loop();
  // Waits on the accept strand for `wait` or until woken (a connection closed, or shutdown).
  boost::asio::awaitable<void> accept_pause(std::chrono::steady_clock::duration wait);
  // What a closing connection runs to end accept_pause() early.
  std::function<void()> accept_waker();
  void start_session(boost::asio::ip::tcp::socket socket);
  boost::asio::awaitable<void> session(boost::beast::tcp_stream stream, ConnectionSlots::Slot slot, Peer peer);
  boost::asio::awaitable<void> serve_requests(boost::beast::tcp_stream& stream, std::uint64_t id, const Peer& peer);
  // Answers a request the server will not serve (`parsed`: as far as it was read) with `problem` and
  // Connection: close (and `retry_after` seconds when not empty), then drains the connection.
  boost::asio::awaitable<void> refuse(boost::beast::tcp_stream& stream, const Request& parsed, const Problem& problem,
                                      std::string_view retry_after = {});
  std::uint64_t register_connection(boost::beast::tcp_stream* stream);
  void unregister_connection(std::uint64_t id);
  // Marks a connection busy; false when the server is stopping (the connection should close).
  bool set_busy(std::uint64_t id, bool busy);
  // Records that the connection now streams; false when the server is stopping (the stream must not start).
  bool set_streaming(std::uint64_t id, std::shared_ptr<StreamResponse> stream);

  boost::asio::io_context& ioc_;
  RequestHandler& handler_;
  ServerLimits limits_;
  HttpCounters* counters_;
  LatencyHistograms* latency_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer grace_timer_;
  boost::asio::strand<boost::asio::io_context::executor_type> accept_strand_;  // the accept loop, its timer
  boost::asio::steady_timer accept_timer_;  // an accept pause (backoff, or every slot taken)
  ConnectionSlots slots_;

  std::mutex mutex_;
  bool stopping_ = false;
  std::uint64_t next_id_ = 0;
  std::map<std::uint64_t, Connection> connections_;
};

}  // namespace hotline::daemon
