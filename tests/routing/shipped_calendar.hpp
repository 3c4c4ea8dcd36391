// Test support: the shipped calendar folder (rules/calendar), read the way the daemon reads it (tests may do
// I/O; routing may not), and a strict date parser for test tables.
#pragma once

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>
#include <vector>

#include "routing/work_calendar.hpp"

namespace hotline::routing::test {

inline std::vector<SourceFile> shipped_calendar_files() {
  std::vector<SourceFile> files;
  const std::filesystem::path dir = std::filesystem::path(RULES_DIR) / "calendar";
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const auto ext = entry.path().extension();
    if (ext != ".json" && ext != ".yaml") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    files.push_back({"calendar/" + entry.path().filename().string(), text.str(), ""});
  }
  return files;
}

inline const WorkCalendar& shipped() {
  static const auto result = WorkCalendar::compile(shipped_calendar_files());
  REQUIRE(result.calendar);
  return *result.calendar;
}

inline Day day(std::string_view text) {
  const auto d = parse_day(text);
  REQUIRE(d);
  return *d;
}

inline constexpr int k_shanghai = 480;  // +08:00

// A local Shanghai time, "2025-09-26 10:00", as Unix milliseconds.
inline std::int64_t at(std::string_view date, int hour = 0, int minute = 0) {
  return start_of_day(day(date), k_shanghai) + (static_cast<std::int64_t>(hour) * 60 + minute) * 60'000;
}

// "2025-10-11 00:00" for an instant, in Shanghai time, for readable failures.
inline std::string shown(std::int64_t ms) {
  const Day d = local_day(ms, k_shanghai);
  const std::int64_t minutes = (ms - start_of_day(d, k_shanghai)) / 60'000;
  char hm[8];
  std::snprintf(hm, sizeof hm, "%02d:%02d", static_cast<int>(minutes / 60), static_cast<int>(minutes % 60));
  return format_day(d) + " " + hm;
}

}  // namespace hotline::routing::test
