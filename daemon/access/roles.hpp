// Who a request acts as, as an enum from the token to the endpoint: the four roles a token can carry, and the
// open-access principal of a token-less loopback deployment. Names are parsed once; an unknown name is refused,
// never mapped to a default.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string_view>

namespace hotline::daemon {

enum class CallerRole : std::uint8_t {
  operator_,   // 话务员: intake, reviews, follow-up
  unit,        // a unit's liaison: its own queue
  supervisor,  // 督查: reads everything, urges and supervises
  admin,       // rules, tokens, reports; no case actions
  local,       // no token exists: loopback-only open access, acting as the hotline
};

// "operator", "unit", "supervisor", "admin"; "local" for the open-access principal.
std::string_view to_string(CallerRole role);
// The four roles a token may carry; nullopt for anything else ("local" included).
std::optional<CallerRole> parse_token_role(std::string_view text);

// A set of roles, e.g. who may call an endpoint. The local principal may do whatever any of the four may.
class RoleSet {
 public:
  constexpr RoleSet() = default;
  constexpr RoleSet(std::initializer_list<CallerRole> roles) {
    for (const auto r : roles) bits_ |= bit(r);
  }
  static constexpr RoleSet everyone() {
    return {CallerRole::operator_, CallerRole::unit, CallerRole::supervisor, CallerRole::admin};
  }
  constexpr bool allows(CallerRole role) const { return role == CallerRole::local ? bits_ != 0 : (bits_ & bit(role)); }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr bool operator==(const RoleSet&) const = default;

 private:
  static constexpr std::uint8_t bit(CallerRole r) { return static_cast<std::uint8_t>(1u << static_cast<unsigned>(r)); }
  std::uint8_t bits_ = 0;
};

}  // namespace hotline::daemon
