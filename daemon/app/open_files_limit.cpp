#include "daemon/app/open_files_limit.hpp"

#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <algorithm>

namespace hotline::daemon {

void fit_open_files_limit(std::size_t max_connections) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  const rlim_t needed = static_cast<rlim_t>(max_connections + k_descriptor_reserve);
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < needed) {
    const rlim_t before = limit.rlim_cur;
    limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? needed : std::min(needed, limit.rlim_max);
    if (limit.rlim_cur > before && ::setrlimit(RLIMIT_NOFILE, &limit) == 0) {
      spdlog::info("open-files limit raised from {} to {}", before, limit.rlim_cur);
    } else {
      limit.rlim_cur = before;
    }
  }
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < needed) {
    spdlog::warn(
        "open-files limit is {}, below http.max_connections ({}) + {} for the database and webhooks: when "
        "descriptors run out, accepting pauses until connections close (raise LimitNOFILE or lower "
        "http.max_connections)",
        limit.rlim_cur, max_connections, k_descriptor_reserve);
  }
}

}  // namespace hotline::daemon
