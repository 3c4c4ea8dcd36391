// Building HTTP responses for the API: JSON bodies, RFC 9457 problems, media-type checks. Pure; thread-safe.
#pragma once

#include <boost/beast/http.hpp>
#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <variant>

#include "daemon/wire/problem.hpp"
#include "routing/lifecycle.hpp"

namespace hotline::daemon {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

Response make_response(const Request& req, http::status status, std::string body,
                       std::string_view content_type = "application/json");
Response problem_response(const Request& req, const Problem& p);
Response forbidden(const Request& req, const std::string& detail);
// 401 with WWW-Authenticate: Bearer.
Response unauthenticated(const Request& req);
Response method_not_allowed(const Request& req, std::string_view allowed);
// A problem the transport answers itself, for a request it reads no further: Connection: close, HTTP/1.0 for an
// HTTP/1.0 request and HTTP/1.1 otherwise.
Response closing_problem(unsigned version, const Problem& p);
// A life-cycle refusal: wrong state → 409, forbidden → 403, invalid → 422.
Response refusal_response(const Request& req, const routing::Refusal& refusal);
// True for "application/json", with or without parameters, in any letter case.
bool is_json_content_type(std::string_view value);
// The body of a request whose JSON object body is optional: {} when empty; a problem when it is not declared as
// JSON (415), is not valid JSON (400) or is not an object (400). `hint` ends the 415 detail.
std::variant<boost::json::object, Problem> optional_json_object(const Request& req, std::string_view hint = "");

}  // namespace hotline::daemon
