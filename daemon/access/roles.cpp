#include "daemon/access/roles.hpp"

namespace hotline::daemon {

std::string_view to_string(CallerRole role) {
  switch (role) {
    case CallerRole::operator_:
      return "operator";
    case CallerRole::unit:
      return "unit";
    case CallerRole::supervisor:
      return "supervisor";
    case CallerRole::admin:
      return "admin";
    case CallerRole::local:
      return "local";
  }
  return "local";
}

std::optional<CallerRole> parse_token_role(std::string_view text) {
  for (const auto r : {CallerRole::operator_, CallerRole::unit, CallerRole::supervisor, CallerRole::admin}) {
    if (text == to_string(r)) return r;
  }
  return std::nullopt;
}

}  // namespace hotline::daemon
