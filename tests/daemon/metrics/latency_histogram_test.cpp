#include "daemon/metrics/latency_histogram.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <thread>
#include <vector>

#include "daemon/metrics/metrics_registry.hpp"

using namespace hotline::daemon;
using namespace std::chrono_literals;

TEST_CASE("a latency histogram counts each request in the first bucket that holds it, cumulatively", "[metrics]") {
  LatencyHistograms h({"/v1/tickets", "/healthz"});
  h.observe("/v1/tickets", 800us);  // le 0.001
  h.observe("/v1/tickets", 1ms);    // le 0.001: the bound is inclusive
  h.observe("/v1/tickets", 30ms);   // le 0.05
  h.observe("/v1/tickets", 12s);    // only +Inf
  h.observe("/nowhere", 2ms);       // an unknown route counts as other
  std::string out;
  h.render("d", out);
  CHECK(out.find("d_bucket{route=\"/v1/tickets\",le=\"0.001\"} 2\n") != std::string::npos);
  CHECK(out.find("d_bucket{route=\"/v1/tickets\",le=\"0.025\"} 2\n") != std::string::npos);
  CHECK(out.find("d_bucket{route=\"/v1/tickets\",le=\"0.05\"} 3\n") != std::string::npos);
  CHECK(out.find("d_bucket{route=\"/v1/tickets\",le=\"10\"} 3\n") != std::string::npos);
  CHECK(out.find("d_bucket{route=\"/v1/tickets\",le=\"+Inf\"} 4\n") != std::string::npos);
  CHECK(out.find("d_count{route=\"/v1/tickets\"} 4\n") != std::string::npos);
  CHECK(out.find("d_sum{route=\"/v1/tickets\"} 12.0318\n") != std::string::npos);
  CHECK(out.find("d_count{route=\"other\"} 1\n") != std::string::npos);
  CHECK(out.find("d_bucket{route=\"other\",le=\"0.0025\"} 1\n") != std::string::npos);
  CHECK(out.find("route=\"/healthz\"") == std::string::npos);  // never observed: no samples
}

TEST_CASE("a latency histogram renders 13 bounds and +Inf in order under its family's help and type", "[metrics]") {
  LatencyHistograms h({"/healthz"});
  h.observe("/healthz", 3ms);
  MetricsRegistry r;
  r.add_rendered("hotline_http_request_duration_seconds", MetricsRegistry::Type::histogram, "Durations.",
                 [&h](const std::string& name, std::string& out) { h.render(name, out); });
  CHECK(r.render() ==
        "# HELP hotline_http_request_duration_seconds Durations.\n"
        "# TYPE hotline_http_request_duration_seconds histogram\n"
        "hotline_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.001\"} 0\n"
        "hotline_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.0025\"} 0\n"
        "hotline_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.005\"} 1\n"
        "hotline_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.01\"} 1\n"
        "hotline_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.025\"} 1\n"
        "hotline_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.05\"} 1\n"
        "hotline_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.1\"} 1\n"
        "hotline_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.25\"} 1\n"
        "hotline_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.5\"} 1\n"
        "hotline_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"1\"} 1\n"
        "hotline_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"2.5\"} 1\n"
        "hotline_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"5\"} 1\n"
        "hotline_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"10\"} 1\n"
        "hotline_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"} 1\n"
        "hotline_http_request_duration_seconds_sum{route=\"/healthz\"} 0.003\n"
        "hotline_http_request_duration_seconds_count{route=\"/healthz\"} 1\n");
}

TEST_CASE("a latency histogram loses no observation from concurrent threads", "[metrics]") {
  LatencyHistograms h({"/v1/tickets"});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&h] {
      for (int i = 0; i < 10000; ++i) h.observe("/v1/tickets", 2ms);
    });
  }
  for (auto& t : threads) t.join();
  std::string out;
  h.render("d", out);
  CHECK(out.find("d_count{route=\"/v1/tickets\"} 40000\n") != std::string::npos);
  CHECK(out.find("d_bucket{route=\"/v1/tickets\",le=\"0.0025\"} 40000\n") != std::string::npos);
  CHECK(out.find("d_sum{route=\"/v1/tickets\"} 80\n") != std::string::npos);
}
