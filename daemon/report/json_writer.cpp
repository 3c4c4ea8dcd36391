// JSON for machines: every section with its columns and rows as objects keyed by column key; rates carry their
// numerator and denominator so a figure can be re-derived.
#include <boost/json.hpp>

#include "daemon/report/report_writers.hpp"

namespace hotline::report {
namespace json = boost::json;

namespace {

json::value cell_value(const Cell& c) {
  switch (c.kind) {
    case Cell::Kind::text:
      return json::value(c.text);
    case Cell::Kind::integer:
      return json::value(c.integer);
    case Cell::Kind::rate: {
      json::object o;
      o["num"] = c.ratio.num;
      o["den"] = c.ratio.den;
      // The percentage as text with two decimals (half up), exactly as the other formats show it.
      const auto shown = display(c);
      o["percent"] = shown.empty() ? json::value(nullptr) : json::value(shown.substr(0, shown.size() - 1));
      return o;
    }
  }
  return nullptr;
}

}  // namespace

std::string render_json(const Report& r) {
  json::object root;
  root["title"] = r.title;
  json::object header;
  for (const auto& [label, value] : r.header) header[label] = value;
  root["header"] = std::move(header);
  json::array sections;
  for (const auto& s : r.sections) {
    json::object so;
    so["key"] = s.key;
    so["title"] = s.title;
    so["note"] = s.note;
    json::array columns;
    for (const auto& c : s.columns) columns.push_back(json::object{{"key", c.key}, {"title", c.title}});
    so["columns"] = std::move(columns);
    json::array rows;
    for (const auto& row : s.rows) {
      json::object ro;
      for (std::size_t i = 0; i < row.size() && i < s.columns.size(); ++i) ro[s.columns[i].key] = cell_value(row[i]);
      rows.push_back(std::move(ro));
    }
    so["rows"] = std::move(rows);
    sections.push_back(std::move(so));
  }
  root["sections"] = std::move(sections);
  return json::serialize(root) + "\n";
}

}  // namespace hotline::report
