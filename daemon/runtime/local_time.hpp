// Wall-clock instants in the deployment's time zone: RFC 3339 stamps and local dates for ticket numbers.
// select_time_zone() sets the process time zone once at start-up, before any thread starts; after that the
// functions here are safe to call from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hotline::daemon {

struct LocalStamp {
  std::int64_t unix_ms = 0;
  std::string rfc3339;  // 2026-11-26T09:30:00.123+08:00
  std::string day;      // 20261126, the local date
};

// Makes `name` (an IANA zone such as Asia/Shanghai) the process time zone. Returns an error message, or ""
// on success. Fails when the zone is not installed (package tzdata).
std::string select_time_zone(const std::string& name);
// The error select_time_zone would give, without selecting anything ("" when the zone is installed).
std::string time_zone_error(const std::string& name);

LocalStamp local_stamp(std::chrono::system_clock::time_point t);
LocalStamp local_stamp_ms(std::int64_t unix_ms);

// The selected zone's offset from UTC at `unix_ms`, in minutes (+480 for Asia/Shanghai).
int utc_offset_minutes(std::int64_t unix_ms);

// A time of day "HH:MM" (00:00–23:59, two digits each) -> minutes after midnight; nullopt when malformed.
std::optional<int> parse_time_of_day(std::string_view text);

// Parses RFC 3339 ("2025-09-26T10:00:00+08:00", fractional seconds and "Z" allowed) to Unix milliseconds;
// nullopt when malformed.
std::optional<std::int64_t> parse_rfc3339(std::string_view text);

// The dates callers may name (report days, instants in queue and search filters): years 2000 to 2099. Every
// calendar the rules ship (2007 on) and every ticket fits; year 0000 or 9999 is a mistake, not a query.
inline constexpr int k_first_year = 2000;
inline constexpr int k_last_year = 2099;
inline constexpr std::string_view k_date_window = "2000-01-01 to 2099-12-31";
// A strict YYYY-MM-DD (routing::parse_day) within those years, as a day number; nullopt otherwise.
std::optional<std::int32_t> parse_caller_day(std::string_view text);
// parse_rfc3339, and nullopt too when the date as written is outside those years.
std::optional<std::int64_t> parse_caller_instant(std::string_view text);

}  // namespace hotline::daemon
