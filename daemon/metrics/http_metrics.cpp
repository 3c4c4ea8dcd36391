#include "daemon/metrics/http_metrics.hpp"

#include <algorithm>
#include <string>

namespace hotline::daemon {

HttpCounters::HttpCounters(std::vector<std::string> labels) : labels_(std::move(labels)) {
  other_ = static_cast<std::size_t>(std::find(labels_.begin(), labels_.end(), "other") - labels_.begin());
  if (other_ == labels_.size()) labels_.emplace_back("other");
  counts_ = std::make_unique<Row[]>(labels_.size());
}

void HttpCounters::count(std::string_view label, unsigned status) {
  if (status < k_first_status || status >= k_first_status + k_statuses) status = 500;
  // A dozen labels: a linear search is as fast as any index, and needs no hashing.
  std::size_t row = 0;
  while (row < labels_.size() && labels_[row] != label) ++row;
  if (row == labels_.size()) row = other_;
  counts_[row][status - k_first_status].fetch_add(1, std::memory_order_relaxed);
}

void HttpCounters::collect(std::vector<MetricSample>& out) const {
  for (std::size_t r = 0; r < labels_.size(); ++r) {
    for (unsigned s = 0; s < k_statuses; ++s) {
      const auto n = counts_[r][s].load(std::memory_order_relaxed);
      if (n == 0) continue;
      out.push_back({"route=\"" + labels_[r] + "\",status=\"" + std::to_string(s + k_first_status) + "\"",
                     static_cast<double>(n)});
    }
  }
}

}  // namespace hotline::daemon
