#include "daemon/report/report_model.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace hotline::report {

std::optional<std::int64_t> basis_points(const Ratio& r) {
  if (r.den <= 0) return std::nullopt;
  // Integer arithmetic, rounded half up: no floating point, so every platform prints the same digits.
  return (r.num * 20000 + r.den) / (2 * r.den);
}

std::string display(const Cell& c) {
  switch (c.kind) {
    case Cell::Kind::text:
      return c.text;
    case Cell::Kind::integer:
      return std::to_string(c.integer);
    case Cell::Kind::rate: {
      const auto bp = basis_points(c.ratio);
      return bp ? fmt::format("{}.{:02d}%", *bp / 100, *bp % 100) : std::string();
    }
  }
  return {};
}

const Section* Report::find(const std::string& key) const {
  for (const auto& s : sections) {
    if (s.key == key) return &s;
  }
  return nullptr;
}

std::int64_t as_of_ms(const ReportOptions& o) {
  return routing::start_of_day(o.as_of + 1, o.utc_offset_minutes);
}

Window period_window(const ReportOptions& o) {
  return {routing::start_of_day(o.from, o.utc_offset_minutes), routing::start_of_day(o.to + 1, o.utc_offset_minutes)};
}

std::optional<std::pair<routing::Day, routing::Day>> period_days(const std::string& kind, routing::Day as_of) {
  if (kind == "day") return std::pair{as_of, as_of};
  if (kind == "week") return std::pair{as_of - (routing::weekday(as_of) - 1), as_of};
  if (kind == "month") return std::pair{as_of - (routing::civil_from_day(as_of).day - 1), as_of};
  return std::nullopt;
}

std::pair<routing::Day, routing::Day> previous_period(const ReportOptions& o) {
  if (o.period_kind == "day") return {o.from - 1, o.to - 1};
  if (o.period_kind == "week") return {o.from - 7, o.to - 7};
  if (o.period_kind == "month") {
    const auto c = routing::civil_from_day(o.to);
    const int year = c.month == 1 ? c.year - 1 : c.year;
    const int month = c.month == 1 ? 12 : c.month - 1;
    const int last = std::min(c.day, routing::days_in_month(year, month));
    return {routing::day_from_civil(year, month, 1), routing::day_from_civil(year, month, last)};
  }
  const auto days = o.to - o.from + 1;
  return {o.from - days, o.from - 1};
}

std::string local_time_text(std::int64_t ms, int utc_offset_minutes) {
  const auto local = ms + std::int64_t{utc_offset_minutes} * 60'000;
  const auto day = routing::local_day(ms, utc_offset_minutes);
  const auto minutes = (local - std::int64_t{day} * routing::k_ms_per_day) / 60'000;
  return fmt::format("{} {:02d}:{:02d}", routing::format_day(day), minutes / 60, minutes % 60);
}

std::string unit_name(const ReportOptions& o, const std::string& id) {
  // build_report() sorts the directory by id.
  const auto it = std::lower_bound(o.units.begin(), o.units.end(), id,
                                   [](const UnitInfo& u, const std::string& key) { return u.id < key; });
  return it != o.units.end() && it->id == id ? it->name : id;
}

std::string_view outcome_name(Outcome o) {
  switch (o) {
    case Outcome::pending:
      return "待审核";
    case Outcome::approved:
      return "已批准";
    case Outcome::declined:
      return "已驳回";
  }
  return "";
}

std::string_view state_name(routing::CaseState s) {
  using routing::CaseState;
  switch (s) {
    case CaseState::awaiting_sign_for:
      return "待签收";
    case CaseState::in_progress:
      return "办理中";
    case CaseState::return_requested:
      return "退单审核中";
    case CaseState::extension_requested:
      return "延期审核中";
    case CaseState::reply_review:
      return "答复审核中";
    case CaseState::awaiting_follow_up:
      return "待回访";
    case CaseState::arbitration_requested:
      return "仲裁中";
    case CaseState::closed:
      return "已办结";
    case CaseState::merged:
      return "已并单";
    case CaseState::not_accepted:
      return "不予受理";
    case CaseState::answered_directly:
      return "直接答复";
  }
  return "";
}

Report build_report(const Facts& f, const ReportOptions& options) {
  ReportOptions o = options;
  std::sort(o.units.begin(), o.units.end(), [](const UnitInfo& a, const UnitInfo& b) { return a.id < b.id; });
  Report r;
  r.title = "12345热线每日督办报告 " + routing::format_day(o.as_of);
  r.header = {
      {"截至 as of", routing::format_day(o.as_of) + " 24:00"},
      {"统计周期 period", o.period_kind + " " + routing::format_day(o.from) + " — " + routing::format_day(o.to)},
      {"数据库 database", o.database_label},
      {"事件数 events", std::to_string(f.events)},
      {"工单数 tickets", std::to_string(f.tickets.size())}};
  r.sections.push_back(red_list(f, o));
  r.sections.push_back(yellow_list(f, o));
  r.sections.push_back(pending_returns(f, o));
  r.sections.push_back(pending_extensions(f, o));
  for (auto& s : unit_sections(f, o)) r.sections.push_back(std::move(s));
  r.sections.push_back(returns_by_unit(f, o));
  r.sections.push_back(return_details(f, o));
  r.sections.push_back(rules_by_returns(f, o));
  r.sections.push_back(trend(f, o, 7));
  r.sections.push_back(trend(f, o, 30));
  r.sections.push_back(definitions());
  r.sections.insert(r.sections.begin(), summary(f, o, r.sections));
  return r;
}

}  // namespace hotline::report
