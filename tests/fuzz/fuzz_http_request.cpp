// The HTTP request reader as HttpServer::session drives it: the bytes a client sends on one connection, read
// request after request with a fresh parser limited by limit_request_parser(); the head first, then
// head_problem(), then the body; a failed read answered by read_failure(). A refusal ends the connection, as
// in the server. The first input byte picks the read size (TCP segmentation) and the limits (the defaults, or
// small ones that a short input can cross); the rest is the stream.
//
// Invariants: no exception escapes; a refusal is one of the documented statuses, its body is UTF-8 JSON and its
// response serialises; a request that is served passes head_problem() and respects every limit and its own
// framing (Content-Length equals the body read; never both Content-Length and Transfer-Encoding).
#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <boost/system/system_error.hpp>
#include <charconv>
#include <sstream>

#include "daemon/http/http_response.hpp"
#include "daemon/http/request_checks.hpp"
#include "routing/keyword_matcher.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

namespace http = boost::beast::http;
using hotline::daemon::Problem;
using hotline::daemon::ServerLimits;

// A SyncReadStream over the input: `chunk` bytes at most per read, then end of stream.
class InputStream {
 public:
  InputStream(std::string_view input, std::size_t chunk) : input_(input), chunk_(chunk) {}

  template <class MutableBuffers>
  std::size_t read_some(const MutableBuffers& buffers, boost::system::error_code& ec) {
    if (input_.empty()) {
      ec = boost::asio::error::eof;
      return 0;
    }
    ec = {};
    const auto n =
        boost::asio::buffer_copy(buffers, boost::asio::buffer(input_.data(), std::min(chunk_, input_.size())));
    input_.remove_prefix(n);
    return n;
  }
  template <class MutableBuffers>
  std::size_t read_some(const MutableBuffers& buffers) {
    boost::system::error_code ec;
    const auto n = read_some(buffers, ec);
    if (ec) throw boost::system::system_error(ec);
    return n;
  }

 private:
  std::string_view input_;
  std::size_t chunk_;
};

void check_refusal(const hotline::daemon::Request& parsed, const Problem& p) {
  const int s = p.status;
  FUZZ_CHECK(s == 400 || s == 413 || s == 414 || s == 431 || s == 501 || s == 505, p.detail);
  // What refuse() sends: the problem, as UTF-8 JSON, with Connection: close.
  auto response = hotline::daemon::closing_problem(parsed.version(), p);
  FUZZ_CHECK(!response.keep_alive(), "a refusal closes the connection");
  FUZZ_CHECK(hotline::routing::is_valid_utf8(response.body()), response.body());
  boost::system::error_code json_ec;
  FUZZ_CHECK(boost::json::parse(response.body(), json_ec).is_object() && !json_ec, response.body());
  std::ostringstream wire;
  wire << response;
  FUZZ_CHECK(!wire.str().empty(), "a refusal serialises");
}

void check_served(const hotline::daemon::Request& req, const ServerLimits& limits) {
  FUZZ_CHECK(req.version() == 10 || req.version() == 11, "HTTP/1.0 or HTTP/1.1");
  FUZZ_CHECK(!hotline::daemon::head_problem(req, limits), "a served request passes the head checks");
  FUZZ_CHECK(req.body().size() <= limits.body_limit, "body within the limit");
  const bool has_te = req.find(http::field::transfer_encoding) != req.end();
  const auto cl = req.find(http::field::content_length);
  FUZZ_CHECK(!(has_te && cl != req.end()), "never both Content-Length and Transfer-Encoding");
  if (cl != req.end()) {
    std::uint64_t n = 0;
    const auto v = cl->value();
    const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    FUZZ_CHECK(ec == std::errc{} && ptr == v.data() + v.size(), "Content-Length is a number");
    FUZZ_CHECK(n == req.body().size(), "the body is as long as Content-Length says");
  } else if (!has_te) {
    FUZZ_CHECK(req.body().empty(), "no framing, no body");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t control = data[0];
  ServerLimits limits;
  if (control & 0x80) {  // small limits, as http.max_* may configure them
    limits.body_limit = 64;
    limits.max_request_line = 48;
    limits.max_header_bytes = 128;
    limits.max_header_fields = 4;
  }
  static constexpr std::size_t chunks[] = {1, 2, 3, 7, 16, 64, 512, 65536};
  InputStream stream(hotline::fuzz::text(data + 1, size - 1), chunks[control & 7]);

  boost::beast::flat_buffer buffer;
  buffer.reserve(4096);
  for (int served = 0; served < 64; ++served) {
    hotline::daemon::RequestParser parser;
    hotline::daemon::limit_request_parser(parser, limits);
    boost::system::error_code ec;
    http::read_header(stream, buffer, parser, ec);
    std::optional<Problem> refusal;
    if (ec) {
      const auto unparsed = buffer.cdata();
      refusal = hotline::daemon::read_failure(
          ec, parser.get(), std::string_view(static_cast<const char*>(unparsed.data()), unparsed.size()), limits);
    } else {
      refusal = hotline::daemon::head_problem(parser.get(), limits);
      if (!refusal && !parser.is_done()) {
        hotline::daemon::CheckedHead head(parser);
        http::read(stream, buffer, parser, ec);
        if (ec) refusal = hotline::daemon::read_failure(ec, parser.get(), {}, limits);
        head.restore(parser.get());
      }
    }
    if (refusal) {
      check_refusal(parser.get(), *refusal);
      return 0;
    }
    if (ec) return 0;  // end of stream: nothing was being processed
    const auto request = parser.release();
    check_served(request, limits);
    if (!request.keep_alive()) return 0;
  }
  return 0;
}
