// Before hotlined opens its database for writing: a database of a newer schema than this build's is refused, and
// one of an older schema is first copied to DATABASE.before-schema-N.bak (N: this build's schema), so an upgrade
// that goes wrong can be undone by hand.
#pragma once

#include <string>

namespace hotline::daemon {

// The exit code of a database whose schema is newer than this build's (README: "Exit codes").
inline constexpr int k_exit_schema_too_new = 5;

// 0 when the database at `path` may be opened (missing, current, or older and backed up); otherwise the exit
// code, after logging why: k_exit_schema_too_new, or 3 when it cannot be read or backed up.
int prepare_database_upgrade(const std::string& path);

}  // namespace hotline::daemon
