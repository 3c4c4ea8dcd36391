// Deadline arithmetic over a WorkCalendar: working-day and natural-time limits, extensions, warnings.
// Pure functions of their arguments (the caller passes the time and the UTC offset); safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "routing/work_calendar.hpp"

namespace hotline::routing {

// How a limit is counted. next_day (次日起): working days from the day after the start; inclusive (含本数): from
// the start's own date when it is a working day; natural: hours or minutes on the 7×24 clock.
enum class Counting { next_day, inclusive, natural };
enum class LimitUnit { working_days, hours, minutes, seconds };

struct TimeLimit {
  int amount = 0;  // never negative
  LimitUnit unit = LimitUnit::working_days;
  Counting counting = Counting::next_day;  // natural for hours and minutes; next_day or inclusive for working days

  friend bool operator==(const TimeLimit&, const TimeLimit&) = default;
};

// "<n> wd", "<n> h", "<n> min" or "<n> s": n is 0..99999 in ASCII digits, spaces between number and unit are
// optional, leading and trailing spaces are ignored. Working days take `default_counting` (natural is replaced by
// next_day); hours, minutes and seconds are always natural. Seconds exist for test fixtures whose deadlines pass
// in natural time while a test waits. nullopt for anything else ("1.5 h", "-1 wd", "3 days", "wd").
std::optional<TimeLimit> parse_time_limit(std::string_view text, Counting default_counting);
// "5 wd", "2 h", "30 min", "3 s" (the counting is not shown).
std::string to_string(const TimeLimit& limit);
// "next_day"/"inclusive"/"natural", or 次日起/含本数/自然时间; nullopt when neither.
std::optional<Counting> parse_counting(std::string_view text);
std::string_view to_string(Counting counting);

struct Deadline {
  std::int64_t due_ms = 0;   // Unix milliseconds: the instant the clock runs out
  bool provisional = false;  // a day the result depends on is not settled (WorkCalendar::is_settled)
  Day last_day = 0;          // the local day the clock runs out in: the last counted working day, or for natural
                             // time the day holding the last millisecond before due_ms
  int working_days = 0;      // working days counted (natural time: 0)

  friend bool operator==(const Deadline&, const Deadline&) = default;
};

// The deadline of a clock started at `start_ms` (the dispatch instant) under `limit`, in local time at
// `utc_offset_minutes` (+480 for Asia/Shanghai).
//   Working days: the first counted day is the day after the start's local date (next_day) or that date itself
//   (inclusive); non-working days are skipped; the clock runs out at the END of the Nth counted working day, i.e.
//   at the local midnight that follows it (due_ms = start_of_day(last_day + 1)). A limit of 0 working days runs
//   out at start_ms. Provisional when any day from the first counted day to last_day is not settled; such days
//   are classified by the calendar as it stands (Monday–Friday when no table lists them).
//   Natural time: due_ms = start_ms + the hours or minutes; never provisional.
Deadline compute_deadline(const WorkCalendar& cal, std::int64_t start_ms, const TimeLimit& limit,
                          int utc_offset_minutes);

// An approved extension (延期). Working days move the deadline to the end of the Nth working day after
// old.last_day (working_days adds up; provisional if the old one was or a newly counted day is unsettled);
// hours and minutes move due_ms on by that much natural time. The counting of `extra` is ignored.
Deadline extend_deadline(const WorkCalendar& cal, const Deadline& old, const TimeLimit& extra, int utc_offset_minutes);

// Working days with time left before `due_ms`: the working days among the local dates from now_ms's date to
// the date holding the last millisecond before due_ms, both included (today counts when it is a working day).
// 0 when now_ms >= due_ms.
int working_days_left(const WorkCalendar& cal, std::int64_t now_ms, std::int64_t due_ms, int utc_offset_minutes);

// The instant `limit` before a deadline, for warnings such as the yellow card (黄牌).
//   Working days, N >= 1: the local midnight that STARTS the Nth working day counted backwards from
//   due.last_day (last_day itself is the 1st when it is a working day). So "1 wd" before a working-day deadline is
//   the start of its last working day: from then on exactly one working day remains. N = 0: due.due_ms.
//   Natural time: due.due_ms minus the hours or minutes.
// The result may lie before the clock started; the caller decides what an early warning means.
std::int64_t before_deadline(const WorkCalendar& cal, const Deadline& due, const TimeLimit& limit,
                             int utc_offset_minutes);

// The instant `limit` after a deadline, for the red card (红牌) and supervision (督办).
//   Working days, N >= 1: the END (following local midnight) of the Nth working day after due.last_day, so
//   "1 wd" after is the end of the first working day past the deadline. N = 0: the first working day past the
//   deadline, that is due.due_ms when it falls on a working day, else the start of the next working day.
//   Natural time: due.due_ms plus the hours or minutes.
std::int64_t after_deadline(const WorkCalendar& cal, const Deadline& due, const TimeLimit& limit,
                            int utc_offset_minutes);

}  // namespace hotline::routing
