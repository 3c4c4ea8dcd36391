// hotlinectl db verify: rebuilds every ticket's state from its events and compares it with the stored projection.
#pragma once

#include <iosfwd>
#include <string>

namespace hotline::daemon {

// Exit code 0 when every ticket matches, 1 on any difference (each listed) or when the database cannot be read.
int db_verify(const std::string& database, std::ostream& out, std::ostream& err);

}  // namespace hotline::daemon
