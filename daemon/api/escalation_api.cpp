// The supervisors' board of Api: GET /v1/escalations (open clocks by the stage they reached) and
// GET /v1/escalations/counts (per unit and stage). Both read the partial index of fired stages.
#include <boost/json.hpp>
#include <map>

#include "daemon/api/api.hpp"
#include "daemon/api/query_params.hpp"
#include "daemon/http/query_string.hpp"
#include "daemon/runtime/local_time.hpp"
#include "routing/escalation_stages.hpp"
#include "storage/escalation_store.hpp"

namespace hotline::daemon {
namespace json = boost::json;

Response Api::get_escalations(const Request& req, const Principal& who) {
  storage::EscalationQuery q;
  for (const auto& [key, value] : parse_query(req.target())) {
    if (key == "stage") {
      if (!routing::parse_stage(value)) {
        return problem_response(req, bad_field("stage", "must be yellow, red, urge or supervise"));
      }
      q.stage = value;
    } else if (key == "unit") {
      q.unit_id = value;
    } else if (key == "limit") {
      const auto n = parse_limit(value);
      if (!n) return problem_response(req, bad_field("limit", "must be 1 to 500"));
      q.limit = *n;
    } else if (key == "cursor") {
      q.after = parse_escalation_cursor(value);  // due_ms~ticket~unit~clock, as given in next_cursor
      if (!q.after) return problem_response(req, bad_field("cursor", "malformed cursor"));
    } else {
      return problem_response(req, bad_field(key, "unknown query parameter"));
    }
  }
  if (q.unit_id && ctx_.rules.get()->find_unit(*q.unit_id) == nullptr) {
    return problem_response(req, bad_field("unit", "no unit '" + *q.unit_id + "' in the directory"));
  }
  if (who.role == CallerRole::unit) {
    // A unit sees its own escalations, or those of a unit below it.
    if (q.unit_id && !unit_within(who.unit_id, *q.unit_id)) {
      return forbidden(req, "a unit token reads only its own escalations and those of the units below it");
    }
    if (!q.unit_id) q.unit_id = who.unit_id;
  }
  auto lease = ctx_.readers.acquire();
  if (!lease) return problem_response(req, storage_problem(lease.error(), "The database cannot be read"));
  storage::EscalationStore& esc = (*lease)->escalations();
  auto rows = esc.escalations(q);
  if (!rows) return problem_response(req, storage_problem(rows.error(), "The database cannot be read"));
  json::array items;
  for (const auto& r : *rows) {
    json::object item{{"ticket_id", r.ticket_id},
                      {"unit", r.unit_id},
                      {"clock", r.clock},
                      {"stage", r.stage},
                      {"due_at", local_stamp_ms(r.due_ms).rfc3339}};
    if (r.next_stage && r.next_ms) {
      item["next_stage"] = *r.next_stage;
      item["next_stage_at"] = local_stamp_ms(*r.next_ms).rfc3339;
    }
    items.push_back(std::move(item));
  }
  json::object body{{"items", std::move(items)}};
  if (rows->size() == static_cast<std::size_t>(q.limit)) {
    const auto& last = rows->back();
    body["next_cursor"] = std::to_string(last.due_ms) + "~" + last.ticket_id + "~" + last.unit_id + "~" + last.clock;
  }
  return make_response(req, http::status::ok, json::serialize(body));
}

Response Api::get_escalation_counts(const Request& req, const Principal& who) {
  std::optional<std::string> unit;
  for (const auto& [key, value] : parse_query(req.target())) {
    if (key == "unit") {
      unit = value;
    } else {
      return problem_response(req, bad_field(key, "unknown query parameter"));
    }
  }
  if (unit && ctx_.rules.get()->find_unit(*unit) == nullptr) {
    return problem_response(req, bad_field("unit", "no unit '" + *unit + "' in the directory"));
  }
  if (who.role == CallerRole::unit) {
    if (unit && !unit_within(who.unit_id, *unit)) {
      return forbidden(req, "a unit token reads only its own escalations and those of the units below it");
    }
    if (!unit) unit = who.unit_id;
  }
  auto lease = ctx_.readers.acquire();
  if (!lease) return problem_response(req, storage_problem(lease.error(), "The database cannot be read"));
  storage::EscalationStore& esc = (*lease)->escalations();
  auto rows = esc.stage_counts(unit);
  if (!rows) return problem_response(req, storage_problem(rows.error(), "The database cannot be read"));
  // {"units": {"350602.cgj": {"yellow": 3, "red": 1}}, "totals": {"yellow": 3, "red": 1}}
  json::object units;
  std::map<std::string, std::int64_t> totals;
  for (const auto& r : *rows) {
    auto& of_unit = units[r.unit_id];
    if (!of_unit.is_object()) of_unit.emplace_object();
    of_unit.as_object()[r.stage] = r.count;
    totals[r.stage] += r.count;
  }
  json::object total;
  for (const auto s : routing::k_stages) total[routing::to_string(s)] = totals[std::string(routing::to_string(s))];
  return make_response(req, http::status::ok,
                       json::serialize(json::object{{"units", std::move(units)}, {"totals", std::move(total)}}));
}

}  // namespace hotline::daemon
