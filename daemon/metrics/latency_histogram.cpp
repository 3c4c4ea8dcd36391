#include "daemon/metrics/latency_histogram.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace hotline::daemon {

LatencyHistograms::LatencyHistograms(std::vector<std::string> labels) : labels_(std::move(labels)) {
  other_ = static_cast<std::size_t>(std::find(labels_.begin(), labels_.end(), "other") - labels_.begin());
  if (other_ == labels_.size()) labels_.emplace_back("other");
  histograms_ = std::make_unique<Histogram[]>(labels_.size());
}

void LatencyHistograms::observe(std::string_view label, std::chrono::nanoseconds elapsed) {
  std::size_t row = 0;
  while (row < labels_.size() && labels_[row] != label) ++row;
  if (row == labels_.size()) row = other_;
  const auto ns = std::max<std::int64_t>(elapsed.count(), 0);
  const double seconds = static_cast<double>(ns) / 1e9;
  const auto bucket = static_cast<std::size_t>(std::lower_bound(k_bounds.begin(), k_bounds.end(), seconds) -
                                               k_bounds.begin());  // the first bound >= seconds (le is inclusive)
  auto& h = histograms_[row];
  h.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  h.sum_ns.fetch_add(static_cast<std::uint64_t>(ns), std::memory_order_relaxed);
}

void LatencyHistograms::render(const std::string& name, std::string& out) const {
  for (std::size_t r = 0; r < labels_.size(); ++r) {
    const auto& h = histograms_[r];
    std::array<std::uint64_t, k_bounds.size() + 1> counts{};
    std::uint64_t total = 0;
    for (std::size_t b = 0; b < counts.size(); ++b) {
      counts[b] = h.buckets[b].load(std::memory_order_relaxed);
      total += counts[b];
    }
    if (total == 0) continue;
    // _count is the +Inf bucket's count, both from the same reads, so a scrape never sees them disagree.
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b < counts.size(); ++b) {
      cumulative += counts[b];
      const auto le = b < k_bounds.size() ? fmt::format("{}", k_bounds[b]) : std::string("+Inf");
      out += fmt::format("{}_bucket{{route=\"{}\",le=\"{}\"}} {}\n", name, labels_[r], le, cumulative);
    }
    const double sum = static_cast<double>(h.sum_ns.load(std::memory_order_relaxed)) / 1e9;
    out += fmt::format("{}_sum{{route=\"{}\"}} {}\n", name, labels_[r], sum);
    out += fmt::format("{}_count{{route=\"{}\"}} {}\n", name, labels_[r], total);
  }
}

}  // namespace hotline::daemon
