// LatencyHistograms: request durations by route template in fixed buckets (Prometheus histogram), one per label of
// the API's route table plus "other". Lock-free: an observation is a few relaxed atomic increments. Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace hotline::daemon {

class LatencyHistograms {
 public:
  // Upper bounds of the buckets in seconds (then +Inf): 1 ms to 10 s.
  static constexpr std::array<double, 13> k_bounds{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                   0.25,  0.5,    1.0,   2.5,  5.0,   10.0};

  // One histogram per label; "other" is added when missing (an unknown label is observed there).
  explicit LatencyHistograms(std::vector<std::string> labels);
  void observe(std::string_view label, std::chrono::nanoseconds elapsed);
  // The `name`_bucket{route=…,le=…} (cumulative), `name`_sum and `name`_count lines of every route observed at
  // least once, in label order.
  void render(const std::string& name, std::string& out) const;

 private:
  struct Histogram {
    std::array<std::atomic<std::uint64_t>, k_bounds.size() + 1> buckets{};  // not cumulative; the last is +Inf
    std::atomic<std::uint64_t> sum_ns{0};
  };
  std::vector<std::string> labels_;
  std::size_t other_ = 0;
  std::unique_ptr<Histogram[]> histograms_;
};

}  // namespace hotline::daemon
