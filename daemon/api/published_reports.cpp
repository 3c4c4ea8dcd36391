#include "daemon/api/published_reports.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>

#include "routing/civil_day.hpp"

namespace hotline::daemon {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view k_prefix = "hotline-report-";
constexpr std::size_t k_day_size = 10;  // YYYY-MM-DD

bool section_key(std::string_view key) {
  return !key.empty() && key.size() <= 64 && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

// The day of a report file name, or "" for any other name.
std::string day_of(std::string_view name) {
  if (!name.starts_with(k_prefix) || name.size() < k_prefix.size() + k_day_size) return "";
  const std::string day(name.substr(k_prefix.size(), k_day_size));
  return report_file_format(day, name) ? day : "";
}

}  // namespace

std::optional<std::string> report_file_format(std::string_view day, std::string_view name) {
  if (day.size() != k_day_size || !routing::parse_day(day) || routing::format_day(*routing::parse_day(day)) != day) {
    return std::nullopt;
  }
  if (!name.starts_with(k_prefix) || name.substr(k_prefix.size(), k_day_size) != day) return std::nullopt;
  const std::string_view rest = name.substr(k_prefix.size() + k_day_size);
  for (const std::string_view whole : {".xlsx", ".html", ".json"}) {
    if (rest == whole) return std::string(whole.substr(1));
  }
  if (rest.size() > 5 && rest.front() == '-' && rest.ends_with(".csv") &&
      section_key(rest.substr(1, rest.size() - 5))) {
    return "csv";
  }
  return std::nullopt;
}

std::string_view report_content_type(std::string_view format) {
  if (format == "xlsx") return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  if (format == "html") return "text/html; charset=utf-8";
  if (format == "csv") return "text/csv; charset=utf-8";
  return "application/json";
}

std::vector<PublishedReport> list_published_reports(const std::string& dir) {
  std::map<std::string, std::vector<ReportFile>, std::greater<>> days;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const std::string day = day_of(name);
    std::error_code stat;
    if (day.empty() || !it->is_regular_file(stat)) continue;
    const auto size = it->file_size(stat);
    if (stat) continue;
    days[day].push_back({name, *report_file_format(day, name), size});
  }
  std::vector<PublishedReport> out;
  for (auto& [day, files] : days) {
    std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    out.push_back({day, std::move(files)});
  }
  return out;
}

std::optional<std::string> read_published_report(const std::string& dir, std::string_view day, std::string_view name) {
  if (!report_file_format(day, name)) return std::nullopt;
  const fs::path path = fs::path(dir) / std::string(name);
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;
  return bytes;
}

}  // namespace hotline::daemon
