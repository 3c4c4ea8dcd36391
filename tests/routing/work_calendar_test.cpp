#include "routing/work_calendar.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "shipped_calendar.hpp"

using namespace hotline::routing;
using namespace hotline::routing::test;

namespace {

std::vector<std::string> messages(const CalendarResult& r) {
  std::vector<std::string> out;
  for (const auto& d : r.diagnostics) out.push_back(d.to_string());
  return out;
}

std::string joined(const std::vector<std::string>& all) {
  std::string out;
  for (const auto& m : all) out += m + "\n";
  return out;
}

// The State Council notices for 2024–2026 as data, checked against the JSON files below.
struct YearList {
  int year;
  std::vector<std::string> make_up;  // 调休上班: weekend days that are working days
  std::vector<std::string> off;      // statutory days off as listed (weekends inside holiday blocks included)
};
const std::vector<YearList> k_notices{
    {2024,
     {"02-04", "02-18", "04-07", "04-28", "05-11", "09-14", "09-29", "10-12"},
     {"01-01", "02-10", "02-11", "02-12", "02-13", "02-14", "02-15", "02-16", "02-17", "04-04",
      "04-05", "04-06", "05-01", "05-02", "05-03", "05-04", "05-05", "06-10", "09-15", "09-16",
      "09-17", "10-01", "10-02", "10-03", "10-04", "10-05", "10-06", "10-07"}},
    {2025,
     {"01-26", "02-08", "04-27", "09-28", "10-11"},
     {"01-01", "01-28", "01-29", "01-30", "01-31", "02-01", "02-02", "02-03", "02-04", "04-04",
      "04-05", "04-06", "05-01", "05-02", "05-03", "05-04", "05-05", "05-31", "06-01", "06-02",
      "10-01", "10-02", "10-03", "10-04", "10-05", "10-06", "10-07", "10-08"}},
    {2026,
     {"01-04", "02-14", "02-28", "05-09", "09-20", "10-10"},
     {"01-01", "01-02", "01-03", "02-15", "02-16", "02-17", "02-18", "02-19", "02-20", "02-21", "02-22",
      "02-23", "04-04", "04-05", "04-06", "05-01", "05-02", "05-03", "05-04", "05-05", "06-19", "06-20",
      "06-21", "09-25", "09-26", "09-27", "10-01", "10-02", "10-03", "10-04", "10-05", "10-06", "10-07"}},
};

std::string in_year(int year, const std::string& month_day) {
  return std::to_string(year) + "-" + month_day;
}

}  // namespace

// --- days and dates ---------------------------------------------------------------------------------------------

TEST_CASE("day numbers and dates round-trip for every day from 1970 to 2100", "[routing][calendar]") {
  CHECK(day_from_civil(1970, 1, 1) == 0);
  CHECK(day_from_civil(1969, 12, 31) == -1);
  CHECK(day_from_civil(2000, 3, 1) == 11017);
  CHECK(day_from_civil(2025, 9, 26) == 20357);
  CHECK(civil_from_day(-1) == Civil{1969, 12, 31});
  const Day first = day_from_civil(1970, 1, 1);
  const Day last = day_from_civil(2100, 12, 31);
  Civil previous = civil_from_day(first - 1);
  int mismatches = 0;
  for (Day d = first; d <= last; ++d) {
    const Civil c = civil_from_day(d);
    // Each day follows the previous one: the next day of the month, or the 1st of the next month.
    const bool next = (c.year == previous.year && c.month == previous.month && c.day == previous.day + 1) ||
                      (c.day == 1 && previous.day == days_in_month(previous.year, previous.month) &&
                       ((c.month == previous.month + 1 && c.year == previous.year) ||
                        (c.month == 1 && previous.month == 12 && c.year == previous.year + 1)));
    if (!next || day_from_civil(c.year, c.month, c.day) != d || parse_day(format_day(d)) != d) ++mismatches;
    previous = c;
  }
  CHECK(mismatches == 0);
  CHECK(civil_from_day(last) == Civil{2100, 12, 31});
}

TEST_CASE("weekdays of known dates are right", "[routing][calendar]") {
  const std::vector<std::pair<std::string, int>> cases{
      {"1970-01-01", 4}, {"1969-12-31", 3}, {"1900-01-01", 1}, {"2000-01-01", 6}, {"2000-02-29", 2},
      {"2024-02-29", 4}, {"2025-09-26", 5}, {"2025-09-28", 7}, {"2025-10-11", 6}, {"2026-01-04", 7},
      {"2026-12-31", 4}, {"2027-01-01", 5}, {"2100-12-31", 5},
  };
  for (const auto& [text, expected] : cases) {
    CAPTURE(text);
    CHECK(weekday(day(text)) == expected);
    CHECK(is_weekend(day(text)) == (expected >= 6));
  }
}

TEST_CASE("parse_day accepts strict dates and rejects everything else", "[routing][calendar]") {
  for (const char* good : {"2024-02-29", "2000-02-29", "2025-12-31", "1970-01-01", "0001-01-01", "9999-12-31"}) {
    CAPTURE(good);
    const auto d = parse_day(good);
    REQUIRE(d);
    CHECK(format_day(*d) == good);
  }
  for (const char* bad : {"2023-02-29", "1900-02-29", "2025-13-01", "2025-00-10", "2025-04-31", "2025-04-00",
                          "2025-4-01", "2025-04-1", " 2025-04-01", "2025-04-01 ", "2025-04-01T00:00", "2025/04/01",
                          "20250401", "", "abcd-ef-gh", "+025-04-01", "2025-0a-01", "２０２５-04-01"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_day(bad));
  }
}

TEST_CASE("local days and midnights follow the UTC offset", "[routing][calendar]") {
  const std::int64_t utc_16h = (static_cast<std::int64_t>(day("2025-09-25")) * 24 + 16) * 3'600'000;
  CHECK(local_day(utc_16h, 480) == day("2025-09-26"));  // 00:00 in Shanghai
  CHECK(local_day(utc_16h - 1, 480) == day("2025-09-25"));
  CHECK(local_day(utc_16h, 0) == day("2025-09-25"));
  CHECK(local_day(utc_16h, -600) == day("2025-09-25"));
  CHECK(start_of_day(day("2025-09-26"), 480) == utc_16h);
  CHECK(local_day(-1, 0) == -1);  // before 1970 rounds down, not toward zero
  CHECK(start_of_day(-1, 0) == -k_ms_per_day);
}

// --- the shipped national tables ----------------------------------------------------------------------------------

TEST_CASE("the shipped calendar compiles without diagnostics and publishes every year it has a table for",
          "[routing][calendar]") {
  const auto result = WorkCalendar::compile(shipped_calendar_files());
  INFO(joined(messages(result)));
  REQUIRE(result.calendar);
  CHECK(result.diagnostics.empty());
  const WorkCalendar& cal = *result.calendar;
  // The years are those of the YYYY.json tables shipped, so publishing the next year's table keeps this true.
  std::set<int> years;
  for (const auto& f : shipped_calendar_files()) {
    if (f.path.ends_with(".json")) years.insert(std::stoi(f.path.substr(f.path.rfind('/') + 1, 4)));
  }
  REQUIRE(years.size() >= 20);
  CHECK(*years.begin() == 2007);
  CHECK(*years.rbegin() - *years.begin() + 1 == static_cast<int>(years.size()));  // no year missing
  for (const int year : years) CHECK(cal.is_published(year));
  CHECK_FALSE(cal.is_published(2006));
  CHECK_FALSE(cal.is_published(*years.rbegin() + 1));
  CHECK(cal.last_published_year() == *years.rbegin());
  CHECK(cal.version().size() == 16);
  CHECK(cal.holiday_name(day("2025-10-01")) == "国庆节、中秋节");
  CHECK(cal.holiday_name(day("2026-02-14")) == "春节");
  CHECK_FALSE(cal.holiday_name(day("2025-10-09")));
  CHECK_FALSE(cal.is_overridden(day("2025-10-01")));
}

TEST_CASE("every make-up working day and statutory day off of 2024 to 2026 is classified as listed",
          "[routing][calendar]") {
  const WorkCalendar& cal = shipped();
  for (const auto& notice : k_notices) {
    for (const auto& md : notice.make_up) {
      const Day d = day(in_year(notice.year, md));
      CAPTURE(format_day(d));
      CHECK(is_weekend(d));
      CHECK(cal.is_working_day(d));
    }
    for (const auto& md : notice.off) {
      const Day d = day(in_year(notice.year, md));
      CAPTURE(format_day(d));
      CHECK_FALSE(cal.is_working_day(d));
    }
  }
}

TEST_CASE("the notice lists in the tests match the shipped JSON exactly", "[routing][calendar]") {
  const WorkCalendar& cal = shipped();
  for (const auto& notice : k_notices) {
    CAPTURE(notice.year);
    std::set<std::string> working, off;
    for (const auto& listed : cal.listed_days()) {
      const Civil c = civil_from_day(listed.day);
      if (c.year != notice.year) continue;
      (listed.working ? working : off).insert(format_day(listed.day).substr(5));
    }
    CHECK(working == std::set<std::string>(notice.make_up.begin(), notice.make_up.end()));
    CHECK(off == std::set<std::string>(notice.off.begin(), notice.off.end()));
  }
}

TEST_CASE("ordinary weekdays are working days and ordinary weekends are not", "[routing][calendar]") {
  const WorkCalendar& cal = shipped();
  const std::vector<std::pair<std::string, bool>> cases{
      {"2025-03-12", true}, {"2025-03-14", true},  {"2025-03-15", false}, {"2025-03-16", false},
      {"2025-09-26", true}, {"2025-09-27", false}, {"2025-10-09", true},  {"2025-10-12", false},
      {"2026-03-10", true}, {"2026-03-14", false}, {"2024-12-31", true},  {"2024-12-28", false},
      {"2020-02-03", true}, {"2027-01-04", true},  {"2027-01-02", false}, {"2030-06-03", true},
  };
  for (const auto& [text, working] : cases) {
    CAPTURE(text);
    CHECK(cal.is_working_day(day(text)) == working);
  }
}

TEST_CASE("dates of the previous December in a year's file are honoured", "[routing][calendar]") {
  const WorkCalendar& cal = shipped();
  const std::vector<std::pair<std::string, bool>> cases{
      {"2022-12-31", false},  // 2023.json, a Saturday listed off (元旦)
      {"2018-12-29", true},   // 2019.json, Saturday made a working day
      {"2018-12-30", false},  // 2019.json
      {"2018-12-31", false},  // 2019.json, a Monday off
      {"2011-12-31", true},   // 2012.json, Saturday working
      {"2007-12-29", true},   // 2008.json, Saturday working
      {"2007-12-31", false},  // 2008.json, a Monday off
      {"2006-12-30", true},   // 2007.json, Saturday working
      {"2006-12-31", true},   // 2007.json, Sunday working
  };
  for (const auto& [text, working] : cases) {
    CAPTURE(text);
    CHECK(cal.is_working_day(day(text)) == working);
    CHECK(cal.holiday_name(day(text)) == "元旦");
  }
}

TEST_CASE("a day is settled when its year is published", "[routing][calendar]") {
  const WorkCalendar& cal = shipped();
  CHECK(cal.is_settled(day("2007-01-01")));
  CHECK(cal.is_settled(day("2025-12-31")));
  CHECK(cal.is_settled(day("2026-01-01")));
  CHECK(cal.is_settled(day("2026-12-31")));  // even though the next year's table could still list it
  // The first year without a table, whichever it is once more tables are published.
  const std::string unpublished = std::to_string(cal.last_published_year() + 1);
  CHECK(cal.is_settled(day(std::to_string(cal.last_published_year()) + "-12-31")));
  CHECK_FALSE(cal.is_settled(day(unpublished + "-01-04")));
  CHECK_FALSE(cal.is_settled(day("2099-03-02")));
  CHECK_FALSE(cal.is_settled(day("2006-06-01")));
  CHECK_FALSE(cal.is_settled(day("2006-12-31")));  // listed by 2007.json, but 2006 itself is not published
}

TEST_CASE("the calendar version does not depend on file order and changes with content", "[routing][calendar]") {
  auto files = shipped_calendar_files();
  const auto a = WorkCalendar::compile(files);
  std::reverse(files.begin(), files.end());
  const auto b = WorkCalendar::compile(files);
  REQUIRE(a.calendar);
  REQUIRE(b.calendar);
  CHECK(a.calendar->version() == b.calendar->version());
  files.back().text += "\n";
  const auto c = WorkCalendar::compile(files);
  REQUIRE(c.calendar);
  CHECK(c.calendar->version() != a.calendar->version());
}

// --- local overrides ------------------------------------------------------------------------------------------

TEST_CASE("a local override makes a Saturday working and a weekday off", "[routing][calendar]") {
  auto files = shipped_calendar_files();
  files.push_back({"calendar/zz-city.yaml",
                   "overrides:\n"
                   "  - date: 2026-05-06\n"
                   "    working: false\n"
                   "    name: 本市防台风停工\n"
                   "  - {date: 2026-05-16, working: true}\n"
                   "  - date: 2026-10-01\n"
                   "    working: true\n"
                   "    name: 本市调整\n"
                   "  - {date: 2099-03-02, working: false, name: 提前公布}\n",
                   ""});
  const auto result = WorkCalendar::compile(files);
  INFO(joined(messages(result)));
  REQUIRE(result.calendar);
  const WorkCalendar& cal = *result.calendar;
  CHECK(weekday(day("2026-05-06")) == 3);
  CHECK_FALSE(cal.is_working_day(day("2026-05-06")));
  CHECK(cal.holiday_name(day("2026-05-06")) == "本市防台风停工");
  CHECK(cal.is_overridden(day("2026-05-06")));
  CHECK(weekday(day("2026-05-16")) == 6);
  CHECK(cal.is_working_day(day("2026-05-16")));
  CHECK_FALSE(cal.holiday_name(day("2026-05-16")));
  CHECK(cal.is_working_day(day("2026-10-01")));  // the override wins over the national table
  CHECK(cal.holiday_name(day("2026-10-01")) == "本市调整");
  CHECK(weekday(day("2099-03-02")) == 1);              // a Monday, in a year no table will reach for decades
  CHECK_FALSE(cal.is_working_day(day("2099-03-02")));  // an override may reach into an unpublished year...
  CHECK_FALSE(cal.is_published(2099));                 // ...which stays unpublished
  CHECK(cal.is_working_day(day("2026-05-07")));
  CHECK(cal.version() != shipped().version());
}

TEST_CASE("the shipped local override file overrides nothing", "[routing][calendar]") {
  const WorkCalendar& cal = shipped();
  CHECK(std::none_of(cal.listed_days().begin(), cal.listed_days().end(), [](const auto& l) { return l.local; }));
}

TEST_CASE("identical duplicates across files are accepted", "[routing][calendar]") {
  const auto result = WorkCalendar::compile({
      {"a.json", R"({"year": 2026, "papers": [], "days": [{"name": "元旦", "date": "2025-12-31", "isOffDay": true}]})",
       ""},
      {"b.json", R"({"year": 2025, "papers": [], "days": [{"name": "元旦", "date": "2025-12-31", "isOffDay": true}]})",
       ""},
      {"c.yaml", "overrides: [{date: 2025-12-30, working: false}]", ""},
      {"d.yaml", "overrides: [{date: 2025-12-30, working: false}]", ""},
      {"e.yaml", "# nothing here yet\n", ""},
  });
  INFO(joined(messages(result)));
  REQUIRE(result.calendar);
  CHECK(result.diagnostics.empty());
  CHECK_FALSE(result.calendar->is_working_day(day("2025-12-31")));
  CHECK_FALSE(result.calendar->is_working_day(day("2025-12-30")));
  CHECK(result.calendar->is_published(2025));
  CHECK(result.calendar->is_published(2026));
}

TEST_CASE("a year whose days list is empty is not published", "[routing][calendar]") {
  const auto result = WorkCalendar::compile({{"2027.json", R"({"year": 2027, "papers": [], "days": []})", ""}});
  REQUIRE(result.calendar);
  CHECK_FALSE(result.calendar->is_published(2027));
  CHECK(result.calendar->last_published_year() == 0);
  CHECK(result.calendar->is_working_day(day("2027-01-01")));  // the weekday rule: no year is published at all
}

TEST_CASE("the coverage gap names the year to add, from November on for the next one", "[routing][calendar]") {
  const auto& cal = shipped();  // published through 2026
  REQUIRE(cal.last_published_year() == 2026);
  CHECK(cal.coverage_gap(day("2026-10-31")).empty());
  const auto november = cal.coverage_gap(day("2026-11-01"));
  CHECK(november.find("published through 2026") != std::string::npos);
  CHECK(november.find("calendar/2027.json") != std::string::npos);
  // Once the year has begun without its table, the year itself is named, whatever the month.
  CHECK(cal.coverage_gap(day("2027-03-01")).find("calendar/2027.json") != std::string::npos);
  CHECK(cal.coverage_gap(day("2028-03-01")).find("calendar/2028.json") != std::string::npos);
  const auto none = WorkCalendar::compile({{"2027.json", R"({"year": 2027, "papers": [], "days": []})", ""}});
  REQUIRE(none.calendar);
  CHECK(none.calendar->coverage_gap(day("2027-01-05")).find("published through no year") != std::string::npos);
}

// --- diagnostics ----------------------------------------------------------------------------------------------

TEST_CASE("every mistake in a calendar file is reported with file line and column", "[routing][calendar]") {
  struct Case {
    std::vector<SourceFile> files;
    std::string expected;  // one diagnostic must contain this
  };
  const std::string header = "{\"year\": 2025, \"papers\": [],\n \"days\": [\n";
  const std::vector<Case> cases{
      {{{"2025.json", "{\"year\": 2025, \"days\": [}", "rules/calendar/2025.json"}},
       "rules/calendar/2025.json:1:25: error: illegal flow end"},
      {{{"2025.json", "{\"year\": 2025, \"papers\": [], \"days\": [], \"extra\": 1}", ""}},
       "2025.json:1:42: error: unknown key 'extra' in holiday table"},
      {{{"2025.json", header + "  {\"name\": \"x\", \"date\": \"2025-01-01\", \"isOffDay\": true, \"note\": 1}]}", ""}},
       "2025.json:3:57: error: unknown key 'note' in a day of 'days'"},
      {{{"2025.json", header + "  {\"name\": \"x\", \"date\": \"2025-02-30\", \"isOffDay\": true}]}", ""}},
       "2025.json:3:25: error: '2025-02-30' is not a date of the form YYYY-MM-DD"},
      {{{"2025.json", header + "  {\"name\": \"x\", \"date\": \"2024-11-30\", \"isOffDay\": true}]}", ""}},
       "2025.json:3:25: error: 2024-11-30 lies outside year 2025"},
      {{{"2025.json", header + "  {\"name\": \"x\", \"date\": \"2026-01-01\", \"isOffDay\": true}]}", ""}},
       "2025.json:3:25: error: 2026-01-01 lies outside year 2025"},
      {{{"2025.json", header + "  {\"name\": \"x\", \"date\": \"2025-01-01\", \"isOffDay\": \"true\"}]}", ""}},
       "2025.json:3:51: error: 'isOffDay' must be true or false"},
      {{{"2025.json", header + "  {\"name\": \"x\", \"date\": \"2025-01-01\", \"isOffDay\": yes}]}", ""}},
       "2025.json:3:51: error: 'isOffDay' must be true or false"},
      {{{"2025.json", header + "  {\"name\": \"x\", \"date\": \"2025-01-01\"}]}", ""}},
       "2025.json:3:3: error: missing required key 'isOffDay'"},
      {{{"2025.json", "{\"papers\": [], \"days\": []}", ""}}, "2025.json:1:1: error: missing required key 'year'"},
      {{{"2025.json", "{\"year\": \"soon\", \"papers\": [], \"days\": []}", ""}},
       "2025.json:1:10: error: 'year' must be a whole number"},
      {{{"2025.json", "[1, 2]", ""}}, "2025.json:1:1: error: holiday table must be a mapping"},
      {{{"2025.json",
         header + "  {\"name\": \"x\", \"date\": \"2025-10-01\", \"isOffDay\": true},\n"
                  "  {\"name\": \"x\", \"date\": \"2025-10-01\", \"isOffDay\": false}]}",
         ""}},
       "2025.json:4:25: error: 2025-10-01 is a working day here but national table at 2025.json:3:25 makes it an off "
       "day"},
      {{{"2025.json", header + "  {\"name\": \"x\", \"date\": \"2025-12-31\", \"isOffDay\": true}]}", ""},
        {"2026.json",
         "{\"year\": 2026, \"papers\": [],\n \"days\": [\n"
         "  {\"name\": \"x\", \"date\": \"2025-12-31\", \"isOffDay\": false}]}",
         ""}},
       "2026.json:3:25: error: 2025-12-31 is a working day here but national table at 2025.json:3:25 makes it an off "
       "day"},
      {{{"a/2025.json", header + "  {\"name\": \"x\", \"date\": \"2025-01-01\", \"isOffDay\": true}]}", ""},
        {"b/2025.json", header + "  {\"name\": \"x\", \"date\": \"2025-01-01\", \"isOffDay\": true}]}", ""}},
       "b/2025.json:1:10: error: year 2025 is already given at a/2025.json:1:10"},
      {{{"a.yaml", "overrides:\n  - {date: 2026-05-06, working: true}\n", ""},
        {"b.yaml", "overrides:\n  - {date: 2026-05-06, working: false}\n", ""}},
       "b.yaml:2:12: error: 2026-05-06 is an off day here but the override at a.yaml:2:12 makes it a working day"},
      {{{"local.yaml", "overrides:\n  - date: 2026-05-06\n    working: true\n    reason: x\n", ""}},
       "local.yaml:4:5: error: unknown key 'reason' in an override"},
      {{{"local.yaml", "overrides:\n  - date: 2026-05-06\n    working: yes\n", ""}},
       "local.yaml:3:14: error: 'working' must be true or false"},
      {{{"local.yaml", "overrides:\n  - date: 2026-5-6\n    working: true\n", ""}},
       "local.yaml:2:11: error: '2026-5-6' is not a date of the form YYYY-MM-DD"},
      {{{"local.yaml", "overrides:\n  - working: true\n", ""}}, "local.yaml:2:5: error: missing required key 'date'"},
      {{{"local.yaml", "overrides: {date: 2026-05-06}\n", ""}}, "local.yaml:1:12: error: 'overrides' must be a list"},
      {{{"2025.json", "{\"year\": 2025, \"papers\": [], \"year\": 2025, \"days\": []}", ""}},
       "2025.json:1:30: error: duplicate key 'year' (first at line 1)"},
      {{{"local.yaml", "overrides: []\noverrides: [{date: 2026-05-06, working: true}]\n", ""}},
       "local.yaml:2:1: error: duplicate key 'overrides' (first at line 1)"},
      {{{"2025.json",
         header + "  {\"name\": \"x\", \"date\": \"2025-01-01\", \"isOffDay\": true, \"isOffDay\": false}]}", ""}},
       "2025.json:3:57: error: duplicate key 'isOffDay' (first at line 3)"},
      // yaml-cpp builds cyclic node graphs from self-referring aliases: they must end in a diagnostic, not a hang.
      {{{"local.yaml", "overrides: &a [*a]\n", ""}}, "error: an override must be a mapping"},
      {{{"2025.json", "&a {\"year\": 2025, \"papers\": *a, \"days\": [*a]}", ""}},
       "2025.json:1:1: error: 'papers' must be a list"},
      {{{"local.yaml", "override: []\n", ""}}, "local.yaml:1:1: error: unknown key 'override' in local calendar"},
      {{{"local.yaml", "overrides: [\n", ""}}, "local.yaml:2:1: error: "},
      {{{"notes.txt", "hello", ""}}, "notes.txt: error: calendar files end in .json"},
      {{{"2025.json", "{\"year\": 2025, \"papers\": [], \"days\": [{\"name\": \"\xff\"}]}", ""}},
       "2025.json:1:49: error: file is not valid UTF-8: save it as UTF-8 (a file saved as GBK or GB18030 reads like "
       "this)"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.files.back().text);
    const auto result = WorkCalendar::compile(c.files);
    const auto all = messages(result);
    INFO(joined(all));
    CHECK_FALSE(result.calendar);
    CHECK(std::any_of(all.begin(), all.end(), [&](const auto& m) { return m.find(c.expected) != std::string::npos; }));
  }
}
