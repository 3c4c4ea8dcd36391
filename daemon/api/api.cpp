#include "daemon/api/api.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <cctype>
#include <chrono>
#include <cmath>

#include "daemon/access/address_rate.hpp"
#include "daemon/access/caller_view.hpp"
#include "daemon/access/lookup_code.hpp"
#include "daemon/api/public_status.hpp"
#include "daemon/api/query_params.hpp"
#include "daemon/cases/case_context.hpp"
#include "daemon/escalation/deadline_recompute_job.hpp"
#include "daemon/http/http_response.hpp"
#include "daemon/http/query_string.hpp"
#include "daemon/runtime/local_time.hpp"
#include "daemon/runtime/off_thread.hpp"
#include "daemon/wire/case_codec.hpp"
#include "daemon/wire/knowledge_json.hpp"
#include "daemon/wire/ticket_json.hpp"
#include "routing/policy_clocks.hpp"
#include "routing/router.hpp"

namespace hotline::daemon {
namespace json = boost::json;

namespace {

routing::Day today(std::int64_t now_ms) {
  return routing::local_day(now_ms, utc_offset_minutes(now_ms));
}

// The knowledge entries offered beside a consultation's routing decision (none for other request types).
constexpr std::size_t k_suggested_entries = 3;
std::vector<routing::KnowledgeMatch> suggest_knowledge(const routing::Ticket& ticket, const routing::Decision& decision,
                                                       const routing::RuleSet& rules, std::int64_t now_ms) {
  if (ticket.type != routing::RequestType::consultation) return {};
  return rules.knowledge().search(ticket.content, today(now_ms), decision.matter, k_suggested_entries);
}

}  // namespace

boost::asio::awaitable<Response> Api::post_ticket(const Request& req, const Principal& who) {
  if (!is_json_content_type(req[http::field::content_type])) {
    co_return problem_response(
        req, {415, "unsupported-media-type", "The body must be JSON", "send Content-Type: application/json", ""});
  }
  const auto live = ctx_.rules.info();
  const auto& rules = *live.rules;
  auto parsed = parse_intake(req.body(), rules);
  if (auto* p = std::get_if<Problem>(&parsed)) co_return problem_response(req, *p);
  auto& intake = std::get<IntakeRequest>(parsed);

  const std::int64_t now_ms = ctx_.clock->now_ms();
  if (const auto kb = intake.disposition_args.find("kb"); kb != intake.disposition_args.end()) {
    const auto* entry = rules.knowledge().find(kb->second);  // parse_intake found it
    if (entry != nullptr && !entry->valid_on(today(now_ms))) {
      co_return problem_response(req, bad_field("kb", "knowledge entry '" + entry->id + "' was valid until " +
                                                          routing::format_day(*entry->valid_until)));
    }
  }
  const routing::Decision decision = routing::route(intake.ticket, rules);
  if (ctx_.metrics) (decision.rule ? ctx_.metrics->routed_by_rule : ctx_.metrics->routed_fallback).fetch_add(1);
  json::object decision_json = decision_to_json(decision, rules);
  const auto knowledge = suggest_knowledge(intake.ticket, decision, rules, now_ms);
  // The text, for the likely-duplicate check after the commit (intake moves it into the new ticket).
  const bool look_for_duplicates = ctx_.duplicate_days > 0 && !decision.matter.empty() && !decision.area.empty();
  const std::string content = look_for_duplicates ? intake.ticket.content : std::string();
  auto opened = co_await cases_.open(std::move(intake), decision, json::serialize(decision_json), live, actor_of(who));
  if (!opened) co_return case_failure(req, opened.error(), "", "The ticket could not be stored");
  const std::string state(routing::to_string(opened->state.state));
  if (ctx_.metrics) ctx_.metrics->tickets.add(state, 1);
  json::object body = std::move(decision_json);
  body["id"] = opened->id;
  body["state"] = state;
  body["rules_version"] = rules.version();
  body["received_at"] = opened->received.rfc3339;
  // The full case view (clocks, working days left) is one GET away; intake answers lean, it is the hot path.
  if (const auto* lead = opened->state.lead()) {
    body["sign_for_due_at"] = local_stamp_ms(lead->sign_for_due.ms).rfc3339;
    body["reply_due_at"] = local_stamp_ms(lead->reply_due.ms).rfc3339;
    body["provisional"] = lead->reply_due.provisional || lead->sign_for_due.provisional;
  }
  if (opened->caller_history) {
    // A repeat caller: the operator sees the caller's tickets of the last 90 days (this one not included).
    json::array ids;
    for (const auto& id : *opened->caller_history) ids.emplace_back(id);
    body["caller_history"] = {{"count", ids.size()}, {"tickets", std::move(ids)}};
  }
  if (!knowledge.empty()) body["knowledge"] = knowledge_to_json(knowledge, rules);
  // The citizen's 查询码, told to the caller with the ticket number; only its keyed hash is stored.
  if (!opened->lookup_code.empty()) body["lookup_code"] = opened->lookup_code;
  if (look_for_duplicates) {
    // Open tickets of the same matter and area whose words are much alike: the operator may merge this one. Read
    // after the commit through a reader, here: a suggestion needs no transaction, so the writer thread never
    // compares texts, and the work is bounded (one index range of at most k_duplicate_candidates rows, about
    // 0.1 ms), so it does not wait behind searches on the read pool. A failed read costs the suggestion only.
    const auto found = [&]() -> storage::Result<std::vector<LikelyDuplicate>> {
      auto lease = ctx_.readers.acquire();
      if (!lease) return lease.error();
      return find_likely_duplicates(**lease, opened->id, content, decision.matter, decision.area, now_ms,
                                    ctx_.duplicate_days);
    }();
    if (!found) {
      spdlog::warn("likely duplicates of {} not looked up: {}", opened->id, found.error().message);
    } else if (!found->empty()) {
      json::array dups;
      for (const auto& d : *found) dups.push_back({{"id", d.id}, {"similarity", std::round(d.similarity * 100) / 100}});
      body["likely_duplicates"] = std::move(dups);
    }
  }
  auto res = make_response(req, http::status::created, json::serialize(body));
  res.set(http::field::location, "/v1/tickets/" + opened->id);
  co_return res;
}

Response Api::case_failure(const Request& req, const CaseError& error, const std::string& id,
                           std::string_view storing) const {
  switch (error.kind) {
    case CaseFailure::not_found:
      return problem_response(req, {404, "not-found", "No such ticket", "no ticket with id " + id, ""});
    case CaseFailure::refused:
      return refusal_response(req, *error.refusal);
    case CaseFailure::storage:
      break;
  }
  return problem_response(req, storage_problem(error.storage, std::string(storing)));
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

Response Api::get_rules(const Request& req, const Principal& who) {
  for (const auto& [key, value] : parse_query(req.target())) {
    return problem_response(req, bad_field(key, "unknown query parameter"));
  }
  auto body = rules_json(ctx_.rules.info());
  // Where the rules live on the server is for those who manage it.
  if (who.role == CallerRole::admin || who.role == CallerRole::local) body["dir"] = ctx_.rules.dir();
  return make_response(req, http::status::ok, json::serialize(body));
}

Response Api::explain_route(const Request& req) {
  if (!is_json_content_type(req[http::field::content_type])) {
    return problem_response(
        req, {415, "unsupported-media-type", "The body must be JSON", "send Content-Type: application/json", ""});
  }
  const auto rules = ctx_.rules.get();
  auto parsed = parse_intake(req.body(), *rules);
  if (auto* p = std::get_if<Problem>(&parsed)) return problem_response(req, *p);
  const auto& ticket = std::get<IntakeRequest>(parsed).ticket;
  const auto decision = routing::route(ticket, *rules, {.explain = true});
  auto body = decision_to_json(decision, *rules);
  body["rules_version"] = rules->version();
  const auto knowledge = suggest_knowledge(ticket, decision, *rules, ctx_.clock->now_ms());
  if (!knowledge.empty()) body["knowledge"] = knowledge_to_json(knowledge, *rules);
  return make_response(req, http::status::ok, json::serialize(body));
}

Response Api::search_knowledge(const Request& req) {
  auto parsed = parse_knowledge_query(req.target());
  if (auto* p = std::get_if<Problem>(&parsed)) return problem_response(req, *p);
  const auto& q = std::get<KnowledgeQuery>(parsed);
  const auto rules = ctx_.rules.get();
  if (!q.matter.empty() && rules->find_matter(q.matter) == nullptr) {
    return problem_response(req, bad_field("matter", "no matter '" + q.matter + "' in the catalogue"));
  }
  const auto found = rules->knowledge().search(q.text, today(ctx_.clock->now_ms()), q.matter, q.limit);
  json::object body{
      {"entries", knowledge_to_json(found, *rules)}, {"count", found.size()}, {"rules_version", rules->version()}};
  return make_response(req, http::status::ok, json::serialize(body));
}

namespace {

json::object golden_json(const GoldenCheck& g) {
  return {{"cases", g.cases}, {"failed", g.failures.size()}, {"forced", g.forced}};
}

}  // namespace

boost::asio::awaitable<Response> Api::reload_rules(const Request& req) {
  auto mode = ReloadMode::checked;
  for (const auto& [key, value] : parse_query(req.target())) {
    if (key != "force") co_return problem_response(req, bad_field(key, "unknown query parameter"));
    if (value != "true" && value != "false")
      co_return problem_response(req, bad_field("force", "must be true or false"));
    if (value == "true") mode = ReloadMode::forced;
  }
  // Compiling takes from 100 ms to seconds, and a new calendar recomputes provisional deadlines: all of it on the
  // blocking pool, so the I/O threads go on serving while it runs.
  struct Reloaded {
    ReloadOutcome outcome;
    RecomputeSummary recomputed;
  };
  auto [outcome, recomputed] = co_await run_off_thread(ctx_.blocking, [this, mode] {
    Reloaded r{ctx_.rules.reload(mode), {}};
    if (r.outcome.ok) {
      spdlog::info("rules reloaded over HTTP: version {} in {:.0f} ms", r.outcome.info.rules->version(),
                   r.outcome.info.load_ms);
      if (r.outcome.golden.forced) {
        spdlog::warn("rules reload forced (?force=true): version {} is live although {} of {} golden case(s) fail",
                     r.outcome.info.rules->version(), r.outcome.golden.failures.size(), r.outcome.golden.cases);
        for (const auto& f : r.outcome.golden.failures) spdlog::warn("  {}", f);
      }
      // A newer calendar settles provisional deadlines before the answer (a durable job: see escalation/).
      r.recomputed = bring_deadlines_to_calendar(ctx_.writer, r.outcome.info,
                                                 local_stamp_ms(ctx_.clock->now_ms()).unix_ms, ctx_.escalation);
      if (ctx_.escalation != nullptr) ctx_.escalation->rules_reloaded();
    }
    return r;
  });
  if (outcome.ok) {
    auto body = rules_json(outcome.info);
    body["reloaded"] = true;
    body["golden_cases"] = golden_json(outcome.golden);
    body["deadlines_recomputed"] = {{"tickets_checked", recomputed.tickets_checked},
                                    {"tickets_changed", recomputed.tickets_changed},
                                    {"changes", recomputed.changes}};
    if (!recomputed.error.empty()) body["deadlines_recomputed"].as_object()["error"] = recomputed.error;
    co_return make_response(req, http::status::ok, json::serialize(body));
  }
  json::array errors;
  for (const auto& d : outcome.diagnostics) errors.push_back(json::string(d.to_string()));
  const bool golden_only = !outcome.golden.failures.empty();
  spdlog::error("rules reload refused ({} problem(s){}); version {} stays live", errors.size(),
                golden_only ? ", failing golden cases" : "", outcome.info.rules->version());
  for (const auto& e : errors) spdlog::error("  {}", e.as_string().c_str());
  json::object body;
  if (golden_only) {
    body = {{"type", "urn:hotline:problem:golden-cases-failed"},
            {"title", "The new rules fail their own golden cases; the current rules stay live"},
            {"status", 422},
            {"detail", std::to_string(outcome.golden.failures.size()) + " of " + std::to_string(outcome.golden.cases) +
                           " golden case(s) fail; POST /v1/admin/reload?force=true installs the rules anyway"},
            {"golden_cases", golden_json(outcome.golden)}};
  } else {
    body = {{"type", "urn:hotline:problem:invalid-rules"},
            {"title", "The new rules are invalid; the current rules stay live"},
            {"status", 422},
            {"detail", std::to_string(errors.size()) + " problem(s) in " + ctx_.rules.dir()}};
  }
  body["errors"] = std::move(errors);
  body["live_version"] = outcome.info.rules->version();
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

bool Api::unit_may_see(const std::string& unit, const routing::Case& c) const {
  return std::any_of(c.assignments.begin(), c.assignments.end(), [&](const routing::Assignment& a) {
    return unit_within(unit, a.unit) || (!a.handler.empty() && unit_within(unit, a.handler));
  });
}

boost::asio::awaitable<Response> Api::get_ticket(const Request& req, const std::string& id, const Principal& who) {
  const bool well_formed = id.size() <= 40 && std::all_of(id.begin(), id.end(), [](char c) {
                             return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
                           });
  if (!well_formed) co_return problem_response(req, {404, "not-found", "No such ticket", "malformed ticket id", ""});
  for (const auto& [key, value] : parse_query(req.target())) {
    co_return problem_response(req, bad_field(key, "unknown query parameter"));
  }
  storage::Result<std::optional<storage::StoredTicket>> found = std::optional<storage::StoredTicket>{};
  {
    // The read connection goes back to the pool before the answer may wait for the writer (access log).
    auto lease = ctx_.readers.acquire();
    if (!lease) {
      co_return problem_response(req, storage_problem(lease.error(), "The database cannot be read"));
    }
    found = (*lease)->find_ticket(id);
  }
  if (!found) {
    co_return problem_response(req, storage_problem(found.error(), "The database cannot be read"));
  }
  // A unit sees tickets assigned to it or to the units below it, and nothing else: any other ticket is "no such
  // ticket", whether it exists or not, so ids cannot be probed.
  if (!*found || (who.role == CallerRole::unit && !unit_may_see(who.unit_id, replay_ticket(**found)))) {
    co_return problem_response(req, {404, "not-found", "No such ticket", "no ticket with id " + id, ""});
  }
  // A confidential ticket's caller is withheld from unit tokens (access/caller_view).
  const bool show_caller = caller_view(who.role, (*found)->confidential) == CallerView::shown;
  auto body = ticket_to_json(**found, show_caller);
  const auto live = ctx_.rules.info();
  const auto now_ms = local_stamp_ms(ctx_.clock->now_ms()).unix_ms;
  body["case"] = case_to_json(replay_ticket(**found), *live.calendar, now_ms, utc_offset_minutes(now_ms));
  std::string text = json::serialize(body);
  // An answer that shows a caller is sent only once its access-log row is committed.
  if (carries_caller(**found, show_caller)) {
    if (auto logged = co_await log_caller_read(who, id, "GET /v1/tickets/{id}"); !logged) {
      spdlog::error("caller access log: cannot record a read of ticket {}: {}", id, logged.error().message);
      co_return problem_response(
          req,
          {503, "access-log-unavailable", "The caller's details cannot be shown now",
           "every read of a caller's name or phone is logged, and the log cannot be written: " + logged.error().message,
           ""});
    }
  }
  co_return make_response(req, http::status::ok, std::move(text));
}

Response Api::public_status(const Request& req, const std::string& id, const Peer& peer) {
  // One answer for an unknown ticket, a ticket without a code and a wrong code, so neither ids nor codes can be
  // told apart; the code is compared in constant time, and a look-up costs the same work whatever the id.
  const auto no_such = [&] {
    return problem_response(req,
                            {404, "not-found", "No such ticket or wrong lookup code",
                             "check the ticket number and the lookup code (查询码) given when it was taken in", ""});
  };
  std::int64_t retry_ms = 0;
  if (ctx_.public_rate != nullptr && !ctx_.public_rate->allow(peer.address, ctx_.clock->now_ms(), &retry_ms)) {
    auto res = problem_response(
        req, {429, "too-many-requests", "Too many look-ups from this address", "wait before asking again", ""});
    res.set(http::field::retry_after, std::to_string((retry_ms + 999) / 1000));
    return res;
  }
  std::string code;
  for (const auto& [key, value] : parse_query(req.target())) {
    if (key != "code") return problem_response(req, bad_field(key, "unknown query parameter"));
    code = value;
  }
  if (code.empty()) return problem_response(req, bad_field("code", "is required: the lookup code (查询码)"));
  if (ctx_.lookup == nullptr) return no_such();
  const bool well_formed = id.size() <= 40 && std::all_of(id.begin(), id.end(), [](char c) {
                             return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
                           });
  auto lease = ctx_.readers.acquire();
  if (!lease) return problem_response(req, storage_problem(lease.error(), "The database cannot be read"));
  auto stored_hash = (*lease)->lookup_hash(well_formed ? id : std::string());
  if (!stored_hash) return problem_response(req, storage_problem(stored_hash.error(), "The database cannot be read"));
  if (!ctx_.lookup->matches(code, stored_hash->value_or(""))) return no_such();
  auto found = (*lease)->find_ticket(id);
  if (!found) return problem_response(req, storage_problem(found.error(), "The database cannot be read"));
  if (!*found) return no_such();
  const auto live = ctx_.rules.info();
  const auto body = public_status_json(**found, replay_ticket(**found), *live.rules);
  return make_response(req, http::status::ok, json::serialize(body));
}

}  // namespace hotline::daemon
