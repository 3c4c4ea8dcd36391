#include "daemon/api/api.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cctype>

#include "daemon/runtime/local_time.hpp"
#include "daemon/wire/case_codec.hpp"
#include "daemon/escalation/deadline_recompute_job.hpp"
#include "daemon/http/http_response.hpp"
#include "daemon/wire/ticket_json.hpp"
#include "routing/policy_clocks.hpp"
#include "routing/router.hpp"

namespace hotline::daemon {
namespace json = boost::json;
std::optional<Principal> Api::authenticate(const Request& req) {
  if (!ctx_.auth_required.load()) return Principal{CallerRole::local, "", ""};
  auto lease = ctx_.tokens.acquire();
  if (!lease) return std::nullopt;
  return daemon::authenticate(req[http::field::authorization], **lease);
}

boost::asio::awaitable<Response> Api::post_ticket(const Request& req, const Principal& who) {
  if (!is_json_content_type(req[http::field::content_type])) {
    co_return problem_response(req, {415, "unsupported-media-type", "The body must be JSON",
                                     "send Content-Type: application/json", ""});
  }
  const auto live = ctx_.rules.info();
  const auto& rules = *live.rules;
  auto parsed = parse_intake(req.body(), rules);
  if (auto* p = std::get_if<Problem>(&parsed)) co_return problem_response(req, *p);
  auto& intake = std::get<IntakeRequest>(parsed);

  const routing::Decision decision = routing::route(intake.ticket, rules);
  if (ctx_.metrics) (decision.rule ? ctx_.metrics->routed_by_rule : ctx_.metrics->routed_fallback).fetch_add(1);
  const LocalStamp now = local_stamp_ms(ctx_.clock->now_ms());

  // The life-cycle machine decides the intake events (received + dispatched, or a disposition at intake).
  routing::Case facts;
  facts.type = intake.ticket.type;
  facts.urgency = intake.ticket.urgency;
  facts.channel = intake.channel.value_or("");
  const routing::PolicyClocks clocks(*live.calendar, *live.policy, rules, utc_offset_minutes(now.unix_ms));
  const auto ctx = case_context(rules, clocks, now.unix_ms);
  std::vector<std::string> co;
  for (const auto* u : decision.co) co.push_back(u->id);
  std::map<std::string, std::string> args = intake.disposition_args;
  args["rule"] = decision.rule_id();
  args["rules_version"] = rules.version();
  auto outcome = routing::create_case(facts, intake.disposition, decision.lead->id, co, args, actor_of(who), ctx);
  if (const auto* refusal = std::get_if<routing::Refusal>(&outcome)) co_return refusal_response(req, *refusal);
  auto events = std::get<std::vector<routing::Event>>(std::move(outcome));  // moved on into the job

  json::object decision_json = decision_to_json(decision, rules);
  auto t = std::make_shared<storage::NewTicket>();
  t->prefix = ctx_.ticket_prefix;
  t->day = now.day;
  t->received_at = now.rfc3339;
  t->received_ms = now.unix_ms;
  t->type = routing::to_string(intake.ticket.type);
  t->urgency = routing::to_string(intake.ticket.urgency);
  t->channel = intake.channel;
  t->category = intake.category;
  t->area = intake.area;
  t->address = intake.address;
  t->caller_name = intake.caller_name;
  t->caller_phone = intake.caller_phone;
  t->content = std::move(intake.ticket.content);
  t->unit_id = decision.lead->id;
  t->unit_name = decision.lead->name;
  t->rule_id = decision.rule_id();
  t->rules_version = rules.version();
  t->decision = json::serialize(decision_json);
  for (const auto& e : events) t->events.push_back(to_stored(e));
  auto state = std::make_shared<routing::Case>();
  auto job = [t, state, facts, events = std::move(events), live, hooks = ctx_.escalation,
              now_ms = now.unix_ms](storage::TicketStore& store) -> WriteResult {
    auto id = store.next_ticket_id(t->prefix, t->day);
    if (!id) return id.error();
    t->id = *id;
    routing::Case with_id = facts;
    with_id.id = *id;
    *state = routing::replay(with_id, events);
    t->state = std::string(routing::to_string(state->state));
    if (auto r = store.insert_ticket(*t); !r) return r.error();
    auto projection = project(*state, now_ms);
    if (hooks != nullptr) {
      if (auto r = hooks->after_events(store, *id, events, *state, live, now_ms); !r) return r.error();
      hooks->plan(projection, *state, live, now_ms);
    }
    return store.write_projection(*id, projection, /*fresh=*/true);
  };
  const WriteResult written = co_await ctx_.writer.async_write(std::move(job), boost::asio::use_awaitable);
  if (!written) {
    co_return problem_response(req, storage_problem(written.error(), "The ticket could not be stored"));
  }
  if (ctx_.metrics) ctx_.metrics->tickets.add(t->state, 1);
  json::object body = std::move(decision_json);
  body["id"] = t->id;
  body["state"] = t->state;
  body["rules_version"] = rules.version();
  body["received_at"] = now.rfc3339;
  // The full case view (clocks, working days left) is one GET away; intake answers lean, it is the hot path.
  if (const auto* lead = state->lead()) {
    body["sign_for_due_at"] = local_stamp_ms(lead->sign_for_due.ms).rfc3339;
    body["reply_due_at"] = local_stamp_ms(lead->reply_due.ms).rfc3339;
    body["provisional"] = lead->reply_due.provisional || lead->sign_for_due.provisional;
  }
  auto res = make_response(req, http::status::created, json::serialize(body));
  res.set(http::field::location, "/v1/tickets/" + t->id);
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
  const std::string previous_calendar = ctx_.rules.info().calendar->version();
  auto outcome = ctx_.rules.reload();
  RecomputeSummary recomputed;
  if (outcome.ok) {
    spdlog::info("rules reloaded over HTTP: version {} in {:.0f} ms", outcome.info.rules->version(), outcome.info.load_ms);
    // Still on the blocking executor: a newer calendar settles provisional deadlines before the answer.
    recomputed = recompute_after_reload(ctx_.writer, previous_calendar, outcome.info,
                                        local_stamp_ms(ctx_.clock->now_ms()).unix_ms, ctx_.escalation);
    if (ctx_.escalation != nullptr) ctx_.escalation->rules_reloaded();
  }
  co_await boost::asio::post(home, boost::asio::use_awaitable);
  if (outcome.ok) {
    auto body = rules_json(outcome.info);
    body["reloaded"] = true;
    body["deadlines_recomputed"] = {{"tickets_checked", recomputed.tickets_checked},
                                    {"tickets_changed", recomputed.tickets_changed},
                                    {"changes", recomputed.changes}};
    if (!recomputed.error.empty()) body["deadlines_recomputed"].as_object()["error"] = recomputed.error;
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

bool unit_within(const routing::RuleSet& rules, std::string_view ancestor, std::string_view unit) {
  for (int depth = 0; depth < 16 && !unit.empty(); ++depth) {
    if (unit == ancestor) return true;
    const auto* u = rules.find_unit(unit);
    if (u == nullptr) return false;
    unit = u->parent;
  }
  return false;
}

bool Api::unit_within(std::string_view ancestor, std::string_view unit) const {
  return daemon::unit_within(*ctx_.rules.get(), ancestor, unit);
}

bool Api::unit_may_see(const std::string& unit, const storage::StoredTicket& ticket) const {
  // Any unit that ever held the ticket (accountable or as handler), and the units above it.
  const auto c = replay_ticket(ticket);
  return std::any_of(c.assignments.begin(), c.assignments.end(), [&](const routing::Assignment& a) {
    return unit_within(unit, a.unit) || (!a.handler.empty() && unit_within(unit, a.handler));
  });
}

Response Api::get_ticket(const Request& req, const std::string& id, const Principal& who) {
  const bool well_formed = id.size() <= 40 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  });
  if (!well_formed) return problem_response(req, {404, "not-found", "No such ticket", "malformed ticket id", ""});
  auto lease = ctx_.readers.acquire();
  if (!lease) {
    return problem_response(req, storage_problem(lease.error(), "The database cannot be read"));
  }
  auto found = (*lease)->find_ticket(id);
  if (!found) {
    return problem_response(req, storage_problem(found.error(), "The database cannot be read"));
  }
  if (!*found) return problem_response(req, {404, "not-found", "No such ticket", "no ticket with id " + id, ""});
  // A unit sees tickets assigned to it or to the units below it, and nothing else.
  if (who.role == CallerRole::unit && !unit_may_see(who.unit_id, **found)) {
    return forbidden(req, "ticket " + id + " is not assigned to unit " + who.unit_id + " or a unit below it");
  }
  auto body = ticket_to_json(**found);
  const auto live = ctx_.rules.info();
  const auto now_ms = local_stamp_ms(ctx_.clock->now_ms()).unix_ms;
  body["case"] = case_to_json(replay_ticket(**found), *live.calendar, now_ms, utc_offset_minutes(now_ms));
  return make_response(req, http::status::ok, json::serialize(body));
}

}  // namespace hotline::daemon
