// The API's route table and its dispatch: authentication, 404 and 405 with Allow, the row's roles (403), then the
// endpoint. Each endpoint's own checks (a unit's reach, the life cycle's rules) stay in its handler.
#include <boost/asio/this_coro.hpp>

#include "daemon/api/api.hpp"

namespace hotline::daemon {

struct Api::Endpoints {
  using verb = http::verb;
  using R = CallerRole;

  static Handled answer(Response response) { return Handled{std::move(response), nullptr}; }
  static std::string param(const Call& c, std::size_t i) { return std::string(c.params.values[i]); }

  static boost::asio::awaitable<Handled> healthz(Api&, const Call& c) {
    co_return answer(make_response(c.req, http::status::ok, R"({"status":"ok"})"));
  }
  static boost::asio::awaitable<Handled> readyz(Api& api, const Call& c) {
    Response response = co_await api.get_readyz(c.req);
    co_return answer(std::move(response));
  }
  static boost::asio::awaitable<Handled> metrics(Api& api, const Call& c) { co_return answer(api.get_metrics(c.req)); }
  static boost::asio::awaitable<Handled> search(Api& api, const Call& c) {
    Response response = co_await api.search_tickets(c.req, c.who);
    co_return answer(std::move(response));
  }
  static boost::asio::awaitable<Handled> intake(Api& api, const Call& c) {
    Response response = co_await api.post_ticket(c.req, c.who);
    co_return answer(std::move(response));
  }
  static boost::asio::awaitable<Handled> ticket(Api& api, const Call& c) {
    Response response = co_await api.get_ticket(c.req, param(c, 0), c.who);
    co_return answer(std::move(response));
  }
  static boost::asio::awaitable<Handled> access_log(Api& api, const Call& c) {
    co_return answer(api.get_access_log(c.req));
  }
  static boost::asio::awaitable<Handled> page(Api& api, const Call& c) {
    const bool root = c.req.target().substr(0, c.req.target().find('?')) == "/";
    co_return answer(api.web_file(c.req, root ? std::string("index.html") : param(c, 0)));
  }
  static boost::asio::awaitable<Handled> login(Api& api, const Call& c) {
    Response response = co_await api.login(c.req, c.peer);
    co_return answer(std::move(response));
  }
  static boost::asio::awaitable<Handled> logout(Api& api, const Call& c) { co_return answer(api.logout(c.req, c.who)); }
  static boost::asio::awaitable<Handled> session(Api& api, const Call& c) {
    co_return answer(api.get_session(c.req, c.who));
  }
  static boost::asio::awaitable<Handled> caller_sms(Api& api, const Call& c) {
    Response response = co_await api.post_caller_sms(c.req, c.who);
    co_return answer(std::move(response));
  }
  static boost::asio::awaitable<Handled> action(Api& api, const Call& c) {
    Response response = co_await api.post_action(c.req, c.who, param(c, 0), param(c, 1));
    co_return answer(std::move(response));
  }
  static boost::asio::awaitable<Handled> queue(Api& api, const Call& c) {
    co_return answer(api.get_queue(c.req, c.who, param(c, 0)));
  }
  static boost::asio::awaitable<Handled> unit_counts(Api& api, const Call& c) {
    Response response = co_await api.get_unit_counts(c.req, c.who, param(c, 0));
    co_return answer(std::move(response));
  }
  static boost::asio::awaitable<Handled> desk_queue(Api& api, const Call& c) {
    co_return answer(api.get_desk_queue(c.req, c.who));
  }
  static boost::asio::awaitable<Handled> feed(Api& api, const Call& c) {
    Handled handled = co_await api.open_feed(c.req, c.who, param(c, 0));
    if (handled.stream) handled = api.hold_feed_slots(c, std::move(handled));
    co_return handled;
  }
  static boost::asio::awaitable<Handled> escalations(Api& api, const Call& c) {
    co_return answer(api.get_escalations(c.req, c.who));
  }
  static boost::asio::awaitable<Handled> escalation_counts(Api& api, const Call& c) {
    co_return answer(api.get_escalation_counts(c.req, c.who));
  }
  static boost::asio::awaitable<Handled> rules(Api& api, const Call& c) {
    co_return answer(api.get_rules(c.req, c.who));
  }
  static boost::asio::awaitable<Handled> explain(Api& api, const Call& c) {
    co_return answer(api.explain_route(c.req));
  }
  static boost::asio::awaitable<Handled> knowledge(Api& api, const Call& c) {
    co_return answer(api.search_knowledge(c.req));
  }
  static boost::asio::awaitable<Handled> public_ticket(Api& api, const Call& c) {
    co_return answer(api.public_status(c.req, param(c, 0), c.peer));
  }
  static boost::asio::awaitable<Handled> reload(Api& api, const Call& c) {
    Response response = co_await api.reload_rules(c.req);
    co_return answer(std::move(response));
  }
  static boost::asio::awaitable<Handled> report(Api& api, const Call& c) {
    Response response = co_await api.run_report(c.req);
    co_return answer(std::move(response));
  }

  static boost::asio::awaitable<Handled> units(Api& api, const Call& c) { co_return answer(api.get_units(c.req)); }
  static boost::asio::awaitable<Handled> matters(Api& api, const Call& c) { co_return answer(api.get_matters(c.req)); }
  static boost::asio::awaitable<Handled> divisions(Api& api, const Call& c) {
    co_return answer(api.get_divisions(c.req));
  }
  static boost::asio::awaitable<Handled> reports(Api& api, const Call& c) {
    Response response = co_await api.get_reports(c.req);
    co_return answer(std::move(response));
  }
  static boost::asio::awaitable<Handled> report_file(Api& api, const Call& c) {
    Response response = co_await api.get_report_file(c.req, param(c, 0), param(c, 1));
    co_return answer(std::move(response));
  }
  static boost::asio::awaitable<Handled> openapi(Api& api, const Call& c) { co_return answer(api.get_openapi(c.req)); }

  static constexpr RoleSet anyone = RoleSet::everyone();
  static constexpr std::array<Route<Endpoint>, 32> table{{
      {verb::get, "/healthz", Access::open, {}, "", true, healthz},
      {verb::get, "/readyz", Access::open, {}, "", true, readyz},
      {verb::get, "/v1/public/tickets/{id}", Access::open, {}, "", false, public_ticket},
      {verb::get, "/", Access::open, {}, "", true, page},
      {verb::get, "/static/{file}", Access::open, {}, "", true, page},
      {verb::post, "/login", Access::open, {}, "", false, login},
      {verb::post, "/logout", Access::token, anyone, "", false, logout},
      {verb::get, "/v1/session", Access::token, anyone, "", false, session},
      {verb::get,
       "/metrics",
       Access::metrics,
       {R::admin, R::supervisor},
       "metrics are for admins and supervisors",
       true,
       metrics},
      {verb::get, "/v1/tickets", Access::token, anyone, "", false, search},
      {verb::post, "/v1/tickets", Access::token, {R::operator_}, "only operators take in tickets", false, intake},
      {verb::get, "/v1/tickets/{id}", Access::token, anyone, "", false, ticket},
      {verb::post, "/v1/tickets/{id}/{action}", Access::token, anyone, "", false, action},
      {verb::post,
       "/v1/callers/sms",
       Access::token,
       {R::operator_, R::admin},
       "operators (and the SMS gateway's admin token) record a caller's wish",
       false,
       caller_sms},
      {verb::get,
       "/v1/units/{id}/queue",
       Access::token,
       {R::operator_, R::unit, R::supervisor},
       "admins manage rules and tokens, not cases",
       false,
       queue},
      {verb::get,
       "/v1/units/{id}/counts",
       Access::token,
       {R::operator_, R::unit, R::supervisor},
       "admins manage rules and tokens, not cases",
       false,
       unit_counts},
      {verb::get,
       "/v1/desk/queue",
       Access::token,
       {R::operator_, R::unit, R::supervisor},
       "admins manage rules and tokens, not cases",
       false,
       desk_queue},
      {verb::get, "/v1/units/{id}/feed", Access::token, anyone, "", false, feed},
      {verb::get, "/v1/escalations", Access::token, anyone, "", false, escalations},
      {verb::get, "/v1/escalations/counts", Access::token, anyone, "", false, escalation_counts},
      {verb::get, "/v1/rules", Access::token, anyone, "", false, rules},
      {verb::get, "/v1/kb", Access::token, anyone, "", false, knowledge},
      {verb::get, "/v1/units", Access::token, anyone, "", false, units},
      {verb::get, "/v1/matters", Access::token, anyone, "", false, matters},
      {verb::get, "/v1/divisions", Access::token, anyone, "", false, divisions},
      {verb::get, "/v1/openapi.json", Access::token, anyone, "", false, openapi},
      {verb::post,
       "/v1/route/explain",
       Access::token,
       {R::operator_, R::supervisor, R::admin},
       "routing dry runs are for the hotline",
       false,
       explain},
      {verb::post, "/v1/admin/reload", Access::token, {R::admin}, "only admins reload rules", false, reload},
      {verb::post,
       "/v1/admin/report",
       Access::token,
       {R::admin, R::supervisor},
       "only admins and supervisors run reports",
       false,
       report},
      {verb::get,
       "/v1/admin/access-log",
       Access::token,
       {R::admin, R::supervisor},
       "only admins and supervisors read the caller access log",
       false,
       access_log},
      {verb::get,
       "/v1/reports",
       Access::token,
       {R::admin, R::supervisor},
       "only admins and supervisors read reports",
       false,
       reports},
      {verb::get,
       "/v1/reports/{day}/{file}",
       Access::token,
       {R::admin, R::supervisor},
       "only admins and supervisors read reports",
       false,
       report_file},
  }};
};

std::span<const Route<Api::Endpoint>> Api::routes() {
  return Endpoints::table;
}

std::string_view Api::metric_label(const Request& req) const {
  const std::string_view target = req.target();
  return route_label(routes(), target.substr(0, target.find('?')));
}

boost::asio::awaitable<Handled> Api::serve(const Request& req, const Peer& peer) {
  const std::string_view target = req.target();
  const std::string_view path = target.substr(0, target.find('?'));
  const auto match = find_route(routes(), req.method(), path);
  // A token is needed unless every row of the path is open (or metrics are open by configuration): an unknown
  // path without a valid token is a 401, so the daemon's endpoints cannot be probed without one.
  const bool needs_token =
      !match.open || (match.route != nullptr && match.route->access == Access::metrics && ctx_.metrics_require_token);
  std::optional<Principal> who;
  if (needs_token) {
    bool csrf_refused = false;
    who = authenticate(req, csrf_refused);
    if (!who) co_return Endpoints::answer(unauthenticated(req));
    if (csrf_refused) {
      co_return Endpoints::answer(problem_response(
          req, {403, "csrf-token", "The request lacks its CSRF token",
                "a session's POST carries the csrf_token its login gave, in the X-CSRF-Token header", ""}));
    }
  }
  if (!match.path_known) {
    co_return Endpoints::answer(
        problem_response(req, {404, "not-found", "No such resource", "no endpoint at " + std::string(path), ""}));
  }
  if (match.route == nullptr) co_return Endpoints::answer(method_not_allowed(req, match.allow));
  if (who && !match.route->roles.allows(who->role)) {
    co_return Endpoints::answer(forbidden(req, std::string(match.route->refusal)));
  }
  const Principal caller = who.value_or(Principal{});
  Handled handled = co_await match.route->handler(*this, Call{req, caller, match.params, peer});
  co_return handled;
}

}  // namespace hotline::daemon
