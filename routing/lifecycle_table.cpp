#include "routing/lifecycle_table.hpp"

#include <array>

#include "routing/lifecycle.hpp"

namespace hotline::routing {
namespace lifecycle_detail {
namespace {

using S = CaseState;
using A = AssignmentState;

constexpr RoleSet k_hotline_urgers = bit(Role::operator_) | bit(Role::supervisor) | bit(Role::system);

// The whole permission table. Admin appears nowhere: admins manage rules and tokens, never cases.
// Unit actions name the case states that allow them on the lead assignment, then on a co-unit's assignment:
// co-units work independently of the lead, so their own assignment state is what gates them while the case
// is open.
constexpr std::array<ActionSpec, 18> k_actions{{
    {"sign_for", bit(Role::unit), bit(S::awaiting_sign_for), k_open_states, A::awaiting_sign_for, ""},
    {"pass_down", bit(Role::unit), bit(S::in_progress), k_open_states, A::in_progress, "child"},
    {"request_return", bit(Role::unit), bit(S::awaiting_sign_for) | bit(S::in_progress), 0, std::nullopt,
     "reason_code reason"},
    {"review_return", bit(Role::operator_), bit(S::return_requested), 0, std::nullopt, "decision note unit co"},
    // The desk's moves: a case the desk holds goes out by hand (派单); a case not yet signed for is sent
    // elsewhere (改派). Neither is a return. decide() further checks the desk holds the case (dispatch) and that
    // no unit signed for it (redispatch).
    {"dispatch", bit(Role::operator_), bit(S::awaiting_sign_for) | bit(S::in_progress), 0, std::nullopt,
     "unit co note"},
    {"redispatch", bit(Role::operator_), bit(S::awaiting_sign_for), 0, std::nullopt, "unit co note"},
    // Arbitration (仲裁): the lead disputes a declined return (a return past the cap goes there by itself);
    // a supervisor decides the lead, finally.
    {"dispute", bit(Role::unit), bit(S::awaiting_sign_for) | bit(S::in_progress), 0, std::nullopt, "reason"},
    {"arbitrate", bit(Role::supervisor), bit(S::arbitration_requested), 0, std::nullopt, "unit co note"},
    {"request_extension", bit(Role::unit), bit(S::in_progress), 0, A::in_progress, "working_days reason"},
    {"review_extension", bit(Role::operator_), bit(S::extension_requested), 0, std::nullopt,
     "decision note working_days"},
    {"reply", bit(Role::unit), bit(S::in_progress), k_open_states, A::in_progress, "text basis"},
    {"review_reply", bit(Role::operator_), bit(S::reply_review), 0, std::nullopt, "decision note"},
    {"follow_up", bit(Role::operator_), bit(S::awaiting_follow_up), 0, std::nullopt,
     "satisfaction resolution redo note"},
    {"urge", k_hotline_urgers, k_open_states, 0, std::nullopt, "unit note"},
    {"supervise", bit(Role::supervisor), k_open_states, 0, std::nullopt, "unit note"},
    {"merge", bit(Role::operator_), k_open_states, 0, std::nullopt, "into note"},
    // Undoing a merge by mistake, the same day (decide() checks the day).
    {"unmerge", bit(Role::operator_), bit(S::merged), 0, std::nullopt, "note"},
    {"warn", bit(Role::system), k_open_states, 0, std::nullopt, "stage clock unit"},
}};

constexpr std::array<std::string_view, k_actions.size()> k_action_names = [] {
  std::array<std::string_view, k_actions.size()> names{};
  for (std::size_t i = 0; i < k_actions.size(); ++i) names[i] = k_actions[i].name;
  return names;
}();

}  // namespace

const ActionSpec* find_action(std::string_view action) {
  for (const auto& spec : k_actions) {
    if (spec.name == action) return &spec;
  }
  return nullptr;
}

}  // namespace lifecycle_detail

using lifecycle_detail::bit;
using lifecycle_detail::find_action;

std::string_view to_string(RefusalKind kind) {
  switch (kind) {
    case RefusalKind::wrong_state:
      return "wrong_state";
    case RefusalKind::forbidden:
      return "forbidden";
    case RefusalKind::invalid:
      return "invalid";
  }
  return "invalid";
}

std::span<const std::string_view> case_actions() {
  return lifecycle_detail::k_action_names;
}

bool is_case_action(std::string_view action) {
  return find_action(action) != nullptr;
}

std::vector<std::string_view> action_arguments(std::string_view action) {
  std::vector<std::string_view> out;
  const auto* spec = find_action(action);
  if (spec == nullptr) return out;
  std::string_view rest = spec->args;
  while (!rest.empty()) {
    const auto space = rest.find(' ');
    out.push_back(rest.substr(0, space));
    rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
  }
  return out;
}

ArgumentType argument_type(std::string_view argument) {
  if (argument == "working_days") return ArgumentType::whole_number;
  if (argument == "redo") return ArgumentType::yes_no;
  return ArgumentType::text;
}

bool role_may(std::string_view action, Role role) {
  const auto* spec = find_action(action);
  return spec != nullptr && (spec->roles & bit(role)) != 0;
}

bool state_may(CaseState state, std::string_view action) {
  const auto* spec = find_action(action);
  return spec != nullptr && (spec->any_states() & bit(state)) != 0;
}

bool lead_only(std::string_view action) {
  const auto* spec = find_action(action);
  return spec != nullptr && spec->lead_only();
}

std::optional<RefusalKind> table_refusal(CaseState state, std::string_view action, Role role) {
  const auto* spec = find_action(action);
  if (spec == nullptr) return RefusalKind::invalid;
  if ((spec->roles & bit(role)) == 0) return RefusalKind::forbidden;
  if ((spec->any_states() & bit(state)) == 0) return RefusalKind::wrong_state;
  return std::nullopt;
}

std::vector<std::string_view> allowed_actions(CaseState state, Role role) {
  std::vector<std::string_view> out;
  for (const auto& spec : lifecycle_detail::k_actions) {
    if (!table_refusal(state, spec.name, role)) out.push_back(spec.name);
  }
  return out;
}

}  // namespace hotline::routing
