// The nightly report as data: titled sections of typed cells, with optional chart hints, built from Facts.
// Every writer (CSV, JSON, HTML, XLSX) renders this one model, so the formats always agree. Rows are in a fully
// determined order (every sort has a tie-break), so the same facts give the same report. Pure; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "daemon/report/metrics.hpp"
#include "daemon/report/report_facts.hpp"
#include "routing/civil_day.hpp"
#include "routing/work_calendar.hpp"

namespace hotline::report {

struct Cell {
  enum class Kind { text, integer, rate };
  Kind kind = Kind::text;
  std::string text;
  std::int64_t integer = 0;
  Ratio ratio;
  static Cell of(std::string s) { return Cell{Kind::text, std::move(s), 0, {}}; }
  static Cell of(std::int64_t v) { return Cell{Kind::integer, {}, v, {}}; }
  static Cell rate(Ratio r) { return Cell{Kind::rate, {}, 0, r}; }
};
// How a cell reads in text formats: integers in decimal, rates as "87.50%" (half up) or "" when undefined.
std::string display(const Cell& c);
// A rate in hundredths of a percent, rounded half up (8750 for 7/8); nullopt when the denominator is 0.
std::optional<std::int64_t> basis_points(const Ratio& r);

struct Column {
  std::string key;    // machine name (JSON member)
  std::string title;  // Chinese header
};

struct Chart {
  enum class Type { bar, line };
  Type type = Type::bar;
  std::string title;
  std::size_t category_column = 0;
  std::vector<std::size_t> value_columns;  // integer or rate columns
  std::size_t max_rows = 30;               // the first rows only
};

struct Section {
  std::string key;    // file and sheet-independent name: "red_list", ...
  std::string title;  // Chinese title, also the XLSX sheet name (at most 31 characters)
  std::string note;   // one line on what the rows are
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;
  std::optional<Chart> chart;
};

struct UnitInfo {  // from the loaded rules' unit directory
  std::string id, name, peer_group;
};

struct ReportOptions {
  routing::Day as_of = 0;   // the report day; facts are read up to its end
  std::string period_kind;  // day, week, month, custom
  routing::Day from = 0;    // the period, inclusive local days
  routing::Day to = 0;
  int utc_offset_minutes = 480;
  const routing::WorkCalendar* calendar = nullptr;  // required
  std::vector<UnitInfo> units;  // sorted by id (unit_name() searches it; build_report() sorts its copy)
  std::string database_label;   // shown in the header (e.g. the file name); no paths that vary between hosts
};

struct Report {
  std::string title;
  std::vector<std::pair<std::string, std::string>> header;  // (label, value) lines
  std::vector<Section> sections;
  const Section* find(const std::string& key) const;
};

// Instants of the options: end of the as-of day, and the period window.
std::int64_t as_of_ms(const ReportOptions& o);
Window period_window(const ReportOptions& o);
// The inclusive local days of a period of `kind` ending at `as_of`: day = that day; week = Monday..as_of;
// month = the 1st..as_of. nullopt for an unknown kind (custom periods are given explicitly).
std::optional<std::pair<routing::Day, routing::Day>> period_days(const std::string& kind, routing::Day as_of);
// The period the summary compares with (上期), inclusive local days: day = the day before; week = the same days
// of the week before; month = the previous month's 1st to the same day of the month (its last day when it is
// shorter); custom (and anything else) = as many days immediately before `from`.
std::pair<routing::Day, routing::Day> previous_period(const ReportOptions& o);

Report build_report(const Facts& f, const ReportOptions& o);

// Section builders (report_lists.cpp, report_units.cpp, report_trends.cpp, report_definitions.cpp).
Section red_list(const Facts& f, const ReportOptions& o);
Section yellow_list(const Facts& f, const ReportOptions& o);
Section pending_returns(const Facts& f, const ReportOptions& o);
Section pending_extensions(const Facts& f, const ReportOptions& o);
Section returns_by_unit(const Facts& f, const ReportOptions& o);
Section return_details(const Facts& f, const ReportOptions& o);
Section rules_by_returns(const Facts& f, const ReportOptions& o);
std::vector<Section> unit_sections(const Facts& f, const ReportOptions& o);  // unit table, 红黑榜, no tickets
Section trend(const Facts& f, const ReportOptions& o, int days);
// Key figures; counts of the list sections are read from `sections` (built first). Each rate row also carries
// the same rate for the previous period (column `previous`, 上期; its cohort judged as of the same as-of day).
Section summary(const Facts& f, const ReportOptions& o, const std::vector<Section>& sections);
// 指标说明: what each rate counts and what counts as a hit, in Chinese, for the report's readers.
Section definitions();

// Shared helpers for the builders.
std::string local_time_text(std::int64_t ms, int utc_offset_minutes);  // "2026-11-26 09:30"
std::string unit_name(const ReportOptions& o, const std::string& id);  // the directory's name, or the id
std::string_view outcome_name(Outcome o);                              // 待审核, 已批准, 已驳回
std::string_view state_name(routing::CaseState s);                     // 待签收, 办理中, ...

}  // namespace hotline::report
