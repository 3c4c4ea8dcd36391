#include "daemon/api/service_metrics.hpp"

#include "daemon/feed/feed_hub.hpp"
#include "daemon/metrics/process_metrics.hpp"
#include "daemon/writer/ticket_writer.hpp"

namespace hotline::daemon {

void TicketStateGauge::load(const std::vector<std::pair<std::string, std::int64_t>>& counts) {
  for (const auto& [state, n] : counts) add(state, n);
}

std::int64_t TicketStateGauge::open_count() const {
  std::int64_t n = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    if (routing::is_open(static_cast<routing::CaseState>(i))) n += counts_[i].load(std::memory_order_relaxed);
  }
  return n;
}

void TicketStateGauge::add(std::string_view state, std::int64_t delta) {
  if (const auto s = routing::parse_case_state(state)) {
    counts_[static_cast<std::size_t>(*s)].fetch_add(delta, std::memory_order_relaxed);
  }
}

void TicketStateGauge::moved(routing::CaseState from, routing::CaseState to) {
  if (from == to) return;
  counts_[static_cast<std::size_t>(from)].fetch_sub(1, std::memory_order_relaxed);
  counts_[static_cast<std::size_t>(to)].fetch_add(1, std::memory_order_relaxed);
}

void TicketStateGauge::collect(std::vector<MetricSample>& out) const {
  for (int i = 0; i < routing::k_case_state_count; ++i) {
    const auto state = routing::to_string(static_cast<routing::CaseState>(i));
    out.push_back({"state=\"" + std::string(state) + "\"",
                   static_cast<double>(counts_[static_cast<std::size_t>(i)].load(std::memory_order_relaxed))});
  }
}

void register_service_metrics(MetricsRegistry& r, const ServiceMetrics& m, const TicketWriter& writer,
                              const FeedHub& feed, EscalationProbe probe) {
  using Type = MetricsRegistry::Type;
  r.add("hotline_http_requests_total", Type::counter, "HTTP responses by route template and status.",
        [&m](auto& out) { m.http.collect(out); });
  r.add_rendered("hotline_http_request_duration_seconds", Type::histogram,
                 "HTTP request durations by route template, from the request's head read to its response written.",
                 [&m](const std::string& name, std::string& out) { m.latency.render(name, out); });
  r.add("hotline_routing_decisions_total", Type::counter,
        "Intake routing decisions by outcome: a dispatch rule matched, or the fallback desk.", [&m](auto& out) {
          out.push_back({"outcome=\"rule\"", static_cast<double>(m.routed_by_rule.load())});
          out.push_back({"outcome=\"fallback\"", static_cast<double>(m.routed_fallback.load())});
        });
  r.add("hotline_tickets", Type::gauge, "Tickets by case state.", [&m](auto& out) { m.tickets.collect(out); });
  r.add_counter("hotline_writer_commits_total", "Group commits by the writer thread.",
                [&writer] { return static_cast<double>(writer.commits()); });
  r.add_counter("hotline_writer_jobs_total", "Write jobs committed or failed by the writer thread.",
                [&writer] { return static_cast<double>(writer.jobs()); });
  r.add_gauge("hotline_feed_subscribers", "Live feed (SSE) connections.",
              [&feed] { return static_cast<double>(feed.subscribers()); });
  r.add_counter("hotline_feed_events_total", "Committed events fanned out to live feeds.",
                [&feed] { return static_cast<double>(feed.published()); });
  r.add_counter("hotline_feed_dropped_total", "Feed subscribers dropped for falling behind.",
                [&feed] { return static_cast<double>(feed.dropped()); });
  r.add_gauge("hotline_stages_pending", "Escalation stages waiting to fire.", std::move(probe.stages_pending));
  r.add_gauge("hotline_outbox_depth", "Notifications waiting for delivery.", std::move(probe.outbox_depth));
  r.add_counter("hotline_outbox_failures_total", "Failed notification delivery attempts.",
                std::move(probe.outbox_failures_total));
  r.add_counter("hotline_outbox_dead_total",
                "Notifications dead-lettered after their last attempt (hotlinectl db notifications lists them).",
                std::move(probe.outbox_dead_total));
  r.add_gauge("hotline_timer_lag_seconds", "How late the last escalation stage fired after its due instant.",
              std::move(probe.timer_lag_seconds));
}

void register_operations_metrics(MetricsRegistry& r, std::string_view version,
                                 std::function<std::int64_t()> report_last_success_ms) {
  r.add("hotline_build_info", MetricsRegistry::Type::gauge, "The running build: always 1, its version as a label.",
        [label = "version=\"" + escape_label(std::string(version)) + "\""](auto& out) {
          out.push_back({label, 1.0});
        });
  r.add_gauge(
      "hotline_report_last_success_timestamp_seconds",
      "When a report run last succeeded (at start-up: the newest report file), in seconds since the Unix epoch.",
      [read = std::move(report_last_success_ms)] { return static_cast<double>(read()) / 1000.0; });
  register_process_metrics(r);
}

}  // namespace hotline::daemon
