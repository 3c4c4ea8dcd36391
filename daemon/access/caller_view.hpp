// Who is shown a ticket's caller (name and phone): the one decision every answer that carries a caller goes
// through. A confidential ticket's (保密件) caller is withheld from unit tokens; the hotline's own roles
// (operator, supervisor, admin, and the token-less local principal) see it. Pure; thread-safe.
#pragma once

#include <string_view>

#include "daemon/access/roles.hpp"

namespace hotline::daemon {

// Which caller fields an answer carries. Name and phone go together: both shown, or both withheld and replaced
// by the marker {"confidential": true}.
enum class CallerView : unsigned char {
  shown,     // "caller": {"name": …, "phone": …}
  withheld,  // "caller": {"confidential": true}
};

CallerView caller_view(CallerRole role, bool confidential);

std::string_view to_string(CallerView view);

}  // namespace hotline::daemon
