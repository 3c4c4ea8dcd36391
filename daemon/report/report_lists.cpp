// The list sections: red and yellow warnings, requests waiting for review, returns (否定报备) and the rules
// behind them.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

#include "daemon/report/report_model.hpp"

namespace hotline::report {
namespace {

std::string_view reason_name(std::string_view code) {
  if (code == "not_our_duty") return "非本单位职责";
  if (code == "not_our_territory") return "非本单位辖区";
  return code;
}

// Working days after the day of the deadline's last allowed instant, up to and including the as-of day.
std::int64_t working_days_late(const ReportOptions& o, std::int64_t due_ms) {
  std::int64_t n = 0;
  for (auto d = routing::local_day(due_ms - 1, o.utc_offset_minutes) + 1; d <= o.as_of; ++d) {
    n += o.calendar->is_working_day(d) ? 1 : 0;
  }
  return n;
}

struct ClockRow {
  const AssignmentFacts* a;
  bool reply;  // the reply clock (办结), else sign-for (签收); the desk's one clock either way (派单)
  std::int64_t due_ms;
};

// The clock's name: the dispatch desk neither signs for nor replies, its one clock is the dispatch limit.
std::string clock_name(const ClockRow& r) {
  if (r.a->desk) return "派单";
  return r.reply ? "办结" : "签收";
}

// The clock an open assignment is judged on in [lo, hi): the reply clock first, then an unsigned sign-for.
std::optional<ClockRow> clock_in(const Facts& f, const AssignmentFacts& a, std::int64_t lo, std::int64_t hi) {
  if (!owes_reply(f, a)) return std::nullopt;
  if (a.reply_due_ms >= lo && a.reply_due_ms < hi) return ClockRow{&a, true, a.reply_due_ms};
  if (a.signed_ms == 0 && a.sign_for_due_ms >= lo && a.sign_for_due_ms < hi)
    return ClockRow{&a, false, a.sign_for_due_ms};
  return std::nullopt;
}

void sort_clock_rows(const Facts& f, std::vector<ClockRow>& rows) {
  std::sort(rows.begin(), rows.end(), [&](const ClockRow& x, const ClockRow& y) {
    return std::tuple(std::string_view(f.unit_id(x.a->unit)), x.due_ms, f.ticket_id(x.a->ticket), x.reply) <
           std::tuple(std::string_view(f.unit_id(y.a->unit)), y.due_ms, f.ticket_id(y.a->ticket), y.reply);
  });
}

std::vector<Cell> clock_cells(const Facts& f, const ReportOptions& o, const ClockRow& r) {
  const auto& id = f.unit_id(r.a->unit);
  return {Cell::of(id),
          Cell::of(unit_name(o, id)),
          Cell::of(std::string(f.ticket_id(r.a->ticket))),
          Cell::of(clock_name(r)),
          Cell::of(local_time_text(r.due_ms, o.utc_offset_minutes)),
          Cell::of(std::string(state_name(f.tickets[r.a->ticket].state)))};
}

const std::vector<Column> k_clock_columns{{"unit_id", "单位编码"}, {"unit", "单位"},    {"ticket", "工单号"},
                                          {"clock", "时限类型"},   {"due", "截止时间"}, {"state", "工单状态"}};

std::int64_t hours(std::int64_t ms) {
  return ms / 3'600'000;
}

}  // namespace

Section red_list(const Facts& f, const ReportOptions& o) {
  Section s{"red_list",
            "红牌 超期未办",
            "截至报告日末仍未签收或未答复且已过时限的工单，按单位、超期时间排序",
            k_clock_columns,
            {},
            std::nullopt};
  s.columns.push_back({"working_days_overdue", "超期工作日"});
  s.columns.push_back({"hours_overdue", "超期小时"});
  const auto end = as_of_ms(o);
  std::vector<ClockRow> rows;
  for (const auto& a : f.assignments) {
    if (auto r = clock_in(f, a, std::numeric_limits<std::int64_t>::min(), end)) rows.push_back(*r);
  }
  sort_clock_rows(f, rows);
  for (const auto& r : rows) {
    auto cells = clock_cells(f, o, r);
    cells.push_back(Cell::of(working_days_late(o, r.due_ms)));
    cells.push_back(Cell::of(hours(end - r.due_ms)));
    s.rows.push_back(std::move(cells));
  }
  return s;
}

Section yellow_list(const Facts& f, const ReportOptions& o) {
  Section s{"yellow_list", "黄牌 一个工作日内到期", "下一个工作日结束前到期、尚未签收或答复的工单", k_clock_columns, {},
            std::nullopt};
  s.columns.push_back({"hours_left", "剩余小时"});
  auto next = o.as_of + 1;
  for (int i = 0; i < 366 && !o.calendar->is_working_day(next); ++i) ++next;
  const auto start = as_of_ms(o);
  const auto end = routing::start_of_day(next + 1, o.utc_offset_minutes);
  std::vector<ClockRow> rows;
  for (const auto& a : f.assignments) {
    // A deadline at the very end of the next working day is due within it: the upper bound is inclusive.
    if (auto r = clock_in(f, a, start, end + 1)) rows.push_back(*r);
  }
  sort_clock_rows(f, rows);
  for (const auto& r : rows) {
    auto cells = clock_cells(f, o, r);
    cells.push_back(Cell::of(hours(r.due_ms - start)));
    s.rows.push_back(std::move(cells));
  }
  return s;
}

// The requests waiting for review at the end of the as-of day, oldest first, one row each: ticket, unit, time
// asked, the two cells particular to the kind (`detail`), hours waiting. `pending` picks a ticket's waiting
// request from `all` (k_no_index when none).
template <class Request, class Pending, class Detail>
void add_pending(Section& s, const Facts& f, const ReportOptions& o, const std::vector<Request>& all, Pending pending,
                 Detail detail) {
  const auto end = as_of_ms(o);
  std::vector<const Request*> rows;
  for (const auto& t : f.tickets) {
    if (excluded(t)) continue;  // a merged ticket's request waits with it, in case it is unmerged
    if (const auto i = pending(t); i != k_no_index) rows.push_back(&all[i]);
  }
  std::sort(rows.begin(), rows.end(), [&](auto* x, auto* y) {
    return std::tuple(x->at_ms, f.ticket_id(x->ticket)) < std::tuple(y->at_ms, f.ticket_id(y->ticket));
  });
  for (const auto* r : rows) {
    const auto& id = f.unit_id(r->unit);
    auto [first, second] = detail(*r);
    s.rows.push_back({Cell::of(std::string(f.ticket_id(r->ticket))), Cell::of(id), Cell::of(unit_name(o, id)),
                      Cell::of(local_time_text(r->at_ms, o.utc_offset_minutes)), std::move(first), std::move(second),
                      Cell::of(hours(end - r->at_ms))});
  }
}

Section pending_returns(const Facts& f, const ReportOptions& o) {
  Section s{"pending_returns",
            "待审核退单",
            "截至报告日末等待热线审核的退单申请",
            {{"ticket", "工单号"},
             {"unit_id", "单位编码"},
             {"unit", "单位"},
             {"requested_at", "申请时间"},
             {"reason_code", "原因类别"},
             {"reason", "退单理由"},
             {"hours_waiting", "已等待小时"}},
            {},
            std::nullopt};
  add_pending(
      s, f, o, f.returns, [](const auto& t) { return t.pending_return; },
      [](const ReturnRequest& r) {
        return std::pair{Cell::of(std::string(reason_name(r.reason_code))), Cell::of(r.reason)};
      });
  return s;
}

Section pending_extensions(const Facts& f, const ReportOptions& o) {
  Section s{"pending_extensions",
            "待审核延期",
            "截至报告日末等待热线审核的延期申请",
            {{"ticket", "工单号"},
             {"unit_id", "单位编码"},
             {"unit", "单位"},
             {"requested_at", "申请时间"},
             {"working_days", "申请工作日"},
             {"reason", "延期理由"},
             {"hours_waiting", "已等待小时"}},
            {},
            std::nullopt};
  add_pending(
      s, f, o, f.extensions, [](const auto& t) { return t.pending_extension; },
      [](const ExtensionRequest& r) {
        return std::pair{Cell::of(std::int64_t{r.working_days}), Cell::of(r.reason)};
      });
  return s;
}

Section returns_by_unit(const Facts& f, const ReportOptions& o) {
  Section s{"returns_by_unit",
            "否定报备 按单位",
            "统计周期内提出的退单申请，按单位和原因汇总",
            {{"unit_id", "单位编码"},
             {"unit", "单位"},
             {"requests", "退单申请"},
             {"not_our_duty", "非本单位职责"},
             {"not_our_territory", "非本单位辖区"},
             {"approved", "已批准"},
             {"declined", "已驳回"},
             {"pending", "待审核"}},
            {},
            Chart{Chart::Type::bar, "退单申请最多的单位", 1, {2}, 20}};
  const auto window = period_window(o);
  std::map<std::string_view, std::array<std::int64_t, 6>> per_unit;
  for (const auto& r : f.returns) {
    if (!window.contains(r.at_ms)) continue;
    auto& c = per_unit[f.unit_id(r.unit)];
    ++c[0];
    ++c[r.reason_code == "not_our_duty" ? 1 : r.reason_code == "not_our_territory" ? 2 : 0];
    ++c[3 + static_cast<std::size_t>(r.outcome == Outcome::approved ? 0 : r.outcome == Outcome::declined ? 1 : 2)];
  }
  std::vector<std::pair<std::string_view, std::array<std::int64_t, 6>>> rows(per_unit.begin(), per_unit.end());
  std::stable_sort(rows.begin(), rows.end(), [](const auto& x, const auto& y) { return x.second[0] > y.second[0]; });
  for (const auto& [id, c] : rows) {
    std::vector<Cell> cells{Cell::of(std::string(id)), Cell::of(unit_name(o, std::string(id)))};
    for (const auto v : c) cells.push_back(Cell::of(v));
    s.rows.push_back(std::move(cells));
  }
  return s;
}

Section return_details(const Facts& f, const ReportOptions& o) {
  Section s{"return_details",
            "否定报备 明细",
            "统计周期内提出的每一次退单申请",
            {{"unit_id", "单位编码"},
             {"unit", "单位"},
             {"ticket", "工单号"},
             {"requested_at", "申请时间"},
             {"reason_code", "原因类别"},
             {"reason", "退单理由"},
             {"rule", "派单规则"},
             {"outcome", "审核结果"}},
            {},
            std::nullopt};
  const auto window = period_window(o);
  std::vector<const ReturnRequest*> rows;
  for (const auto& r : f.returns) {
    if (window.contains(r.at_ms)) rows.push_back(&r);
  }
  std::stable_sort(rows.begin(), rows.end(), [&](auto* x, auto* y) {
    return std::tuple(std::string_view(f.unit_id(x->unit)), x->at_ms, f.ticket_id(x->ticket)) <
           std::tuple(std::string_view(f.unit_id(y->unit)), y->at_ms, f.ticket_id(y->ticket));
  });
  for (const auto* r : rows) {
    const auto& id = f.unit_id(r->unit);
    const auto& rule = f.rule_ids[r->rule];
    s.rows.push_back({Cell::of(id), Cell::of(unit_name(o, id)), Cell::of(std::string(f.ticket_id(r->ticket))),
                      Cell::of(local_time_text(r->at_ms, o.utc_offset_minutes)),
                      Cell::of(std::string(reason_name(r->reason_code))), Cell::of(r->reason),
                      Cell::of(rule.empty() ? "(无)" : rule), Cell::of(std::string(outcome_name(r->outcome)))});
  }
  return s;
}

Section rules_by_returns(const Facts& f, const ReportOptions& o) {
  Section s{"rules_by_returns",
            "退单最多的派单规则",
            "统计周期内的退单申请按被退回那一轮的派单规则汇总：需要修正的规则；人工派单（派单席派单、改派、仲裁、"
            "批准退单后改派）的退单计入(派单)",
            {{"rule", "派单规则"},
             {"tickets", "周期内受理工单"},
             {"requests", "退单申请"},
             {"approved", "已批准"},
             {"declined", "已驳回"},
             {"return_share", "退单申请占比"}},
            {},
            Chart{Chart::Type::bar, "退单申请最多的派单规则", 0, {2}, 10}};
  const auto window = period_window(o);
  std::vector<std::array<std::int64_t, 4>> per_rule(f.rule_ids.size());
  const auto by_hand =
      static_cast<std::size_t>(std::find(f.rule_ids.begin(), f.rule_ids.end(), k_by_hand) - f.rule_ids.begin());
  for (const auto& t : f.tickets) {
    if (!window.contains(t.received_ms) || excluded(t)) continue;
    ++per_rule[t.rule][0];
    // Rounds chosen by hand are counted as well, under their pseudo-rule (present once any was dispatched).
    if (t.dispatched_by_hand && std::size_t{t.rule} != by_hand) ++per_rule[by_hand][0];
  }
  for (const auto& r : f.returns) {
    if (!window.contains(r.at_ms)) continue;
    auto& c = per_rule[r.rule];
    ++c[1];
    if (r.outcome != Outcome::pending) ++c[r.outcome == Outcome::approved ? 2 : 3];
  }
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < per_rule.size(); ++i) {
    if (per_rule[i][1] > 0) order.push_back(i);
  }
  std::sort(order.begin(), order.end(), [&](auto x, auto y) {
    return std::tuple(-per_rule[x][1], std::string_view(f.rule_ids[x])) <
           std::tuple(-per_rule[y][1], std::string_view(f.rule_ids[y]));
  });
  for (const auto i : order) {
    const auto& c = per_rule[i];
    s.rows.push_back({Cell::of(f.rule_ids[i].empty() ? "(无)" : f.rule_ids[i]), Cell::of(c[0]), Cell::of(c[1]),
                      Cell::of(c[2]), Cell::of(c[3]), Cell::rate({c[1], c[0]})});
  }
  return s;
}

}  // namespace hotline::report
