// What the transport refuses before any handler sees a request, and the limits it refuses by: requests it cannot
// read (malformed, or over a limit) and message framing it will not guess at (a transfer coding other than
// chunked, Content-Length together with Transfer-Encoding). Each refusal is a problem; the server answers it with
// Connection: close and reads nothing more from that connection. Pure.
#pragma once

#include <boost/system/error_code.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "daemon/http/http_response.hpp"

namespace hotline::daemon {

struct ServerLimits {
  std::size_t body_limit = 64 * 1024;       // request body bytes; more: 413
  std::size_t max_request_line = 8 * 1024;  // method, target and version; longer: 414
  std::size_t max_header_bytes = 8 * 1024;  // the header field lines together ("name: value" and CRLF); more: 431
  std::size_t max_header_fields = 100;      // header fields; more: 431
  std::chrono::seconds request_timeout{30};
  std::chrono::seconds shutdown_grace{10};
  std::size_t max_connections = 2048;             // open connections; at the cap the server stops accepting
  std::size_t max_connections_per_address = 256;  // open connections from one client address; more: 429
};

// Beast's limit on the whole head: the request line and the field lines together.
std::uint32_t parser_header_limit(const ServerLimits& limits);

// The parser the server reads each request with (a new one per request): Beast's head and body limits set from
// `limits`. The server reads the head, asks head_problem(), then reads the body; a failed read goes to
// read_failure(). tests/fuzz/fuzz_http_request.cpp drives the same sequence over arbitrary bytes.
using RequestParser = http::request_parser<http::string_body>;
void limit_request_parser(RequestParser& parser, const ServerLimits& limits);

// The answer to a read that failed with `ec` (a Beast parser error), or nullopt when there is nobody to answer:
// end of stream, a message cut short, a timeout, a reset, a read cancelled by shutdown. `parsed` is the parser's
// message so far and `unparsed` what it left in the read buffer: together they tell an over-long request line
// (414) from too many header bytes (431), and a version other than 1.0 and 1.1 (505) from a malformed one (400).
std::optional<Problem> read_failure(const boost::system::error_code& ec, const Request& parsed,
                                    std::string_view unparsed, const ServerLimits& limits);

// The answer to a request whose head was read and must not be served: a request line or header fields over the
// limits (414, 431); Transfer-Encoding together with Content-Length, in an HTTP/1.0 request, or with chunked
// missing from the end or repeated (400); a transfer coding other than chunked (501). nullopt for a request to
// read on and serve.
std::optional<Problem> head_problem(const Request& head, const ServerLimits& limits);

// The head of a request whose body is still to be read, kept so the body's trailer fields can be dropped. Beast
// adds the trailer fields of a chunked body to the request's fields, after head_problem() passed the head; they
// are discarded instead (RFC 9110 section 6.5.1), so a served request carries exactly the head that was checked.
class CheckedHead {
 public:
  explicit CheckedHead(const RequestParser& parser);  // call after head_problem(), before the body is read
  void restore(Request& request);                     // call once the body is read; drops any trailer fields

 private:
  std::optional<http::request_header<>> head_;  // only for chunked bodies: nothing else can carry trailers
};

}  // namespace hotline::daemon
