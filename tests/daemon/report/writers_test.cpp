// Every output format of the scenario report: written atomically, byte-identical on a re-run, and well-formed
// (CSV with BOM, JSON parses, XLSX a zip with the sheets and the as-of creation time, HTML with SVG charts).
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "daemon/report/report_run.hpp"
#include "report_fixture.hpp"

namespace hotline::test {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

report::RunResult run_into(const std::string& dir) {
  const auto& f = report_fixture();
  std::string error;
  return report::run_report({f.db, dir, report::parse_formats("xlsx,html,csv,json", error), f.options}, {});
}

}  // namespace

TEST_CASE("Two runs over the same database and as-of date give identical bytes in every format", "[report][writers]") {
  const auto& f = report_fixture();
  const auto first = run_into(f.dir.path() + "/run1");
  const auto second = run_into(f.dir.path() + "/run2");
  REQUIRE(first.error.empty());
  REQUIRE(second.error.empty());
  // xlsx + html + json + one CSV per section.
  REQUIRE(first.files.size() == 3 + f.report.sections.size());
  REQUIRE(first.files.size() == second.files.size());
  for (std::size_t i = 0; i < first.files.size(); ++i) {
    INFO(first.files[i]);
    CHECK(std::filesystem::path(first.files[i]).filename() == std::filesystem::path(second.files[i]).filename());
    CHECK(slurp(first.files[i]) == slurp(second.files[i]));
  }
  // No temporary file is left behind.
  for (const auto& entry : std::filesystem::directory_iterator(f.dir.path() + "/run1")) {
    CHECK(entry.path().filename().string().front() != '.');
  }
}

TEST_CASE("Report files are readable by owner and group only, and a killed run's temporaries are removed",
          "[report][writers]") {
  namespace fs = std::filesystem;
  const auto& f = report_fixture();
  const std::string dir = f.dir.path() + "/modes";
  fs::create_directories(dir);
  // A run killed mid-write left its temporaries; a run still going (pid 1 stands for one) keeps its own.
  const pid_t gone = ::fork();
  if (gone == 0) ::_exit(0);
  REQUIRE(gone > 0);
  REQUIRE(::waitpid(gone, nullptr, 0) == gone);
  const std::string stale = dir + "/.hotline-report-2026-11-20.xlsx.tmp" + std::to_string(gone);
  const std::string running = dir + "/.hotline-report-2026-11-20.json.tmp1";
  const std::string unrelated = dir + "/.hotline-report-notes.tmp";
  for (const auto& p : {stale, running, unrelated}) std::ofstream(p) << "half";

  const mode_t saved = ::umask(022);
  const auto run = run_into(dir);
  ::umask(saved);
  REQUIRE(run.error.empty());
  for (const auto& file : run.files) {
    INFO(file);
    CHECK((fs::status(file).permissions() & fs::perms::all) ==
          (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read));
  }
  CHECK_FALSE(fs::exists(stale));
  CHECK(fs::exists(running));
  CHECK(fs::exists(unrelated));
}

TEST_CASE("CSV files start with the UTF-8 byte-order mark and keep the Chinese headers", "[report][writers]") {
  const auto& f = report_fixture();
  const auto run = run_into(f.dir.path() + "/csv");
  REQUIRE(run.error.empty());
  const auto units = slurp(f.dir.path() + "/csv/hotline-report-2026-11-20-units.csv");
  REQUIRE(units.size() > 3);
  CHECK(units.substr(0, 3) == "\xEF\xBB\xBF");
  CHECK(units.find("同类组,组内排名,单位编码,单位") == 3);
  CHECK(units.find("漳州市城市管理局") != std::string::npos);
}

TEST_CASE("The JSON report parses and carries numerators and denominators", "[report][writers]") {
  const auto& f = report_fixture();
  REQUIRE(run_into(f.dir.path() + "/json").error.empty());
  const auto root = boost::json::parse(slurp(f.dir.path() + "/json/hotline-report-2026-11-20.json"));
  const auto& sections = root.at("sections").as_array();
  REQUIRE(sections.size() == f.report.sections.size());
  int rows_found = 0;
  for (const auto& s : sections) {
    if (s.at("key") != "units") continue;
    for (const auto& row : s.at("rows").as_array()) {
      if (row.at("unit_id") != "3506.cgj") continue;
      ++rows_found;
      const auto& on_time = row.at("on_time_rate");
      CHECK(on_time.at("num").as_int64() == 2);
      CHECK(on_time.at("den").as_int64() == 4);
      CHECK(on_time.at("percent") == "50.00");
    }
  }
  CHECK(rows_found == 1);  // the units section has exactly one row for 3506.cgj
}

TEST_CASE("The XLSX workbook is a zip with a sheet per section and the as-of creation time", "[report][writers]") {
  const auto& f = report_fixture();
  REQUIRE(run_into(f.dir.path() + "/xlsx").error.empty());
  const auto path = f.dir.path() + "/xlsx/hotline-report-2026-11-20.xlsx";
  CHECK(slurp(path).substr(0, 4) == "PK\x03\x04");
  const auto workbook = run_command("/usr/bin/unzip", {"-p", path, "xl/workbook.xml"});
  REQUIRE(workbook.status == 0);
  for (const char* sheet : {"说明", "概况", "红牌 超期未办", "黄牌 一个工作日内到期", "单位考核", "红黑榜",
                            "否定报备 按单位", "退单最多的派单规则", "近7日趋势", "近30日趋势"}) {
    CHECK(workbook.out.find(std::string("name=\"") + sheet + "\"") != std::string::npos);
  }
  // Native charts, and the document created at the start of the as-of day (2026-11-20 00:00 +08:00).
  const auto listing = run_command("/usr/bin/unzip", {"-l", path});
  CHECK(listing.out.find("xl/charts/chart1.xml") != std::string::npos);
  const auto core = run_command("/usr/bin/unzip", {"-p", path, "docProps/core.xml"});
  CHECK(core.out.find("2026-11-19T16:00:00Z") != std::string::npos);
  // Frozen header row on the section sheets.
  const auto sheet = run_command("/usr/bin/unzip", {"-p", path, "xl/worksheets/sheet2.xml"});
  CHECK(sheet.out.find("state=\"frozen\"") != std::string::npos);
}

TEST_CASE("The HTML page is self-contained with inline SVG charts", "[report][writers]") {
  const auto& f = report_fixture();
  REQUIRE(run_into(f.dir.path() + "/html").error.empty());
  const auto html = slurp(f.dir.path() + "/html/hotline-report-2026-11-20.html");
  CHECK(html.find("<svg") != std::string::npos);
  CHECK(html.find("<polyline") != std::string::npos);  // the trend line chart
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("src=") == std::string::npos);
  CHECK(html.find("红黑榜") != std::string::npos);
}

TEST_CASE("The previous period of each kind", "[report][summary]") {
  const auto day = [](const char* text) { return *routing::parse_day(text); };
  const auto previous = [&](const char* kind, const char* as_of) {
    report::ReportOptions o;
    o.period_kind = kind;
    o.as_of = day(as_of);
    std::tie(o.from, o.to) = *report::period_days(kind, o.as_of);
    return report::previous_period(o);
  };
  CHECK(previous("day", "2026-11-20") == std::pair{day("2026-11-19"), day("2026-11-19")});
  CHECK(previous("week", "2026-11-20") == std::pair{day("2026-11-09"), day("2026-11-13")});
  CHECK(previous("month", "2026-11-20") == std::pair{day("2026-10-01"), day("2026-10-20")});
  CHECK(previous("month", "2026-03-31") == std::pair{day("2026-02-01"), day("2026-02-28")});
  CHECK(previous("month", "2026-01-15") == std::pair{day("2025-12-01"), day("2025-12-15")});
  report::ReportOptions custom;
  custom.period_kind = "custom";
  custom.from = day("2026-11-01");
  custom.to = day("2026-11-20");
  CHECK(report::previous_period(custom) == std::pair{day("2026-10-12"), day("2026-10-31")});
}

}  // namespace hotline::test
