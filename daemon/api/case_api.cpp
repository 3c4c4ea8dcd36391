// The case endpoints of Api: actions on a ticket, unit queues, search.
#include <algorithm>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <chrono>

#include "daemon/api/api.hpp"
#include "daemon/api/query_params.hpp"
#include "daemon/cases/case_context.hpp"
#include "daemon/http/query_string.hpp"
#include "daemon/runtime/local_time.hpp"
#include "daemon/runtime/off_thread.hpp"
#include "daemon/wire/case_codec.hpp"
#include "routing/deadline.hpp"
#include "routing/keyword_matcher.hpp"

namespace hotline::daemon {
namespace json = boost::json;

boost::asio::awaitable<Response> Api::post_action(const Request& req, const Principal& who, const std::string& id,
                                                  const std::string& action) {
  const auto& actions = routing::case_actions();
  if (std::find(actions.begin(), actions.end(), action) == actions.end()) {
    co_return problem_response(req, {404, "not-found", "No such action", "no action '" + action + "' on tickets", ""});
  }
  routing::Command command{action, {}};
  auto parsed = optional_json_object(req);
  if (auto* p = std::get_if<Problem>(&parsed)) co_return problem_response(req, *p);
  const auto known = routing::action_arguments(action);
  for (const auto& kv : std::get<json::object>(parsed)) {
    if (std::find(known.begin(), known.end(), std::string_view(kv.key())) == known.end()) {
      std::string takes;
      for (const auto k : known) takes += (takes.empty() ? "" : ", ") + std::string(k);
      co_return problem_response(
          req,
          bad_field(std::string(kv.key()), "unknown argument for " + action +
                                               (takes.empty() ? " (it takes none)" : " (it takes " + takes + ")")));
    }
    // Each argument has one JSON type: a number or a boolean sent as text (or the other way) is refused, not
    // converted into something the caller did not write.
    const auto& v = kv.value();
    const std::string key(kv.key());
    switch (routing::argument_type(key)) {
      case routing::ArgumentType::whole_number:
        if (!v.is_int64() && !v.is_uint64()) co_return problem_response(req, bad_field(key, "must be a whole number"));
        command.args[key] = json::serialize(v);
        break;
      case routing::ArgumentType::yes_no:
        if (!v.is_bool()) co_return problem_response(req, bad_field(key, "must be true or false"));
        command.args[key] = v.as_bool() ? "true" : "false";
        break;
      case routing::ArgumentType::text:
        if (!v.is_string()) co_return problem_response(req, bad_field(key, "must be a string"));
        command.args[key] = std::string(v.as_string());
        break;
    }
  }
  // A unit acts only on tickets it may see; any other is "no such ticket", whether it exists or not.
  CaseTransactions::Visible visible;
  if (who.role == CallerRole::unit) {
    visible = [this, unit = who.unit_id](const routing::Case& c) { return unit_may_see(unit, c); };
  }
  auto moved = co_await cases_.act(id, std::move(command), actor_of(who, action), std::move(visible));
  if (!moved) co_return case_failure(req, moved.error(), id, "The change could not be stored");
  if (ctx_.metrics) {
    ctx_.metrics->tickets.moved(moved->before, moved->after.state);
    for (const auto& [before, after] : moved->other_moves) ctx_.metrics->tickets.moved(before, after);
  }
  json::array events;
  for (const auto& e : moved->events) {
    json::object data;
    for (const auto& [k, v] : e.data) data[k] = v;
    events.push_back({{"kind", e.kind}, {"at", local_stamp_ms(e.at_ms).rfc3339}, {"unit", e.unit}, {"data", data}});
  }
  json::object body{{"id", id},
                    {"action", action},
                    {"state", routing::to_string(moved->after.state)},
                    {"events", std::move(events)},
                    {"case", case_to_json(moved->after, *moved->live.calendar, moved->at.unix_ms,
                                          utc_offset_minutes(moved->at.unix_ms))}};
  co_return make_response(req, http::status::ok, json::serialize(body));
}

Response Api::get_queue(const Request& req, const Principal& who, const std::string& unit) {
  const auto rules = ctx_.rules.get();
  if (rules->find_unit(unit) == nullptr) {
    return problem_response(req, {404, "not-found", "No such unit", "no unit " + unit + " in the directory", ""});
  }
  if (who.role == CallerRole::unit && !unit_within(who.unit_id, unit)) {
    return forbidden(req, "a unit token reads only its own queue and those of the units below it");
  }
  const auto params = parse_query(req.target());
  storage::QueueQuery q;
  q.unit_id = unit;
  const auto now_ms = local_stamp_ms(ctx_.clock->now_ms()).unix_ms;
  for (const auto& [key, value] : params) {
    if (key == "state") {
      if (!routing::parse_case_state(value))
        return problem_response(req, bad_field("state", "unknown state '" + value + "'"));
      q.state = value;
      q.include_closed = !routing::is_open(*routing::parse_case_state(value));
    } else if (key == "due_before") {
      const auto ms = parse_caller_instant(value);
      if (!ms) {
        return problem_response(
            req, bad_field("due_before", "must be RFC 3339 with a date from " + std::string(k_date_window)));
      }
      q.due_before_ms = *ms;
    } else if (key == "overdue") {
      if (value != "true" && value != "false")
        return problem_response(req, bad_field("overdue", "must be true or false"));
      if (value == "true") q.due_before_ms = q.due_before_ms ? std::min(*q.due_before_ms, now_ms) : now_ms;
    } else if (key == "limit") {
      const auto n = parse_limit(value);
      if (!n) return problem_response(req, bad_field("limit", "must be 1 to 500"));
      q.limit = *n;
    } else if (key == "cursor") {
      q.after = parse_queue_cursor(value);
      if (!q.after) return problem_response(req, bad_field("cursor", "malformed cursor"));
    } else {
      return problem_response(req, bad_field(key, "unknown query parameter"));
    }
  }
  auto lease = ctx_.readers.acquire();
  if (!lease) return problem_response(req, storage_problem(lease.error(), "The database cannot be read"));
  auto rows = (*lease)->queue(q);
  if (!rows) return problem_response(req, storage_problem(rows.error(), "The database cannot be read"));
  const auto live = ctx_.rules.info();
  const int offset = utc_offset_minutes(now_ms);
  json::array items;
  for (const auto& r : *rows) {
    json::object item{{"id", r.ticket_id},
                      {"state", r.state},
                      {"received_at", r.received_at},
                      {"type", r.type},
                      {"content", r.content},
                      {"unit", r.unit_id},
                      {"lead", r.lead},
                      {"assignment_state", r.assignment_state},
                      {"reply_due_at", local_stamp_ms(r.reply_due_ms).rfc3339},
                      {"overdue", now_ms >= r.reply_due_ms},
                      {"working_days_left", routing::working_days_left(*live.calendar, now_ms, r.reply_due_ms, offset)},
                      {"stage", r.stage}};
    if (r.handler_id) item["handler"] = *r.handler_id;
    items.push_back(std::move(item));
  }
  json::object body{{"unit", unit}, {"items", std::move(items)}};
  if (rows->size() == static_cast<std::size_t>(q.limit)) {
    body["next_cursor"] = std::to_string(rows->back().reply_due_ms) + "." + rows->back().ticket_id;
  }
  return make_response(req, http::status::ok, json::serialize(body));
}

boost::asio::awaitable<Response> Api::get_unit_counts(const Request& req, const Principal& who,
                                                      const std::string& unit) {
  const auto rules = ctx_.rules.get();
  if (rules->find_unit(unit) == nullptr) {
    co_return problem_response(req, {404, "not-found", "No such unit", "no unit " + unit + " in the directory", ""});
  }
  if (who.role == CallerRole::unit && !unit_within(who.unit_id, unit)) {
    co_return forbidden(req, "a unit token reads only its own counts and those of the units below it");
  }
  if (const auto params = parse_query(req.target()); !params.empty()) {
    co_return problem_response(req, bad_field(params.front().first, "unknown query parameter"));
  }
  const auto now_ms = local_stamp_ms(ctx_.clock->now_ms()).unix_ms;
  // A unit with many open tickets counts for a while: on the read pool, never an I/O thread.
  auto counted = co_await run_off_thread(ctx_.reads, [this, &unit, now_ms]() -> storage::Result<storage::UnitCounts> {
    auto lease = ctx_.readers.acquire();
    if (!lease) return lease.error();
    return (*lease)->unit_counts(unit, now_ms);
  });
  if (!counted) co_return problem_response(req, storage_problem(counted.error(), "The database cannot be read"));
  json::object states;
  std::int64_t open = 0;
  for (const auto& [state, n] : counted->by_state) {
    states[state] = n;
    open += n;
  }
  json::object body{{"unit", unit}, {"open", open}, {"states", std::move(states)}, {"overdue", counted->overdue}};
  co_return make_response(req, http::status::ok, json::serialize(body));
}

Response Api::get_desk_queue(const Request& req, const Principal& who) {
  const auto rules = ctx_.rules.get();
  const auto& desk = rules->fallback();
  if (who.role == CallerRole::unit && !unit_within(who.unit_id, desk.id)) {
    return forbidden(req, "a unit token reads the desk's queue only when it is the desk's own");
  }
  storage::QueueQuery q;
  q.unit_id = desk.id;
  q.oldest_first = true;
  for (const auto& [key, value] : parse_query(req.target())) {
    if (key == "limit") {
      const auto n = parse_limit(value);
      if (!n) return problem_response(req, bad_field("limit", "must be 1 to 500"));
      q.limit = *n;
    } else if (key == "cursor") {
      q.after = parse_queue_cursor(value);
      if (!q.after) return problem_response(req, bad_field("cursor", "malformed cursor"));
    } else {
      return problem_response(req, bad_field(key, "unknown query parameter"));
    }
  }
  const auto now_ms = local_stamp_ms(ctx_.clock->now_ms()).unix_ms;
  auto lease = ctx_.readers.acquire();
  if (!lease) return problem_response(req, storage_problem(lease.error(), "The database cannot be read"));
  auto rows = (*lease)->queue(q);
  if (!rows) return problem_response(req, storage_problem(rows.error(), "The database cannot be read"));
  json::array items;
  for (const auto& r : *rows) {
    // The desk's assignment carries its dispatch limit (派单时限) as its reply deadline.
    items.push_back({{"id", r.ticket_id},
                     {"state", r.state},
                     {"received_at", r.received_at},
                     {"type", r.type},
                     {"content", r.content},
                     {"waiting_since", local_stamp_ms(r.dispatched_ms).rfc3339},
                     {"dispatch_due_at", local_stamp_ms(r.reply_due_ms).rfc3339},
                     {"overdue", now_ms >= r.reply_due_ms}});
  }
  json::object body{{"unit", desk.id}, {"name", desk.name}, {"items", std::move(items)}};
  if (rows->size() == static_cast<std::size_t>(q.limit)) {
    body["next_cursor"] = std::to_string(rows->back().dispatched_ms) + "." + rows->back().ticket_id;
  }
  return make_response(req, http::status::ok, json::serialize(body));
}

namespace {

// The search answer's body: the rows, and the cursor of the next page when this one is full.
std::string search_body(const std::vector<storage::SearchRow>& rows, int limit, const routing::RuleSet& rules) {
  json::array items;
  for (const auto& r : rows) {
    // A lead other than the first routing's unit is named from the rules (its id when they no longer have it).
    const auto* unit = r.unit_name.empty() ? rules.find_unit(r.unit_id) : nullptr;
    items.push_back({{"id", r.ticket_id},
                     {"state", r.state},
                     {"received_at", r.received_at},
                     {"type", r.type},
                     {"content", r.content},
                     {"unit", {{"id", r.unit_id}, {"name", unit ? unit->name : r.unit_name}}}});
  }
  json::object body{{"items", std::move(items)}};
  if (rows.size() == static_cast<std::size_t>(limit)) body["next_cursor"] = rows.back().ticket_id;
  return json::serialize(body);
}

}  // namespace

boost::asio::awaitable<Response> Api::search_tickets(const Request& req, const Principal& who) {
  auto parsed = parse_search_query(req.target(), ctx_.callers);
  if (const auto* p = std::get_if<Problem>(&parsed)) co_return problem_response(req, *p);
  auto& q = std::get<storage::SearchQuery>(parsed);
  if (q.unit_id && ctx_.rules.get()->find_unit(*q.unit_id) == nullptr) {
    co_return problem_response(req, bad_field("unit", "no unit '" + *q.unit_id + "' in the directory"));
  }
  if (who.role == CallerRole::unit && q.caller_key) {
    // A phone look-up would tell a unit whether a confidential ticket's caller has a given number.
    co_return forbidden(req, "searching by a caller's phone is for the hotline (operator, supervisor, admin)");
  }
  if (who.role == CallerRole::unit) {
    // A unit searches its own tickets (or, read-only, those of a unit below it).
    if (q.unit_id && !unit_within(who.unit_id, *q.unit_id)) {
      co_return forbidden(req, "a unit token searches only its own tickets and those of the units below it");
    }
    if (!q.unit_id) {
      // Without `unit`: every ticket it may see, its own and those of the units below it.
      const auto rules = ctx_.rules.get();
      for (const auto& u : rules->units()) {
        if (daemon::unit_within(*rules, who.unit_id, u.id)) q.unit_ids.push_back(u.id);
      }
      if (q.unit_ids.empty()) q.unit_ids.push_back(who.unit_id);  // a unit the rules no longer have
    }
  }
  // On the read pool, never an I/O thread: a scan of every ticket takes long on a large database. The pool's
  // threads bound how many searches (and feed replay pages) read at once; the rest wait their turn there. Each
  // search is stopped after search.timeout_ms.
  const auto rules = ctx_.rules.get();  // names a lead unit other than the first routing's
  auto found =
      co_await run_off_thread(ctx_.reads, [this, query = &q, set = rules.get()]() -> storage::Result<std::string> {
        auto lease = ctx_.readers.acquire();
        if (!lease) return lease.error();
        auto rows = (*lease)->search(*query, ctx_.search_timeout);
        if (!rows) return rows.error();
        return search_body(*rows, query->limit, *set);
      });
  if (!found && found.error().category == storage::ErrorCategory::over_budget) {
    co_return problem_response(
        req, {503, "search-too-long", "The search took too long",
              "it was stopped after search.timeout_ms (" + std::to_string(ctx_.search_timeout.count()) +
                  " ms); narrow it: a q of 3 characters or more uses the index, and state, unit, from and to "
                  "cut it down",
              ""});
  }
  if (!found) co_return problem_response(req, storage_problem(found.error(), "The search could not run"));
  co_return make_response(req, http::status::ok, std::move(*found));
}

}  // namespace hotline::daemon
