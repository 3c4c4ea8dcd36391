// The HTTP API: maps each request to a response. Owns no sockets; the server feeds it parsed requests.
// Thread-safe: handle() runs concurrently on the server's threads.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <string>

#include "daemon/reader_pool.hpp"
#include "daemon/token_auth.hpp"
#include "daemon/rules_holder.hpp"
#include "daemon/ticket_writer.hpp"
#include "storage/ticket_store.hpp"
#include "storage/token_store.hpp"

namespace hotline::daemon {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

struct ApiContext {
  RulesHolder& rules;
  TicketWriter& writer;
  StorePool<storage::TicketStore>& readers;
  StorePool<storage::TokenStore>& tokens;
  const std::atomic<bool>& auth_required;  // false only while no token exists (then loopback-only, open access)
  std::string ticket_prefix;
  boost::asio::any_io_executor blocking;  // for work too slow for the I/O threads (rule reloads)
};

class Api {
 public:
  explicit Api(ApiContext context) : ctx_(std::move(context)) {}

  // Never throws for bad input: every failure is a problem+json response.
  boost::asio::awaitable<Response> handle(const Request& request);

  // The response for a request whose body exceeded the limit (the server stops reading it).
  static Response payload_too_large(unsigned version, std::size_t limit);

 private:
  // The caller, from the bearer token; without tokens configured, the local open-access principal.
  // nullopt when a token is required and missing or invalid.
  std::optional<Principal> authenticate(const Request& request);
  boost::asio::awaitable<Response> route_request(const Request& request, const Principal& who);
  boost::asio::awaitable<Response> post_ticket(const Request& request);
  Response get_ticket(const Request& request, const std::string& id, const Principal& who);
  bool unit_may_see(const std::string& unit, const storage::StoredTicket& ticket) const;
  Response get_rules(const Request& request);
  Response explain_route(const Request& request);
  boost::asio::awaitable<Response> reload_rules(const Request& request);

  ApiContext ctx_;
};

}  // namespace hotline::daemon
