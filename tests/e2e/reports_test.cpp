// End-to-end: the published nightly reports of report.dir, listed newest first and downloaded with their content
// types by supervisors and admins; only the names a report run writes are reachable, nothing else of the folder.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>

#include "support/e2e.hpp"

namespace fs = std::filesystem;

TEST_CASE("published reports are listed newest first and downloaded, nothing else of the folder", "[e2e][reports]") {
  TempDir dir;
  const std::string db = dir.path() + "/h.db", reports = dir.path() + "/reports";
  fs::create_directories(reports);
  const std::string config = dir.path() + "/hotline.yaml";
  std::ofstream(config) << "report:\n  dir: " << reports << "\n  formats: xlsx,html,csv,json\n";
  // An older day published before, a run's leftover temporary, a stranger's file and a folder with a report's name.
  std::ofstream(reports + "/hotline-report-2026-11-30.json", std::ios::binary) << R"({"old":true})";
  std::ofstream(reports + "/.hotline-report-2026-11-30.html.tmp999") << "half";
  std::ofstream(reports + "/secrets.yaml") << "key: 1";
  fs::create_directories(reports + "/hotline-report-2026-11-29.html");
  std::ofstream(dir.path() + "/hotline-report-2026-11-28.json") << "{}";  // outside the folder
  const auto supervisor = make_token(db, "supervisor");
  const auto operator_ = make_token(db, "operator");
  const auto unit = make_token(db, "unit", "350602.cgj");
  const auto admin = make_token(db, "admin");
  DaemonProcess daemon(HOTLINED_PATH,
                       {"--config", config, "--listen", "127.0.0.1:0", "--database", db, "--rules", SHIPPED_RULES_DIR});
  HttpClient client(daemon.port());
  const auto get = [&](const std::string& target, const std::string& token = "") {
    return client.request("GET", target, "", token.empty() ? supervisor : token);
  };

  // A day published now, by the report endpoint.
  const auto run = client.request("POST", "/v1/admin/report", R"({"as_of":"2026-12-01"})", supervisor);
  REQUIRE(run.status == 200);
  // Not today, which is not over (its deadlines still to come would count as missed), nor a later day.
  for (const auto& day : {local_today(), std::string("2099-12-31")}) {
    const auto early = client.request("POST", "/v1/admin/report", R"({"as_of":")" + day + R"("})", supervisor);
    INFO(day << ": " << early.body);
    CHECK(early.status == 400);
    CHECK(str(json::parse(early.body).at("detail")) ==
          "must be a day that is over: yesterday (the default) or earlier");
    CHECK_FALSE(fs::exists(reports + "/hotline-report-" + day + ".json"));
  }

  const auto listed = get("/v1/reports");
  REQUIRE(listed.status == 200);
  const auto items = json::parse(listed.body).at("items").as_array();
  REQUIRE(items.size() == 2);
  CHECK(str(items.at(0).at("as_of")) == "2026-12-01");
  CHECK(str(items.at(1).at("as_of")) == "2026-11-30");
  std::set<std::string> formats;
  for (const auto& f : items.at(0).at("files").as_array()) {
    formats.insert(str(f.at("format")));
    CHECK(str(f.at("path")) == "/v1/reports/2026-12-01/" + str(f.at("name")));
    CHECK(f.at("size").to_number<std::int64_t>() ==
          static_cast<std::int64_t>(fs::file_size(reports + "/" + str(f.at("name")))));
  }
  CHECK(formats == std::set<std::string>{"xlsx", "html", "csv", "json"});
  REQUIRE(items.at(1).at("files").as_array().size() == 1);  // the temporary, the stranger and the folder left out

  // Each file as written, with its content type.
  const std::map<std::string, std::string> types{
      {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
      {"html", "text/html; charset=utf-8"},
      {"csv", "text/csv; charset=utf-8"},
      {"json", "application/json"}};
  for (const auto& f : items.at(0).at("files").as_array()) {
    const auto r = get(str(f.at("path")));
    INFO(str(f.at("path")));
    REQUIRE(r.status == 200);
    CHECK(r.header("content-type") == types.at(str(f.at("format"))));
    std::ifstream in(reports + "/" + str(f.at("name")), std::ios::binary);
    CHECK(r.body == std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()));
  }
  const auto old = get("/v1/reports/2026-11-30/hotline-report-2026-11-30.json");
  CHECK(old.body == R"({"old":true})");

  // Anything but a listed name is a 404: other files, other days' names, traversal in any spelling.
  for (const std::string target :
       {"/v1/reports/2026-11-30/secrets.yaml", "/v1/reports/2026-11-30/.hotline-report-2026-11-30.html.tmp999",
        "/v1/reports/2026-11-29/hotline-report-2026-11-29.html",
        "/v1/reports/2026-12-01/hotline-report-2026-11-30.json",
        "/v1/reports/2026-11-28/hotline-report-2026-11-28.json",
        "/v1/reports/2026-12-02/hotline-report-2026-12-02.json", "/v1/reports/../hotline-report-2026-11-28.json",
        "/v1/reports/2026-11-30/..%2Fhotline-report-2026-11-28.json", "/v1/reports/x/hotline-report-x.json",
        "/v1/reports/2026-11-30/hotline-report-2026-11-30-..%2F..%2Fh.db.csv"}) {
    INFO(target);
    CHECK(get(target).status == 404);
  }

  // Supervisors and admins only; no unknown parameters.
  CHECK(get("/v1/reports", operator_).status == 403);
  CHECK(get("/v1/reports", unit).status == 403);
  CHECK(get("/v1/reports/2026-11-30/hotline-report-2026-11-30.json", unit).status == 403);
  CHECK(get("/v1/reports", admin).status == 200);
  const auto bad = get("/v1/reports?day=2026-12-01");
  REQUIRE(bad.status == 400);
  CHECK(str(json::parse(bad.body).at("field")) == "day");
}
