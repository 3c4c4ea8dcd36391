// HttpCounters: responses counted by route template (never the raw path, so ticket ids do not explode the label
// set) and status code. Lock-free: one relaxed atomic increment per response. Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/metrics/metrics_registry.hpp"

namespace hotline::daemon {

class HttpCounters {
 public:
  // The labels responses are counted under (the API's route templates); one more, "other", is added when missing.
  explicit HttpCounters(std::vector<std::string> labels);
  // Counts a response under `label` (an unknown label counts as "other"; a status outside 100..599 as 500).
  void count(std::string_view label, unsigned status);
  // Every (route, status) pair counted so far, as hotline_http_requests_total samples.
  void collect(std::vector<MetricSample>& out) const;

 private:
  static constexpr unsigned k_first_status = 100, k_statuses = 500;  // 100..599
  using Row = std::array<std::atomic<std::uint64_t>, k_statuses>;
  std::vector<std::string> labels_;
  std::size_t other_ = 0;  // the row of "other"
  std::unique_ptr<Row[]> counts_;
};

}  // namespace hotline::daemon
