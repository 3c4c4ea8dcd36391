// Internal to the life-cycle machine: the action table as data (who may take each action and in which states).
// lifecycle.hpp exposes the read-only questions built on it. Constant data; safe from any thread.
#pragma once

#include <optional>
#include <string_view>

#include "routing/case_model.hpp"

namespace hotline::routing::lifecycle_detail {

using RoleSet = unsigned;
using StateSet = unsigned;

constexpr RoleSet bit(Role r) {
  return 1U << static_cast<unsigned>(r);
}
constexpr StateSet bit(CaseState s) {
  return 1U << static_cast<unsigned>(s);
}

inline constexpr StateSet k_open_states = bit(CaseState::awaiting_sign_for) | bit(CaseState::in_progress) |
                                          bit(CaseState::return_requested) | bit(CaseState::extension_requested) |
                                          bit(CaseState::reply_review) | bit(CaseState::awaiting_follow_up) |
                                          bit(CaseState::arbitration_requested);

struct ActionSpec {
  std::string_view name;
  RoleSet roles;
  // Hotline actions: the case states that allow the action. Unit actions: the case states that allow it on
  // the LEAD assignment.
  StateSet states;
  // Unit actions on a co-handling unit's assignment; 0 = the action is for the lead only.
  StateSet co_states;
  // Unit actions: the state the actor's own assignment must be in.
  std::optional<AssignmentState> needs;
  // The arguments the action reads, space-separated ("" for none); any other is refused before deciding.
  std::string_view args;

  bool unit_action() const { return (roles & bit(Role::unit)) != 0; }
  bool lead_only() const { return unit_action() && co_states == 0; }
  StateSet any_states() const { return states | co_states; }
};

// The spec of `action`; null when unknown.
const ActionSpec* find_action(std::string_view action);

}  // namespace hotline::routing::lifecycle_detail
