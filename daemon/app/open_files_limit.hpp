// The process's open-files limit (RLIMIT_NOFILE) against http.max_connections: raised, within the hard limit, to
// the connections plus a reserve for the database, log and webhooks; a warning when even the hard limit is lower
// (then descriptors run out before the connection cap and accepting pauses until connections close).
#pragma once

#include <cstddef>

namespace hotline::daemon {

inline constexpr std::size_t k_descriptor_reserve = 256;

void fit_open_files_limit(std::size_t max_connections);

}  // namespace hotline::daemon
