// XLSX through libxlsxwriter: an overview sheet, then one sheet per section with a bold frozen header row,
// rates as numbers in percent format (so Excel can sort and chart them) and a native chart where the section
// has one. The document's created time is the report's as-of date, so the zip is the same on every run.
#include <xlsxwriter.h>

#include <algorithm>
#include <memory>

#include "daemon/report/report_writers.hpp"

namespace hotline::report {
namespace {

struct WorkbookCloser {
  void operator()(lxw_workbook* wb) const {
    if (wb != nullptr) workbook_close(wb);
  }
};

void write_cell(lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, const Cell& c, lxw_format* percent) {
  switch (c.kind) {
    case Cell::Kind::text:
      worksheet_write_string(ws, row, col, c.text.c_str(), nullptr);
      break;
    case Cell::Kind::integer:
      worksheet_write_number(ws, row, col, static_cast<double>(c.integer), nullptr);
      break;
    case Cell::Kind::rate:
      // An undefined rate (no denominator) stays blank rather than showing a misleading 0%.
      if (c.ratio.den > 0) {
        worksheet_write_number(ws, row, col, static_cast<double>(c.ratio.num) / static_cast<double>(c.ratio.den),
                               percent);
      }
      break;
  }
}

void add_chart(lxw_workbook* wb, lxw_worksheet* ws, const Section& s, const Chart& ch, lxw_col_t at_col) {
  const auto rows = static_cast<lxw_row_t>(std::min(s.rows.size(), ch.max_rows));
  lxw_chart* chart = workbook_add_chart(wb, ch.type == Chart::Type::bar ? LXW_CHART_BAR : LXW_CHART_LINE);
  chart_title_set_name(chart, ch.title.c_str());
  for (const auto vc : ch.value_columns) {
    lxw_chart_series* series = chart_add_series(chart, nullptr, nullptr);
    chart_series_set_categories(series, s.title.c_str(), 1, static_cast<lxw_col_t>(ch.category_column), rows,
                                static_cast<lxw_col_t>(ch.category_column));
    chart_series_set_values(series, s.title.c_str(), 1, static_cast<lxw_col_t>(vc), rows, static_cast<lxw_col_t>(vc));
    chart_series_set_name(series, s.columns[vc].title.c_str());
  }
  if (s.rows.front()[ch.value_columns.front()].kind == Cell::Kind::rate) {
    chart_axis_set_num_format(ch.type == Chart::Type::bar ? chart->x_axis : chart->y_axis, "0%");
  }
  if (ch.type == Chart::Type::bar) chart_axis_set_reverse(chart->y_axis);  // first row on top, as in the table
  lxw_chart_options options{};
  options.x_scale = 1.5;
  options.y_scale = ch.type == Chart::Type::bar ? std::max(1.0, static_cast<double>(rows) / 14.0) : 1.2;
  worksheet_insert_chart_opt(ws, 1, at_col, chart, &options);
}

}  // namespace

std::string write_xlsx(const Report& r, const std::string& path, long long created_unix_s) {
  lxw_workbook_options wo{};
  std::unique_ptr<lxw_workbook, WorkbookCloser> wb(workbook_new_opt(path.c_str(), &wo));
  if (!wb) return "cannot create " + path;
  lxw_doc_properties props{};
  std::string title = r.title;
  std::string author = "hotline";
  props.title = title.data();
  props.author = author.data();
  props.created = static_cast<time_t>(created_unix_s);
  workbook_set_properties(wb.get(), &props);

  lxw_format* bold = workbook_add_format(wb.get());
  format_set_bold(bold);
  format_set_bg_color(bold, 0xF3E6E6);
  format_set_border(bold, LXW_BORDER_THIN);
  lxw_format* percent = workbook_add_format(wb.get());
  format_set_num_format(percent, "0.00%");

  lxw_worksheet* cover = workbook_add_worksheet(wb.get(), "说明");
  worksheet_write_string(cover, 0, 0, r.title.c_str(), bold);
  lxw_row_t line = 2;
  for (const auto& [label, value] : r.header) {
    worksheet_write_string(cover, line, 0, label.c_str(), bold);
    worksheet_write_string(cover, line++, 1, value.c_str(), nullptr);
  }
  ++line;
  for (const auto& s : r.sections) {
    worksheet_write_string(cover, line, 0, s.title.c_str(), bold);
    worksheet_write_string(cover, line++, 1, s.note.c_str(), nullptr);
  }
  worksheet_set_column(cover, 0, 0, 26, nullptr);
  worksheet_set_column(cover, 1, 1, 90, nullptr);

  for (const auto& s : r.sections) {
    lxw_worksheet* ws = workbook_add_worksheet(wb.get(), s.title.c_str());
    if (ws == nullptr) return "invalid sheet name '" + s.title + "'";
    for (std::size_t c = 0; c < s.columns.size(); ++c) {
      worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), s.columns[c].title.c_str(), bold);
      worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                           s.columns[c].key == "unit" || s.columns[c].key == "reason" ? 30 : 14, nullptr);
    }
    worksheet_freeze_panes(ws, 1, 0);
    for (std::size_t i = 0; i < s.rows.size(); ++i) {
      for (std::size_t c = 0; c < s.rows[i].size(); ++c) {
        write_cell(ws, static_cast<lxw_row_t>(i + 1), static_cast<lxw_col_t>(c), s.rows[i][c], percent);
      }
    }
    if (s.chart && !s.rows.empty()) add_chart(wb.get(), ws, s, *s.chart, static_cast<lxw_col_t>(s.columns.size() + 1));
  }
  const lxw_error e = workbook_close(wb.release());
  return e == LXW_NO_ERROR ? std::string() : std::string("cannot write ") + path + ": " + lxw_strerror(e);
}

}  // namespace hotline::report
