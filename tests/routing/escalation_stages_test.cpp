#include "routing/escalation_stages.hpp"

#include <catch2/catch.hpp>
#include <cstdio>

#include "shipped_calendar.hpp"

using namespace hotline::routing;
using namespace hotline::routing::test;

namespace {

TimeLimit limit(std::string_view text) {
  const auto l = parse_time_limit(text, Counting::next_day);
  REQUIRE(l);
  return *l;
}

TimePolicy policy(std::string_view yellow, std::string_view red, std::string_view urge, std::string_view supervise) {
  TimePolicy p;
  p.yellow_before = limit(yellow);
  p.red_after = limit(red);
  p.urge_after = limit(urge);
  p.supervise_after = limit(supervise);
  return p;
}

// "yellow 2025-10-10 00:00, red ..." for readable failures.
std::string shown_stages(const std::vector<StageDue>& stages) {
  std::string out;
  for (const auto& s : stages) {
    out += (out.empty() ? "" : ", ") + std::string(to_string(s.stage)) + " " + shown(s.due_ms);
  }
  return out;
}

}  // namespace

TEST_CASE("stages of working-day clocks skip holidays and count make-up days", "[routing][escalation]") {
  struct Row {
    const char* what;
    std::int64_t start, due;
    TimePolicy p;
    const char* expected;
  };
  const auto defaults = policy("1 wd", "0 wd", "1 wd", "5 wd");
  const std::vector<Row> rows{
      // 5 wd from Fri 26 Sep 2025: last day Fri 10 Oct; Sat 11 Oct is a make-up working day (National Day).
      {"reply across National Day 2025", at("2025-09-26", 10), at("2025-10-11"), defaults,
       "yellow 2025-10-10 00:00, red 2025-10-11 00:00, urge 2025-10-12 00:00, supervise 2025-10-17 00:00"},
      // Due at the end of Tue 30 Sep: the first working day past it is Thu 9 Oct, after the holiday, and the red
      // card comes then (domain rule 8), not on the holiday's first day.
      {"deadline just before a holiday", at("2025-09-26", 10), at("2025-10-01"), defaults,
       "yellow 2025-09-30 00:00, red 2025-10-09 00:00, urge 2025-10-10 00:00, supervise 2025-10-15 00:00"},
      // Due at the end of Fri 5 Dec 2025: red on Monday 8 Dec, the first working day past it.
      {"deadline on a Friday", at("2025-11-28", 10), at("2025-12-06"), defaults,
       "yellow 2025-12-05 00:00, red 2025-12-08 00:00, urge 2025-12-09 00:00, supervise 2025-12-13 00:00"},
      // Two working days before the end of Thu 9 Oct: Thu 9 Oct and, across the holiday, Tue 30 Sep.
      {"yellow two working days back across a holiday", at("2025-09-20", 10), at("2025-10-10"),
       policy("2 wd", "0 wd", "0 wd", "1 wd"),
       "yellow 2025-09-30 00:00, red 2025-10-10 00:00, urge 2025-10-10 00:00, supervise 2025-10-11 00:00"},
      // Red one working day after a Friday deadline: the end of Monday.
      {"red one working day past a Friday", at("2025-11-10", 9), at("2025-11-15"),
       policy("1 wd", "1 wd", "0 wd", "5 wd"),
       "yellow 2025-11-14 00:00, red 2025-11-18 00:00, urge 2025-11-18 00:00, supervise 2025-11-22 00:00"},
      // 1 wd sign-for dispatched Fri 10:00: due at the end of Monday; the yellow card starts Monday.
      {"sign-for over a weekend", at("2025-11-14", 10), at("2025-11-18"), defaults,
       "yellow 2025-11-17 00:00, red 2025-11-18 00:00, urge 2025-11-19 00:00, supervise 2025-11-25 00:00"},
      // Dispatched on the very day the yellow card would start: no yellow card.
      {"yellow at or before the start is left out", at("2025-11-17", 0), at("2025-11-18"), defaults,
       "red 2025-11-18 00:00, urge 2025-11-19 00:00, supervise 2025-11-25 00:00"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.what);
    CHECK(shown_stages(plan_stages(shipped(), r.p, r.start, r.due, k_shanghai)) == r.expected);
  }
}

TEST_CASE("stages of natural-time clocks are plain offsets in seconds minutes or hours", "[routing][escalation]") {
  const std::int64_t start = at("2025-10-01", 23, 50);  // a holiday: natural time does not care
  const auto stages = plan_stages(shipped(), policy("1 s", "0 s", "0 s", "5 s"), start, start + 3'000, k_shanghai);
  const std::vector<StageDue> expected{{Stage::yellow, start + 2'000},
                                       {Stage::red, start + 3'000},
                                       {Stage::urge, start + 3'000},
                                       {Stage::supervise, start + 8'000}};
  CHECK(stages == expected);
  // Very urgent: the 30 min sign-for lies wholly inside its 30 min warning window.
  const auto urgent =
      plan_stages(shipped(), policy("30 min", "0 min", "10 min", "2 h"), start, start + 1'800'000, k_shanghai);
  REQUIRE(urgent.size() == 3);
  CHECK(urgent[0] == StageDue{Stage::red, start + 1'800'000});
  CHECK(urgent[1] == StageDue{Stage::urge, start + 2'400'000});
  CHECK(urgent[2] == StageDue{Stage::supervise, start + 9'000'000});
}

TEST_CASE("later stages never fire before earlier ones whatever the policy says", "[routing][escalation]") {
  const std::int64_t start = at("2025-11-10", 9);
  const auto stages =
      plan_stages(shipped(), policy("1 wd", "2 wd", "1 wd", "0 wd"), start, at("2025-11-15"), k_shanghai);
  REQUIRE(stages.size() == 4);
  for (std::size_t i = 1; i < stages.size(); ++i) CHECK(stages[i - 1].due_ms <= stages[i].due_ms);
  CHECK(stages[1].stage == Stage::red);
  CHECK(stages[3].due_ms == stages[1].due_ms);
}

TEST_CASE("stage names round-trip", "[routing][escalation]") {
  for (const Stage s : k_stages) CHECK(parse_stage(to_string(s)) == s);
  CHECK_FALSE(parse_stage("orange"));
}
