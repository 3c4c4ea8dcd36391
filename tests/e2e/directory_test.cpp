// End-to-end: the rule set's directories a terminal's pickers need — units (paged, the units directly below one,
// by text), the matter catalogue and the gazetteer's divisions — and the OpenAPI document, over HTTP, for any token.
#include <algorithm>
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "support/e2e.hpp"

namespace {

struct Caller {
  HttpClient client;
  std::string token;
  HttpResult get(const std::string& target) { return client.request("GET", target, "", token); }
  json::value get_json(const std::string& target) {
    const auto r = get(target);
    INFO(target << " → " << r.status << " " << r.body);
    REQUIRE(r.status == 200);
    return json::parse(r.body);
  }
  // The field a 400 names.
  std::string refused(const std::string& target) {
    const auto r = get(target);
    INFO(target << " → " << r.status << " " << r.body);
    REQUIRE(r.status == 400);
    return str(json::parse(r.body).at("field"));
  }
};

}  // namespace

TEST_CASE("units, matters and divisions are listed from the live rule set for any token", "[e2e][directory]") {
  TempDir dir;
  const std::string db = dir.path() + "/h.db";
  const auto unit_token = make_token(db, "unit", "350602.cgj");
  const auto admin_token = make_token(db, "admin");
  DaemonProcess daemon(HOTLINED_PATH, {"--listen", "127.0.0.1:0", "--database", db, "--rules", SHIPPED_RULES_DIR});
  Caller unit{HttpClient(daemon.port()), unit_token};
  Caller admin{HttpClient(daemon.port()), admin_token};
  CHECK(HttpClient(daemon.port()).get("/v1/units").status == 401);

  // Every unit once, in id order, page by page.
  std::vector<std::string> ids;
  std::string cursor;
  for (int pages = 0; pages < 20; ++pages) {
    const auto page = unit.get_json("/v1/units?limit=500" + (cursor.empty() ? "" : "&cursor=" + cursor));
    CHECK(page.at("items").as_array().size() <= 500);
    for (const auto& u : page.at("items").as_array()) ids.push_back(str(u.at("id")));
    if (!page.as_object().contains("next_cursor")) break;
    cursor = str(page.at("next_cursor"));
  }
  CHECK(ids.size() > 500);  // more than one page
  CHECK(std::is_sorted(ids.begin(), ids.end()));
  CHECK(std::set<std::string>(ids.begin(), ids.end()).size() == ids.size());
  CHECK(std::find(ids.begin(), ids.end(), "12345.desk") != ids.end());

  // The units directly below the county government: its departments, not itself nor the government above.
  const auto below = unit.get_json("/v1/units?parent=350602.gov&limit=500");
  std::set<std::string> children;
  for (const auto& u : below.at("items").as_array()) {
    CHECK(str(u.at("parent")) == "350602.gov");
    children.insert(str(u.at("id")));
  }
  CHECK(children.contains("350602.cgj"));
  CHECK_FALSE(children.contains("350602.gov"));
  const auto cgj = unit.get_json("/v1/units?q=350602.cgj").at("items").at(0);
  CHECK(str(cgj.at("name")) == "芗城区城市管理局");
  CHECK(str(cgj.at("kind")) == "城市管理局");
  CHECK(str(cgj.at("level")) == "county");
  CHECK(str(cgj.at("areas").at(0)) == "350602");
  // By text: every unit whose name holds 城市管理局.
  const auto by_name = admin.get_json("/v1/units?q=%E5%9F%8E%E5%B8%82%E7%AE%A1%E7%90%86%E5%B1%80&limit=500");
  CHECK(by_name.at("items").as_array().size() > 1);
  for (const auto& u : by_name.at("items").as_array()) CHECK(str(u.at("name")).find("城市管理局") != std::string::npos);
  CHECK(unit.refused("/v1/units?parent=nowhere.gov") == "parent");
  CHECK(unit.refused("/v1/units?limit=0") == "limit");
  CHECK(unit.refused("/v1/units?limit=501") == "limit");
  CHECK(unit.refused("/v1/units?q=") == "q");
  CHECK(unit.refused("/v1/units?q=%01") == "q");
  CHECK(unit.refused("/v1/units?cursor=") == "cursor");
  CHECK(unit.refused("/v1/units?color=red") == "color");

  // The matter catalogue: flat, in code order, each with its parent, level and keyword count.
  const auto matters = unit.get_json("/v1/matters").at("items").as_array();
  REQUIRE(matters.size() > 10);
  std::vector<std::string> codes;
  for (const auto& m : matters) codes.push_back(str(m.at("code")));
  CHECK(std::is_sorted(codes.begin(), codes.end()));
  const auto matter = [&](const std::string& code) {
    for (const auto& m : matters) {
      if (m.at("code") == code.c_str()) return m;
    }
    FAIL("no matter " << code);
    return json::value();
  };
  CHECK(matter("01").at("parent").is_null());
  CHECK(matter("01").at("level") == 1);
  CHECK(str(matter("010101").at("name")) == "路灯照明");
  CHECK(str(matter("010101").at("parent")) == "0101");
  CHECK(matter("010101").at("level") == 3);
  CHECK(matter("010101").at("keywords").to_number<std::int64_t>() > 10);
  CHECK(str(matter("010102").at("owner")) == "functional");
  CHECK(unit.refused("/v1/matters?parent=01") == "parent");

  // The gazetteer: the top level, then a division's children.
  const auto top = unit.get_json("/v1/divisions").at("items").as_array();
  REQUIRE(top.size() == 1);
  CHECK(str(top.at(0).at("code")) == "3506");
  CHECK(top.at(0).at("parent").is_null());
  const auto counties = unit.get_json("/v1/divisions?parent=3506").at("items").as_array();
  std::set<std::string> county_codes;
  for (const auto& d : counties) {
    CHECK(str(d.at("parent")) == "3506");
    county_codes.insert(str(d.at("code")));
  }
  CHECK(county_codes.contains("350602"));
  const auto towns = unit.get_json("/v1/divisions?parent=350602").at("items").as_array();
  REQUIRE_FALSE(towns.empty());
  for (const auto& d : towns) CHECK(str(d.at("code")).starts_with("350602"));
  CHECK(unit.refused("/v1/divisions?parent=9999") == "parent");
  CHECK(unit.refused("/v1/divisions?parent=abc") == "parent");
  CHECK(unit.refused("/v1/divisions?q=x") == "q");
}

TEST_CASE("the daemon serves its OpenAPI document to any token", "[e2e][openapi]") {
  TempDir dir;
  const std::string db = dir.path() + "/h.db";
  const auto unit_token = make_token(db, "unit", "350602.cgj");
  DaemonProcess daemon(HOTLINED_PATH, {"--listen", "127.0.0.1:0", "--database", db, "--rules", SHIPPED_RULES_DIR});
  HttpClient client(daemon.port());
  CHECK(client.get("/v1/openapi.json").status == 401);
  const auto r = client.request("GET", "/v1/openapi.json", "", unit_token);
  REQUIRE(r.status == 200);
  CHECK(r.header("content-type") == "application/json");
  const auto doc = json::parse(r.body);
  CHECK(str(doc.at("openapi")).starts_with("3.1"));
  CHECK(doc.at("paths").as_object().contains("/v1/units"));
  CHECK(doc.at("paths").at("/healthz").at("get").at("security").as_array().empty());
  CHECK(client.request("GET", "/v1/openapi.json?x=1", "", unit_token).status == 400);
}
