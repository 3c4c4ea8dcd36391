#include "routing/case_model.hpp"

#include <array>
#include <sstream>

namespace hotline::routing {

const std::string& Event::field(const std::string& key) const {
  static const std::string empty;  // immutable: safe to share between threads
  const auto it = data.find(key);
  return it == data.end() ? empty : it->second;
}

namespace {

constexpr std::array<std::string_view, k_role_count> k_role_names{"operator", "unit", "supervisor", "admin", "system"};

constexpr std::array<std::string_view, k_case_state_count> k_state_names{
    "awaiting_sign_for",     "in_progress",      "return_requested",
    "extension_requested",   "reply_review",     "awaiting_follow_up",
    "arbitration_requested", "closed",           "merged",
    "not_accepted",          "answered_directly"};

constexpr std::array<std::string_view, 4> k_assignment_state_names{"awaiting_sign_for", "in_progress", "replied",
                                                                   "withdrawn"};

template <typename Enum, std::size_t N>
std::optional<Enum> parse_name(const std::array<std::string_view, N>& names, std::string_view text) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == text) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

std::string due_text(const Due& d) {
  return std::to_string(d.ms) + (d.provisional ? " (provisional)" : "");
}

std::string opt_text(const std::optional<std::int64_t>& v) {
  return v ? std::to_string(*v) : "-";
}

}  // namespace

std::string_view to_string(Role role) {
  return k_role_names[static_cast<std::size_t>(role)];
}
std::optional<Role> parse_role(std::string_view text) {
  return parse_name<Role>(k_role_names, text);
}

std::string_view to_string(CaseState state) {
  return k_state_names[static_cast<std::size_t>(state)];
}
std::optional<CaseState> parse_case_state(std::string_view text) {
  return parse_name<CaseState>(k_state_names, text);
}
bool is_open(CaseState state) {
  return static_cast<int>(state) < static_cast<int>(CaseState::closed);
}

std::string_view to_string(AssignmentState state) {
  return k_assignment_state_names[static_cast<std::size_t>(state)];
}
std::optional<AssignmentState> parse_assignment_state(std::string_view text) {
  return parse_name<AssignmentState>(k_assignment_state_names, text);
}

const Assignment* Case::lead() const {
  for (const auto& a : assignments) {
    if (a.lead && a.state != AssignmentState::withdrawn) return &a;
  }
  return nullptr;
}

Assignment* Case::lead() {
  return const_cast<Assignment*>(static_cast<const Case&>(*this).lead());
}

const Assignment* Case::find_assignment(std::string_view unit) const {
  for (const auto& a : assignments) {
    if (a.unit == unit && a.state != AssignmentState::withdrawn) return &a;
  }
  return nullptr;
}

Assignment* Case::find_assignment(std::string_view unit) {
  return const_cast<Assignment*>(static_cast<const Case&>(*this).find_assignment(unit));
}

std::string describe(const Case& c) {
  std::ostringstream out;
  out << "id: " << c.id << "\ntype: " << to_string(c.type) << "\nurgency: " << to_string(c.urgency)
      << "\nchannel: " << c.channel << "\nstate: " << to_string(c.state) << "\nreturns: " << c.returns
      << "\nreturn_requests: " << c.return_requests << "\nredos: " << c.redos
      << "\nfollow_up_due: " << (c.follow_up_due ? due_text(*c.follow_up_due) : "-")
      << "\nclosed_ms: " << opt_text(c.closed_ms) << "\nmerged_into: " << c.merged_into
      << "\nbefore_merge: " << (c.before_merge ? std::to_string(c.before_merge->merged_ms) : std::string("-"))
      << "\nmerged: " << c.merged.size() << "\nmaster_reply: " << c.master_reply;
  if (c.pending_return) {
    const auto& p = *c.pending_return;
    out << "\npending_return: unit=" << p.unit << " code=" << p.reason_code << " reason=" << p.reason
        << " at=" << p.requested_ms << " previous=" << to_string(p.previous_state);
  } else {
    out << "\npending_return: -";
  }
  if (c.pending_extension) {
    const auto& p = *c.pending_extension;
    out << "\npending_extension: unit=" << p.unit << " days=" << p.working_days << " reason=" << p.reason
        << " at=" << p.requested_ms;
  } else {
    out << "\npending_extension: -";
  }
  if (c.pending_arbitration) {
    const auto& p = *c.pending_arbitration;
    out << "\npending_arbitration: unit=" << p.unit << " cause=" << p.cause << " code=" << p.reason_code
        << " reason=" << p.reason << " at=" << p.requested_ms << " previous=" << to_string(p.previous_state);
  } else {
    out << "\npending_arbitration: -";
  }
  out << "\ndecline_disputable: " << (c.decline_disputable ? "true" : "false") << " declined=" << c.declined_ms
      << "\narbitrated: " << (c.arbitrated ? "true" : "false") << "\nredispatches: " << c.redispatches;
  out << "\nsatisfaction: " << c.satisfaction << "\nresolution: " << c.resolution << "\nurges: " << c.urges
      << "\nsupervisions: " << c.supervisions;
  for (const auto& w : c.warnings) {
    out << "\nwarning: " << w.stage << ' ' << w.clock << ' ' << w.unit << " at=" << w.at_ms;
  }
  for (const auto& a : c.assignments) {
    out << "\nassignment: unit=" << a.unit << " handler=" << a.handler << " lead=" << (a.lead ? "true" : "false")
        << " state=" << to_string(a.state) << " dispatched=" << a.dispatched_ms << " signed=" << opt_text(a.signed_ms)
        << " replied=" << opt_text(a.replied_ms) << " sign_for_due=" << due_text(a.sign_for_due)
        << " reply_due=" << due_text(a.reply_due) << " original_reply_due=" << due_text(a.original_reply_due)
        << " extension_days=" << a.extension_days << " desk=" << (a.desk ? "true" : "false");
  }
  out << '\n';
  return out.str();
}

}  // namespace hotline::routing
