#include "routing/deadline.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "shipped_calendar.hpp"

using namespace hotline::routing;
using namespace hotline::routing::test;

namespace {

TimeLimit limit(std::string_view text, Counting counting = Counting::next_day) {
  const auto l = parse_time_limit(text, counting);
  REQUIRE(l);
  return *l;
}

}  // namespace

TEST_CASE("five working days from Friday 26 September 2025 end with Friday 10 October", "[routing][deadline]") {
  const WorkCalendar& cal = shipped();
  // Sunday 28 September is a make-up working day; 1–8 October are the National Day and Mid-Autumn holiday.
  CHECK(cal.is_working_day(day("2025-09-28")));
  for (const char* off : {"2025-10-01", "2025-10-02", "2025-10-03", "2025-10-04", "2025-10-05", "2025-10-06",
                          "2025-10-07", "2025-10-08"}) {
    CAPTURE(off);
    CHECK_FALSE(cal.is_working_day(day(off)));
  }
  const std::int64_t dispatch = at("2025-09-26", 10);
  const Deadline five = compute_deadline(cal, dispatch, limit("5 wd"), k_shanghai);
  CHECK(shown(five.due_ms) == "2025-10-11 00:00");
  CHECK(five.due_ms == at("2025-10-11"));
  CHECK(format_day(five.last_day) == "2025-10-10");
  CHECK(five.working_days == 5);
  CHECK_FALSE(five.provisional);
  // The sixth working day is Saturday 11 October, another make-up day.
  const Deadline six = compute_deadline(cal, dispatch, limit("6 wd"), k_shanghai);
  CHECK(shown(six.due_ms) == "2025-10-12 00:00");
  CHECK(format_day(six.last_day) == "2025-10-11");
}

TEST_CASE("deadlines follow the counting convention and the holiday tables", "[routing][deadline]") {
  struct Case {
    std::string start;  // local date
    int hour, minute;
    std::string limit;
    Counting counting;
    std::string due;  // local "YYYY-MM-DD HH:MM"
    std::string last_day;
  };
  const std::vector<Case> cases{
      // 含本数: the dispatch day counts when it is a working day.
      {"2025-09-26", 10, 0, "5 wd", Counting::inclusive, "2025-10-10 00:00", "2025-10-09"},
      {"2025-09-26", 10, 0, "1 wd", Counting::inclusive, "2025-09-27 00:00", "2025-09-26"},
      {"2025-09-26", 10, 0, "1 wd", Counting::next_day, "2025-09-29 00:00", "2025-09-28"},
      {"2025-03-15", 9, 0, "1 wd", Counting::inclusive, "2025-03-18 00:00", "2025-03-17"},  // Saturday: not counted
      {"2025-03-15", 9, 0, "1 wd", Counting::next_day, "2025-03-18 00:00", "2025-03-17"},
      {"2025-03-10", 23, 59, "1 wd", Counting::next_day, "2025-03-12 00:00", "2025-03-11"},
      {"2025-03-10", 0, 0, "1 wd", Counting::next_day, "2025-03-12 00:00", "2025-03-11"},
      {"2025-03-10", 0, 0, "3 wd", Counting::next_day, "2025-03-14 00:00", "2025-03-13"},
      // New Year 2026: 1–3 January off, Sunday 4 January a make-up day.
      {"2025-12-31", 15, 0, "3 wd", Counting::next_day, "2026-01-07 00:00", "2026-01-06"},
      {"2025-12-31", 15, 0, "1 wd", Counting::next_day, "2026-01-05 00:00", "2026-01-04"},
      // Spring Festival 2026: Saturday 14 February works, 15–23 February off.
      {"2026-02-13", 16, 0, "1 wd", Counting::next_day, "2026-02-15 00:00", "2026-02-14"},
      {"2026-02-13", 16, 0, "2 wd", Counting::next_day, "2026-02-25 00:00", "2026-02-24"},
      {"2026-02-13", 16, 0, "10 wd", Counting::next_day, "2026-03-06 00:00", "2026-03-05"},  // 28 Feb works
      // Natural time ignores holidays and weekends.
      {"2025-09-30", 18, 30, "24 h", Counting::natural, "2025-10-01 18:30", "2025-10-01"},
      {"2025-09-30", 23, 0, "2 h", Counting::natural, "2025-10-01 01:00", "2025-10-01"},
      {"2025-09-30", 23, 45, "30 min", Counting::natural, "2025-10-01 00:15", "2025-10-01"},
      {"2025-09-30", 23, 30, "30 min", Counting::natural, "2025-10-01 00:00", "2025-09-30"},
      // Zero: the clock has already run out.
      {"2025-09-30", 9, 0, "0 wd", Counting::next_day, "2025-09-30 09:00", "2025-09-30"},
      {"2025-09-30", 9, 0, "0 min", Counting::natural, "2025-09-30 09:00", "2025-09-30"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.start, c.hour, c.minute, c.limit, to_string(c.counting));
    const Deadline d =
        compute_deadline(shipped(), at(c.start, c.hour, c.minute), limit(c.limit, c.counting), k_shanghai);
    CHECK(shown(d.due_ms) == c.due);
    CHECK(format_day(d.last_day) == c.last_day);
    CHECK_FALSE(d.provisional);
  }
}

TEST_CASE("the local date of the dispatch depends on the UTC offset", "[routing][deadline]") {
  // 2025-09-25 16:30 UTC is Friday 26 September 00:30 in Shanghai but Thursday evening in UTC.
  const std::int64_t dispatch = start_of_day(day("2025-09-25"), 0) + (16 * 60 + 30) * 60'000;
  const Deadline shanghai = compute_deadline(shipped(), dispatch, limit("1 wd"), 480);
  const Deadline utc = compute_deadline(shipped(), dispatch, limit("1 wd"), 0);
  CHECK(format_day(shanghai.last_day) == "2025-09-28");
  CHECK(shanghai.due_ms == start_of_day(day("2025-09-29"), 480));
  CHECK(format_day(utc.last_day) == "2025-09-26");
  CHECK(utc.due_ms == start_of_day(day("2025-09-27"), 0));
}

TEST_CASE("counting into an unpublished year is provisional: weekdays, less the holidays fixed by date",
          "[routing][deadline]") {
  const WorkCalendar& cal = shipped();
  REQUIRE_FALSE(cal.is_published(2027));
  // Monday 28 December 2026 + 5 wd: 29 30 31 December; Friday 1 January 2027 is 元旦, off by law even before the
  // 2027 table; then Monday 4 and Tuesday 5.
  const Deadline into_2027 = compute_deadline(cal, at("2026-12-28", 9), limit("5 wd"), k_shanghai);
  CHECK(format_day(into_2027.last_day) == "2027-01-05");
  CHECK(into_2027.due_ms == at("2027-01-06"));
  CHECK(into_2027.provisional);
  // National Day 2027: Friday 1 October is off; Monday 4 October, not fixed by law, counts until the table.
  const Deadline national_day = compute_deadline(cal, at("2027-09-29", 9), limit("3 wd"), k_shanghai);
  CHECK(format_day(national_day.last_day) == "2027-10-05");  // 30 September, 4 and 5 October
  CHECK(national_day.provisional);
  CHECK(cal.holiday_name(day("2027-05-02")) == std::optional<std::string>("劳动节（法定假日；放假安排未公布）"));
  // Inside 2026 (before December) nothing can change any more.
  const Deadline inside = compute_deadline(cal, at("2026-09-18", 9), limit("10 wd"), k_shanghai);
  CHECK(format_day(inside.last_day) == "2026-10-09");  // 20 Sept works; 25–27 Sept and 1–7 Oct are off
  CHECK_FALSE(inside.provisional);
  // December 2026 is in a published year: not provisional.
  const Deadline december = compute_deadline(cal, at("2026-11-27", 9), limit("3 wd"), k_shanghai);
  CHECK(format_day(december.last_day) == "2026-12-02");
  CHECK_FALSE(december.provisional);
  const Deadline new_year_eve = compute_deadline(cal, at("2026-12-25", 9), limit("4 wd"), k_shanghai);
  CHECK(format_day(new_year_eve.last_day) == "2026-12-31");
  CHECK_FALSE(new_year_eve.provisional);
  // Natural time never depends on the tables.
  CHECK_FALSE(compute_deadline(cal, at("2026-12-31", 9), limit("24 h"), k_shanghai).provisional);
}

TEST_CASE("publishing the next year's table settles a provisional deadline and may move it", "[routing][deadline]") {
  auto files = shipped_calendar_files();
  files.push_back(
      {"calendar/2027.json",
       R"({"year": 2027, "papers": [], "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}]})", ""});
  const auto with_2027 = WorkCalendar::compile(files);
  REQUIRE(with_2027.calendar);
  const Deadline before = compute_deadline(shipped(), at("2026-12-28", 9), limit("5 wd"), k_shanghai);
  const Deadline after = compute_deadline(*with_2027.calendar, at("2026-12-28", 9), limit("5 wd"), k_shanghai);
  CHECK(before.provisional);
  CHECK_FALSE(after.provisional);
  CHECK(format_day(after.last_day) == "2027-01-05");
}

TEST_CASE("extensions move working-day deadlines by working days and natural ones by time", "[routing][deadline]") {
  const WorkCalendar& cal = shipped();
  const Deadline original = compute_deadline(cal, at("2025-09-26", 10), limit("5 wd"), k_shanghai);
  // After Friday 10 October: Saturday 11 (make-up), 13, 14, 15, 16.
  const Deadline extended = extend_deadline(cal, original, limit("5 wd"), k_shanghai);
  CHECK(format_day(extended.last_day) == "2025-10-16");
  CHECK(shown(extended.due_ms) == "2025-10-17 00:00");
  CHECK(extended.working_days == 10);
  CHECK_FALSE(extended.provisional);
  CHECK(extend_deadline(cal, original, limit("0 wd"), k_shanghai) == original);
  // Twice by 5 equals once by 10.
  CHECK(extend_deadline(cal, extended, limit("5 wd"), k_shanghai) ==
        extend_deadline(cal, original, limit("10 wd"), k_shanghai));

  const Deadline urgent = compute_deadline(cal, at("2025-09-30", 18, 30), limit("24 h"), k_shanghai);
  const Deadline later = extend_deadline(cal, urgent, limit("2 h"), k_shanghai);
  CHECK(shown(later.due_ms) == "2025-10-01 20:30");
  CHECK(extend_deadline(cal, urgent, limit("90 min"), k_shanghai).due_ms == urgent.due_ms + 90 * 60'000);

  // Extending past the last published year makes the deadline provisional; it never becomes settled again.
  const Deadline late = compute_deadline(cal, at("2026-12-21", 9), limit("3 wd"), k_shanghai);
  CHECK(format_day(late.last_day) == "2026-12-24");
  const Deadline to_year_end = extend_deadline(cal, late, limit("5 wd"), k_shanghai);
  CHECK(format_day(to_year_end.last_day) == "2026-12-31");
  CHECK_FALSE(to_year_end.provisional);
  const Deadline late_extended = extend_deadline(cal, late, limit("6 wd"), k_shanghai);
  CHECK(format_day(late_extended.last_day) == "2027-01-04");  // no 2027 table, but 1 January is off by law
  CHECK(late_extended.provisional);
  CHECK(extend_deadline(cal, late_extended, limit("1 h"), k_shanghai).provisional);
}

TEST_CASE("working days left count today until the deadline passes", "[routing][deadline]") {
  const WorkCalendar& cal = shipped();
  const std::int64_t due = at("2025-10-11");  // the end of Friday 10 October
  const std::vector<std::pair<std::int64_t, int>> cases{
      {at("2025-09-26", 12), 6},  // 26, 28, 29, 30 September, 9, 10 October
      {at("2025-09-27", 12), 5},  // a Saturday
      {at("2025-10-01", 8), 2},  {at("2025-10-09", 0), 2}, {at("2025-10-10", 23, 59), 1}, {due, 0}, {due + 1, 0},
      {at("2025-11-01"), 0},
  };
  for (const auto& [now, left] : cases) {
    CAPTURE(shown(now));
    CHECK(working_days_left(cal, now, due, k_shanghai) == left);
  }
  // A natural-time deadline later today leaves today.
  CHECK(working_days_left(cal, at("2025-10-09", 10), at("2025-10-09", 15), k_shanghai) == 1);
  CHECK(working_days_left(cal, at("2025-10-04", 10), at("2025-10-04", 15), k_shanghai) == 0);
}

TEST_CASE("warning instants before and after a deadline follow the working days", "[routing][deadline]") {
  const WorkCalendar& cal = shipped();
  const Deadline due = compute_deadline(cal, at("2025-09-26", 10), limit("5 wd"), k_shanghai);  // end of 10 Oct
  struct Case {
    std::string limit;
    bool before;
    std::string expected;
  };
  const std::vector<Case> cases{
      {"0 wd", true, "2025-10-11 00:00"},                                        // at the deadline
      {"1 wd", true, "2025-10-10 00:00"},                                        // the start of the last working day
      {"2 wd", true, "2025-10-09 00:00"},   {"3 wd", true, "2025-09-30 00:00"},  // the holiday is skipped
      {"2 h", true, "2025-10-10 22:00"},    {"30 min", true, "2025-10-10 23:30"}, {"0 wd", false, "2025-10-11 00:00"},
      {"1 wd", false, "2025-10-12 00:00"},  // the end of Saturday 11 October, a make-up day
      {"2 wd", false, "2025-10-14 00:00"},  {"5 wd", false, "2025-10-17 00:00"},  {"24 h", false, "2025-10-12 00:00"},
      {"0 min", false, "2025-10-11 00:00"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.limit, c.before);
    const std::int64_t t = c.before ? before_deadline(cal, due, limit(c.limit), k_shanghai)
                                    : after_deadline(cal, due, limit(c.limit), k_shanghai);
    CHECK(shown(t) == c.expected);
  }
  // For a natural-time deadline on a holiday, working days count back from the day it falls in.
  const Deadline urgent = compute_deadline(cal, at("2025-10-03", 9), limit("24 h"), k_shanghai);
  CHECK(shown(before_deadline(cal, urgent, limit("1 wd"), k_shanghai)) == "2025-09-30 00:00");
  CHECK(shown(after_deadline(cal, urgent, limit("1 wd"), k_shanghai)) == "2025-10-10 00:00");
  // 1 wd before a 1 wd deadline is the start of its only working day.
  const Deadline one = compute_deadline(cal, at("2025-03-10", 9), limit("1 wd"), k_shanghai);
  CHECK(shown(before_deadline(cal, one, limit("1 wd"), k_shanghai)) == "2025-03-11 00:00");
}

namespace {

// The definitions, day by day: what the deadline functions must give however they get there.
Day walk_nth(const WorkCalendar& cal, Day d, int n, bool& provisional) {
  for (int counted = 0;; ++d) {
    if (!cal.is_settled(d)) provisional = true;
    if (cal.is_working_day(d) && ++counted == n) return d;
  }
}

int walk_left(const WorkCalendar& cal, Day from, Day last) {
  int left = 0;
  for (Day d = from; d <= last; ++d) left += cal.is_working_day(d) ? 1 : 0;
  return left;
}

Day walk_back(const WorkCalendar& cal, Day d, int n) {
  for (int counted = 0;; --d) {
    if (cal.is_working_day(d) && ++counted == n) return d;
  }
}

}  // namespace

TEST_CASE("long working-day limits give what a walk day by day gives, across holidays and overrides",
          "[routing][deadline]") {
  // The shipped tables (2007-2026) and local overrides before, between and long after them: the functions cross
  // weeks without listed days a week at a time, and must land where counting every day lands.
  auto files = shipped_calendar_files();
  files.push_back({"calendar/zz-far.yaml",
                   "overrides:\n"
                   "  - {date: 2003-06-09, working: false}\n"
                   "  - {date: 2031-03-08, working: true}\n"
                   "  - {date: 2099-03-02, working: false}\n"
                   "  - {date: 2150-06-07, working: true}\n",
                   ""});
  const auto compiled = WorkCalendar::compile(files);
  REQUIRE(compiled.calendar);
  const WorkCalendar& cal = *compiled.calendar;
  std::mt19937 random(20261206);
  const Day from = day("2000-01-01"), to = day("2160-12-31");
  for (int i = 0; i < 600; ++i) {
    // Mostly up to eight years of working days, now and then the longest limit a file may give (99999 wd).
    const int amount = i % 60 == 0 ? 99'999 - static_cast<int>(random() % 50) : 1 + static_cast<int>(random() % 2000);
    const Day start = from + static_cast<Day>(random() % static_cast<unsigned>(to - from));
    const Counting counting = i % 2 ? Counting::inclusive : Counting::next_day;
    CAPTURE(format_day(start), amount, i % 2);
    const std::int64_t start_ms = start_of_day(start, k_shanghai) + 10 * 3'600'000;
    const TimeLimit wd{amount, LimitUnit::working_days, counting};

    const Deadline due = compute_deadline(cal, start_ms, wd, k_shanghai);
    bool provisional = false;
    const Day last = walk_nth(cal, counting == Counting::inclusive ? start : start + 1, amount, provisional);
    REQUIRE(format_day(due.last_day) == format_day(last));
    CHECK(due.provisional == provisional);
    CHECK(due.due_ms == start_of_day(last + 1, k_shanghai));

    CHECK(working_days_left(cal, start_ms, due.due_ms, k_shanghai) == walk_left(cal, start, last));

    const TimeLimit back{1 + static_cast<int>(random() % static_cast<unsigned>(amount)), LimitUnit::working_days,
                         counting};
    CHECK(shown(before_deadline(cal, due, back, k_shanghai)) ==
          shown(start_of_day(walk_back(cal, last, back.amount), k_shanghai)));

    const TimeLimit more{1 + static_cast<int>(random() % 3000), LimitUnit::working_days, counting};
    const Deadline extended = extend_deadline(cal, due, more, k_shanghai);
    bool extended_provisional = due.provisional;
    const Day extended_last = walk_nth(cal, last + 1, more.amount, extended_provisional);
    CHECK(format_day(extended.last_day) == format_day(extended_last));
    CHECK(extended.provisional == extended_provisional);
    CHECK(shown(after_deadline(cal, due, more, k_shanghai)) == shown(start_of_day(extended_last + 1, k_shanghai)));
  }
}

TEST_CASE("a long limit that crosses an unpublished year between two published ones is provisional",
          "[routing][deadline]") {
  // Tables for 2030 and 2032, none for 2031: a deadline from 2030 into 2032 depends on 2031's days, though every
  // day counted one by one (around the listed days) lies in a published year.
  const auto compiled = WorkCalendar::compile({
      {"calendar/2030.json",
       R"({"year": 2030, "papers": [], "days": [{"name": "劳动节", "date": "2030-05-01", "isOffDay": true}]})", ""},
      {"calendar/2032.json",
       R"({"year": 2032, "papers": [], "days": [{"name": "劳动节", "date": "2032-05-03", "isOffDay": true}]})", ""},
  });
  REQUIRE(compiled.calendar);
  const WorkCalendar& cal = *compiled.calendar;
  REQUIRE(cal.is_published(2030));
  REQUIRE_FALSE(cal.is_published(2031));
  const std::int64_t start = start_of_day(day("2030-06-02"), k_shanghai) + 10 * 3'600'000;  // a Sunday
  const Deadline due =
      compute_deadline(cal, start, TimeLimit{600, LimitUnit::working_days, Counting::next_day}, k_shanghai);
  bool provisional = false;
  CHECK(format_day(due.last_day) == format_day(walk_nth(cal, day("2030-06-03"), 600, provisional)));
  CHECK(civil_from_day(due.last_day).year == 2032);
  CHECK(provisional);
  CHECK(due.provisional);
}

TEST_CASE("parse_time_limit accepts working days hours and minutes only", "[routing][deadline]") {
  struct Good {
    std::string text;
    TimeLimit expected;
  };
  const std::vector<Good> good{
      {"1 wd", {1, LimitUnit::working_days, Counting::next_day}},
      {"10 wd", {10, LimitUnit::working_days, Counting::next_day}},
      {"0 wd", {0, LimitUnit::working_days, Counting::next_day}},
      {"3wd", {3, LimitUnit::working_days, Counting::next_day}},
      {"  5   wd ", {5, LimitUnit::working_days, Counting::next_day}},
      {"2 h", {2, LimitUnit::hours, Counting::natural}},
      {"24 h", {24, LimitUnit::hours, Counting::natural}},
      {"30 min", {30, LimitUnit::minutes, Counting::natural}},
      {"0 min", {0, LimitUnit::minutes, Counting::natural}},
      {"99999 min", {99999, LimitUnit::minutes, Counting::natural}},
      {"007 h", {7, LimitUnit::hours, Counting::natural}},
      {"3 s", {3, LimitUnit::seconds, Counting::natural}},
      {"1s", {1, LimitUnit::seconds, Counting::natural}},
  };
  for (const auto& g : good) {
    CAPTURE(g.text);
    CHECK(parse_time_limit(g.text, Counting::next_day) == g.expected);
  }
  CHECK(parse_time_limit("3 wd", Counting::inclusive)->counting == Counting::inclusive);
  CHECK(parse_time_limit("3 wd", Counting::natural)->counting == Counting::next_day);
  CHECK(parse_time_limit("3 h", Counting::inclusive)->counting == Counting::natural);
  for (const char* bad : {"",       "wd",    "1",     "1 day", "1 working day", "2 hours",  "1.5 h",
                          "-1 wd",  "+1 wd", "1 WD",  "1 H",   "1 wd wd",       "1 w d",    "100000 min",
                          "1 mins", "1 m",   "1 sec", "1 S",   "one wd",        "1 wd 2 h", "1\nwd"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_time_limit(bad, Counting::next_day));
  }
  for (const char* text : {"5 wd", "2 h", "30 min", "0 wd", "3 s"}) CHECK(to_string(limit(text)) == text);
  CHECK(parse_counting("次日起") == Counting::next_day);
  CHECK(parse_counting("inclusive") == Counting::inclusive);
  CHECK_FALSE(parse_counting("daily"));
}
