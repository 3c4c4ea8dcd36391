#include <catch2/catch.hpp>

#include "daemon/api/service_metrics.hpp"
#include "daemon/metrics/cached_gauge.hpp"
#include "daemon/metrics/http_metrics.hpp"
#include "daemon/metrics/metrics_registry.hpp"

using namespace hotline::daemon;

TEST_CASE("the registry renders Prometheus text with help and type lines", "[metrics]") {
  HttpCounters http({"/v1/tickets", "/v1/tickets/{id}"});
  http.count("/v1/tickets", 201);
  http.count("/v1/tickets", 201);
  http.count("/v1/tickets/{id}", 404);
  http.count("/nowhere", 999);  // an unknown label counts as other; a status out of range as 500
  MetricsRegistry r;
  r.add("hotline_http_requests_total", MetricsRegistry::Type::counter, "Requests.",
        [&http](auto& out) { http.collect(out); });
  r.add_gauge("hotline_timer_lag_seconds", "Lag.", [] { return 0.25; });
  CHECK(r.render() ==
        "# HELP hotline_http_requests_total Requests.\n"
        "# TYPE hotline_http_requests_total counter\n"
        "hotline_http_requests_total{route=\"/v1/tickets\",status=\"201\"} 2\n"
        "hotline_http_requests_total{route=\"/v1/tickets/{id}\",status=\"404\"} 1\n"
        "hotline_http_requests_total{route=\"other\",status=\"500\"} 1\n"
        "# HELP hotline_timer_lag_seconds Lag.\n"
        "# TYPE hotline_timer_lag_seconds gauge\n"
        "hotline_timer_lag_seconds 0.25\n");
  CHECK(escape_label("a\"b\\c\nd") == "a\\\"b\\\\c\\nd");
}

TEST_CASE("the tickets gauge starts from the stored counts and follows state changes", "[metrics]") {
  TicketStateGauge g;
  g.load({{"awaiting_sign_for", 3}, {"closed", 5}, {"no_such_state", 7}});
  g.add("awaiting_sign_for", 1);
  g.moved(hotline::routing::CaseState::awaiting_sign_for, hotline::routing::CaseState::in_progress);
  g.moved(hotline::routing::CaseState::closed, hotline::routing::CaseState::closed);
  std::vector<MetricSample> out;
  g.collect(out);
  std::map<std::string, double> by_label;
  for (const auto& s : out) by_label[s.labels] = s.value;
  CHECK(out.size() == 11);  // one per case state
  CHECK(by_label["state=\"awaiting_sign_for\""] == 3);
  CHECK(by_label["state=\"in_progress\""] == 1);
  CHECK(by_label["state=\"closed\""] == 5);
}

TEST_CASE("a cached gauge reads again only after its ttl and keeps the last good value", "[metrics]") {
  int reads = 0;
  std::optional<double> next = 7;
  CachedGauge gauge(
      [&] {
        ++reads;
        return next;
      },
      std::chrono::seconds(10));
  const auto t0 = CachedGauge::Clock::now();
  CHECK(gauge(t0) == 7);
  next = 9;
  CHECK(gauge(t0 + std::chrono::seconds(9)) == 7);  // within the ttl: no reading
  CHECK(reads == 1);
  CHECK(gauge(t0 + std::chrono::seconds(10)) == 9);
  next.reset();  // the database cannot be read: the last good value stays
  CHECK(gauge(t0 + std::chrono::seconds(21)) == 9);
  CHECK(reads == 3);
}
