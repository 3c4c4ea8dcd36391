// The working-day calendar compiler (WorkCalendar::compile) on one arbitrary file: the first input byte picks a
// national table (calendar/2026.json, holiday-cn JSON) or local overrides (calendar/local.yaml), and whether
// excerpts of the shipped 2025 and 2026 tables are compiled with it (overrides over real tables, a second file for
// one year). The excerpts hold each table's first days (a holiday and its make-up working day): the whole tables
// would triple the time of every run without reaching more of the compiler.
//
// Invariants: no exception escapes; a calendar comes back exactly when no diagnostic is an error; its listed days
// are sorted and unique; a listed day is a working day exactly when the list says so; working-day questions
// about any day of the years around it are answered.
#include <yaml-cpp/yaml.h>

#include <filesystem>

#include "routing/civil_day.hpp"
#include "routing/work_calendar.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

using namespace hotline::routing;

// The shipped table `name` cut to its first `days` days, as holiday-cn JSON on one line.
SourceFile shipped_excerpt(const std::string& name, std::size_t days) {
  const auto table = YAML::LoadFile((std::filesystem::path(SHIPPED_RULES_DIR) / "calendar" / name).string());
  std::string text = R"({"year": )" + table["year"].as<std::string>() + R"(, "papers": [], "days": [)";
  for (std::size_t i = 0; i < days && i < table["days"].size(); ++i) {
    const auto day = table["days"][i];
    text += (i ? ", " : "") + std::string(R"({"name": ")") + day["name"].as<std::string>() + R"(", "date": ")" +
            day["date"].as<std::string>() + R"(", "isOffDay": )" + day["isOffDay"].as<std::string>() + "}";
  }
  return {"calendar/" + name, text + "]}", ""};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 || size > hotline::fuzz::k_max_input) return 0;
  static const std::vector<SourceFile> tables{shipped_excerpt("2025.json", 4), shipped_excerpt("2026.json", 4)};
  std::vector<SourceFile> files;
  if (data[0] & 2) files = tables;
  files.push_back({data[0] & 1 ? "calendar/2026.json" : "calendar/local.yaml",
                   std::string(hotline::fuzz::text(data + 1, size - 1)), ""});
  const auto result = WorkCalendar::compile(files);
  const bool errors = hotline::fuzz::rendered_has_errors(result.diagnostics);
  FUZZ_CHECK(errors == !result.calendar, "a calendar exactly when there is no error");
  if (!result.calendar) return 0;
  const auto& cal = *result.calendar;
  const auto& days = cal.listed_days();
  for (std::size_t i = 0; i < days.size(); ++i) {
    if (i > 0) FUZZ_CHECK(days[i - 1].day < days[i].day, "listed days sorted and unique");
    FUZZ_CHECK(cal.is_working_day(days[i].day) == days[i].working, "a listed day is as listed");
  }
  const int year = cal.last_published_year();
  if (year != 0) FUZZ_CHECK(cal.is_published(year), "the last published year is published");
  const Day from = days.empty() ? day_from_civil(2026, 1, 1) : days.front().day - 7;
  for (Day d = from; d < from + 400; ++d) {
    (void)cal.is_working_day(d);
    (void)cal.is_settled(d);
    (void)cal.holiday_name(d);
  }
  return 0;
}
