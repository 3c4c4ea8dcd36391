#include "daemon/http/http_server.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <string_view>
#include <tuple>
#include <utility>

#include "daemon/http/accept_backoff.hpp"

namespace hotline::daemon {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

// How long, and how many bytes, a refused connection is drained for before it is closed.
constexpr std::chrono::seconds k_linger_time{2};
constexpr std::size_t k_linger_bytes = 1 << 20;

// Completion handler for spawned coroutines: an escaped exception is a bug, so log it instead of losing it.
void log_exception(std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    spdlog::error("connection task failed: {}", ex.what());
  }
}

}  // namespace

HttpServer::HttpServer(asio::io_context& ioc, RequestHandler& handler, ServerLimits limits, HttpCounters* counters,
                       LatencyHistograms* latency)
    : ioc_(ioc),
      handler_(handler),
      limits_(limits),
      counters_(counters),
      latency_(latency),
      acceptor_(ioc),
      grace_timer_(ioc),
      accept_strand_(asio::make_strand(ioc)),
      accept_timer_(accept_strand_),
      slots_(limits.max_connections, limits.max_connections_per_address) {}

HttpServer::~HttpServer() {
  // Connections the io_context destroys later must not wake a loop that is gone.
  slots_.wake_on_release(nullptr);
}

tcp::endpoint HttpServer::listen(const std::string& host, std::uint16_t port) {
  tcp::resolver resolver(ioc_);
  const auto results = resolver.resolve(host, std::to_string(port), tcp::resolver::passive);
  const tcp::endpoint endpoint = results.begin()->endpoint();
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  return acceptor_.local_endpoint();
}

void HttpServer::start() {
  asio::co_spawn(accept_strand_, accept_loop(), log_exception);
}

std::function<void()> HttpServer::accept_waker() {
  return [this] { asio::post(accept_strand_, [this] { accept_timer_.cancel(); }); };
}

asio::awaitable<void> HttpServer::accept_pause(std::chrono::steady_clock::duration wait) {
  if (wait == std::chrono::steady_clock::duration::max()) {
    accept_timer_.expires_at(std::chrono::steady_clock::time_point::max());
  } else {
    accept_timer_.expires_after(wait);
  }
  co_await accept_timer_.async_wait(asio::as_tuple(asio::use_awaitable));
}

asio::awaitable<void> HttpServer::accept_loop() {
  AcceptBackoff backoff;
  while (acceptor_.is_open()) {
    // Every slot taken: accept nothing (the kernel queues new connections) until a connection closes.
    if (slots_.wake_when_free(accept_waker())) {
      co_await accept_pause(std::chrono::steady_clock::duration::max());
      continue;
    }
    auto [ec, socket] = co_await acceptor_.async_accept(asio::make_strand(ioc_), asio::as_tuple(asio::use_awaitable));
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) break;
    const auto now = std::chrono::steady_clock::now();
    if (ec) {
      const auto step = backoff.failed(ec, now);
      if (step.warn) {
        spdlog::warn("accept paused: {} ({} connections open{}); retrying in {} ms to {} ms until it succeeds",
                     ec.message(), slots_.open(),
                     step.quiet_pauses == 0
                         ? std::string()
                         : ", " + std::to_string(step.quiet_pauses) + " more pauses since the last warning",
                     AcceptBackoff::k_first_wait.count(), AcceptBackoff::k_longest_wait.count());
      }
      if (step.wait.count() > 0) {
        slots_.wake_on_release(accept_waker());  // a connection that closes frees a descriptor: try again then
        co_await accept_pause(step.wait);
        slots_.wake_on_release(nullptr);
      }
      continue;
    }
    if (const auto pause = backoff.succeeded(now)) {
      spdlog::info("accept resumed after {} ms paused ({} failed accepts)", pause->lasted.count(), pause->failures);
    }
    start_session(std::move(socket));
  }
  slots_.wake_on_release(nullptr);
}

void HttpServer::start_session(tcp::socket socket) {
  beast::error_code ec;
  const auto remote = socket.remote_endpoint(ec);
  if (ec) return;  // gone already (reset while queued): closing the socket is all there is to do
  auto address = remote.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
  }
  Peer peer{address.to_string()};
  auto slot = slots_.take(peer.address);
  socket.set_option(tcp::no_delay(true), ec);
  beast::tcp_stream stream(std::move(socket));
  auto executor = stream.get_executor();
  asio::co_spawn(executor, session(std::move(stream), std::move(slot), std::move(peer)), log_exception);
}

std::uint64_t HttpServer::register_connection(beast::tcp_stream* stream) {
  std::lock_guard lock(mutex_);
  const auto id = next_id_++;
  connections_.emplace(id, Connection{stream, false, nullptr});
  return id;
}

void HttpServer::unregister_connection(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  connections_.erase(id);
  if (stopping_ && connections_.empty()) grace_timer_.cancel();  // the last one out ends the grace period
}

bool HttpServer::set_busy(std::uint64_t id, bool busy) {
  std::lock_guard lock(mutex_);
  connections_[id].busy = busy;
  return !stopping_;
}

bool HttpServer::set_streaming(std::uint64_t id, std::shared_ptr<StreamResponse> stream) {
  std::lock_guard lock(mutex_);
  connections_[id].streaming = std::move(stream);
  return !stopping_;
}

asio::awaitable<void> HttpServer::session(beast::tcp_stream stream, ConnectionSlots::Slot slot, Peer peer) {
  const std::uint64_t id = register_connection(&stream);
  if (!set_busy(id, false)) {  // accepted just as the server began to stop
    unregister_connection(id);
    co_return;
  }
  if (slot.within_address_limit()) {
    co_await serve_requests(stream, id, peer);
  } else {
    co_await refuse(stream, Request{},
                    {429, "too-many-connections-from-address", "Too many connections from this address",
                     "the daemon keeps at most http.max_connections_per_address connections open per client address; "
                     "close one or retry later",
                     ""},
                    "5");
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream.socket().close(ignored);  // the descriptor is free before the slot is (a paused accept loop retries then)
  unregister_connection(id);
}

asio::awaitable<void> HttpServer::serve_requests(beast::tcp_stream& stream, std::uint64_t id, const Peer& peer) {
  beast::flat_buffer buffer;
  // Beast reads max(512, free capacity) at a time: without room reserved, a 900-byte ticket took two recv calls.
  buffer.reserve(4096);
  while (true) {
    RequestParser parser;
    limit_request_parser(parser, limits_);
    stream.expires_after(limits_.request_timeout);
    // The head first: a request is refused on its head (limits, framing) before a byte of its body is read.
    auto [ec, head_bytes] =
        co_await http::async_read_header(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    const auto head_read = std::chrono::steady_clock::now();  // the request's duration counts from here
    std::optional<Problem> refusal;
    if (ec) {
      const auto unparsed = buffer.cdata();
      refusal = read_failure(ec, parser.get(),
                             std::string_view(static_cast<const char*>(unparsed.data()), unparsed.size()), limits_);
    } else {
      refusal = head_problem(parser.get(), limits_);
      if (!refusal && !parser.is_done()) {
        CheckedHead head(parser);
        std::tie(ec, std::ignore) =
            co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
        if (ec) refusal = read_failure(ec, parser.get(), {}, limits_);
        head.restore(parser.get());
      }
    }
    if (refusal) {
      co_await refuse(stream, parser.get(), *refusal);
      break;
    }
    if (ec) break;  // end of stream, timeout, reset, or cancelled by shutdown: nothing was being processed
    // A request read in full is served even when shutdown began meanwhile; the connection closes after it.
    const bool staying_open = set_busy(id, true);
    Request request = parser.release();
    Handled handled = co_await handler_.serve(request, peer);
    if (handled.stream) {
      if (counters_) counters_->count(handler_.metric_label(request), 200);
      // Registered first, so a shutdown from now on stops it; one that began already stops it here.
      if (!set_streaming(id, handled.stream)) handled.stream->stop();
      stream.expires_never();
      co_await handled.stream->run(stream);
      set_streaming(id, nullptr);
      break;  // a stream ends with its connection
    }
    Response& response = handled.response;
    if (counters_) counters_->count(handler_.metric_label(request), response.result_int());
    if (!staying_open) response.keep_alive(false);
    const bool keep_alive = response.keep_alive();
    stream.expires_after(limits_.request_timeout);
    beast::error_code write_ec;
    if (request.method() == http::verb::head) {
      // What GET would send, Content-Length included, without the body (RFC 9110 section 9.3.2).
      http::response_serializer<http::string_body> serializer(response);
      std::tie(write_ec, std::ignore) =
          co_await http::async_write_header(stream, serializer, asio::as_tuple(asio::use_awaitable));
    } else {
      std::tie(write_ec, std::ignore) =
          co_await http::async_write(stream, response, asio::as_tuple(asio::use_awaitable));
    }
    const auto took = std::chrono::steady_clock::now() - head_read;
    if (latency_) latency_->observe(handler_.metric_label(request), took);
    // The access log, at debug: the path without its query, which may hold a caller's phone number.
    if (spdlog::should_log(spdlog::level::debug)) {
      const auto target = std::string_view(request.target());
      spdlog::debug("{} {} {} {} {:.1f} ms", peer.address, std::string_view(request.method_string()),
                    target.substr(0, target.find('?')), response.result_int(),
                    std::chrono::duration<double, std::milli>(took).count());
    }
    if (write_ec || !keep_alive || !set_busy(id, false)) break;
  }
}

asio::awaitable<void> HttpServer::refuse(beast::tcp_stream& stream, const Request& parsed, const Problem& problem,
                                         std::string_view retry_after) {
  auto response = closing_problem(parsed.version(), problem);
  if (!retry_after.empty()) response.set(http::field::retry_after, retry_after);
  if (counters_) counters_->count("other", response.result_int());
  stream.expires_after(limits_.request_timeout);
  http::response_serializer<http::string_body> serializer(response);
  auto [ec, written] = parsed.method() == http::verb::head
                           ? co_await http::async_write_header(stream, serializer, asio::as_tuple(asio::use_awaitable))
                           : co_await http::async_write(stream, serializer, asio::as_tuple(asio::use_awaitable));
  if (ec) co_return;
  // Lingering close (RFC 9112 section 9.6): end our side, then drop what the client still sends for a moment.
  // Closing with unread bytes would make the kernel answer them with a reset, which can destroy the response
  // before the client has read it.
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream.expires_after(k_linger_time);
  std::array<char, 4096> sink{};
  for (std::size_t dropped = 0; dropped < k_linger_bytes;) {
    auto [read_ec, n] = co_await stream.async_read_some(asio::buffer(sink), asio::as_tuple(asio::use_awaitable));
    if (read_ec) break;
    dropped += n;
  }
}

void HttpServer::shutdown() {
  asio::post(ioc_, [this] {
    std::vector<std::pair<std::uint64_t, asio::any_io_executor>> idle;
    std::vector<std::shared_ptr<StreamResponse>> streams;
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      stopping_ = true;
      for (auto& [id, c] : connections_) {
        if (!c.busy) idle.emplace_back(id, c.stream->get_executor());
        if (c.streaming) streams.push_back(c.streaming);
      }
    }
    // Long-lived responses never finish on their own: end them now, not at the end of the grace period.
    for (auto& s : streams) s->stop();
    // On the accept strand: the loop's acceptor and timer are only touched there; it ends once woken.
    asio::post(accept_strand_, [this] {
      beast::error_code ignored;
      acceptor_.close(ignored);
      accept_timer_.cancel();
    });
    // Idle connections are waiting for a request that may never come: cancel their reads on their own strands.
    // A connection that has since ended is no longer registered, so its stream is never touched.
    for (auto& [id, executor] : idle) {
      asio::post(executor, [this, id = id] {
        std::lock_guard lock(mutex_);
        const auto it = connections_.find(id);
        if (it != connections_.end() && !it->second.busy) it->second.stream->socket().cancel();
      });
    }
    // Armed under the same lock unregister_connection() cancels it with, so the last connection's exit is never
    // missed and the timer is never touched by two threads at once.
    std::lock_guard lock(mutex_);
    if (connections_.empty()) return;
    grace_timer_.expires_after(limits_.shutdown_grace);
    grace_timer_.async_wait([this](beast::error_code ec) {
      if (ec) return;  // cancelled: every connection finished in time
      spdlog::warn("shutdown grace period over; closing the remaining connections");
      ioc_.stop();
    });
  });
}

}  // namespace hotline::daemon
