#include "daemon/report/fact_builder.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <cstring>
#include <optional>

namespace hotline::report {
namespace {

std::int64_t number(std::string_view text) {
  std::int64_t v = 0;
  std::from_chars(text.data(), text.data() + text.size(), v);
  return v;
}

// A numeric member; nullopt when absent or empty.
std::optional<std::int64_t> field_number(std::string_view payload, std::string_view key) {
  std::string scratch;
  const auto text = payload_field(payload, key, scratch);
  if (text.empty()) return std::nullopt;
  return number(text);
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

enum class Kind {
  received,
  dispatched,
  not_accepted,
  answered_directly,
  merged,
  unmerged,
  master_replied,
  closed,
  signed_for,
  return_requested,
  return_approved,
  return_declined,
  redispatched,  // desk_dispatched or redispatched: the round is withdrawn, no return
  arbitration_requested,
  arbitrated,
  extension_requested,
  extension_approved,
  extension_declined,
  replied,
  reply_approved,
  reply_rejected,
  followed_up,
  redo,
  deadline_recomputed,
  other
};

// One comparison per candidate of the same length: cheaper than a chain of string compares on every event.
Kind kind_of(std::string_view k) {
  static constexpr std::pair<std::string_view, Kind> k_kinds[] = {
      {"received", Kind::received},
      {"dispatched", Kind::dispatched},
      {"signed_for", Kind::signed_for},
      {"replied", Kind::replied},
      {"reply_approved", Kind::reply_approved},
      {"followed_up", Kind::followed_up},
      {"closed", Kind::closed},
      {"not_accepted", Kind::not_accepted},
      {"answered_directly", Kind::answered_directly},
      {"merged", Kind::merged},
      {"unmerged", Kind::unmerged},
      {"master_replied", Kind::master_replied},
      {"return_requested", Kind::return_requested},
      {"return_approved", Kind::return_approved},
      {"return_declined", Kind::return_declined},
      {"desk_dispatched", Kind::redispatched},
      {"redispatched", Kind::redispatched},
      {"arbitration_requested", Kind::arbitration_requested},
      {"arbitrated", Kind::arbitrated},
      {"extension_requested", Kind::extension_requested},
      {"extension_approved", Kind::extension_approved},
      {"extension_declined", Kind::extension_declined},
      {"reply_rejected", Kind::reply_rejected},
      {"redo", Kind::redo},
      {"deadline_recomputed", Kind::deadline_recomputed},
  };
  for (const auto& [name, kind] : k_kinds) {
    if (name.size() == k.size() && name == k) return kind;
  }
  return Kind::other;
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
  std::size_t at = 0;
  std::size_t begin = std::string_view::npos;
  while ((at = payload.find(key, at)) != std::string_view::npos) {
    const auto after = at + key.size();
    if (at > 0 && payload[at - 1] == '"' && payload.substr(after, 3) == "\":\"") {
      begin = after + 3;
      break;
    }
    at = after;
  }
  if (begin == std::string_view::npos) return {};
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

FactBuilder::FactBuilder() {
  (void)units_.intern("");
  (void)rules_.intern("");
}

void FactBuilder::reserve(std::int64_t events) {
  const auto tickets = static_cast<std::size_t>(std::max<std::int64_t>(events, 0) / 6);
  facts_.tickets.reserve(tickets);
  facts_.ticket_ids.reserve(tickets);
  facts_.assignments.reserve(tickets + tickets / 4);
}

Facts FactBuilder::take() {
  facts_.arena = std::move(arena_);
  facts_.unit_ids.assign(units_.size(), {});
  for (std::uint32_t i = 0; i < units_.size(); ++i) facts_.unit_ids[i] = std::string(units_.key(i));
  facts_.rule_ids.assign(rules_.size(), {});
  for (std::uint32_t i = 0; i < rules_.size(); ++i) facts_.rule_ids[i] = std::string(rules_.key(i));
  return std::move(facts_);
}

std::uint16_t FactBuilder::small_index(Interner& names, std::string_view key) {
  // Unit and rule ids are a few thousand at most; beyond 16 bits they read as "none" rather than wrap.
  const auto i = names.intern(key);
  return i < 0xFFFF ? static_cast<std::uint16_t>(i) : 0;
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
  a.desk = payload_field(e.payload, "desk", scratch_) == "true";
  a.dispatched_ms = e.at_ms;
  a.sign_for_due_ms = number(payload_field(e.payload, "sign_for_due", scratch_));
  a.reply_due_ms = number(payload_field(e.payload, "reply_due", scratch_));
  a.original_reply_due_ms = a.reply_due_ms;
  const auto rule = payload_field(e.payload, "rule", scratch_);
  a.origin = round_origin(t, a.lead, rule);
  a.previous = t.last_assignment;
  t.last_assignment = static_cast<std::uint32_t>(facts_.assignments.size());
  facts_.assignments.push_back(a);
  if (a.lead) t.state = routing::CaseState::awaiting_sign_for;
  if (t.rule == 0) t.rule = small_index(rules_, rule);
}

std::uint16_t FactBuilder::round_origin(TicketFacts& t, bool lead, std::string_view rule) {
  // Rounds chosen by hand: the life cycle records rule "manual" (from the desk, re-dispatch) or "arbitration";
  // the round an operator names when approving a return records no rule but follows earlier assignments.
  const bool by_hand =
      rule == "manual" || rule == "arbitration" || (rule.empty() && lead && t.last_assignment != k_no_index);
  if (by_hand) {
    t.dispatched_by_hand = true;
    return small_index(rules_, k_by_hand);
  }
  if (!rule.empty()) return small_index(rules_, rule);
  // A co unit without a rule of its own belongs to the lead's round, dispatched just before it.
  return !lead && t.last_assignment != k_no_index ? facts_.assignments[t.last_assignment].origin : std::uint16_t{0};
}

std::uint16_t FactBuilder::return_origin(const TicketFacts& t, const AssignmentFacts* a) const {
  // A return counts against whoever chose the round returned; without a record of that, the first round's rule.
  return a != nullptr && a->origin != 0 ? a->origin : t.rule;
}

void FactBuilder::apply(const storage::EventView& e) {
  using routing::CaseState;
  ++facts_.events;
  const auto ticket = ticket_index(e.ticket_id);
  auto& t = facts_.tickets[ticket];
  const Kind k = kind_of(e.kind);
  if (k == Kind::other) return;  // urged, supervised, warned, passed_down, unknown kinds: nothing the report reads
  const auto unit = small_index(units_, e.unit_id.empty() ? payload_field(e.payload, "unit", scratch_) : e.unit_id);
  AssignmentFacts* a =
      k == Kind::received || k == Kind::dispatched || k == Kind::deadline_recomputed ? nullptr : find(t, unit);
  const auto field = [&](std::string_view key) { return payload_field(e.payload, key, scratch_); };

  switch (k) {
    case Kind::received:
      t.received_ms = e.at_ms;
      t.state = CaseState::awaiting_sign_for;
      break;
    case Kind::dispatched:
      dispatched(t, ticket, unit, e);
      break;
    case Kind::not_accepted:
      terminal(t, CaseState::not_accepted, e.at_ms);
      break;
    case Kind::answered_directly:
      terminal(t, CaseState::answered_directly, e.at_ms);
      break;
    case Kind::merged:
      // Out of every rate and list while merged; what it was is kept for an unmerge (the same day, by mistake).
      // Its requests stay recorded: the lists skip a merged ticket, and an unmerge brings them back.
      if (t.state != CaseState::merged) t.before_merge = t.state;
      t.state = CaseState::merged;
      t.closed_ms = e.at_ms;
      break;
    case Kind::unmerged:
      if (t.state == CaseState::merged) t.state = t.before_merge, t.closed_ms = 0;
      break;
    case Kind::master_replied:
      // The duplicate follows its master's reply: its own units are done with it (as routing::evolve withdraws
      // them), so they are judged on the master alone; the hotline follows its caller up.
      for (auto i = t.last_assignment; i != k_no_index; i = facts_.assignments[i].previous) {
        facts_.assignments[i].withdrawn = true;
      }
      t.state = CaseState::awaiting_follow_up;
      t.closed_ms = 0;
      t.pending_return = k_no_index;
      t.pending_extension = k_no_index;
      break;
    case Kind::closed:
      terminal(t, CaseState::closed, e.at_ms);
      break;
    case Kind::signed_for:
      if (a == nullptr) break;
      if (a->signed_ms == 0) a->signed_ms = e.at_ms;
      if (a->lead) t.state = CaseState::in_progress;
      break;
    case Kind::return_requested:
      if (a != nullptr && a->return_requested_ms == 0) a->return_requested_ms = e.at_ms;
      t.pending_return = static_cast<std::uint32_t>(facts_.returns.size());
      facts_.returns.push_back({ticket, unit, return_origin(t, a), e.at_ms, std::string(field("reason_code")),
                                std::string(field("reason")), Outcome::pending});
      t.state = CaseState::return_requested;
      break;
    case Kind::return_approved:
    case Kind::return_declined: {
      const bool approved = k == Kind::return_approved;
      if (t.pending_return != k_no_index) {
        facts_.returns[t.pending_return].outcome = approved ? Outcome::approved : Outcome::declined;
      }
      t.pending_return = k_no_index;
      if (approved) {
        withdraw_round(t);
      } else {
        t.state = routing::parse_case_state(field("state")).value_or(CaseState::in_progress);
      }
      break;
    }
    case Kind::redispatched:
      // A hand dispatch from the desk or a re-dispatch before sign-for: never a return (回退率 and the rule table
      // count return requests only).
      withdraw_round(t);
      break;
    case Kind::arbitration_requested:
      // Past the cap a return request goes to arbitration: it is a return request all the same. A dispute of a
      // declined return is not a new one.
      if (field("cause") == "return_cap") {
        if (a != nullptr && a->return_requested_ms == 0) a->return_requested_ms = e.at_ms;
        t.pending_return = static_cast<std::uint32_t>(facts_.returns.size());
        facts_.returns.push_back({ticket, unit, return_origin(t, a), e.at_ms, std::string(field("reason_code")),
                                  std::string(field("reason")), Outcome::pending});
      }
      t.state = CaseState::arbitration_requested;
      break;
    case Kind::arbitrated: {
      const bool reassigned = field("outcome") == "reassigned";
      if (t.pending_return != k_no_index) {
        facts_.returns[t.pending_return].outcome = reassigned ? Outcome::approved : Outcome::declined;
      }
      t.pending_return = k_no_index;
      if (reassigned) {
        withdraw_round(t);
      } else {
        t.state = routing::parse_case_state(field("state")).value_or(CaseState::in_progress);
      }
      break;
    }
    case Kind::extension_requested:
      t.pending_extension = static_cast<std::uint32_t>(facts_.extensions.size());
      facts_.extensions.push_back({ticket, unit, e.at_ms, static_cast<int>(number(field("working_days"))),
                                   std::string(field("reason")), Outcome::pending});
      t.state = CaseState::extension_requested;
      break;
    case Kind::extension_approved:
    case Kind::extension_declined: {
      const bool approved = k == Kind::extension_approved;
      if (approved && a != nullptr) a->reply_due_ms = number(field("reply_due"));  // the original stays
      if (t.pending_extension != k_no_index) {
        facts_.extensions[t.pending_extension].outcome = approved ? Outcome::approved : Outcome::declined;
      }
      t.pending_extension = k_no_index;
      t.state = CaseState::in_progress;
      break;
    }
    case Kind::replied:
      if (a == nullptr) break;
      a->replied_ms = e.at_ms;
      if (!a->redone) a->first_round_reply_ms = e.at_ms;
      if (a->lead) t.state = CaseState::reply_review;
      break;
    case Kind::reply_approved:
      t.state = CaseState::awaiting_follow_up;
      break;
    case Kind::reply_rejected:
      if (a != nullptr) {
        a->replied_ms = 0;
        if (!a->redone) a->first_round_reply_ms = 0;
      }
      t.state = CaseState::in_progress;
      break;
    case Kind::followed_up:
      t.followed_up = true;
      t.satisfaction = parse_satisfaction(field("satisfaction"));
      t.resolution = parse_resolution(field("resolution"));
      break;
    case Kind::redo:
      if (a != nullptr) {
        // A new round for the lead: its deadline is the round's own; the first round's reply stays final.
        a->redone = true;
        a->replied_ms = 0;
        a->reply_due_ms = number(field("reply_due"));
      }
      if (t.redos < 255) ++t.redos;
      t.state = CaseState::in_progress;
      break;
    case Kind::deadline_recomputed:
      recomputed(t, e);
      break;
    case Kind::other:
      break;
  }
}

void FactBuilder::withdraw_round(TicketFacts& t) {
  // The whole current round is withdrawn; the "dispatched" events that follow append the new one.
  for (auto i = t.last_assignment; i != k_no_index; i = facts_.assignments[i].previous) {
    facts_.assignments[i].withdrawn = true;
  }
  t.state = routing::CaseState::awaiting_sign_for;
}

void FactBuilder::recomputed(TicketFacts& t, const storage::EventView& e) {
  // A newer calendar moved a provisional clock of the assignment at `assignment` (its position in dispatch
  // order), as routing::evolve applies it. The report's original deadline is the first round's: a clock moved
  // after a redo only moves the live one.
  const auto position = field_number(e.payload, "assignment");
  if (!position) return;
  std::vector<std::uint32_t> order;
  for (auto i = t.last_assignment; i != k_no_index; i = facts_.assignments[i].previous) order.push_back(i);
  if (*position < 0 || static_cast<std::size_t>(*position) >= order.size()) return;
  auto& a = facts_.assignments[order[order.size() - 1 - static_cast<std::size_t>(*position)]];
  const auto due = number(payload_field(e.payload, "due", scratch_));
  const auto clock = payload_field(e.payload, "clock", scratch_);
  if (clock == "sign_for") a.sign_for_due_ms = due;
  if (clock == "reply") a.reply_due_ms = due;
  if (clock == "original_reply" && !a.redone) a.original_reply_due_ms = due;
}

}  // namespace hotline::report
