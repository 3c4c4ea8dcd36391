#include "daemon/report/fact_builder.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace hotline::report {
namespace {

constexpr std::size_t k_arena_block = 1 << 20;

std::int64_t number(std::string_view text) {
  std::int64_t v = 0;
  std::from_chars(text.data(), text.data() + text.size(), v);
  return v;
}

Satisfaction parse_satisfaction(std::string_view s) {
  if (s == "satisfied") return Satisfaction::satisfied;
  if (s == "basically_satisfied") return Satisfaction::basically_satisfied;
  if (s == "unsatisfied") return Satisfaction::unsatisfied;
  if (s == "unrated") return Satisfaction::unrated;
  return Satisfaction::none;
}

Resolution parse_resolution(std::string_view s) {
  if (s == "resolved") return Resolution::resolved;
  if (s == "partially_resolved") return Resolution::partially_resolved;
  if (s == "unresolved") return Resolution::unresolved;
  return Resolution::none;
}

void terminal(TicketFacts& t, routing::CaseState state, std::int64_t at_ms) {
  t.state = state;
  t.closed_ms = at_ms;
  t.pending_return = k_no_index;
  t.pending_extension = k_no_index;
}

}  // namespace

std::string_view payload_field(std::string_view payload, std::string_view key, std::string& scratch) {
  // The daemon writes payloads with boost::json::serialize: no whitespace, every value a string. Inside a value
  // every quote is escaped, so `"key":"` can only be the member itself.
  std::string pattern;
  pattern.reserve(key.size() + 4);
  pattern.append("\"").append(key).append("\":\"");
  const auto at = payload.find(pattern);
  if (at == std::string_view::npos) return {};
  const auto begin = at + pattern.size();
  for (auto i = begin; i < payload.size(); ++i) {
    if (payload[i] == '"') return payload.substr(begin, i - begin);
    if (payload[i] == '\\') break;  // escaped text: let the JSON parser decode it
  }
  boost::system::error_code ec;
  const auto value = boost::json::parse(payload, ec);
  if (ec || !value.is_object()) return {};
  const auto* member = value.as_object().if_contains(key);
  if (member == nullptr || !member->is_string()) return {};
  scratch.assign(member->as_string().data(), member->as_string().size());
  return scratch;
}

FactBuilder::FactBuilder() { tickets_.reserve(1 << 16); }

void FactBuilder::reserve(std::int64_t events) {
  const auto tickets = static_cast<std::size_t>(std::max<std::int64_t>(events, 0) / 6);
  facts_.tickets.reserve(tickets);
  facts_.ticket_ids.reserve(tickets);
  facts_.assignments.reserve(tickets + tickets / 4);
  tickets_.reserve(tickets);
}

std::uint32_t FactBuilder::ticket_index(std::string_view id) {
  // A ticket's events mostly come together (intake writes received + dispatched in one transaction).
  if (last_index_ != k_no_index && id == last_id_) return last_index_;
  if (const auto it = tickets_.find(id); it != tickets_.end()) {
    last_id_ = it->first;
    return last_index_ = it->second;
  }
  auto& arena = facts_.arena;
  if (arena.empty() || arena.back().capacity() - arena.back().size() < id.size()) {
    arena.emplace_back().reserve(std::max(k_arena_block, id.size()));
  }
  auto& block = arena.back();
  const auto offset = block.size();
  block.insert(block.end(), id.begin(), id.end());  // within capacity: never reallocates, views stay valid
  const std::string_view stored(block.data() + offset, id.size());
  const auto index = static_cast<std::uint32_t>(facts_.tickets.size());
  facts_.tickets.emplace_back();
  facts_.ticket_ids.push_back(stored);
  tickets_.emplace(stored, index);
  last_id_ = stored;
  return last_index_ = index;
}

std::uint16_t FactBuilder::intern(std::unordered_map<std::string, std::uint16_t>& map, std::vector<std::string>& names,
                                  std::string_view key) {
  if (key.empty()) return 0;
  std::string k(key);
  if (const auto it = map.find(k); it != map.end()) return it->second;
  const auto index = static_cast<std::uint16_t>(names.size());
  names.push_back(k);
  map.emplace(std::move(k), index);
  return index;
}

AssignmentFacts* FactBuilder::find(TicketFacts& t, std::uint16_t unit) {
  for (auto i = t.last_assignment; i != k_no_index; i = facts_.assignments[i].previous) {
    auto& a = facts_.assignments[i];
    if (!a.withdrawn && a.unit == unit) return &a;
  }
  return nullptr;
}

void FactBuilder::dispatched(TicketFacts& t, std::uint32_t ticket, std::uint16_t unit, const storage::EventView& e) {
  AssignmentFacts a;
  a.ticket = ticket;
  a.unit = unit;
  a.lead = payload_field(e.payload, "lead", scratch_) == "true";
  a.dispatched_ms = e.at_ms;
  a.sign_for_due_ms = number(payload_field(e.payload, "sign_for_due", scratch_));
  a.reply_due_ms = number(payload_field(e.payload, "reply_due", scratch_));
  a.original_reply_due_ms = a.reply_due_ms;
  a.previous = t.last_assignment;
  t.last_assignment = static_cast<std::uint32_t>(facts_.assignments.size());
  facts_.assignments.push_back(a);
  if (a.lead) t.state = routing::CaseState::awaiting_sign_for;
  if (t.rule == 0) t.rule = intern(rules_, facts_.rule_ids, payload_field(e.payload, "rule", scratch_));
}

void FactBuilder::apply(const storage::EventView& e) {
  using routing::CaseState;
  ++facts_.events;
  const auto ticket = ticket_index(e.ticket_id);
  auto& t = facts_.tickets[ticket];
  const std::string_view k = e.kind;
  const auto unit =
      intern(units_, facts_.unit_ids, e.unit_id.empty() ? payload_field(e.payload, "unit", scratch_) : e.unit_id);
  AssignmentFacts* a = k == "received" || k == "dispatched" ? nullptr : find(t, unit);

  if (k == "received") {
    t.received_ms = e.at_ms;
    t.state = CaseState::awaiting_sign_for;
  } else if (k == "dispatched") {
    dispatched(t, ticket, unit, e);
  } else if (k == "not_accepted") {
    terminal(t, CaseState::not_accepted, e.at_ms);
  } else if (k == "answered_directly") {
    terminal(t, CaseState::answered_directly, e.at_ms);
  } else if (k == "merged") {
    terminal(t, CaseState::merged, e.at_ms);
  } else if (k == "closed") {
    terminal(t, CaseState::closed, e.at_ms);
  } else if (k == "signed_for") {
    if (a == nullptr) return;
    if (a->signed_ms == 0) a->signed_ms = e.at_ms;
    if (a->lead) t.state = CaseState::in_progress;
  } else if (k == "return_requested") {
    if (a != nullptr && a->return_requested_ms == 0) a->return_requested_ms = e.at_ms;
    t.pending_return = static_cast<std::uint32_t>(facts_.returns.size());
    facts_.returns.push_back({ticket, unit, e.at_ms, std::string(payload_field(e.payload, "reason_code", scratch_)),
                              std::string(payload_field(e.payload, "reason", scratch_)), Outcome::pending});
    t.state = CaseState::return_requested;
  } else if (k == "return_approved" || k == "return_declined") {
    const bool approved = k == "return_approved";
    if (t.pending_return != k_no_index) {
      facts_.returns[t.pending_return].outcome = approved ? Outcome::approved : Outcome::declined;
    }
    t.pending_return = k_no_index;
    if (approved) {
      for (auto i = t.last_assignment; i != k_no_index; i = facts_.assignments[i].previous) {
        facts_.assignments[i].withdrawn = true;
      }
      t.state = CaseState::awaiting_sign_for;
    } else {
      t.state = routing::parse_case_state(payload_field(e.payload, "state", scratch_)).value_or(CaseState::in_progress);
    }
  } else if (k == "extension_requested") {
    t.pending_extension = static_cast<std::uint32_t>(facts_.extensions.size());
    facts_.extensions.push_back({ticket, unit, e.at_ms,
                                 static_cast<int>(number(payload_field(e.payload, "working_days", scratch_))),
                                 std::string(payload_field(e.payload, "reason", scratch_)), Outcome::pending});
    t.state = CaseState::extension_requested;
  } else if (k == "extension_approved" || k == "extension_declined") {
    const bool approved = k == "extension_approved";
    if (approved && a != nullptr) a->reply_due_ms = number(payload_field(e.payload, "reply_due", scratch_));
    if (t.pending_extension != k_no_index) {
      facts_.extensions[t.pending_extension].outcome = approved ? Outcome::approved : Outcome::declined;
    }
    t.pending_extension = k_no_index;
    t.state = CaseState::in_progress;
  } else if (k == "replied") {
    if (a == nullptr) return;
    a->replied_ms = e.at_ms;
    if (!a->redone) a->first_round_reply_ms = e.at_ms;
    if (a->lead) t.state = CaseState::reply_review;
  } else if (k == "reply_approved") {
    t.state = CaseState::awaiting_follow_up;
  } else if (k == "reply_rejected") {
    if (a != nullptr) {
      a->replied_ms = 0;
      if (!a->redone) a->first_round_reply_ms = 0;
    }
    t.state = CaseState::in_progress;
  } else if (k == "followed_up") {
    t.followed_up = true;
    t.satisfaction = parse_satisfaction(payload_field(e.payload, "satisfaction", scratch_));
    t.resolution = parse_resolution(payload_field(e.payload, "resolution", scratch_));
  } else if (k == "redo") {
    if (a != nullptr) {
      a->redone = true;
      a->replied_ms = 0;
      a->reply_due_ms = number(payload_field(e.payload, "reply_due", scratch_));
    }
    if (t.redos < 255) ++t.redos;
    t.state = CaseState::in_progress;
  }
  // urged, supervised, warned, passed_down and unknown kinds change nothing the report reads.
}

}  // namespace hotline::report
