// CSV: one file per section, UTF-8 with a byte-order mark so Excel reads the Chinese correctly, CRLF lines.
#include "daemon/report/report_writers.hpp"

namespace hotline::report {

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

std::vector<std::pair<std::string, std::string>> render_csv(const Report& r) {
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& s : r.sections) {
    std::string out = "\xEF\xBB\xBF";
    for (std::size_t i = 0; i < s.columns.size(); ++i) out += (i ? "," : "") + csv_field(s.columns[i].title);
    out += "\r\n";
    for (const auto& row : s.rows) {
      for (std::size_t i = 0; i < row.size(); ++i) out += (i ? "," : "") + csv_field(display(row[i]));
      out += "\r\n";
    }
    files.emplace_back(s.key, std::move(out));
  }
  return files;
}

}  // namespace hotline::report
