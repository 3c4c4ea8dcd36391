// The nightly reports published in report.dir, as a terminal lists and downloads them: only names a report run
// writes ("hotline-report-YYYY-MM-DD.xlsx", ".html", ".json", "-<section>.csv") are listed or served, so no other
// file of the folder (nor any path outside it) can be reached. Blocking file I/O: call off the I/O threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hotline::daemon {

struct ReportFile {
  std::string name;    // "hotline-report-2026-12-04.xlsx"
  std::string format;  // xlsx, html, csv, json
  std::uintmax_t size = 0;
};

struct PublishedReport {
  std::string as_of;              // YYYY-MM-DD
  std::vector<ReportFile> files;  // by name
};

// The format of `name` when it is a report file of `day` (a YYYY-MM-DD date), else nullopt. Pure.
std::optional<std::string> report_file_format(std::string_view day, std::string_view name);

// The Content-Type a report file of `format` is served with.
std::string_view report_content_type(std::string_view format);

// Every published report of `dir` (regular files with report names; temporaries and anything else left out),
// newest day first. A missing or unreadable folder lists nothing.
std::vector<PublishedReport> list_published_reports(const std::string& dir);

// The bytes of report file `name` of `day` in `dir`; nullopt when it is not a report name, does not exist (as a
// regular file) or cannot be read.
std::optional<std::string> read_published_report(const std::string& dir, std::string_view day, std::string_view name);

}  // namespace hotline::daemon
