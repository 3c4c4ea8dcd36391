// The observation endpoints of Api: the unit's live feed (SSE) and /metrics.
#include <boost/asio/this_coro.hpp>

#include "daemon/api/api.hpp"
#include "daemon/api/query_params.hpp"
#include "daemon/http/query_string.hpp"

namespace hotline::daemon {

boost::asio::awaitable<Handled> Api::open_feed(const Request& req, const Principal& who, const std::string& unit) {
  const auto refuse = [](Response r) { return Handled{std::move(r), nullptr}; };
  const auto rules = ctx_.rules.get();
  if (rules->find_unit(unit) == nullptr) {
    co_return refuse(
        problem_response(req, {404, "not-found", "No such unit", "no unit " + unit + " in the directory", ""}));
  }
  // A unit watches its own feed (and, like its queue, those of the units below it); the hotline any unit's.
  if (who.role == CallerRole::unit && !unit_within(who.unit_id, unit)) {
    co_return refuse(forbidden(req, "a unit token watches only its own feed and those of the units below it"));
  }
  bool subtree = false;
  for (const auto& [key, value] : parse_query(req.target())) {
    if (key == "scope" && (value == "unit" || value == "subtree")) {
      subtree = value == "subtree";
    } else if (key == "scope") {
      co_return refuse(problem_response(req, bad_field("scope", "must be unit or subtree")));
    } else {
      co_return refuse(problem_response(req, bad_field(key, "unknown query parameter")));
    }
  }
  std::optional<std::int64_t> last;
  if (const auto header = req["Last-Event-ID"]; !header.empty()) {
    last = parse_last_event_id(header);
    if (!last)
      co_return refuse(problem_response(req, bad_field("Last-Event-ID", "must be the id of an event received")));
  }
  if (ctx_.feed == nullptr) {
    co_return refuse(problem_response(req, {503, "feed-unavailable", "Live feeds are not available", "", ""}));
  }
  auto covers = [&holder = ctx_.rules, unit, subtree](std::string_view u) {
    return u == unit || (subtree && daemon::unit_within(*holder.get(), unit, u));
  };
  const auto executor = co_await boost::asio::this_coro::executor;
  // The credential is asked again before each send: a logout, an idle session or a revoked token ends the feed.
  Request credential;
  for (const auto field : {http::field::authorization, http::field::cookie}) {
    if (const auto value = req[field]; !value.empty()) credential.set(field, value);
  }
  auto still_allowed = [this, credential = std::move(credential), who] {
    bool csrf_refused = false;
    const auto now = authenticate(credential, csrf_refused, /*touch=*/false);
    return now && now->role == who.role && now->unit_id == who.unit_id;
  };
  auto stream = FeedStream::open({*ctx_.feed, ctx_.writer, ctx_.readers, ctx_.reads, std::move(still_allowed)},
                                 executor, std::move(covers), last, ctx_.feed_settings);
  if (!stream) {
    auto res = problem_response(req, {503, "too-many-feeds", "Too many live feeds are open",
                                      "the daemon serves at most feed.max_subscribers feeds; retry later", ""});
    res.set(http::field::retry_after, "5");
    co_return refuse(std::move(res));
  }
  co_return Handled{{}, std::move(stream)};
}

Response Api::get_metrics(const Request& req) {
  // Who may read them is the route table's row (Access::metrics).
  return make_response(req, http::status::ok, ctx_.registry ? ctx_.registry->render() : std::string(),
                       "text/plain; version=0.0.4; charset=utf-8");
}

}  // namespace hotline::daemon
