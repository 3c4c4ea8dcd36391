// ServiceMetrics: the daemon's own counters and gauges behind /metrics, and the one place that registers every
// family (register_service_metrics). Counters are relaxed atomics: thread-safe, a few ns per update.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "daemon/metrics/http_metrics.hpp"
#include "daemon/metrics/latency_histogram.hpp"
#include "daemon/metrics/metrics_registry.hpp"
#include "routing/case_model.hpp"

namespace hotline::daemon {

class FeedHub;
class TicketWriter;

// Tickets per case state, kept in memory: loaded once at start-up from one grouped query, then moved by the API
// after each committed intake or state change, so a scrape never scans the tickets table.
class TicketStateGauge {
 public:
  void load(const std::vector<std::pair<std::string, std::int64_t>>& counts);
  void add(std::string_view state, std::int64_t delta);
  void moved(routing::CaseState from, routing::CaseState to);
  void collect(std::vector<MetricSample>& out) const;
  std::int64_t open_count() const;  // tickets in an open state (the service manager's status line)

 private:
  std::array<std::atomic<std::int64_t>, routing::k_case_state_count> counts_{};
};

// Readings the escalation engine provides (stages pending from the deadlines index, the notification outbox,
// the timer's lateness). Each defaults to 0 until wired: `probe.outbox_depth = [&s] { return s.depth(); };`.
struct EscalationProbe {
  std::function<double()> stages_pending = [] { return 0.0; };
  std::function<double()> outbox_depth = [] { return 0.0; };
  std::function<double()> outbox_failures_total = [] { return 0.0; };
  std::function<double()> outbox_dead_total = [] { return 0.0; };
  std::function<double()> timer_lag_seconds = [] { return 0.0; };
};

struct ServiceMetrics {
  explicit ServiceMetrics(std::vector<std::string> http_labels) : http(http_labels), latency(std::move(http_labels)) {}
  HttpCounters http;
  LatencyHistograms latency;  // request durations by route template
  TicketStateGauge tickets;
  std::atomic<std::uint64_t> routed_by_rule{0}, routed_fallback{0};  // intake routing decisions by outcome
};

// Registers every hotline_* family on `registry`. The references must outlive the registry's use.
void register_service_metrics(MetricsRegistry& registry, const ServiceMetrics& m, const TicketWriter& writer,
                              const FeedHub& feed, EscalationProbe probe);

// Registers hotline_build_info{version=…}, hotline_report_last_success_timestamp_seconds (read by
// `report_last_success_ms`: ms since the epoch, 0 before the first success) and the process_* families.
void register_operations_metrics(MetricsRegistry& registry, std::string_view version,
                                 std::function<std::int64_t()> report_last_success_ms);

}  // namespace hotline::daemon
