#include "daemon/wire/problem.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "routing/keyword_matcher.hpp"

namespace hotline::daemon {

namespace {

// `text` with every byte that does not start a well-formed UTF-8 sequence replaced by U+FFFD: details and fields
// quote what the caller sent (a query parameter's name, a Transfer-Encoding), which may be any bytes, and a JSON
// text must be UTF-8.
std::string utf8_or_replaced(std::string_view text) {
  if (routing::is_valid_utf8(text)) return std::string(text);
  std::string out;
  out.reserve(text.size() + 8);
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t at = i;
    const char32_t cp = routing::decode_utf8(text, i);
    if (cp == 0xFFFD && i - at == 1) {
      out += "\xEF\xBF\xBD";
    } else {
      out.append(text.substr(at, i - at));
    }
  }
  return out;
}

}  // namespace

std::string Problem::to_json() const {
  boost::json::object o;
  o["type"] = "urn:hotline:problem:" + type;
  o["title"] = utf8_or_replaced(title);
  o["status"] = status;
  o["detail"] = utf8_or_replaced(detail);
  if (!field.empty()) o["field"] = utf8_or_replaced(field);
  return boost::json::serialize(o);
}

Problem bad_field(std::string field, std::string detail) {
  return {400, "invalid-field", "A field of the request is invalid", std::move(detail), std::move(field)};
}

Problem storage_problem(const storage::Error& error, std::string title) {
  using storage::ErrorCategory;
  spdlog::warn("{}: {} ({}, code {})", title, error.message, to_string(error.category), error.code);
  switch (error.category) {
    case ErrorCategory::busy:
    case ErrorCategory::unavailable:
    case ErrorCategory::io:
      return {503, "storage-unavailable", std::move(title), "the database is not available now; retry later", ""};
    case ErrorCategory::over_budget:
      return {503, "query-too-long", std::move(title), "the query ran past its time budget and was stopped", ""};
    case ErrorCategory::full:
      return {507, "storage-full", std::move(title), "the disk or the database is full", ""};
    case ErrorCategory::constraint:
      return {409, "conflict", std::move(title), "the change conflicts with what is stored", ""};
    case ErrorCategory::not_found:
      return {404, "not-found", std::move(title), "no such record", ""};
    case ErrorCategory::corrupt:
    case ErrorCategory::schema:
    case ErrorCategory::read_only:
    case ErrorCategory::internal:
      break;
  }
  return {500, "storage-failure", std::move(title),
          "the database failed (" + std::string(to_string(error.category)) + "); the daemon's log says more", ""};
}

std::string_view retry_after(const Problem& problem) {
  return problem.type == "storage-unavailable" ? "2" : "";
}

}  // namespace hotline::daemon
