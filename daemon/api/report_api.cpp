// POST /v1/admin/report of Api: runs the nightly report now (for an as-of day, by default yesterday) and announces
// it like the nightly run does — for an operator re-running a night that failed, or publishing a day again.
#include <boost/json.hpp>
#include <chrono>

#include "daemon/api/api.hpp"
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
    if (*day > today) co_return problem_response(req, bad_field("as_of", "must not be in the future"));
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

}  // namespace hotline::daemon
