// End-to-end: a deadline in a year with no holiday table is provisional; loading a table for that year
// recomputes it over HTTP reload, records the change as an event, and the event log still rebuilds every state.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/e2e.hpp"

namespace fs = std::filesystem;
using namespace std::chrono;

namespace {

// The next Monday-to-Friday days after today in the daemon's zone (Asia/Shanghai, UTC+8, no DST).
std::vector<year_month_day> next_weekdays(int n) {
  const auto today = floor<days>(system_clock::now() + hours(8));
  std::vector<year_month_day> out;
  for (auto d = today + days(1); static_cast<int>(out.size()) < n; d += days(1)) {
    const weekday w{d};
    if (w != Saturday && w != Sunday) out.emplace_back(d);
  }
  return out;
}

std::string iso(const year_month_day& d) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                static_cast<unsigned>(d.day()));
  return text;
}

// A copy of the fixture rules under `dir` without a table for `year` or any later one.
fs::path rules_without_tables_from(const std::string& dir, int year) {
  const fs::path rules = dir + "/rules";
  fs::copy(E2E_RULES_DIR, rules, fs::copy_options::recursive);
  for (const auto& entry : fs::directory_iterator(rules / "calendar")) {
    if (entry.path().extension() == ".json" && std::stoi(entry.path().stem().string()) >= year) {
      fs::remove(entry.path());
    }
  }
  return rules;
}

// Publishes `year`'s table in `rules`: the days of `off` in that year are days off.
void publish_table(const fs::path& rules, int year, const std::vector<year_month_day>& off) {
  json::array days;
  for (const auto& d : off) {
    if (static_cast<int>(d.year()) == year)
      days.push_back({{"name", "测试假日"}, {"date", iso(d)}, {"isOffDay", true}});
  }
  std::ofstream(rules / "calendar" / (std::to_string(year) + ".json"))
      << json::serialize(json::object{{"year", year}, {"papers", json::array{}}, {"days", days}});
}

json::object lead_assignment(HttpClient& client, const std::string& id) {
  const auto view = json::parse(client.request("GET", "/v1/tickets/" + id, "", "").body);
  return view.at("case").at("assignments").as_array().at(0).as_object();
}

}  // namespace

TEST_CASE("loading a newer holiday table recomputes provisional deadlines as events", "[e2e][calendar]") {
  TempDir dir;
  const auto off = next_weekdays(2);
  const int year = static_cast<int>(off[0].year());
  const fs::path rules = rules_without_tables_from(dir.path(), year);
  const std::string db = dir.path() + "/h.db";
  DaemonProcess daemon(HOTLINED_PATH, {"--listen", "127.0.0.1:0", "--database", db, "--rules", rules.string()});
  HttpClient client(daemon.port());

  const auto created = client.request("POST", "/v1/tickets", R"({"content":"胜利路路灯不亮","area":"350602"})", "");
  REQUIRE(created.status == 201);
  const auto id = json::value_to<std::string>(json::parse(created.body).at("id"));
  const auto before = lead_assignment(client, id);
  REQUIRE(before.at("sign_for").at("provisional").as_bool());
  const std::string due_before(before.at("sign_for").at("due_at").as_string());

  // The year's table arrives: the next two weekdays are days off (both listed only if they fall in that year).
  publish_table(rules, year, off);
  const auto reloaded = client.request("POST", "/v1/admin/reload", "{}", "");
  REQUIRE(reloaded.status == 200);
  const auto summary = json::parse(reloaded.body).at("deadlines_recomputed");
  CHECK(summary.at("tickets_checked").as_int64() == 1);
  CHECK(summary.at("tickets_changed").as_int64() == 1);
  CHECK(summary.at("changes").as_int64() >= 1);

  // The sign-for deadline moved past the new days off; the change is an event in the ticket's log.
  const auto after = lead_assignment(client, id);
  const std::string due_after(after.at("sign_for").at("due_at").as_string());
  CHECK(due_after > due_before);
  CHECK(due_after.substr(0, 10) > iso(off[0]));
  const auto ticket = json::parse(client.request("GET", "/v1/tickets/" + id, "", "").body);
  int recomputed = 0;
  for (const auto& e : ticket.at("events").as_array()) {
    if (e.at("kind") == "deadline_recomputed") {
      ++recomputed;
      CHECK(e.at("role") == "system");
    }
  }
  CHECK(recomputed == summary.at("changes").as_int64());

  // A second reload of the same calendar changes nothing.
  const auto again = client.request("POST", "/v1/admin/reload", "{}", "");
  REQUIRE(again.status == 200);
  CHECK(json::parse(again.body).at("deadlines_recomputed").at("changes").as_int64() == 0);

  const auto verify = run_command(HOTLINECTL_PATH, {"db", "verify", "--database", db});
  CHECK(verify.status == 0);
  CHECK(verify.out.find("0 difference") != std::string::npos);
}

TEST_CASE("a holiday table installed while the daemon was down is applied at the next start", "[e2e][calendar]") {
  TempDir dir;
  const auto off = next_weekdays(2);
  const int year = static_cast<int>(off[0].year());
  const fs::path rules = rules_without_tables_from(dir.path(), year);
  const std::string db = dir.path() + "/h.db";
  const std::vector<std::string> args{"--listen", "127.0.0.1:0", "--database", db, "--rules", rules.string()};
  std::string id, due_before;
  {
    DaemonProcess daemon(HOTLINED_PATH, args);
    HttpClient client(daemon.port());
    const auto created = client.request("POST", "/v1/tickets", R"({"content":"胜利路路灯不亮","area":"350602"})", "");
    REQUIRE(created.status == 201);
    id = json::value_to<std::string>(json::parse(created.body).at("id"));
    const auto before = lead_assignment(client, id);
    REQUIRE(before.at("sign_for").at("provisional").as_bool());
    due_before = std::string(before.at("sign_for").at("due_at").as_string());
    CHECK(daemon.stop(SIGKILL) == 128 + SIGKILL);
  }
  // While it is down, the year's table arrives.
  publish_table(rules, year, off);

  DaemonProcess daemon(HOTLINED_PATH, args);
  REQUIRE(daemon.wait_for_output(R"(1 ticket\(s\) with provisional deadlines, 1 changed)"));
  HttpClient client(daemon.port());
  const auto after = lead_assignment(client, id);
  CHECK_FALSE(after.at("sign_for").at("provisional").as_bool());
  CHECK(std::string(after.at("sign_for").at("due_at").as_string()) > due_before);

  // Once applied, a start with the same table finds nothing to do.
  CHECK(daemon.stop(SIGTERM) == 0);
  DaemonProcess again(HOTLINED_PATH, args);
  HttpClient second(again.port());
  CHECK(second.request("GET", "/healthz", "", "").status == 200);
  CHECK(again.stop(SIGTERM) == 0);
  CHECK(again.output().find("provisional deadlines") == std::string::npos);
}
