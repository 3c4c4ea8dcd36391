// Renderers of a Report: CSV (UTF-8 with BOM, one file per section), JSON, one self-contained HTML page with
// inline SVG charts, and XLSX (libxlsxwriter: a sheet per section, native charts, frozen headers). Output is a
// function of the report only — no clock, no host names — so the same report gives byte-identical files.
// Re-entrant; the XLSX writer writes the file it is given (callers pass a temporary name and rename it).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "daemon/report/report_model.hpp"

namespace hotline::report {

// (section key, file content) for every section.
std::vector<std::pair<std::string, std::string>> render_csv(const Report& r);
std::string render_json(const Report& r);
std::string render_html(const Report& r);
// Writes the workbook to `path`; the document's created time is `created_unix_s`. Returns "" or an error message.
std::string write_xlsx(const Report& r, const std::string& path, long long created_unix_s);

// CSV field quoting (RFC 4180): quoted when it holds a comma, quote, CR or LF.
std::string csv_field(const std::string& text);
// Text safe inside HTML element content and attribute values.
std::string html_escape(const std::string& text);

}  // namespace hotline::report
