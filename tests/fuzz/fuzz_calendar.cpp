// The working-day calendar compiler (WorkCalendar::compile) on one arbitrary file: the first input byte picks a
// national table (calendar/2026.json, holiday-cn JSON) or local overrides (calendar/local.yaml), and whether the
// shipped 2025 and 2026 tables are compiled with it (overrides over real tables, a second file for one year).
//
// Invariants: no exception escapes; a calendar comes back exactly when no diagnostic is an error; its listed days
// are sorted and unique; a listed day is a working day exactly when the list says so; working-day questions
// about any day of the years around it are answered.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "routing/civil_day.hpp"
#include "routing/work_calendar.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

using namespace hotline::routing;

SourceFile shipped(const std::string& name) {
  std::ifstream in(std::filesystem::path(SHIPPED_RULES_DIR) / "calendar" / name, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) std::abort();
  return {"calendar/" + name, text.str(), ""};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 || size > hotline::fuzz::k_max_input) return 0;
  static const std::vector<SourceFile> tables{shipped("2025.json"), shipped("2026.json")};
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
