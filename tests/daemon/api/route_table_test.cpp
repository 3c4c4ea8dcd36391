// The API's route table: path templates, dispatch outcomes (405 with Allow), metric labels, and the README's API
// table, which must list exactly the table's rows with their callers.
#include "daemon/api/route_table.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "daemon/api/api.hpp"

using namespace hotline::daemon;
namespace http = boost::beast::http;

TEST_CASE("a path template matches whole segments and captures its parameters", "[api][routes]") {
  PathParams p;
  CHECK(path_matches("/v1/tickets", "/v1/tickets", p));
  CHECK(p.count == 0);
  REQUIRE(path_matches("/v1/tickets/{id}/{action}", "/v1/tickets/ZZ1/sign_for", p));
  CHECK(p.count == 2);
  CHECK(p.values[0] == "ZZ1");
  CHECK(p.values[1] == "sign_for");
  CHECK_FALSE(path_matches("/v1/tickets/{id}", "/v1/tickets/", p));     // an empty segment is no id
  CHECK_FALSE(path_matches("/v1/tickets/{id}", "/v1/tickets/a/b", p));  // one segment only
  CHECK_FALSE(path_matches("/v1/tickets", "/v1/tickets/", p));          // no trailing slash
  CHECK_FALSE(path_matches("/v1/tickets", "/v1/ticketsx", p));
  CHECK_FALSE(path_matches("/v1/units/{id}/queue", "/v1/units/x/feed", p));
  CHECK_FALSE(path_matches("/healthz", "healthz", p));
}

TEST_CASE("request paths are counted under their route template, anything else as other", "[api][routes]") {
  const std::vector<std::pair<const char*, const char*>> table{
      {"/healthz", "/healthz"},
      {"/metrics", "/metrics"},
      {"/v1/tickets", "/v1/tickets"},
      {"/v1/tickets/ZZ20261126000001", "/v1/tickets/{id}"},
      {"/v1/tickets/ZZ20261126000001/sign_for", "/v1/tickets/{id}/{action}"},
      {"/v1/tickets/a/b/c", "other"},
      {"/v1/units/350602.cgj/queue", "/v1/units/{id}/queue"},
      {"/v1/units/350602.cgj/feed", "/v1/units/{id}/feed"},
      {"/v1/units/350602.cgj/escalations", "other"},
      {"/v1/rules", "/v1/rules"},
      {"/v1/route/explain", "/v1/route/explain"},
      {"/v1/admin/reload", "/v1/admin/reload"},
      {"/v1/admin/report", "/v1/admin/report"},
      {"/v1/escalations", "/v1/escalations"},
      {"/v1/escalations/counts", "/v1/escalations/counts"},
      {"/v1/escalations/other", "other"},
      {"/favicon.ico", "other"},
  };
  for (const auto& [path, label] : table) {
    INFO(path);
    CHECK(route_label(Api::routes(), path) == label);
  }
  const auto labels = route_labels(Api::routes());
  CHECK(labels.back() == "other");
  CHECK(std::set<std::string>(labels.begin(), labels.end()).size() == labels.size());
}

TEST_CASE("a known path with a method no row takes is a 405 naming the methods it takes", "[api][routes]") {
  const auto routes = Api::routes();
  auto m = find_route(routes, http::verb::delete_, "/v1/tickets");
  CHECK(m.path_known);
  CHECK(m.route == nullptr);
  CHECK(m.allow == "GET, POST");
  m = find_route(routes, http::verb::post, "/v1/tickets");
  REQUIRE(m.route != nullptr);
  CHECK(m.route->roles.allows(CallerRole::operator_));
  CHECK_FALSE(m.route->roles.allows(CallerRole::unit));
  CHECK(m.route->roles.allows(CallerRole::local));
  m = find_route(routes, http::verb::head, "/healthz");
  REQUIRE(m.route != nullptr);
  CHECK(m.open);
  CHECK(find_route(routes, http::verb::post, "/healthz").allow == "GET, HEAD");
  m = find_route(routes, http::verb::get, "/v1/nothing");
  CHECK_FALSE(m.path_known);
  CHECK_FALSE(m.open);  // unknown paths need a token too: no probing without one
  m = find_route(routes, http::verb::get, "/v1/units/350602.cgj/queue");
  REQUIRE(m.route != nullptr);
  CHECK(m.params.values[0] == "350602.cgj");
  CHECK_FALSE(m.route->roles.allows(CallerRole::admin));
}

TEST_CASE("roles are parsed from their names only, and no name means a role by default", "[api][access]") {
  CHECK(parse_token_role("operator") == CallerRole::operator_);
  CHECK(parse_token_role("unit") == CallerRole::unit);
  CHECK(parse_token_role("supervisor") == CallerRole::supervisor);
  CHECK(parse_token_role("admin") == CallerRole::admin);
  CHECK_FALSE(parse_token_role("local"));
  CHECK_FALSE(parse_token_role("Admin"));
  CHECK_FALSE(parse_token_role(""));
  CHECK(describe_callers(Access::token, RoleSet::everyone()) == "any token");
  CHECK(describe_callers(Access::token, {CallerRole::admin, CallerRole::supervisor}) == "supervisor, admin");
  CHECK(describe_callers(Access::open, {}) == "none");
}

TEST_CASE("the README's API table lists exactly the route table's rows and their callers", "[api][routes]") {
  std::ifstream in(std::string(PROJECT_SOURCE_DIR) + "/README.md");
  REQUIRE(in);
  std::set<std::string> documented;
  std::string line;
  bool inside = false;
  // Rows: | `METHOD /path` | what it does | answers | who |
  const std::regex row(R"(^\| `([A-Z]+) (/[^ `?]*)[^`]*` \|.*\| ([^|]+) \|$)");
  while (std::getline(in, line)) {
    if (line.starts_with("## ")) inside = line == "## HTTP API";
    std::smatch m;
    if (inside && std::regex_match(line, m, row)) documented.insert(m[1].str() + " " + m[2].str() + " | " + m[3].str());
  }
  std::set<std::string> table;
  for (const auto& r : Api::routes()) {
    table.insert(std::string(http::to_string(r.method)) + " " + std::string(r.path) + " | " +
                 describe_callers(r.access, r.roles));
  }
  CHECK(documented == table);
}
