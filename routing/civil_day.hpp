// Calendar days as plain integers (days since 1970-01-01, proleptic Gregorian) and the conversions between
// them, dates as text and Unix instants in a fixed UTC offset. Pure functions; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hotline::routing {

using Day = std::int32_t;  // days since 1970-01-01 (day 0 is a Thursday); negative before 1970

struct Civil {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31

  friend bool operator==(const Civil&, const Civil&) = default;
};

inline constexpr std::int64_t k_ms_per_day = 86'400'000;

// The day number of a date. The arguments should form a valid date (as parse_day checks); a day of month past
// the month's end counts on into the next month (2025-02-30 is 2025-03-02). Exact for years -1,000,000..1,000,000.
Day day_from_civil(int year, int month, int day);
// The date of a day number; the inverse of day_from_civil for valid dates.
Civil civil_from_day(Day d);
// ISO weekday: 1 = Monday … 7 = Sunday.
int weekday(Day d);
inline bool is_weekend(Day d) {
  return weekday(d) >= 6;
}
bool is_leap_year(int year);
int days_in_month(int year, int month);  // 0 when month is outside 1..12

// "2025-09-26"; years outside 0..9999 are printed with as many digits as they need.
std::string format_day(Day d);
// Strict YYYY-MM-DD: exactly ten characters, ASCII digits, month 1..12, day within the month (leap years
// included). nullopt for anything else, including surrounding spaces and times.
std::optional<Day> parse_day(std::string_view text);

// The local date of a Unix instant (milliseconds) at a UTC offset in minutes (+480 for Asia/Shanghai).
Day local_day(std::int64_t unix_ms, int utc_offset_minutes);
// The Unix instant (milliseconds) of local midnight that starts day `d` at the offset; the day ends at
// start_of_day(d + 1, offset).
std::int64_t start_of_day(Day d, int utc_offset_minutes);

}  // namespace hotline::routing
