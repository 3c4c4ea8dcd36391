#include "daemon/runtime/local_time.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>

#include "daemon/runtime/scheduler_clock.hpp"
#include "routing/civil_day.hpp"

namespace hotline::daemon {

std::string time_zone_error(const std::string& name) {
  // localtime_r silently falls back to UTC for an unknown zone, so check the zone file first.
  const bool safe = !name.empty() && name.find("..") == std::string::npos && name.front() != '/';
  if (!safe || !std::filesystem::exists("/usr/share/zoneinfo/" + name)) {
    return "unknown time zone '" + name + "' (is package tzdata installed?)";
  }
  return {};
}

std::string select_time_zone(const std::string& name) {
  if (auto error = time_zone_error(name); !error.empty()) return error;
  ::setenv("TZ", name.c_str(), 1);
  ::tzset();
  return {};
}

LocalStamp local_stamp(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  return local_stamp_ms(duration_cast<milliseconds>(t.time_since_epoch()).count());
}

// In milliseconds throughout: a system_clock time_point counts nanoseconds and overflows beyond ±292 years of
// 1970, and parse_rfc3339 gives instants up to the year 9999 (hotlinectl deadline --from).
LocalStamp local_stamp_ms(std::int64_t ms) {
  const std::time_t secs = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  // Stamps come in bursts within one second (a request's events and clocks): convert each second once per thread.
  thread_local std::time_t cached_secs = -1;
  thread_local std::tm cached_tm{};
  if (secs != cached_secs) {
    ::localtime_r(&secs, &cached_tm);
    cached_secs = secs;
  }
  const std::tm& tm = cached_tm;
  const long offset_min = tm.tm_gmtoff / 60;
  const long abs_min = offset_min < 0 ? -offset_min : offset_min;
  const int year = tm.tm_year + 1900;
  const int millis = static_cast<int>(ms - static_cast<std::int64_t>(secs) * 1000);
  LocalStamp s;
  s.unix_ms = ms;
  if (year < 0 || year > 9999) {  // not a four-digit year: the general path
    s.rfc3339 =
        fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}.{:03d}{}{:02d}:{:02d}", year, tm.tm_mon + 1, tm.tm_mday,
                    tm.tm_hour, tm.tm_min, tm.tm_sec, millis, offset_min < 0 ? '-' : '+', abs_min / 60, abs_min % 60);
    s.day = fmt::format("{:04d}{:02d}{:02d}", year, tm.tm_mon + 1, tm.tm_mday);
    return s;
  }
  // Written digit by digit: several stamps are made per request (events, clocks), and fmt::format took a tenth
  // of an I/O thread's time in the intake benchmark.
  char text[] = "0000-00-00T00:00:00.000+00:00";
  const auto put = [&](int at, long value, int width) {
    for (int i = at + width - 1; i >= at; --i, value /= 10) text[i] = static_cast<char>('0' + value % 10);
  };
  put(0, year, 4);
  put(5, tm.tm_mon + 1, 2);
  put(8, tm.tm_mday, 2);
  put(11, tm.tm_hour, 2);
  put(14, tm.tm_min, 2);
  put(17, tm.tm_sec, 2);
  put(20, millis, 3);
  text[23] = offset_min < 0 ? '-' : '+';
  put(24, abs_min / 60, 2);
  put(27, abs_min % 60, 2);
  s.rfc3339.assign(text, sizeof text - 1);
  s.day.reserve(8);
  s.day.append(text, 4).append(text + 5, 2).append(text + 8, 2);
  return s;
}

std::optional<int> parse_time_of_day(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (const std::size_t i : {0u, 1u, 3u, 4u}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  const int h = (text[0] - '0') * 10 + (text[1] - '0');
  const int m = (text[3] - '0') * 10 + (text[4] - '0');
  if (h > 23 || m > 59) return std::nullopt;
  return h * 60 + m;
}

int utc_offset_minutes(std::int64_t unix_ms) {
  const std::time_t secs = static_cast<std::time_t>(unix_ms >= 0 ? unix_ms / 1000 : (unix_ms - 999) / 1000);
  std::tm tm{};
  ::localtime_r(&secs, &tm);
  return static_cast<int>(tm.tm_gmtoff / 60);
}

std::optional<std::int64_t> parse_rfc3339(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]
  const auto digits = [&](std::size_t at, std::size_t n, int& out) {
    if (at + n > s.size()) return false;
    out = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + (s[i] - '0');
    }
    return true;
  };
  int y, mo, d, h, mi, sec;
  if (!digits(0, 4, y) || s.size() < 20 || s[4] != '-' || !digits(5, 2, mo) || s[7] != '-' || !digits(8, 2, d) ||
      (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits(11, 2, h) || s[13] != ':' || !digits(14, 2, mi) ||
      s[16] != ':' || !digits(17, 2, sec)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  std::size_t i = 19;
  int millis = 0;
  if (i < s.size() && s[i] == '.') {
    std::size_t n = 0;
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++n) {
      if (n < 3) millis = millis * 10 + (s[i] - '0');
    }
    if (n == 0) return std::nullopt;
    for (; n < 3; ++n) millis *= 10;
  }
  int offset = 0;
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
    ++i;
  } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    int oh, om;
    if (!digits(i + 1, 2, oh) || i + 3 >= s.size() || s[i + 3] != ':' || !digits(i + 4, 2, om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset = (oh * 60 + om) * (s[i] == '-' ? -1 : 1);
    i += 6;
  } else {
    return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  if (d > routing::days_in_month(y, mo)) return std::nullopt;
  const std::int64_t days = routing::day_from_civil(y, mo, d);
  const std::int64_t seconds = days * 86400 + h * 3600 + mi * 60 + sec - offset * 60;
  return seconds * 1000 + millis;
}

std::optional<std::int32_t> parse_caller_day(std::string_view text) {
  const auto day = routing::parse_day(text);
  if (!day) return std::nullopt;
  const int year = routing::civil_from_day(*day).year;
  if (year < k_first_year || year > k_last_year) return std::nullopt;
  return *day;
}

std::optional<std::int64_t> parse_caller_instant(std::string_view text) {
  const auto ms = parse_rfc3339(text);
  if (!ms) return std::nullopt;
  const int year = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
  if (year < k_first_year || year > k_last_year) return std::nullopt;
  return ms;
}

SchedulerClock& wall_clock() {
  static SystemSchedulerClock clock;
  return clock;
}

}  // namespace hotline::daemon
