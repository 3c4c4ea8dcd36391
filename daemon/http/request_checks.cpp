#include "daemon/http/request_checks.hpp"

#include <algorithm>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <limits>
#include <string>
#include <vector>

namespace hotline::daemon {

namespace {

// "GET /target HTTP/1.1" without its CRLF: Beast takes exactly one space between the parts.
std::size_t request_line_size(const Request& head) {
  return head.method_string().size() + 1 + head.target().size() + 1 + std::string_view("HTTP/1.1").size();
}

Problem bad_request(std::string detail) {
  return {400, "bad-request", "The request is malformed", std::move(detail), ""};
}

Problem uri_too_long(const ServerLimits& limits) {
  return {414, "uri-too-long", "The request target is too long",
          "request lines are limited to " + std::to_string(limits.max_request_line) + " bytes", ""};
}

Problem header_fields_too_large(std::string detail) {
  return {431, "header-fields-too-large", "The request's header fields are too large", std::move(detail), ""};
}

Problem header_bytes_too_large(const ServerLimits& limits) {
  return header_fields_too_large("header fields are limited to " + std::to_string(limits.max_header_bytes) +
                                 " bytes together");
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Transfer-Encoding's codings in order, over every field of that name (one comma-separated list); empty elements
// are dropped, as the list syntax allows.
std::vector<std::string_view> transfer_codings(const Request& head) {
  std::vector<std::string_view> codings;
  const auto [begin, end] = head.equal_range(http::field::transfer_encoding);
  for (auto it = begin; it != end; ++it) {
    std::string_view value = it->value();
    while (true) {
      const auto comma = value.find(',');
      if (const auto coding = trim(value.substr(0, comma)); !coding.empty()) codings.push_back(coding);
      if (comma == std::string_view::npos) break;
      value.remove_prefix(comma + 1);
    }
  }
  return codings;
}

}  // namespace

std::uint32_t parser_header_limit(const ServerLimits& limits) {
  const std::size_t total = limits.max_request_line + limits.max_header_bytes + 4;  // CRLF after line and head
  return static_cast<std::uint32_t>(std::min<std::size_t>(total, std::numeric_limits<std::uint32_t>::max()));
}

void limit_request_parser(RequestParser& parser, const ServerLimits& limits) {
  parser.header_limit(parser_header_limit(limits));
  parser.body_limit(limits.body_limit);
}

std::optional<Problem> read_failure(const boost::system::error_code& ec, const Request& parsed,
                                    std::string_view unparsed, const ServerLimits& limits) {
  using http::error;
  if (ec.category() != make_error_code(error::end_of_stream).category()) return std::nullopt;
  switch (static_cast<error>(ec.value())) {
    case error::end_of_stream:    // the client closed between requests
    case error::partial_message:  // or in the middle of one
    case error::need_more:
    case error::need_buffer:
    case error::end_of_chunk:
    case error::buffer_overflow:
    case error::stale_parser:
    case error::short_read:
      return std::nullopt;
    case error::body_limit:
      return Problem{413, "payload-too-large", "The request body is too large",
                     "bodies are limited to " + std::to_string(limits.body_limit) + " bytes", ""};
    case error::header_limit: {
      // The request line was parsed already, or it is still at the front of what is buffered (to its CRLF, or
      // all of it when no CRLF came within the limit).
      const std::size_t line = !parsed.target().empty() ? request_line_size(parsed)
                                                        : std::min(unparsed.find_first_of("\r\n"), unparsed.size());
      if (line > limits.max_request_line) return uri_too_long(limits);
      return header_bytes_too_large(limits);
    }
    case error::bad_version: {
      // Beast takes HTTP/1.0 and HTTP/1.1 only: another version in a well-formed request line is one we do not
      // speak; anything else is a malformed line.
      const auto line = unparsed.substr(0, unparsed.find_first_of("\r\n"));
      const auto version = line.substr(line.size() < 8 ? 0 : line.size() - 8);
      const auto digit = [](char c) { return c >= '0' && c <= '9'; };
      const bool well_formed = std::count(line.begin(), line.end(), ' ') == 2 && version.size() == 8 &&
                               version.starts_with("HTTP/") && digit(version[5]) && version[6] == '.' &&
                               digit(version[7]);
      if (well_formed && version != "HTTP/1.0" && version != "HTTP/1.1") {
        return Problem{505, "http-version-not-supported", "The HTTP version is not supported",
                       "this server speaks HTTP/1.1 (and HTTP/1.0), not " + std::string(version), ""};
      }
      return bad_request("malformed HTTP/1.1 request: bad version");
    }
    case error::bad_content_length:
      return bad_request("malformed Content-Length, or Content-Length together with Transfer-Encoding");
    case error::multiple_content_length:
      return bad_request("conflicting Content-Length values");
    case error::bad_transfer_encoding:
      return bad_request("malformed or repeated Transfer-Encoding, or Transfer-Encoding together with Content-Length");
    default:
      return bad_request("malformed HTTP/1.1 request: " + ec.message());
  }
}

std::optional<Problem> head_problem(const Request& head, const ServerLimits& limits) {
  if (request_line_size(head) > limits.max_request_line) return uri_too_long(limits);
  std::size_t fields = 0, bytes = 0;
  for (const auto& f : head) {
    ++fields;
    bytes += f.name_string().size() + 2 + f.value().size() + 2;  // "name: value" CRLF
  }
  if (fields > limits.max_header_fields) {
    return header_fields_too_large("at most " + std::to_string(limits.max_header_fields) + " header fields");
  }
  if (bytes > limits.max_header_bytes) return header_bytes_too_large(limits);

  // Framing (RFC 9112 section 6): a body whose length is not certain is never read, so it can never be taken
  // for the next request. Beast takes a list of equal lengths ("0, 0", or the field twice) as one; a proxy in
  // front may read it otherwise, so a Content-Length is one field holding one plain number (section 6.3).
  if (head.count(http::field::content_length) > 1) return bad_request("Content-Length appears more than once");
  if (const auto cl = head.find(http::field::content_length); cl != head.end()) {
    const auto v = cl->value();
    if (v.empty() || v.find_first_not_of("0123456789") != std::string_view::npos) {
      return bad_request("Content-Length must be one decimal number, not '" + std::string(v.substr(0, 40)) + "'");
    }
  }
  if (head.find(http::field::transfer_encoding) == head.end()) return std::nullopt;
  if (head.find(http::field::content_length) != head.end()) {
    return bad_request("a request may not carry both Content-Length and Transfer-Encoding");
  }
  if (head.version() == 10) return bad_request("Transfer-Encoding is not allowed in an HTTP/1.0 request");
  const auto codings = transfer_codings(head);
  if (codings.empty()) return bad_request("Transfer-Encoding names no transfer coding");
  const auto is_chunked = [](std::string_view c) { return boost::beast::iequals(c, "chunked"); };
  const auto chunked = std::count_if(codings.begin(), codings.end(), is_chunked);
  if (chunked > 1 || (chunked == 1 && !is_chunked(codings.back()))) {
    return bad_request("chunked must be the last transfer coding, and come once: the body length is unknown");
  }
  if (codings.size() > 1 || chunked == 0) {
    std::string list;
    for (const auto c : codings) list += (list.empty() ? "" : ", ") + std::string(c);
    return Problem{501, "not-implemented", "The transfer coding is not implemented",
                   "only Transfer-Encoding: chunked is supported, not '" + list + "'", ""};
  }
  return std::nullopt;
}

CheckedHead::CheckedHead(const RequestParser& parser) {
  if (parser.chunked()) head_ = parser.get().base();
}

void CheckedHead::restore(Request& request) {
  if (head_) request.base() = std::move(*head_);
  head_.reset();
}

}  // namespace hotline::daemon
