// The rule set's directories for a terminal's pickers: GET /v1/units (the unit directory, or the units directly
// below one), GET /v1/matters (the matter catalogue) and GET /v1/divisions (the gazetteer), all from the live set.
#include <algorithm>
#include <boost/json.hpp>

#include "daemon/api/api.hpp"
#include "daemon/api/query_params.hpp"
#include "daemon/http/query_string.hpp"
#include "routing/keyword_matcher.hpp"

namespace hotline::daemon {
namespace json = boost::json;

namespace {

bool plain_text(std::string_view value) {
  return routing::is_valid_utf8(value) &&
         std::none_of(value.begin(), value.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

bool digits(std::string_view value) {
  return !value.empty() && std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
}

json::object unit_json(const routing::Unit& u) {
  json::array areas;
  for (const auto& a : u.areas) areas.emplace_back(a);
  json::object out{{"id", u.id}, {"name", u.name}, {"kind", u.kind}, {"areas", std::move(areas)}};
  out["level"] = u.level ? json::value(routing::to_string(*u.level)) : json::value(nullptr);
  if (!u.parent.empty()) out["parent"] = u.parent;
  return out;
}

// The division a code lies in: the longest shorter code of the gazetteer that starts it ("" for a top one).
std::string division_parent(const routing::RuleSet& rules, const std::string& code) {
  for (auto n = code.size(); n-- > 1;) {
    if (rules.find_division(std::string_view(code).substr(0, n)) != nullptr) return code.substr(0, n);
  }
  return "";
}

}  // namespace

Response Api::get_units(const Request& req) {
  const auto rules = ctx_.rules.get();
  std::string parent, text, after;
  bool below = false;
  int limit = 100;
  for (const auto& [key, value] : parse_query(req.target())) {
    if (key == "parent") {
      if (rules->find_unit(value) == nullptr) return problem_response(req, bad_field("parent", "no such unit"));
      parent = value;
      below = true;
    } else if (key == "q") {
      if (value.empty() || !plain_text(value)) {
        return problem_response(req, bad_field("q", "must be non-empty UTF-8 text without control characters"));
      }
      if (value.size() > 200) return problem_response(req, bad_field("q", "must be at most 200 bytes"));
      text = value;
    } else if (key == "limit") {
      const auto n = parse_limit(value);
      if (!n) return problem_response(req, bad_field("limit", "must be 1 to 500"));
      limit = *n;
    } else if (key == "cursor") {
      if (value.empty() || value.size() > 200 || !plain_text(value)) {
        return problem_response(req, bad_field("cursor", "malformed cursor"));
      }
      after = value;
    } else {
      return problem_response(req, bad_field(key, "unknown query parameter"));
    }
  }
  // In id order; the cursor is the last id of the previous page.
  std::vector<const routing::Unit*> units;
  for (const auto& u : rules->units()) {
    if (below && u.parent != parent) continue;
    if (!text.empty() && u.id.find(text) == std::string::npos && u.name.find(text) == std::string::npos) continue;
    if (!after.empty() && u.id <= after) continue;
    units.push_back(&u);
  }
  std::sort(units.begin(), units.end(), [](const auto* a, const auto* b) { return a->id < b->id; });
  json::array items;
  const auto n = std::min(units.size(), static_cast<std::size_t>(limit));
  for (std::size_t i = 0; i < n; ++i) items.push_back(unit_json(*units[i]));
  json::object body{{"items", std::move(items)}, {"rules_version", rules->version()}};
  if (units.size() > n) body["next_cursor"] = units[n - 1]->id;  // absent on the last page, as in every list
  return make_response(req, http::status::ok, json::serialize(body));
}

Response Api::get_matters(const Request& req) {
  for (const auto& [key, value] : parse_query(req.target())) {
    return problem_response(req, bad_field(key, "unknown query parameter"));
  }
  const auto rules = ctx_.rules.get();
  std::vector<const routing::Matter*> matters;
  for (const auto& m : rules->matters()) matters.push_back(&m);
  std::sort(matters.begin(), matters.end(), [](const auto* a, const auto* b) { return a->code < b->code; });
  json::array items;
  for (const auto* m : matters) {
    // Codes are two digits a level: "01" a top class, "0101" a sub-class, "010101" a leaf.
    json::object item{{"code", m->code}, {"name", m->name}, {"level", static_cast<int>(m->code.size() + 1) / 2}};
    item["parent"] = m->code.size() > 2 ? json::value(m->code.substr(0, m->code.size() - 2)) : json::value(nullptr);
    if (m->functional) item["owner"] = "functional";
    item["keywords"] = static_cast<std::int64_t>(m->keywords.size());
    items.push_back(std::move(item));
  }
  json::object body{{"items", std::move(items)}, {"rules_version", rules->version()}};
  return make_response(req, http::status::ok, json::serialize(body));
}

Response Api::get_divisions(const Request& req) {
  const auto rules = ctx_.rules.get();
  std::string parent;
  bool below = false;
  for (const auto& [key, value] : parse_query(req.target())) {
    if (key != "parent") return problem_response(req, bad_field(key, "unknown query parameter"));
    if (!digits(value) || rules->find_division(value) == nullptr) {
      return problem_response(req, bad_field("parent", "no such division code"));
    }
    parent = value;
    below = true;
  }
  std::vector<std::pair<std::string, const routing::Division*>> found;
  for (const auto& d : rules->divisions()) {
    auto up = division_parent(*rules, d.code);
    if (below ? up == parent : up.empty()) found.emplace_back(std::move(up), &d);
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.second->code < b.second->code; });
  json::array items;
  for (const auto& [up, d] : found) {
    json::object item{{"code", d->code}, {"name", d->name}};
    item["parent"] = up.empty() ? json::value(nullptr) : json::value(up);
    items.push_back(std::move(item));
  }
  json::object body{{"items", std::move(items)}, {"rules_version", rules->version()}};
  return make_response(req, http::status::ok, json::serialize(body));
}

}  // namespace hotline::daemon
