// POST /v1/admin/report of Api: runs the nightly report now (for an as-of day, by default yesterday) and announces
// it like the nightly run does — for an operator re-running a night that failed, or publishing a day again.
// GET /v1/reports and /v1/reports/{day}/{file}: the published reports of report.dir, listed and downloaded.
#include <boost/json.hpp>
#include <chrono>

#include "daemon/api/api.hpp"
#include "daemon/api/published_reports.hpp"
#include "daemon/http/query_string.hpp"
#include "daemon/nightly/nightly_runner.hpp"
#include "daemon/runtime/local_time.hpp"
#include "daemon/runtime/off_thread.hpp"

namespace hotline::daemon {
namespace json = boost::json;
namespace http = boost::beast::http;

boost::asio::awaitable<Response> Api::run_report(const Request& req) {
  if (ctx_.nightly == nullptr) {
    co_return problem_response(req, {503, "report-unavailable", "Reports are not run by this daemon", "", ""});
  }
  const auto now_ms = local_stamp_ms(ctx_.clock->now_ms()).unix_ms;
  const auto today = routing::local_day(now_ms, utc_offset_minutes(now_ms));
  routing::Day as_of = today - 1;
  auto parsed = optional_json_object(req, ", or no body for yesterday's report");
  if (auto* p = std::get_if<Problem>(&parsed)) co_return problem_response(req, *p);
  for (const auto& [key, value] : std::get<json::object>(parsed)) {
    if (key != "as_of") co_return problem_response(req, bad_field(key, "unknown field"));
    const auto day = value.is_string() ? routing::parse_day(value.as_string()) : std::nullopt;
    if (!day) co_return problem_response(req, bad_field("as_of", "must be a date YYYY-MM-DD"));
    if (!parse_caller_day(value.as_string())) {
      co_return problem_response(req, bad_field("as_of", "must be a date from " + std::string(k_date_window)));
    }
    // A day not over yet would count deadlines still to come as missed, and its files would change by evening.
    if (*day >= today) {
      co_return problem_response(req,
                                 bad_field("as_of", "must be a day that is over: yesterday (the default) or earlier"));
    }
    as_of = *day;
  }
  // A report reads the whole event log (seconds on a large database): run it on the blocking executor.
  const auto outcome =
      co_await run_off_thread(ctx_.blocking, [this, as_of] { return ctx_.nightly->try_run_now(as_of); });
  if (!outcome) {
    co_return problem_response(req,
                               {409, "report-running", "A report is already running", "try again when it is done", ""});
  }
  if (!outcome->error.empty()) {
    co_return problem_response(req, {500, "report-failed", "The report could not be written", outcome->error, ""});
  }
  json::array files;
  for (const auto& f : outcome->files) files.emplace_back(f);
  co_return make_response(
      req, http::status::ok,
      json::serialize(json::object{
          {"as_of", routing::format_day(as_of)}, {"files", std::move(files)}, {"notified", outcome->notified}}));
}

boost::asio::awaitable<Response> Api::get_reports(const Request& req) {
  for (const auto& [key, value] : parse_query(req.target())) {
    co_return problem_response(req, bad_field(key, "unknown query parameter"));
  }
  // A folder of a few hundred files: a directory read on the read pool, never on an I/O thread.
  const std::string* dir = &ctx_.report_dir;
  const auto reports = co_await run_off_thread(ctx_.reads, [dir] { return list_published_reports(*dir); });
  json::array items;
  for (const auto& r : reports) {
    json::array files;
    for (const auto& f : r.files) {
      files.push_back({{"name", f.name},
                       {"format", f.format},
                       {"size", f.size},
                       {"path", "/v1/reports/" + r.as_of + "/" + f.name}});
    }
    items.push_back({{"as_of", r.as_of}, {"files", std::move(files)}});
  }
  co_return make_response(req, http::status::ok, json::serialize(json::object{{"items", std::move(items)}}));
}

boost::asio::awaitable<Response> Api::get_report_file(const Request& req, const std::string& day,
                                                      const std::string& name) {
  const auto format = report_file_format(day, name);
  std::optional<std::string> bytes;
  if (format) {
    const std::string *dir = &ctx_.report_dir, *d = &day, *n = &name;
    bytes = co_await run_off_thread(ctx_.reads, [dir, d, n] { return read_published_report(*dir, *d, *n); });
  }
  if (!bytes) {
    co_return problem_response(req,
                               {404, "not-found", "No such report file", "no report file " + day + "/" + name, ""});
  }
  auto response = make_response(req, http::status::ok, std::move(*bytes), report_content_type(*format));
  response.set(http::field::content_disposition, "attachment; filename=\"" + name + "\"");
  co_return response;
}

}  // namespace hotline::daemon
