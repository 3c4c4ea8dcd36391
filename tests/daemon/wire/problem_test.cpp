#include "daemon/wire/problem.hpp"

#include <catch2/catch.hpp>

#include "routing/keyword_matcher.hpp"

using namespace hotline;
using daemon::storage_problem;
using storage::ErrorCategory;

TEST_CASE("storage failures map to HTTP by category in one place, never to a 400", "[wire]") {
  const auto status = [](ErrorCategory c) { return storage_problem({c, "details for the log"}, "Title").status; };
  CHECK(status(ErrorCategory::busy) == 503);
  CHECK(status(ErrorCategory::unavailable) == 503);
  CHECK(status(ErrorCategory::io) == 503);
  CHECK(status(ErrorCategory::over_budget) == 503);
  CHECK(status(ErrorCategory::full) == 507);
  CHECK(status(ErrorCategory::constraint) == 409);
  CHECK(status(ErrorCategory::not_found) == 404);
  CHECK(status(ErrorCategory::corrupt) == 500);
  CHECK(status(ErrorCategory::schema) == 500);
  CHECK(status(ErrorCategory::read_only) == 500);
  CHECK(status(ErrorCategory::internal) == 500);
  // The store's own words (paths, SQL) stay in the log.
  const auto p = storage_problem({778 /* SQLITE_IOERR_WRITE */, "disk I/O error at /var/lib/hotline/x.db"}, "Stored?");
  CHECK(p.title == "Stored?");
  CHECK(p.detail.find("/var/lib") == std::string::npos);
}

TEST_CASE("a problem is UTF-8 JSON even when its detail quotes bytes that are not", "[wire]") {
  // GET /v1/tickets?%FF=1: the unknown parameter's name, as decoded, in the detail and the field.
  const auto p = daemon::bad_field("\xFF", "unknown query parameter '\xE8\xB7' near 路灯");
  const auto json = p.to_json();
  CHECK(routing::is_valid_utf8(json));
  CHECK(json.find("\"field\":\"\xEF\xBF\xBD\"") != std::string::npos);
  CHECK(json.find("'\xEF\xBF\xBD\xEF\xBF\xBD' near 路灯") != std::string::npos);
}
