// Test support: the shipped calendar folder (rules/calendar), read the way the daemon reads it (tests may do
// I/O; routing may not), and a strict date parser for test tables.
#pragma once

#include <catch2/catch.hpp>

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

}  // namespace hotline::routing::test
