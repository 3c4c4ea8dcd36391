#include "daemon/api.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cctype>

#include "daemon/local_time.hpp"
#include "daemon/ticket_json.hpp"
#include "routing/router.hpp"

namespace hotline::daemon {
namespace json = boost::json;
namespace {

Response make_response(const Request& req, http::status status, std::string body,
                       std::string_view content_type = "application/json") {
  Response res{status, req.version()};
  res.set(http::field::server, "hotlined");
  res.set(http::field::content_type, content_type);
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

Response problem_response(const Request& req, const Problem& p) {
  return make_response(req, static_cast<http::status>(p.status), p.to_json(), "application/problem+json");
}

bool is_json_content_type(std::string_view value) {
  const auto semi = value.find(';');
  auto media = value.substr(0, semi);
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  if (media.size() != 16) return false;
  constexpr std::string_view expected = "application/json";
  for (std::size_t i = 0; i < media.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(media[i])) != expected[i]) return false;
  }
  return true;
}

}  // namespace

Response Api::payload_too_large(unsigned version, std::size_t limit) {
  Request req{http::verb::post, "/", version};
  req.keep_alive(false);
  return problem_response(req, {413, "payload-too-large", "The request body is too large",
                                "bodies are limited to " + std::to_string(limit) + " bytes", ""});
}

// Who may call what (the local principal of a token-less loopback deployment may call everything a person may).
bool may(const Principal& who, std::initializer_list<std::string_view> roles) {
  if (who.role == "local") return true;
  return std::find(roles.begin(), roles.end(), who.role) != roles.end();
}

Response forbidden(const Request& req, const std::string& detail) {
  return problem_response(req, {403, "forbidden", "Not allowed for this token", detail, ""});
}

std::optional<Principal> Api::authenticate(const Request& req) {
  if (!ctx_.auth_required.load()) return Principal{"local", "", ""};
  auto lease = ctx_.tokens.acquire();
  if (!lease) return std::nullopt;
  return daemon::authenticate(req[http::field::authorization], **lease);
}

boost::asio::awaitable<Response> Api::handle(const Request& req) {
  const std::string_view target = req.target();
  const std::string_view path = target.substr(0, target.find('?'));
  if (path == "/healthz") {
    if (req.method() != http::verb::get && req.method() != http::verb::head) {
      co_return problem_response(req, {405, "method-not-allowed", "Method not allowed", "use GET", ""});
    }
    co_return make_response(req, http::status::ok, R"({"status":"ok"})");
  }
  const auto who = authenticate(req);
  if (!who) {
    auto res = problem_response(req, {401, "unauthenticated", "A valid bearer token is required",
                                      "send Authorization: Bearer <token> (hotlinectl token create)", ""});
    res.set(http::field::www_authenticate, "Bearer");
    co_return res;
  }
  co_return co_await route_request(req, *who);
}

boost::asio::awaitable<Response> Api::route_request(const Request& req, const Principal& who) {
  const std::string_view target = req.target();
  const std::string_view path = target.substr(0, target.find('?'));
  if (path == "/v1/tickets") {
    if (req.method() != http::verb::post) {
      co_return problem_response(req, {405, "method-not-allowed", "Method not allowed", "use POST", ""});
    }
    if (!may(who, {"operator"})) co_return forbidden(req, "only operators take in tickets");
    co_return co_await post_ticket(req);
  }
  if (path == "/v1/rules") {
    if (req.method() != http::verb::get) {
      co_return problem_response(req, {405, "method-not-allowed", "Method not allowed", "use GET", ""});
    }
    co_return get_rules(req);  // any authenticated caller
  }
  if (path == "/v1/route/explain") {
    if (req.method() != http::verb::post) {
      co_return problem_response(req, {405, "method-not-allowed", "Method not allowed", "use POST", ""});
    }
    if (!may(who, {"operator", "supervisor", "admin"})) co_return forbidden(req, "routing dry runs are for the hotline");
    co_return explain_route(req);
  }
  if (path == "/v1/admin/reload") {
    if (req.method() != http::verb::post) {
      co_return problem_response(req, {405, "method-not-allowed", "Method not allowed", "use POST", ""});
    }
    if (!may(who, {"admin"})) co_return forbidden(req, "only admins reload rules");
    co_return co_await reload_rules(req);
  }
  constexpr std::string_view tickets_prefix = "/v1/tickets/";
  if (path.starts_with(tickets_prefix) && path.size() > tickets_prefix.size() &&
      path.find('/', tickets_prefix.size()) == std::string_view::npos) {
    if (req.method() != http::verb::get) {
      co_return problem_response(req, {405, "method-not-allowed", "Method not allowed", "use GET", ""});
    }
    co_return get_ticket(req, std::string(path.substr(tickets_prefix.size())), who);
  }
  co_return problem_response(req, {404, "not-found", "No such resource", "no endpoint at " + std::string(path), ""});
}

boost::asio::awaitable<Response> Api::post_ticket(const Request& req) {
  if (!is_json_content_type(req[http::field::content_type])) {
    co_return problem_response(req, {415, "unsupported-media-type", "The body must be JSON",
                                     "send Content-Type: application/json", ""});
  }
  const auto rules = ctx_.rules.get();
  auto parsed = parse_intake(req.body(), *rules);
  if (auto* p = std::get_if<Problem>(&parsed)) co_return problem_response(req, *p);
  auto& intake = std::get<IntakeRequest>(parsed);

  const routing::Decision decision = routing::route(intake.ticket, *rules);
  const LocalStamp now = local_stamp(std::chrono::system_clock::now());

  json::object decision_json = decision_to_json(decision, *rules);
  storage::NewTicket t;
  t.prefix = ctx_.ticket_prefix;
  t.day = now.day;
  t.received_at = now.rfc3339;
  t.received_ms = now.unix_ms;
  t.type = routing::to_string(intake.ticket.type);
  t.urgency = routing::to_string(intake.ticket.urgency);
  t.channel = intake.channel;
  t.category = intake.category;
  t.area = intake.area;
  t.address = intake.address;
  t.caller_name = intake.caller_name;
  t.caller_phone = intake.caller_phone;
  t.content = std::move(intake.ticket.content);
  t.state = "awaiting_sign_for";
  t.unit_id = decision.lead->id;
  t.unit_name = decision.lead->name;
  t.rule_id = decision.rule_id();
  t.rules_version = rules->version();
  t.decision = json::serialize(decision_json);
  t.events.push_back({"received", "operator", "operator", "",
                      json::serialize(json::object{{"type", t.type}, {"channel", t.channel ? *t.channel : ""}})});
  json::object dispatched{{"unit", decision.lead->id}, {"rule", t.rule_id}, {"rules_version", t.rules_version}};
  json::array co;
  for (const auto* u : decision.co) co.push_back(json::string(u->id));
  dispatched["co_units"] = std::move(co);
  t.events.push_back({"dispatched", "router", "system", decision.lead->id, json::serialize(dispatched)});

  const InsertResult id = co_await ctx_.writer.async_insert(std::move(t), boost::asio::use_awaitable);
  if (!id) {
    co_return problem_response(req, {503, "storage-unavailable", "The ticket could not be stored",
                                     id.error().message, ""});
  }
  json::object body = std::move(decision_json);
  body["id"] = *id;
  body["state"] = "awaiting_sign_for";
  body["rules_version"] = rules->version();
  body["received_at"] = now.rfc3339;
  auto res = make_response(req, http::status::created, json::serialize(body));
  res.set(http::field::location, "/v1/tickets/" + *id);
  co_return res;
}

json::object rules_json(const RulesInfo& info) {
  const auto& r = *info.rules;
  return {{"version", r.version()},
          {"loaded_at", info.loaded_at},
          {"load_ms", info.load_ms},
          {"counts",
           {{"units", r.units().size()},
            {"divisions", r.divisions().size()},
            {"matters", r.matters().size()},
            {"rules", r.rules().size()},
            {"keywords", r.matcher().pattern_count()}}},
          {"memory_bytes", r.memory_bytes()}};
}

Response Api::get_rules(const Request& req) {
  auto body = rules_json(ctx_.rules.info());
  body["dir"] = ctx_.rules.dir();
  return make_response(req, http::status::ok, json::serialize(body));
}

Response Api::explain_route(const Request& req) {
  if (!is_json_content_type(req[http::field::content_type])) {
    return problem_response(req, {415, "unsupported-media-type", "The body must be JSON",
                                  "send Content-Type: application/json", ""});
  }
  const auto rules = ctx_.rules.get();
  auto parsed = parse_intake(req.body(), *rules);
  if (auto* p = std::get_if<Problem>(&parsed)) return problem_response(req, *p);
  const auto decision = routing::route(std::get<IntakeRequest>(parsed).ticket, *rules, {.explain = true});
  auto body = decision_to_json(decision, *rules);
  body["rules_version"] = rules->version();
  return make_response(req, http::status::ok, json::serialize(body));
}

boost::asio::awaitable<Response> Api::reload_rules(const Request& req) {
  // Compiling takes ~100 ms: do it on the blocking executor, then come back to this connection's strand.
  auto home = co_await boost::asio::this_coro::executor;
  co_await boost::asio::post(ctx_.blocking, boost::asio::use_awaitable);
  auto outcome = ctx_.rules.reload();
  co_await boost::asio::post(home, boost::asio::use_awaitable);
  if (outcome.ok) {
    spdlog::info("rules reloaded over HTTP: version {} in {:.0f} ms", outcome.info.rules->version(), outcome.info.load_ms);
    auto body = rules_json(outcome.info);
    body["reloaded"] = true;
    co_return make_response(req, http::status::ok, json::serialize(body));
  }
  json::array errors;
  for (const auto& d : outcome.diagnostics) errors.push_back(json::string(d.to_string()));
  spdlog::error("rules reload refused ({} problem(s)); version {} stays live", errors.size(),
                outcome.info.rules->version());
  json::object body{{"type", "urn:hotline:problem:invalid-rules"},
                    {"title", "The new rules are invalid; the current rules stay live"},
                    {"status", 422},
                    {"detail", std::to_string(errors.size()) + " problem(s) in " + ctx_.rules.dir()},
                    {"errors", std::move(errors)},
                    {"live_version", outcome.info.rules->version()}};
  co_return make_response(req, http::status::unprocessable_entity, json::serialize(body), "application/problem+json");
}

bool Api::unit_may_see(const std::string& unit, const storage::StoredTicket& ticket) const {
  const auto rules = ctx_.rules.get();
  // True when `assigned` is `unit` or lies below it in the directory.
  const auto within = [&](std::string_view assigned) {
    for (int depth = 0; depth < 16 && !assigned.empty(); ++depth) {
      if (assigned == unit) return true;
      const auto* u = rules->find_unit(assigned);
      if (u == nullptr) return false;
      assigned = u->parent;
    }
    return false;
  };
  if (within(ticket.unit_id)) return true;
  boost::system::error_code ec;
  const auto decision = json::parse(ticket.decision, ec);
  if (ec || !decision.is_object()) return false;
  const auto* co = decision.as_object().if_contains("co_units");
  if (co == nullptr || !co->is_array()) return false;
  for (const auto& c : co->as_array()) {
    if (c.is_object() && c.as_object().contains("id") && c.at("id").is_string() && within(c.at("id").as_string())) {
      return true;
    }
  }
  return false;
}

Response Api::get_ticket(const Request& req, const std::string& id, const Principal& who) {
  const bool well_formed = id.size() <= 40 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  });
  if (!well_formed) return problem_response(req, {404, "not-found", "No such ticket", "malformed ticket id", ""});
  auto lease = ctx_.readers.acquire();
  if (!lease) {
    return problem_response(req, {503, "storage-unavailable", "The database cannot be read", lease.error().message, ""});
  }
  auto found = (*lease)->find_ticket(id);
  if (!found) {
    return problem_response(req, {503, "storage-unavailable", "The database cannot be read", found.error().message, ""});
  }
  if (!*found) return problem_response(req, {404, "not-found", "No such ticket", "no ticket with id " + id, ""});
  // A unit sees tickets assigned to it or to the units below it, and nothing else.
  if (who.role == "unit" && !unit_may_see(who.unit_id, **found)) {
    return forbidden(req, "ticket " + id + " is not assigned to unit " + who.unit_id + " or a unit below it");
  }
  return make_response(req, http::status::ok, json::serialize(ticket_to_json(**found)));
}

}  // namespace hotline::daemon
