// HTML: one self-contained, printable page (no scripts, no event handlers, no external files) with inline SVG
// charts, in the order a supervisor reads it: the headline rates with their change against the previous period,
// the remaining key figures, 红黑榜, the sections with charts, then the long lists grouped by unit and folded
// (<details>, largest unit first), then the unit table and the rest.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <string_view>

#include "daemon/report/report_writers.hpp"

namespace hotline::report {
namespace {

constexpr const char* k_style = R"css(
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:24px;color:#222}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:2px solid #b22;padding-bottom:4px}
table{border-collapse:collapse;font-size:12px;margin:8px 0}th,td{border:1px solid #bbb;padding:2px 6px}
th{background:#f3e6e6;position:sticky;top:0}td.n{text-align:right}p.note{color:#555;font-size:12px}
dl{display:grid;grid-template-columns:max-content auto;gap:2px 12px;font-size:13px}dt{font-weight:bold}
nav a{margin-right:10px;font-size:13px}svg{display:block;margin:8px 0}
details{margin:2px 0}summary{cursor:pointer;font-size:13px}table.headline{font-size:15px}
@media print{h2{page-break-before:always}th{position:static}nav{display:none}}
)css";

constexpr std::array<const char*, 4> k_colours{"#c0392b", "#2471a3", "#229954", "#b7950b"};

// A chart value: integers as they are; rates in hundredths of a percent (so 100% = 10000).
std::optional<std::int64_t> chart_value(const Cell& c) {
  if (c.kind == Cell::Kind::integer) return c.integer;
  if (c.kind == Cell::Kind::rate) return basis_points(c.ratio);
  return std::nullopt;
}

std::string value_label(const Cell& c) {
  return c.kind == Cell::Kind::rate ? display(c) : std::to_string(c.integer);
}

std::string bar_chart(const Section& s, const Chart& ch, std::size_t rows) {
  const auto vc = ch.value_columns.front();
  std::int64_t max = 1;
  for (std::size_t i = 0; i < rows; ++i) max = std::max(max, chart_value(s.rows[i][vc]).value_or(0));
  if (s.rows[0][vc].kind == Cell::Kind::rate) max = 10000;
  const int height = static_cast<int>(rows) * 18 + 30;
  std::string out = fmt::format(R"(<svg xmlns="http://www.w3.org/2000/svg" width="760" height="{}" role="img">)"
                                R"(<text x="0" y="14" font-size="13" font-weight="bold">{}</text>)",
                                height, html_escape(ch.title));
  for (std::size_t i = 0; i < rows; ++i) {
    const auto& row = s.rows[i];
    const auto v = chart_value(row[vc]).value_or(0);
    const int y = 24 + static_cast<int>(i) * 18;
    out += fmt::format(R"(<text x="250" y="{}" font-size="11" text-anchor="end">{}</text>)", y + 12,
                       html_escape(display(row[ch.category_column])));
    out +=
        fmt::format(R"(<rect x="256" y="{}" width="{}" height="14" fill="{}"/>)", y + 1, v * 400 / max, k_colours[0]);
    out += fmt::format(R"(<text x="{}" y="{}" font-size="11">{}</text>)", 262 + v * 400 / max, y + 12,
                       html_escape(value_label(row[vc])));
  }
  return out + "</svg>\n";
}

std::string line_chart(const Section& s, const Chart& ch, std::size_t rows) {
  // Rates only (0–100%): the trend chart of the report.
  constexpr int left = 40, top = 24, w = 660, h = 200;
  std::string out = fmt::format(R"(<svg xmlns="http://www.w3.org/2000/svg" width="760" height="{}" role="img">)"
                                R"(<text x="0" y="14" font-size="13" font-weight="bold">{}</text>)",
                                h + top + 60, html_escape(ch.title));
  for (int pct = 0; pct <= 100; pct += 25) {
    const int y = top + h - pct * h / 100;
    out += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#ddd"/>)"
                       R"(<text x="{}" y="{}" font-size="10" text-anchor="end">{}%</text>)",
                       left, y, left + w, y, left - 4, y + 3, pct);
  }
  const auto x_of = [&](std::size_t i) {
    return left + (rows > 1 ? static_cast<int>(i) * w / static_cast<int>(rows - 1) : 0);
  };
  const std::size_t step = std::max<std::size_t>(1, rows / 8);
  for (std::size_t i = 0; i < rows; i += step) {
    out += fmt::format(R"(<text x="{}" y="{}" font-size="10" text-anchor="middle">{}</text>)", x_of(i), top + h + 14,
                       html_escape(display(s.rows[i][ch.category_column]).substr(5)));
  }
  for (std::size_t k = 0; k < ch.value_columns.size(); ++k) {
    const auto vc = ch.value_columns[k];
    const char* colour = k_colours[k % k_colours.size()];
    std::string points;
    for (std::size_t i = 0; i < rows; ++i) {
      const auto v = chart_value(s.rows[i][vc]);
      if (!v) continue;
      points += fmt::format("{},{} ", x_of(i), top + h - static_cast<int>(*v * h / 10000));
    }
    out += fmt::format(R"(<polyline fill="none" stroke="{}" stroke-width="2" points="{}"/>)", colour, points);
    const int lx = left + static_cast<int>(k) * 160;
    out += fmt::format(R"(<rect x="{}" y="{}" width="12" height="4" fill="{}"/>)"
                       R"(<text x="{}" y="{}" font-size="11">{}</text>)",
                       lx, top + h + 30, colour, lx + 16, top + h + 35, html_escape(s.columns[vc].title));
  }
  return out + "</svg>\n";
}

}  // namespace

std::string html_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

namespace {

// The long lists: one folded group per unit (column `unit_id`, named by column `unit`).
constexpr std::array<std::string_view, 5> k_grouped{"red_list", "yellow_list", "pending_returns", "pending_extensions",
                                                    "return_details"};

bool grouped(const Section& s) {
  return std::find(k_grouped.begin(), k_grouped.end(), s.key) != k_grouped.end();
}

std::optional<std::size_t> column_of(const Section& s, std::string_view key) {
  for (std::size_t c = 0; c < s.columns.size(); ++c) {
    if (s.columns[c].key == key) return c;
  }
  return std::nullopt;
}

std::string row_html(const std::vector<Cell>& row) {
  std::string out = "<tr>";
  for (const auto& c : row) {
    out += c.kind == Cell::Kind::text ? "<td>" : "<td class=\"n\">";
    out += html_escape(display(c)) + "</td>";
  }
  return out + "</tr>\n";
}

// A table of `rows` (indexes into s.rows) under the section's column titles.
std::string table_html(const Section& s, const std::vector<std::size_t>& rows) {
  std::string out = "<table><thead><tr>";
  for (const auto& c : s.columns) out += "<th>" + html_escape(c.title) + "</th>";
  out += "</tr></thead><tbody>\n";
  for (const auto i : rows) out += row_html(s.rows[i]);
  return out + "</tbody></table>";
}

std::vector<std::size_t> all_rows(const Section& s) {
  std::vector<std::size_t> rows(s.rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i;
  return rows;
}

std::string section_open(const std::string& key, const std::string& title, std::size_t count, const std::string& note) {
  return fmt::format("<section id=\"{}\"><h2>{}（{}）</h2><p class=\"note\">{}</p>\n", html_escape(key),
                     html_escape(title), count, html_escape(note));
}

// A rate's change in percentage points ("+1.25", "-0.50", "0.00"), or "—" when either rate is undefined.
std::string change_text(const Cell& now, const Cell* before) {
  if (before == nullptr || now.kind != Cell::Kind::rate || before->kind != Cell::Kind::rate) return "—";
  const auto x = basis_points(now.ratio), y = basis_points(before->ratio);
  if (!x || !y) return "—";
  const auto d = *x - *y;
  const auto a = d < 0 ? -d : d;
  return fmt::format("{}{}.{:02d}", d > 0 ? "+" : d < 0 ? "-" : "", a / 100, a % 100);
}

// The summary's rate rows: this period, the previous one (上期) and the change.
std::string headline_html(const Section& summary) {
  const auto value = column_of(summary, "value").value_or(1);
  const auto previous = column_of(summary, "previous");
  std::vector<std::size_t> rates;
  for (std::size_t i = 0; i < summary.rows.size(); ++i) {
    if (summary.rows[i][value].kind == Cell::Kind::rate) rates.push_back(i);
  }
  std::string out =
      section_open("headline", "核心指标", rates.size(), "全市比率，本期与上期对比（变化以百分点计；无上期数据记 —）") +
      "<table class=\"headline\"><thead><tr><th>指标</th><th>本期</th><th>上期</th>"
      "<th>较上期(百分点)</th></tr></thead><tbody>\n";
  for (const auto i : rates) {
    const auto& row = summary.rows[i];
    const Cell* before = previous ? &row[*previous] : nullptr;
    const auto before_text = before != nullptr ? display(*before) : std::string();
    out += "<tr><td>" + html_escape(display(row[0])) + "</td><td class=\"n\">" + html_escape(display(row[value])) +
           "</td><td class=\"n\">" + html_escape(before_text.empty() ? "—" : before_text) + "</td><td class=\"n\">" +
           html_escape(change_text(row[value], before)) + "</td></tr>\n";
  }
  return out + "</tbody></table></section>\n";
}

// The summary's other rows (counts), two columns.
std::string summary_html(const Section& summary) {
  const auto value = column_of(summary, "value").value_or(1);
  std::vector<std::size_t> counts;
  for (std::size_t i = 0; i < summary.rows.size(); ++i) {
    if (summary.rows[i][value].kind != Cell::Kind::rate) counts.push_back(i);
  }
  std::string out = section_open(summary.key, summary.title, counts.size(), summary.note) + "<table><thead><tr><th>" +
                    html_escape(summary.columns[0].title) + "</th><th>" + html_escape(summary.columns[value].title) +
                    "</th></tr></thead><tbody>\n";
  for (const auto i : counts) out += row_html({summary.rows[i][0], summary.rows[i][value]});
  return out + "</tbody></table></section>\n";
}

std::string section_html(const Section& s) {
  std::string out = section_open(s.key, s.title, s.rows.size(), s.note);
  if (s.chart && !s.rows.empty()) {
    const auto rows = std::min(s.rows.size(), s.chart->max_rows);
    out += s.chart->type == Chart::Type::bar ? bar_chart(s, *s.chart, rows) : line_chart(s, *s.chart, rows);
  }
  return out + table_html(s, all_rows(s)) + "</section>\n";
}

// A long list folded per unit: units with the most rows first (then by unit id), rows in the model's order.
std::string grouped_html(const Section& s) {
  const auto id = column_of(s, "unit_id");
  const auto name = column_of(s, "unit");
  if (!id || !name) return section_html(s);
  std::map<std::string, std::vector<std::size_t>> by_unit;
  for (std::size_t i = 0; i < s.rows.size(); ++i) by_unit[display(s.rows[i][*id])].push_back(i);
  std::vector<const std::pair<const std::string, std::vector<std::size_t>>*> units;
  for (const auto& u : by_unit) units.push_back(&u);
  std::stable_sort(units.begin(), units.end(),
                   [](const auto* x, const auto* y) { return x->second.size() > y->second.size(); });
  std::string out = section_open(s.key, s.title, s.rows.size(), s.note);
  for (const auto* u : units) {
    out += fmt::format("<details><summary>{} ({})</summary>", html_escape(display(s.rows[u->second[0]][*name])),
                       u->second.size());
    out += table_html(s, u->second) + "</details>\n";
  }
  return out + "</section>\n";
}

}  // namespace

std::string render_html(const Report& r) {
  // The reading order: summary (headline rates, then counts), 红黑榜, charts, grouped lists, the rest.
  const Section* summary = r.find("summary");
  const Section* rankings = r.find("rankings");
  std::vector<const Section*> order;
  if (rankings != nullptr) order.push_back(rankings);
  for (const auto& s : r.sections) {
    if (&s != rankings && &s != summary && s.chart) order.push_back(&s);
  }
  for (const auto& s : r.sections) {
    if (&s != rankings && &s != summary && !s.chart && grouped(s)) order.push_back(&s);
  }
  for (const auto& s : r.sections) {
    if (&s != rankings && &s != summary && !s.chart && !grouped(s)) order.push_back(&s);
  }

  std::string out = "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>" +
                    html_escape(r.title) + "</title><style>" + k_style + "</style></head><body>\n<h1>" +
                    html_escape(r.title) + "</h1>\n<dl>";
  for (const auto& [label, value] : r.header)
    out += "<dt>" + html_escape(label) + "</dt><dd>" + html_escape(value) + "</dd>";
  out += "</dl>\n<nav>";
  if (summary != nullptr) {
    out += "<a href=\"#headline\">核心指标</a><a href=\"#" + html_escape(summary->key) + "\">" +
           html_escape(summary->title) + "</a>";
  }
  for (const auto* s : order) out += "<a href=\"#" + html_escape(s->key) + "\">" + html_escape(s->title) + "</a>";
  out += "</nav>\n";
  if (summary != nullptr) out += headline_html(*summary) + summary_html(*summary);
  for (const auto* s : order) out += grouped(*s) ? grouped_html(*s) : section_html(*s);
  return out + "</body></html>\n";
}

}  // namespace hotline::report
