// HttpCounters: responses counted by route template (never the raw path, so ticket ids do not explode the label
// set) and status code. Lock-free: one relaxed atomic increment per response. Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string_view>
#include <vector>

#include "daemon/metrics/metrics_registry.hpp"

namespace hotline::daemon {

// The route template of a request target ("/v1/tickets/ZZ1?x=y" -> "/v1/tickets/{id}"); "other" when no route
// matches.
std::string_view route_template(std::string_view target);

class HttpCounters {
 public:
  void count(std::string_view target, unsigned status);
  // Every (route, status) pair counted so far, as hotline_http_requests_total samples.
  void collect(std::vector<MetricSample>& out) const;

 private:
  static constexpr unsigned k_first_status = 100, k_statuses = 500;  // 100..599
  static constexpr std::size_t k_routes = 14;
  std::array<std::array<std::atomic<std::uint64_t>, k_statuses>, k_routes> counts_{};
};

}  // namespace hotline::daemon
