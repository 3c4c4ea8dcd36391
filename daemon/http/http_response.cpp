#include "daemon/http/http_response.hpp"

#include <boost/json/parse.hpp>
#include <cctype>

namespace hotline::daemon {

Response make_response(const Request& req, http::status status, std::string body, std::string_view content_type) {
  Response res{status, req.version()};
  res.set(http::field::server, "hotlined");
  res.set(http::field::content_type, content_type);
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

Response problem_response(const Request& req, const Problem& p) {
  auto res = make_response(req, static_cast<http::status>(p.status), p.to_json(), "application/problem+json");
  if (const auto seconds = retry_after(p); !seconds.empty()) res.set(http::field::retry_after, seconds);
  return res;
}

bool is_json_content_type(std::string_view value) {
  const auto semi = value.find(';');
  auto media = value.substr(0, semi);
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  if (media.size() != 16) return false;
  constexpr std::string_view expected = "application/json";
  for (std::size_t i = 0; i < media.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(media[i])) != expected[i]) return false;
  }
  return true;
}

Response forbidden(const Request& req, const std::string& detail) {
  return problem_response(req, {403, "forbidden", "Not allowed for this token", detail, ""});
}

Response unauthenticated(const Request& req) {
  auto res = problem_response(req, {401, "unauthenticated", "A valid bearer token is required",
                                    "send Authorization: Bearer <token> (hotlinectl token create)", ""});
  res.set(http::field::www_authenticate, "Bearer");
  return res;
}

Response method_not_allowed(const Request& req, std::string_view allowed) {
  auto res =
      problem_response(req, {405, "method-not-allowed", "Method not allowed", "use " + std::string(allowed), ""});
  res.set(http::field::allow, allowed);
  return res;
}

Response refusal_response(const Request& req, const routing::Refusal& refusal) {
  switch (refusal.kind) {
    case routing::RefusalKind::wrong_state:
      return problem_response(req,
                              {409, "wrong-state", "Not possible in the ticket's current state", refusal.reason, ""});
    case routing::RefusalKind::forbidden:
      return problem_response(req, {403, "forbidden", "Not allowed for this token", refusal.reason, ""});
    case routing::RefusalKind::invalid:
      break;
  }
  return problem_response(req, {422, "invalid-action", "The action cannot be taken as asked", refusal.reason, ""});
}

std::variant<boost::json::object, Problem> optional_json_object(const Request& req, std::string_view hint) {
  if (req.body().empty()) return boost::json::object{};
  if (!is_json_content_type(req[http::field::content_type])) {
    return Problem{415, "unsupported-media-type", "The body must be JSON",
                   "send Content-Type: application/json" + std::string(hint), ""};
  }
  boost::system::error_code ec;
  auto body = boost::json::parse(req.body(), ec);
  if (ec) return Problem{400, "malformed-json", "The request body is not valid JSON", ec.message(), ""};
  if (!body.is_object()) return bad_field("", "the body must be a JSON object");
  return std::move(body.as_object());
}

Response closing_problem(unsigned version, const Problem& p) {
  Request req{http::verb::get, "/", version == 10 ? 10u : 11u};
  req.keep_alive(false);
  auto res = problem_response(req, p);
  res.set(http::field::connection, "close");
  return res;
}

}  // namespace hotline::daemon
