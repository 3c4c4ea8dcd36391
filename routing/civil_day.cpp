#include "routing/civil_day.hpp"

#include <cstdio>

namespace hotline::routing {
namespace {

// Floor division and modulo: C++ truncates toward zero, but days before 1970 must still fall on the right side.
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

}  // namespace

// Howard Hinnant's days_from_civil (http://howardhinnant.github.io/date_algorithms.html): counts in 400-year
// eras that start on 1 March, so the leap day is the last day of the counted year and needs no special case.
Day day_from_civil(int year, int month, int day) {
  const std::int64_t y = static_cast<std::int64_t>(year) - (month <= 2 ? 1 : 0);
  const std::int64_t era = floor_div(y, 400);
  const std::int64_t yoe = y - era * 400;                          // [0, 399]
  const std::int64_t mp = month > 2 ? month - 3 : month + 9;       // March = 0
  const std::int64_t doy = (153 * mp + 2) / 5 + day - 1;           // [0, 365]
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  // [0, 146096]
  return static_cast<Day>(era * 146097 + doe - 719468);
}

Civil civil_from_day(Day d) {
  const std::int64_t z = static_cast<std::int64_t>(d) + 719468;
  const std::int64_t era = floor_div(z, 146097);
  const std::int64_t doe = z - era * 146097;                                       // [0, 146096]
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  const std::int64_t mp = (5 * doy + 2) / 153;                                     // [0, 11]
  const std::int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return {static_cast<int>(year), static_cast<int>(month), static_cast<int>(day)};
}

int weekday(Day d) {
  // Day 0 (1970-01-01) was a Thursday (4).
  const std::int64_t m = static_cast<std::int64_t>(d) + 3 - floor_div(static_cast<std::int64_t>(d) + 3, 7) * 7;
  return static_cast<int>(m) + 1;
}

bool is_leap_year(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
  static constexpr int k_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  return month == 2 && is_leap_year(year) ? 29 : k_days[month - 1];
}

std::string format_day(Day d) {
  const Civil c = civil_from_day(d);
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", c.year, c.month, c.day);
  return text;
}

std::optional<Day> parse_day(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto digits = [&](std::size_t from, std::size_t count) -> std::optional<int> {
    int value = 0;
    for (std::size_t i = from; i < from + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  const auto year = digits(0, 4);
  const auto month = digits(5, 2);
  const auto day = digits(8, 2);
  if (!year || !month || !day) return std::nullopt;
  if (*month < 1 || *month > 12 || *day < 1 || *day > days_in_month(*year, *month)) return std::nullopt;
  return day_from_civil(*year, *month, *day);
}

Day local_day(std::int64_t unix_ms, int utc_offset_minutes) {
  return static_cast<Day>(floor_div(unix_ms + static_cast<std::int64_t>(utc_offset_minutes) * 60'000, k_ms_per_day));
}

std::int64_t start_of_day(Day d, int utc_offset_minutes) {
  return static_cast<std::int64_t>(d) * k_ms_per_day - static_cast<std::int64_t>(utc_offset_minutes) * 60'000;
}

}  // namespace hotline::routing
