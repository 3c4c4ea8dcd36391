#include "daemon/local_time.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>

namespace hotline::daemon {

std::string select_time_zone(const std::string& name) {
  // localtime_r silently falls back to UTC for an unknown zone, so check the zone file first.
  const bool safe = !name.empty() && name.find("..") == std::string::npos && name.front() != '/';
  if (!safe || !std::filesystem::exists("/usr/share/zoneinfo/" + name)) {
    return "unknown time zone '" + name + "' (is package tzdata installed?)";
  }
  ::setenv("TZ", name.c_str(), 1);
  ::tzset();
  return {};
}

LocalStamp local_stamp(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  const auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  std::tm tm{};
  ::localtime_r(&secs, &tm);
  const long offset_min = tm.tm_gmtoff / 60;
  const char sign = offset_min < 0 ? '-' : '+';
  const long abs_min = offset_min < 0 ? -offset_min : offset_min;
  LocalStamp s;
  s.unix_ms = ms;
  s.rfc3339 = fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}.{:03d}{}{:02d}:{:02d}", tm.tm_year + 1900,
                          tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                          static_cast<int>(ms - static_cast<std::int64_t>(secs) * 1000), sign, abs_min / 60,
                          abs_min % 60);
  s.day = fmt::format("{:04d}{:02d}{:02d}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  return s;
}

}  // namespace hotline::daemon
