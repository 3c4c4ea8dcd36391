#include "daemon/wire/ticket_json.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "routing/keyword_matcher.hpp"

namespace hotline::daemon {
namespace json = boost::json;
namespace {

constexpr std::size_t k_max_content_bytes = 16 * 1024;
constexpr std::size_t k_max_short_field = 512;

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A control character other than tab and line ends (NUL, escape, DEL …): no citizen writes one, and it would
// end a string early or garble a terminal where the text is shown.
bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto b = static_cast<unsigned char>(c);
    return (b < 0x20 && c != '\t' && c != '\n' && c != '\r') || b == 0x7F;
  });
}

// Reads an optional string member; a Problem when present with another type or too long.
std::optional<Problem> optional_string(const json::object& o, std::string_view key, std::string field,
                                       std::optional<std::string>& out) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_string()) return bad_field(std::move(field), "must be a string");
  const auto& s = v->get_string();
  if (s.size() > k_max_short_field) {
    return bad_field(std::move(field), "must be at most " + std::to_string(k_max_short_field) + " bytes");
  }
  if (has_control(s)) return bad_field(std::move(field), "must not contain control characters");
  out = std::string(s);
  return std::nullopt;
}

std::optional<Problem> check_known_keys(const json::object& o, std::initializer_list<std::string_view> keys,
                                        std::string_view prefix) {
  for (const auto& kv : o) {
    if (std::find(keys.begin(), keys.end(), kv.key()) == keys.end()) {
      return bad_field(std::string(prefix) + std::string(kv.key()), "unknown field");
    }
  }
  return std::nullopt;
}

json::object unit_json(const routing::Unit& u) {
  return {{"id", u.id}, {"name", u.name}};
}

}  // namespace

std::variant<IntakeRequest, Problem> parse_intake(std::string_view body, const routing::RuleSet& rules) {
  if (!routing::is_valid_utf8(body)) {
    return Problem{400, "invalid-utf8", "The request body is not valid UTF-8", "the body must be UTF-8 encoded JSON",
                   ""};
  }
  boost::system::error_code ec;
  json::value doc = json::parse(body, ec);
  if (ec) {
    return Problem{400, "malformed-json", "The request body is not valid JSON", ec.message(), ""};
  }
  if (!doc.is_object()) return bad_field("", "the body must be a JSON object");
  const auto& o = doc.get_object();
  if (auto p = check_known_keys(o,
                                {"content", "type", "urgency", "category", "area", "address", "caller", "channel",
                                 "disposition", "reason", "answer", "kb", "merged_into", "confidential"},
                                "")) {
    return *p;
  }

  IntakeRequest r;
  const auto* content = o.if_contains("content");
  if (content == nullptr || content->is_null()) return bad_field("content", "is required");
  if (!content->is_string()) return bad_field("content", "must be a string");
  if (routing::is_blank(content->get_string())) return bad_field("content", "must not be empty");
  if (has_control(content->get_string())) return bad_field("content", "must not contain control characters");
  if (content->get_string().size() > k_max_content_bytes) {
    return bad_field("content", "must be at most " + std::to_string(k_max_content_bytes) + " bytes");
  }
  r.ticket.content = std::string(content->get_string());

  std::optional<std::string> type, urgency;
  if (auto p = optional_string(o, "type", "type", type)) return *p;
  if (type) {
    const auto t = routing::parse_request_type(*type);
    if (!t) {
      return bad_field("type",
                       "unknown request type '" + *type +
                           "' (complaint, report, help, consultation, suggestion, praise or 投诉 举报 求助 咨询 "
                           "建议 表扬)");
    }
    r.ticket.type = *t;
  }
  if (auto p = optional_string(o, "urgency", "urgency", urgency)) return *p;
  if (urgency) {
    const auto u = routing::parse_urgency(*urgency);
    if (!u)
      return bad_field("urgency", "unknown urgency '" + *urgency + "' (normal, urgent, very_urgent or 一般 紧急 特急)");
    r.ticket.urgency = *u;
  }
  if (auto p = optional_string(o, "channel", "channel", r.channel)) return *p;
  if (r.channel && !routing::is_channel(*r.channel)) {
    return bad_field("channel", "unknown channel '" + *r.channel + "' (" + routing::channel_list() + ")");
  }
  if (auto p = optional_string(o, "category", "category", r.category)) return *p;
  if (r.category) {
    if (!all_digits(*r.category)) return bad_field("category", "must be a matter code (digits)");
    if (!rules.matters().empty() && rules.find_matter(*r.category) == nullptr) {
      return bad_field("category", "unknown matter code '" + *r.category + "'");
    }
  }
  if (auto p = optional_string(o, "area", "area", r.area)) return *p;
  if (r.area) {
    if (!all_digits(*r.area) || r.area->size() > 12)
      return bad_field("area", "must be a division code (up to 12 digits)");
    if (!rules.divisions().empty() && rules.find_division(*r.area) == nullptr) {
      return bad_field("area", "unknown division code '" + *r.area + "'");
    }
  }
  if (auto p = optional_string(o, "address", "address", r.address)) return *p;
  if (const auto* caller = o.if_contains("caller"); caller != nullptr && !caller->is_null()) {
    if (!caller->is_object()) return bad_field("caller", "must be an object with name and phone");
    const auto& c = caller->get_object();
    if (auto p = check_known_keys(c, {"name", "phone"}, "caller.")) return *p;
    if (auto p = optional_string(c, "name", "caller.name", r.caller_name)) return *p;
    if (auto p = optional_string(c, "phone", "caller.phone", r.caller_phone)) return *p;
    if (r.caller_phone) {
      const auto& phone = *r.caller_phone;
      const bool ok = phone.size() >= 3 && phone.size() <= 20 && std::all_of(phone.begin(), phone.end(), [](char ch) {
                        return (ch >= '0' && ch <= '9') || ch == '+' || ch == '-' || ch == ' ';
                      });
      if (!ok) return bad_field("caller.phone", "must be 3 to 20 digits (with + - or spaces)");
    }
  }
  if (const auto* confidential = o.if_contains("confidential"); confidential != nullptr && !confidential->is_null()) {
    if (!confidential->is_bool()) return bad_field("confidential", "must be true or false");
    r.confidential = confidential->get_bool();
  }
  std::optional<std::string> disposition, reason, answer, kb, merged_into;
  if (auto p = optional_string(o, "disposition", "disposition", disposition)) return *p;
  if (disposition) {
    if (*disposition != "dispatch" && *disposition != "not_accepted" && *disposition != "answered_directly" &&
        *disposition != "merged") {
      return bad_field("disposition", "must be dispatch, not_accepted, answered_directly or merged");
    }
    r.disposition = *disposition;
  }
  if (auto p = optional_string(o, "reason", "reason", reason)) return *p;
  if (auto p = optional_string(o, "answer", "answer", answer)) return *p;
  if (auto p = optional_string(o, "merged_into", "merged_into", merged_into)) return *p;
  // Each settlement field goes with its disposition only: without it, the field would be dropped unseen.
  const std::string settled = r.disposition.empty() ? "dispatch" : r.disposition;
  if (reason && settled != "not_accepted") return bad_field("reason", "is only for disposition not_accepted");
  if (answer && settled != "answered_directly") return bad_field("answer", "is only for disposition answered_directly");
  if (merged_into && settled != "merged") return bad_field("merged_into", "is only for disposition merged");
  if (reason) r.disposition_args["reason"] = *reason;
  if (answer) r.disposition_args["answer"] = *answer;
  if (merged_into) r.disposition_args["into"] = *merged_into;
  // A direct answer may cite a knowledge entry; the entry's answer stands in when no answer of its own is given.
  if (auto p = optional_string(o, "kb", "kb", kb)) return *p;
  if (kb) {
    if (r.disposition != "answered_directly") return bad_field("kb", "is only for disposition answered_directly");
    const auto* entry = rules.knowledge().find(*kb);
    if (entry == nullptr) return bad_field("kb", "unknown knowledge entry '" + *kb + "'");
    r.disposition_args["kb"] = *kb;
    if (!answer) r.disposition_args["answer"] = entry->answer;
  }
  r.ticket.channel = r.channel.value_or("");
  r.ticket.category = r.category.value_or("");
  r.ticket.area = r.area.value_or("");
  r.ticket.address = r.address.value_or("");
  return r;
}

json::object decision_to_json(const routing::Decision& d, const routing::RuleSet& rules) {
  json::object o;
  o["unit"] = unit_json(*d.lead);
  json::array co;
  for (const auto* u : d.co) co.push_back(unit_json(*u));
  o["co_units"] = std::move(co);
  o["rule"] = d.rule_id();
  const auto* matter = d.matter.empty() ? nullptr : rules.find_matter(d.matter);
  o["category"] = d.matter.empty()
                      ? json::value(nullptr)
                      : json::value(json::object{{"code", d.matter},
                                                 {"name", matter ? matter->name : ""},
                                                 {"inferred", d.matter_inferred},
                                                 {"confidence", std::lround(d.confidence * 100)}});  // percent
  const auto* division = d.area.empty() ? nullptr : rules.find_division(d.area);
  o["area"] = d.area.empty()
                  ? json::value(nullptr)
                  : json::value(json::object{
                        {"code", d.area}, {"name", division ? division->name : ""}, {"inferred", d.area_inferred}});
  if (!d.ladder.empty()) o["ladder"] = d.ladder;
  if (d.below_threshold) o["below_confidence"] = true;
  if (!d.explain.empty()) {
    json::array e;
    for (const auto& line : d.explain) e.push_back(json::string(line));
    o["explain"] = std::move(e);
  }
  return o;
}

bool carries_caller(const storage::StoredTicket& t, bool show_caller) {
  return show_caller && (t.caller_name || t.caller_phone);
}

json::object ticket_to_json(const storage::StoredTicket& t, bool show_caller) {
  const auto opt = [](const std::optional<std::string>& s) { return s ? json::value(*s) : json::value(nullptr); };
  json::object o;
  o["id"] = t.id;
  o["state"] = t.state;
  o["received_at"] = t.received_at;
  o["type"] = t.type;
  o["urgency"] = t.urgency;
  o["channel"] = opt(t.channel);
  o["content"] = t.content;
  o["category"] = opt(t.category);
  o["area"] = opt(t.area);
  o["address"] = opt(t.address);
  o["confidential"] = t.confidential;
  o["caller"] = show_caller ? json::object{{"name", opt(t.caller_name)}, {"phone", opt(t.caller_phone)}}
                            : json::object{{"confidential", true}};
  o["unit"] = json::object{{"id", t.unit_id}, {"name", t.unit_name}};
  o["rule"] = t.rule_id;
  o["rules_version"] = t.rules_version;
  boost::system::error_code ec;
  o["decision"] = json::parse(t.decision, ec);
  if (ec) o["decision"] = nullptr;
  json::array events;
  for (const auto& e : t.events) {
    json::object ev{{"seq", e.seq},     {"at", e.at},     {"kind", e.kind},
                    {"actor", e.actor}, {"role", e.role}, {"unit", opt(e.unit_id)}};
    json::value payload = json::parse(e.payload, ec);
    ev["payload"] = ec ? json::value(nullptr) : std::move(payload);
    events.push_back(std::move(ev));
  }
  o["events"] = std::move(events);
  return o;
}

}  // namespace hotline::daemon
