#include "routing/deadline.hpp"

#include <algorithm>

namespace hotline::routing {
namespace {

constexpr std::size_t k_max_digits = 5;  // amounts up to 99999: no overflow anywhere downstream

std::int64_t natural_ms(const TimeLimit& limit) {
  const std::int64_t amount = limit.amount < 0 ? 0 : limit.amount;
  switch (limit.unit) {
    case LimitUnit::hours:
      return amount * 3'600'000;
    case LimitUnit::minutes:
      return amount * 60'000;
    case LimitUnit::seconds:
      return amount * 1'000;
    case LimitUnit::working_days:
      break;
  }
  return 0;
}

// Between two days the calendar lists (holidays, make-up days, overrides), and before the first or after the
// last, every week has exactly five working days (Monday to Friday). The walks below cross such stretches a
// week at a time, so a 99,999 wd limit takes a few hundred steps rather than one per day (about 140,000); they
// give what a walk day by day gives (tests/routing/deadline_test.cpp checks them against one).

// Whole weeks from Monday `d` on that hold no listed day, at most `wanted`.
int plain_weeks_from(const WorkCalendar& cal, Day d, int wanted) {
  const std::int64_t room = (static_cast<std::int64_t>(cal.next_listed_day(d)) - d) / 7;
  return static_cast<int>(std::min<std::int64_t>(wanted, room));
}

// Whole weeks back from Sunday `d` (a week ends on its Sunday) that hold no listed day, at most `wanted`.
int plain_weeks_back(const WorkCalendar& cal, Day d, int wanted) {
  const std::int64_t room = (static_cast<std::int64_t>(d) - cal.previous_listed_day(d)) / 7;
  return static_cast<int>(std::min<std::int64_t>(wanted, room));
}

// True when every day of [from, to] lies in a published year.
bool all_settled(const WorkCalendar& cal, Day from, Day to) {
  for (int y = civil_from_day(from).year, last = civil_from_day(to).year; y <= last; ++y) {
    if (!cal.is_published(y)) return false;
  }
  return true;
}

// The nth working day (n >= 1) at or after `first`. Every day looked at feeds `provisional`: a skipped weekend
// that a future table declares a make-up day would move the result just as much as a counted day.
Day nth_working_day_from(const WorkCalendar& cal, Day first, int n, bool& provisional) {
  Day d = first;
  for (int counted = 0;; ++d) {
    if (n - counted > 5 && weekday(d) == 1) {
      // Leave one to five working days to the walk, so that it ends on the right weekday.
      if (const int weeks = plain_weeks_from(cal, d, (n - counted - 1) / 5); weeks > 0) {
        if (!all_settled(cal, d, d + 7 * weeks - 1)) provisional = true;
        d += 7 * weeks;
        counted += 5 * weeks;
      }
    }
    if (!cal.is_settled(d)) provisional = true;
    if (cal.is_working_day(d) && ++counted == n) return d;
  }
}

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

}  // namespace

std::optional<TimeLimit> parse_time_limit(std::string_view text, Counting default_counting) {
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
  std::size_t i = 0;
  int amount = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    if (i == k_max_digits) return std::nullopt;
    amount = amount * 10 + (text[i] - '0');
  }
  if (i == 0) return std::nullopt;
  while (i < text.size() && is_blank(text[i])) ++i;
  const std::string_view unit = text.substr(i);
  if (unit == "wd") {
    return TimeLimit{amount, LimitUnit::working_days,
                     default_counting == Counting::inclusive ? Counting::inclusive : Counting::next_day};
  }
  if (unit == "h") return TimeLimit{amount, LimitUnit::hours, Counting::natural};
  if (unit == "min") return TimeLimit{amount, LimitUnit::minutes, Counting::natural};
  if (unit == "s") return TimeLimit{amount, LimitUnit::seconds, Counting::natural};
  return std::nullopt;
}

std::string to_string(const TimeLimit& limit) {
  const char* unit = limit.unit == LimitUnit::working_days ? " wd"
                     : limit.unit == LimitUnit::hours      ? " h"
                     : limit.unit == LimitUnit::minutes    ? " min"
                                                           : " s";
  return std::to_string(limit.amount) + unit;
}

std::optional<Counting> parse_counting(std::string_view text) {
  if (text == "next_day" || text == "次日起") return Counting::next_day;
  if (text == "inclusive" || text == "含本数") return Counting::inclusive;
  if (text == "natural" || text == "自然时间") return Counting::natural;
  return std::nullopt;
}

std::string_view to_string(Counting counting) {
  switch (counting) {
    case Counting::next_day:
      return "next_day";
    case Counting::inclusive:
      return "inclusive";
    case Counting::natural:
      return "natural";
  }
  return "?";
}

Deadline compute_deadline(const WorkCalendar& cal, std::int64_t start_ms, const TimeLimit& limit,
                          int utc_offset_minutes) {
  Deadline out;
  if (limit.unit != LimitUnit::working_days || limit.amount <= 0) {
    out.due_ms = start_ms + (limit.unit == LimitUnit::working_days ? 0 : natural_ms(limit));
    out.last_day = local_day(out.due_ms - 1, utc_offset_minutes);
    return out;
  }
  const Day start = local_day(start_ms, utc_offset_minutes);
  const Day first = limit.counting == Counting::inclusive ? start : start + 1;
  out.last_day = nth_working_day_from(cal, first, limit.amount, out.provisional);
  out.due_ms = start_of_day(out.last_day + 1, utc_offset_minutes);
  out.working_days = limit.amount;
  return out;
}

Deadline extend_deadline(const WorkCalendar& cal, const Deadline& old, const TimeLimit& extra, int utc_offset_minutes) {
  Deadline out = old;
  if (extra.unit != LimitUnit::working_days) {
    out.due_ms = old.due_ms + natural_ms(extra);
    out.last_day = local_day(out.due_ms - 1, utc_offset_minutes);
    return out;
  }
  if (extra.amount <= 0) return out;
  out.last_day = nth_working_day_from(cal, old.last_day + 1, extra.amount, out.provisional);
  out.due_ms = start_of_day(out.last_day + 1, utc_offset_minutes);
  out.working_days = old.working_days + extra.amount;
  return out;
}

int working_days_left(const WorkCalendar& cal, std::int64_t now_ms, std::int64_t due_ms, int utc_offset_minutes) {
  if (now_ms >= due_ms) return 0;
  const Day last = local_day(due_ms - 1, utc_offset_minutes);
  int left = 0;
  for (Day d = local_day(now_ms, utc_offset_minutes); d <= last; ++d) {
    if (last - d >= 7 && weekday(d) == 1) {
      if (const int weeks = plain_weeks_from(cal, d, (last - d + 1) / 7); weeks > 0) {
        left += 5 * weeks;
        d += 7 * weeks;
        if (d > last) break;
      }
    }
    left += cal.is_working_day(d) ? 1 : 0;
  }
  return left;
}

std::int64_t before_deadline(const WorkCalendar& cal, const Deadline& due, const TimeLimit& limit,
                             int utc_offset_minutes) {
  if (limit.unit != LimitUnit::working_days) return due.due_ms - natural_ms(limit);
  if (limit.amount <= 0) return due.due_ms;
  Day d = due.last_day;
  for (int counted = 0;; --d) {
    if (limit.amount - counted > 5 && weekday(d) == 7) {
      const int weeks = plain_weeks_back(cal, d, (limit.amount - counted - 1) / 5);
      d -= 7 * weeks;
      counted += 5 * weeks;
    }
    if (cal.is_working_day(d) && ++counted == limit.amount) return start_of_day(d, utc_offset_minutes);
  }
}

std::int64_t after_deadline(const WorkCalendar& cal, const Deadline& due, const TimeLimit& limit,
                            int utc_offset_minutes) {
  if (limit.unit != LimitUnit::working_days) return due.due_ms + natural_ms(limit);
  if (limit.amount <= 0) {
    // On the first working day past the deadline (domain rule 8): at the deadline when it falls on a working
    // day, else at the start of the next one (a deadline of Saturday 00:00 gives its red card on Monday).
    Day d = local_day(due.due_ms, utc_offset_minutes);
    if (cal.is_working_day(d)) return due.due_ms;
    for (int guard = 0; guard < 366 && !cal.is_working_day(d); ++guard) ++d;
    return std::max(due.due_ms, start_of_day(d, utc_offset_minutes));
  }
  bool provisional = false;  // the caller recomputes from the Deadline, which carries its own flag
  const Day last = nth_working_day_from(cal, due.last_day + 1, limit.amount, provisional);
  return start_of_day(last + 1, utc_offset_minutes);
}

}  // namespace hotline::routing
