// Every output format of the scenario report: written atomically, byte-identical on a re-run, and well-formed
// (CSV with BOM, JSON parses, XLSX a zip with the sheets and the as-of creation time, HTML with SVG charts).
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "daemon/report/report_run.hpp"
#include "daemon/report/report_writers.hpp"
#include "report_fixture.hpp"

namespace hotline::test {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The text of the <section> with id `key` (up to its closing tag); "" when there is none.
std::string section_text(const std::string& html, const std::string& key) {
  const auto at = html.find("<section id=\"" + key + "\"");
  if (at == std::string::npos) return {};
  return html.substr(at, html.find("</section>", at) - at);
}

// The (label, count) of every <summary>label (count)</summary> in `text`, in order.
std::vector<std::pair<std::string, std::size_t>> folds(const std::string& text) {
  std::vector<std::pair<std::string, std::size_t>> out;
  const std::regex summary(R"(<summary>([^<]*) \((\d+)\)</summary>)");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), summary); it != std::sregex_iterator(); ++it) {
    out.emplace_back((*it)[1].str(), std::stoul((*it)[2].str()));
  }
  return out;
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

TEST_CASE("The HTML page leads with the headline rates, then 红黑榜 and the charts, then the lists",
          "[report][writers][html]") {
  const auto& f = report_fixture();
  const auto html = report::render_html(f.report);
  const auto headline = html.find("<section id=\"headline\"");
  const auto summary = html.find("<section id=\"summary\"");
  const auto rankings = html.find("<section id=\"rankings\"");
  const auto first_chart = html.find("<svg");
  const auto last_chart = html.rfind("</svg>");
  const auto red = html.find("<section id=\"red_list\"");
  REQUIRE(red != std::string::npos);
  const auto first_red_row = html.find("<tr><td>", red);
  REQUIRE(!f.report.find("red_list")->rows.empty());
  CHECK(headline < summary);
  CHECK(summary < rankings);
  CHECK(rankings < first_chart);
  CHECK(last_chart < red);  // every chart (红黑榜, 否定报备, rules, both trends) comes before the red cards
  CHECK(red < first_red_row);
  CHECK(html.find("<section id=\"trend_30\"") < red);
  // The other lists follow the red cards; the full unit table comes after them.
  CHECK(red < html.find("<section id=\"return_details\""));
  CHECK(html.find("<section id=\"return_details\"") < html.find("<section id=\"units\""));
  // Every section of the model is on the page exactly once, and there is nothing to run.
  for (const auto& s : f.report.sections) {
    const auto at = html.find("<section id=\"" + s.key + "\"");
    CHECK(at != std::string::npos);
    CHECK(html.find("<section id=\"" + s.key + "\"", at + 1) == std::string::npos);
  }
  CHECK(html.find("<script") == std::string::npos);
  CHECK(!std::regex_search(html, std::regex(R"(<[^>]*\son[a-z]+\s*=)")));
}

TEST_CASE("The HTML page folds each long list per unit, the unit with the most rows first", "[report][writers][html]") {
  const auto& f = report_fixture();
  const auto html = report::render_html(f.report);
  for (const char* key : {"red_list", "yellow_list", "return_details"}) {
    INFO(key);
    const auto* s = f.report.find(key);
    REQUIRE(s != nullptr);
    // Expected from the model: rows per unit, most first, then by unit id.
    std::map<std::string, std::pair<std::string, std::size_t>> per_unit;
    for (std::size_t i = 0; i < s->rows.size(); ++i) {
      auto& u = per_unit[f.cell(key, i, "unit_id")];
      u.first = f.cell(key, i, "unit");
      ++u.second;
    }
    std::vector<std::pair<std::string, std::size_t>> expected;
    for (const auto& [id, u] : per_unit) expected.push_back(u);
    std::stable_sort(expected.begin(), expected.end(), [](auto& x, auto& y) { return x.second > y.second; });
    const auto text = section_text(html, key);
    CHECK(folds(text) == expected);
    // Every row is inside a fold.
    std::size_t rows = 0;
    for (auto at = text.find("<tr><td>"); at != std::string::npos; at = text.find("<tr><td>", at + 1)) ++rows;
    CHECK(rows == s->rows.size());
  }
  CHECK(folds(section_text(html, "red_list")).size() >= 2);
}

TEST_CASE("Folded groups are ordered by row count, named escaped, and hold their unit's rows",
          "[report][writers][html]") {
  report::Report r;
  r.title = "t";
  report::Section list{"red_list", "红牌 超期未办",
                       "",         {{"unit_id", "单位编码"}, {"unit", "单位"}, {"ticket", "工单号"}},
                       {},         std::nullopt};
  const auto row = [&](const char* id, const char* name, const char* ticket) {
    list.rows.push_back({report::Cell::of(id), report::Cell::of(name), report::Cell::of(ticket)});
  };
  row("a", "甲", "T1");
  row("b", "乙<&>", "T2");
  row("b", "乙<&>", "T3");
  row("b", "乙<&>", "T4");
  row("c", "丙", "T5");
  row("c", "丙", "T6");
  row("d", "丁", "T7");  // as many rows as 甲: after it (unit id)
  r.sections.push_back(list);
  const auto html = report::render_html(r);
  const std::vector<std::pair<std::string, std::size_t>> expected{
      {"乙&lt;&amp;&gt;", 3}, {"丙", 2}, {"甲", 1}, {"丁", 1}};
  CHECK(folds(html) == expected);
  CHECK(html.find("乙<&>") == std::string::npos);
  const auto b = html.find("<summary>乙");
  const auto c = html.find("<summary>丙");
  for (const char* t : {"T2", "T3", "T4"}) {
    CHECK(html.find(t) > b);
    CHECK(html.find(t) < c);
  }
}

TEST_CASE("The headline rates show the change against the previous period, or — without one",
          "[report][writers][html][summary]") {
  const auto& f = report_fixture();
  // Month to date 11-01..11-20 against 10-01..10-20: the scenario has no dispatch then.
  CHECK(f.cell("summary", f.row_where("summary", "item", "及时签收率"), "previous") == "");
  const auto month = report::render_html(f.report);
  CHECK(section_text(month, "headline")
            .find("<tr><td>及时签收率</td><td class=\"n\">71.43%</td><td class=\"n\">—</td><td class=\"n\">—</td>"
                  "</tr>") != std::string::npos);
  // The same days as a custom period compare with the 20 days before: 10-12..10-31, i.e. T16 alone (dispatched
  // 10-30 10:00, signed 11:00: 1/1), so sign-for 10/14 = 71.43% against 100.00%: -28.57 points.
  auto o = f.options;
  o.period_kind = "custom";
  const auto custom = report::build_report(f.facts, o);
  const auto html = report::render_html(custom);
  CHECK(section_text(html, "headline")
            .find("<tr><td>及时签收率</td><td class=\"n\">71.43%</td><td class=\"n\">100.00%</td>"
                  "<td class=\"n\">-28.57</td></tr>") != std::string::npos);
  // The previous figure is the figure of a report over the previous period.
  auto before = o;
  before.from = *routing::parse_day("2026-10-12");
  before.to = *routing::parse_day("2026-10-31");
  const auto previous = report::build_report(f.facts, before);
  const auto& now_summary = *custom.find("summary");
  const auto& before_summary = *previous.find("summary");
  for (std::size_t i = 0; i < now_summary.rows.size(); ++i) {
    if (now_summary.rows[i][1].kind != report::Cell::Kind::rate) continue;
    INFO(report::display(now_summary.rows[i][0]));
    CHECK(report::display(now_summary.rows[i][2]) == report::display(before_summary.rows[i][1]));
  }
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
