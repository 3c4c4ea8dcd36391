// The unit sections: every unit's rates ranked inside its peer group, the top and bottom five (红黑榜), and the
// units that had no tickets in the period.
#include <algorithm>
#include <map>
#include <tuple>
#include <unordered_map>

#include "daemon/report/report_model.hpp"

namespace hotline::report {
namespace {

struct Row {
  const UnitInfo* info = nullptr;
  UnitFigures figures;
  int rank = 0;  // 0 = not ranked (no settled reply clock in the period)
};

// -1, 0, 1 as x's rate is lower, equal, higher than y's; an undefined rate is lower than any defined one.
int compare_rates(const Ratio& x, const Ratio& y) {
  if (x.den == 0 || y.den == 0) return (x.den != 0) - (y.den != 0);
  const auto l = x.num * y.den;
  const auto r = y.num * x.den;
  return (l > r) - (l < r);
}

// Better first: on-time completion, then satisfaction, then on-time sign-for, then more lead tickets, then id.
bool better(const Row& x, const Row& y) {
  for (const auto m : {Metric::on_time, Metric::satisfaction, Metric::sign_for}) {
    if (const int c = compare_rates(x.figures.rate(m), y.figures.rate(m)); c != 0) return c > 0;
  }
  if (x.figures.lead_assignments != y.figures.lead_assignments) {
    return x.figures.lead_assignments > y.figures.lead_assignments;
  }
  return x.info->id < y.info->id;
}

std::vector<Column> unit_columns() {
  std::vector<Column> c{{"peer_group", "同类组"}, {"rank", "组内排名"},      {"unit_id", "单位编码"},
                        {"unit", "单位"},         {"assignments", "派单数"}, {"lead", "主办数"},
                        {"open", "在办"},         {"overdue", "超期在办"}};
  for (const auto m : k_metrics) c.push_back({std::string(metric_key(m)), std::string(metric_name(m))});
  return c;
}

}  // namespace

std::vector<Section> unit_sections(const Facts& f, const ReportOptions& o) {
  const auto figures = unit_figures(f, period_window(o), as_of_ms(o));
  std::unordered_map<std::string_view, std::size_t> index;
  for (std::size_t i = 1; i < f.unit_ids.size(); ++i) index.emplace(f.unit_ids[i], i);

  // Units the events name but the directory does not (e.g. removed since) are reported in their own group.
  std::vector<UnitInfo> strays;
  for (std::size_t i = 1; i < f.unit_ids.size(); ++i) {
    if (unit_name(o, f.unit_ids[i]) == f.unit_ids[i]) strays.push_back({f.unit_ids[i], f.unit_ids[i], "(目录外单位)"});
  }
  std::map<std::string, std::vector<Row>> groups;  // by peer group name: a stable order
  for (const auto* list : std::initializer_list<const std::vector<UnitInfo>*>{&o.units, &strays}) {
    for (const auto& u : *list) {
      Row r{&u, {}, 0};
      if (const auto it = index.find(u.id); it != index.end()) r.figures = figures[it->second];
      groups[u.peer_group].push_back(r);
    }
  }

  Section table{
      "units",        "单位考核", "统计周期内派出的工单按单位统计；组内排名依次比较按时办结率、满意率、及时签收率",
      unit_columns(), {},         std::nullopt};
  Section boards{"rankings",
                 "红黑榜",
                 "各同类组按时办结率前五名（红榜）和后五名（黑榜）",
                 {{"peer_group", "同类组"},
                  {"board", "榜单"},
                  {"rank", "名次"},
                  {"unit_id", "单位编码"},
                  {"unit", "单位"},
                  {"on_time_rate", "按时办结率"},
                  {"satisfaction_rate", "满意率"},
                  {"sign_for_rate", "及时签收率"},
                  {"lead", "主办数"}},
                 {},
                 Chart{Chart::Type::bar, "红黑榜 按时办结率", 4, {5}, 40}};
  Section idle{"idle_units",
               "无工单单位",
               "统计周期内没有派出任何工单的单位",
               {{"peer_group", "同类组"}, {"unit_id", "单位编码"}, {"unit", "单位"}},
               {},
               std::nullopt};

  for (auto& [group, rows] : groups) {
    std::vector<Row*> ranked;
    for (auto& r : rows) {
      if (r.figures.rate(Metric::on_time).den > 0) ranked.push_back(&r);
    }
    std::sort(ranked.begin(), ranked.end(), [](const Row* x, const Row* y) { return better(*x, *y); });
    for (std::size_t i = 0; i < ranked.size(); ++i) ranked[i]->rank = static_cast<int>(i + 1);
    std::sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) {
      return std::tuple(x.rank == 0, x.rank, x.info->id) < std::tuple(y.rank == 0, y.rank, y.info->id);
    });
    // Sorting moved the rows: the ranked ones are now the first, in rank order.
    for (std::size_t i = 0; i < ranked.size(); ++i) ranked[i] = &rows[i];
    for (const auto& r : rows) {
      std::vector<Cell> cells{Cell::of(group),
                              r.rank ? Cell::of(std::int64_t{r.rank}) : Cell::of(std::string()),
                              Cell::of(r.info->id),
                              Cell::of(r.info->name),
                              Cell::of(r.figures.assignments),
                              Cell::of(r.figures.lead_assignments),
                              Cell::of(r.figures.open),
                              Cell::of(r.figures.overdue)};
      for (const auto m : k_metrics) cells.push_back(Cell::rate(r.figures.rate(m)));
      table.rows.push_back(std::move(cells));
      if (r.figures.assignments == 0)
        idle.rows.push_back({Cell::of(group), Cell::of(r.info->id), Cell::of(r.info->name)});
    }
    const auto top = std::min<std::size_t>(5, ranked.size());
    const auto bottom = std::min<std::size_t>(5, ranked.size() - top);
    // The group by an init-capture: clang before 16 cannot capture a structured binding.
    const auto board_row = [&, &peer_group = group](const char* board, const Row& r) {
      const auto& fg = r.figures;
      boards.rows.push_back({Cell::of(peer_group), Cell::of(std::string(board)), Cell::of(std::int64_t{r.rank}),
                             Cell::of(r.info->id), Cell::of(r.info->name), Cell::rate(fg.rate(Metric::on_time)),
                             Cell::rate(fg.rate(Metric::satisfaction)), Cell::rate(fg.rate(Metric::sign_for)),
                             Cell::of(fg.lead_assignments)});
    };
    for (std::size_t i = 0; i < top; ++i) board_row("红榜", *ranked[i]);
    for (std::size_t i = 0; i < bottom; ++i) board_row("黑榜", *ranked[ranked.size() - 1 - i]);
  }
  return {std::move(table), std::move(boards), std::move(idle)};
}

}  // namespace hotline::report
