// The key figures and the daily trends of the last 7 and 30 days.
#include "daemon/report/report_model.hpp"

namespace hotline::report {

Section trend(const Facts& f, const ReportOptions& o, int days) {
  Section s{"trend_" + std::to_string(days),
            "近" + std::to_string(days) + "日趋势",
            "每日受理与派单；比率按当日派出的工单计算（截至报告日末）",
            {{"day", "日期"},
             {"received", "受理"},
             {"dispatched", "派单(主办)"},
             {"sign_for_rate", "及时签收率"},
             {"on_time_rate", "按时办结率"},
             {"satisfaction_rate", "满意率"},
             {"return_requests", "退单申请"}},
            {},
            Chart{Chart::Type::line,
                  "近" + std::to_string(days) + "日 及时签收率 / 按时办结率 / 满意率",
                  0,
                  {3, 4, 5},
                  static_cast<std::size_t>(days)}};
  const routing::Day first = o.as_of - days + 1;
  constexpr auto k_outside = static_cast<std::size_t>(-1);
  const auto index = [&](std::int64_t ms) -> std::size_t {
    const auto d = routing::local_day(ms, o.utc_offset_minutes);
    return d >= first && d <= o.as_of ? static_cast<std::size_t>(d - first) : k_outside;
  };
  struct Day {
    std::int64_t received = 0, dispatched = 0, returns = 0;
    Ratio sign_for, on_time, satisfaction;
  };
  std::vector<Day> per(static_cast<std::size_t>(days));
  const auto end = as_of_ms(o);
  for (const auto& t : f.tickets) {
    if (const auto i = index(t.received_ms); i != k_outside) ++per[i].received;
  }
  for (const auto& r : f.returns) {
    if (const auto i = index(r.at_ms); i != k_outside) ++per[i].returns;
  }
  const auto add = [](Ratio& r, Contribution c) {
    r.den += c.counted;
    r.num += c.hit;
  };
  for (const auto& a : f.assignments) {
    const auto i = index(a.dispatched_ms);
    if (i == k_outside || excluded(f.tickets[a.ticket])) continue;
    auto& d = per[i];
    if (a.lead) ++d.dispatched;
    add(d.sign_for, contribution(f, a, Metric::sign_for, end));
    add(d.on_time, contribution(f, a, Metric::on_time, end));
    add(d.satisfaction, contribution(f, a, Metric::satisfaction, end));
  }
  for (int i = 0; i < days; ++i) {
    const auto& d = per[static_cast<std::size_t>(i)];
    s.rows.push_back({Cell::of(routing::format_day(first + i)), Cell::of(d.received), Cell::of(d.dispatched),
                      Cell::rate(d.sign_for), Cell::rate(d.on_time), Cell::rate(d.satisfaction), Cell::of(d.returns)});
  }
  return s;
}

Section summary(const Facts& f, const ReportOptions& o, const std::vector<Section>& sections) {
  const auto [prev_from, prev_to] = previous_period(o);
  Section s{"summary",
            "概况",
            "统计周期内全市汇总；上期为 " + routing::format_day(prev_from) + " — " + routing::format_day(prev_to) +
                "（同样截至报告日末评判）；各比率的定义见「指标说明」",
            {{"item", "指标"}, {"value", "数值"}, {"previous", "上期"}},
            {},
            std::nullopt};
  const auto window = period_window(o);
  const Window previous{routing::start_of_day(prev_from, o.utc_offset_minutes),
                        routing::start_of_day(prev_to + 1, o.utc_offset_minutes)};
  const auto end = as_of_ms(o);
  std::int64_t received = 0, open = 0;
  for (const auto& t : f.tickets) {
    if (window.contains(t.received_ms)) ++received;
    if (t.received_ms < end && routing::is_open(t.state)) ++open;
  }
  std::array<Ratio, k_metric_count> city{}, city_before{};
  std::int64_t lead = 0;
  for (const auto& a : f.assignments) {
    const bool now = window.contains(a.dispatched_ms), before = previous.contains(a.dispatched_ms);
    if ((!now && !before) || excluded(f.tickets[a.ticket])) continue;
    if (now) lead += a.lead;
    auto& rates = now ? city : city_before;
    for (const auto m : k_metrics) {
      const auto c = contribution(f, a, m, end);
      rates[static_cast<std::size_t>(m)].den += c.counted;
      rates[static_cast<std::size_t>(m)].num += c.hit;
    }
  }
  const auto rows_of = [&](const char* key) -> std::int64_t {
    for (const auto& x : sections) {
      if (x.key == key) return static_cast<std::int64_t>(x.rows.size());
    }
    return 0;
  };
  const auto add = [&](std::string label, Cell value, Cell before = Cell::of(std::string())) {
    s.rows.push_back({Cell::of(std::move(label)), std::move(value), std::move(before)});
  };
  add("周期内受理工单", Cell::of(received));
  add("周期内派单(主办)", Cell::of(lead));
  add("在办工单", Cell::of(open));
  add("红牌 超期未办", Cell::of(rows_of("red_list")));
  add("黄牌 一个工作日内到期", Cell::of(rows_of("yellow_list")));
  add("待审核退单", Cell::of(rows_of("pending_returns")));
  add("待审核延期", Cell::of(rows_of("pending_extensions")));
  add("无工单单位", Cell::of(rows_of("idle_units")));
  for (const auto m : k_metrics) {
    const auto i = static_cast<std::size_t>(m);
    add(std::string(metric_name(m)), Cell::rate(city[i]), Cell::rate(city_before[i]));
  }
  return s;
}

}  // namespace hotline::report
