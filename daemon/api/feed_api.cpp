// The observation endpoints of Api: the unit's live feed (SSE) and /metrics.
#include <boost/asio/this_coro.hpp>

#include <charconv>

#include "daemon/api/api.hpp"
#include "daemon/http/query_string.hpp"

namespace hotline::daemon {

boost::asio::awaitable<Handled> Api::serve(const Request& req) {
  const std::string_view target = req.target();
  const std::string_view path = target.substr(0, target.find('?'));
  constexpr std::string_view prefix = "/v1/units/", suffix = "/feed";
  if (path.starts_with(prefix) && path.ends_with(suffix) && path.size() > prefix.size() + suffix.size()) {
    const auto unit = path.substr(prefix.size(), path.size() - prefix.size() - suffix.size());
    if (unit.find('/') == std::string_view::npos) {
      if (req.method() != http::verb::get) co_return Handled{method_not_allowed(req, "GET"), nullptr};
      const auto who = authenticate(req);
      if (!who) co_return Handled{unauthenticated(req), nullptr};
      co_return co_await open_feed(req, *who, std::string(unit));
    }
  }
  // Awaited into a variable first: GCC 12 mishandles co_await inside an aggregate initialiser.
  Handled handled;
  handled.response = co_await handle(req);
  co_return handled;
}

boost::asio::awaitable<Handled> Api::open_feed(const Request& req, const Principal& who, const std::string& unit) {
  const auto refuse = [](Response r) { return Handled{std::move(r), nullptr}; };
  const auto rules = ctx_.rules.get();
  if (rules->find_unit(unit) == nullptr) {
    co_return refuse(
        problem_response(req, {404, "not-found", "No such unit", "no unit " + unit + " in the directory", ""}));
  }
  // A unit watches its own feed (and, like its queue, those of the units below it); the hotline any unit's.
  if (who.role == "unit" && !unit_within(who.unit_id, unit)) {
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
    std::int64_t seq = 0;
    const auto [ptr, ec] = std::from_chars(header.data(), header.data() + header.size(), seq);
    if (ec != std::errc{} || ptr != header.data() + header.size() || seq < 0) {
      co_return refuse(problem_response(req, bad_field("Last-Event-ID", "must be the id of an event received")));
    }
    last = seq;
  }
  if (ctx_.feed == nullptr) {
    co_return refuse(problem_response(req, {503, "feed-unavailable", "Live feeds are not available", "", ""}));
  }
  auto covers = [&holder = ctx_.rules, unit, subtree](std::string_view u) {
    return u == unit || (subtree && daemon::unit_within(*holder.get(), unit, u));
  };
  const auto executor = co_await boost::asio::this_coro::executor;
  auto stream = FeedStream::open({*ctx_.feed, ctx_.writer, ctx_.readers}, executor, std::move(covers), last,
                                 ctx_.feed_settings);
  if (!stream) {
    auto res = problem_response(req, {503, "too-many-feeds", "Too many live feeds are open",
                                      "the daemon serves at most feed.max_subscribers feeds; retry later", ""});
    res.set(http::field::retry_after, "5");
    co_return refuse(std::move(res));
  }
  co_return Handled{{}, std::move(stream)};
}

Response Api::get_metrics(const Request& req) {
  if (req.method() != http::verb::get && req.method() != http::verb::head) return method_not_allowed(req, "GET");
  // Without tokens the daemon is loopback-only and open; with tokens the numbers are for the hotline's staff.
  if (ctx_.auth_required.load() && ctx_.metrics_require_token) {
    const auto who = authenticate(req);
    if (!who) return unauthenticated(req);
    if (!may(*who, {"admin", "supervisor"})) return forbidden(req, "metrics are for admins and supervisors");
  }
  return make_response(req, http::status::ok, ctx_.registry ? ctx_.registry->render() : std::string(),
                       "text/plain; version=0.0.4; charset=utf-8");
}

}  // namespace hotline::daemon
