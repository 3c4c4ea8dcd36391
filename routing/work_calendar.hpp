// The working-day calendar (工作日): Monday–Friday, minus statutory off days, plus make-up working days (调休),
// plus local overrides. Built once by compile(), then immutable and shared as shared_ptr<const WorkCalendar>.
// Safe to read from any thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "routing/civil_day.hpp"
#include "routing/diagnostic.hpp"

namespace hotline::routing {

struct CalendarResult;

class WorkCalendar {
 public:
  // Parses and checks every file. A path ending ".json" is a national table in the holiday-cn format
  //   {"year": Y, "papers": [url...], "days": [{"name": text, "date": "YYYY-MM-DD", "isOffDay": bool}...]}
  // whose dates lie in Y or in December of Y-1; a path ending ".yaml" holds local overrides
  //   overrides: [{date: YYYY-MM-DD, working: true|false, name: text (optional)}...]
  // A year is published when a national file for it has a non-empty "days" list. Overrides win over the
  // national tables. Never throws on bad input: syntax errors, unknown keys, bad dates, dates outside a file's
  // year, two files for one year and one date given conflicting values are diagnostics with file:line:column,
  // and `calendar` is null when any of them is an error.
  static CalendarResult compile(const std::vector<SourceFile>& files, FileLimits limits = {});

  // Monday–Friday unless listed off; Saturday–Sunday only when listed as a working day (national or local).
  bool is_working_day(Day d) const;
  // True when a national table for `year` was loaded with at least one day.
  bool is_published(int year) const;
  // The latest published year; 0 when none is.
  int last_published_year() const;
  // True when day `d` lies in a published year, so its classification is final; deadlines that depend on a day
  // that is not settled are provisional. Caveat: a year's table may also list days of the previous December
  // (2023.json lists 2022-12-31), so the last days of a published year can still change when the next table
  // arrives; this function does not flag them (see rules/calendar/README.md).
  bool is_settled(Day d) const;
  // What an admin must hear on `today` about the tables loaded: the current year unpublished, or, from November
  // on (the State Council's notice for the next year comes in November or December), the next. Empty when none.
  std::string coverage_gap(Day today) const;
  // The name of a listed day ("国庆节、中秋节", or a local override's name); nullopt for unlisted days and for
  // overrides given without a name.
  std::optional<std::string> holiday_name(Day d) const;
  // True when day `d` was set by a local override.
  bool is_overridden(Day d) const;
  // The first listed day (holiday, make-up day, override) at or after `d`, INT32_MAX when none is; the last at or
  // before `d`, INT32_MIN when none is. Every week between two listed days has five working days, Monday–Friday.
  Day next_listed_day(Day d) const;
  Day previous_listed_day(Day d) const;
  // Content hash of the files (16 hex digits), independent of their order.
  const std::string& version() const { return version_; }

  // One explicitly listed day, after overrides were applied. Sorted by day in listed_days().
  struct ListedDay {
    Day day = 0;
    bool working = false;
    bool local = false;  // set by a local override
    std::string name;
  };
  const std::vector<ListedDay>& listed_days() const { return days_; }

 private:
  WorkCalendar() = default;
  const ListedDay* find(Day d) const;

  std::vector<ListedDay> days_;
  std::vector<int> published_;  // sorted
  std::string version_;
};

struct CalendarResult {
  std::shared_ptr<const WorkCalendar> calendar;
  std::vector<Diagnostic> diagnostics;
};

}  // namespace hotline::routing
