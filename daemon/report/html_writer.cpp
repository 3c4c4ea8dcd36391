// HTML: one self-contained, printable page (no scripts, no external files) with inline SVG charts.
#include <fmt/format.h>

#include <algorithm>

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

std::string render_html(const Report& r) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>" +
                    html_escape(r.title) + "</title><style>" + k_style + "</style></head><body>\n<h1>" +
                    html_escape(r.title) + "</h1>\n<dl>";
  for (const auto& [label, value] : r.header)
    out += "<dt>" + html_escape(label) + "</dt><dd>" + html_escape(value) + "</dd>";
  out += "</dl>\n<nav>";
  for (const auto& s : r.sections) out += "<a href=\"#" + s.key + "\">" + html_escape(s.title) + "</a>";
  out += "</nav>\n";
  for (const auto& s : r.sections) {
    out += fmt::format("<section id=\"{}\"><h2>{}（{}）</h2><p class=\"note\">{}</p>\n", s.key, html_escape(s.title),
                       s.rows.size(), html_escape(s.note));
    if (s.chart && !s.rows.empty()) {
      const auto rows = std::min(s.rows.size(), s.chart->max_rows);
      out += s.chart->type == Chart::Type::bar ? bar_chart(s, *s.chart, rows) : line_chart(s, *s.chart, rows);
    }
    out += "<table><thead><tr>";
    for (const auto& c : s.columns) out += "<th>" + html_escape(c.title) + "</th>";
    out += "</tr></thead><tbody>\n";
    for (const auto& row : s.rows) {
      out += "<tr>";
      for (const auto& c : row) {
        out += c.kind == Cell::Kind::text ? "<td>" : "<td class=\"n\">";
        out += html_escape(display(c)) + "</td>";
      }
      out += "</tr>\n";
    }
    out += "</tbody></table></section>\n";
  }
  return out + "</body></html>\n";
}

}  // namespace hotline::report
