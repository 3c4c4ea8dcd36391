#include "daemon/cases/case_context.hpp"

namespace hotline::daemon {

routing::Context case_context(const routing::RuleSet& rules, const routing::Clocks& clocks, std::int64_t now_ms) {
  return {now_ms, clocks,
          [&rules](std::string_view parent, std::string_view child) {
            const auto* u = rules.find_unit(child);
            return u != nullptr && u->parent == parent;
          },
          [&rules](std::string_view unit) { return rules.find_unit(unit) != nullptr; }, rules.fallback().id};
}

routing::Actor actor_of(const Principal& who, std::string_view action) {
  switch (who.role) {
    case CallerRole::operator_:
      return {routing::Role::operator_, who.token_id, who.unit_id};
    case CallerRole::unit:
      return {routing::Role::unit, who.token_id, who.unit_id};
    case CallerRole::supervisor:
      return {routing::Role::supervisor, who.token_id, who.unit_id};
    case CallerRole::admin:
      return {routing::Role::admin, who.token_id, who.unit_id};
    case CallerRole::local:
      break;
  }
  const bool supervisor_action = action == "supervise" || action == "arbitrate";
  return {supervisor_action ? routing::Role::supervisor : routing::Role::operator_, "local", ""};
}

}  // namespace hotline::daemon
