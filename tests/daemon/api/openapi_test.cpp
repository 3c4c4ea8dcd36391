// The compiled-in OpenAPI document against the route table: every row documented with its path parameters and
// its security (none for open rows), and nothing the table lacks.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "daemon/api/api.hpp"
#include "daemon/api/openapi_document.hpp"
#include "daemon/api/published_reports.hpp"

using namespace hotline::daemon;
namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

// The {…} names of a path template, in order.
std::vector<std::string> template_params(std::string_view path) {
  std::vector<std::string> out;
  for (auto open = path.find('{'); open != std::string_view::npos; open = path.find('{', open + 1)) {
    out.emplace_back(path.substr(open + 1, path.find('}', open) - open - 1));
  }
  return out;
}

}  // namespace

TEST_CASE("the OpenAPI document describes exactly the route table's rows", "[api][routes][openapi]") {
  boost::system::error_code ec;
  const auto doc = json::parse(openapi_document(), ec);
  REQUIRE_FALSE(ec);
  CHECK(doc.at("openapi").as_string().starts_with("3.1"));
  const auto& schemes = doc.at("components").at("securitySchemes").as_object();
  CHECK(schemes.at("bearer").at("scheme") == "bearer");
  CHECK(schemes.at("session").at("in") == "cookie");
  CHECK(schemes.at("session").at("name") == "hl_session");
  CHECK(doc.at("security").as_array().size() == 2);

  std::set<std::string> documented;
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    for (const auto& [method, op] : item.as_object()) documented.insert(std::string(method) + " " + std::string(path));
  }
  std::set<std::string> table;
  for (const auto& r : Api::routes()) {
    std::string method(http::to_string(r.method));
    for (auto& c : method) c = static_cast<char>(c - 'A' + 'a');
    const std::string key = method + " " + std::string(r.path);
    table.insert(key);
    INFO(key);
    const auto* item = doc.at("paths").as_object().if_contains(r.path);
    REQUIRE(item != nullptr);
    const auto* op = item->as_object().if_contains(method);
    REQUIRE(op != nullptr);
    CHECK_FALSE(op->at("summary").as_string().empty());
    CHECK(op->as_object().contains("responses"));
    // Open rows need nothing; every other row takes the document's security (a token or the session cookie).
    const auto* security = op->as_object().if_contains("security");
    if (r.access == Access::open) {
      REQUIRE(security != nullptr);
      CHECK(security->as_array().empty());
    } else {
      CHECK(security == nullptr);
    }
    // Each {name} of the path is a required path parameter, and there are no others.
    std::vector<std::string> path_params;
    if (const auto* params = op->as_object().if_contains("parameters")) {
      for (const auto& p : params->as_array()) {
        if (p.at("in") == "path") {
          CHECK(p.at("required") == true);
          path_params.emplace_back(p.at("name").as_string());
        }
      }
    }
    CHECK(path_params == template_params(r.path));
  }
  CHECK(documented == table);
}

TEST_CASE("only names a report run writes are report files, of the day asked", "[api][reports]") {
  CHECK(report_file_format("2026-12-04", "hotline-report-2026-12-04.xlsx") == "xlsx");
  CHECK(report_file_format("2026-12-04", "hotline-report-2026-12-04.html") == "html");
  CHECK(report_file_format("2026-12-04", "hotline-report-2026-12-04.json") == "json");
  CHECK(report_file_format("2026-12-04", "hotline-report-2026-12-04-units.csv") == "csv");
  CHECK_FALSE(report_file_format("2026-12-04", "hotline-report-2026-12-03.xlsx"));  // another day's
  CHECK_FALSE(report_file_format("2026-12-04", ".hotline-report-2026-12-04.xlsx.tmp42"));
  CHECK_FALSE(report_file_format("2026-12-04", "hotline-report-2026-12-04.csv"));
  CHECK_FALSE(report_file_format("2026-12-04", "hotline-report-2026-12-04-../x.csv"));
  CHECK_FALSE(report_file_format("2026-12-04", "hotline-report-2026-12-04-a/b.csv"));
  CHECK_FALSE(report_file_format("2026-12-04", "hotline-report-2026-12-04.xlsx/"));
  CHECK_FALSE(report_file_format("2026-12-04", "secrets.yaml"));
  CHECK_FALSE(report_file_format("2026-02-30", "hotline-report-2026-02-30.xlsx"));
  CHECK_FALSE(report_file_format("..", "hotline-report-...xlsx"));
  CHECK(report_content_type("xlsx") == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  CHECK(report_content_type("csv").starts_with("text/csv"));
  CHECK(report_content_type("html").starts_with("text/html"));
  CHECK(report_content_type("json") == "application/json");
}
