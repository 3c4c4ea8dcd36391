#include "daemon/metrics/http_metrics.hpp"

#include <string>

namespace hotline::daemon {
namespace {

// Index order of HttpCounters' rows; the last one is "other".
constexpr std::array<std::string_view, 14> k_templates{
    "/healthz",         "/metrics",          "/v1/tickets",          "/v1/tickets/{id}",
    "/v1/tickets/{id}/{action}", "/v1/units/{id}/queue", "/v1/units/{id}/feed", "/v1/rules",
    "/v1/route/explain", "/v1/admin/reload", "/v1/escalations",    "/v1/escalations/{view}",
    "/v1/units/{id}/{view}", "other"};

std::size_t segments(std::string_view path) {
  std::size_t n = 0;
  for (char c : path) n += c == '/' ? 1 : 0;
  return n;
}

std::size_t route_index(std::string_view target) {
  const std::string_view path = target.substr(0, target.find('?'));
  for (std::size_t i = 0; i < k_templates.size(); ++i) {
    if (k_templates[i].find('{') == std::string_view::npos && path == k_templates[i]) return i;
  }
  const std::size_t depth = segments(path);
  if (path.starts_with("/v1/tickets/") && path.size() > 12) return depth == 3 ? 3 : depth == 4 ? 4 : 13;
  if (path.starts_with("/v1/units/") && depth == 4) {
    if (path.ends_with("/queue")) return 5;
    if (path.ends_with("/feed")) return 6;
    return 12;
  }
  if (path.starts_with("/v1/escalations/") && depth == 3) return 11;
  return 13;
}

}  // namespace

std::string_view route_template(std::string_view target) { return k_templates[route_index(target)]; }

void HttpCounters::count(std::string_view target, unsigned status) {
  if (status < k_first_status || status >= k_first_status + k_statuses) status = 500;
  counts_[route_index(target)][status - k_first_status].fetch_add(1, std::memory_order_relaxed);
}

void HttpCounters::collect(std::vector<MetricSample>& out) const {
  for (std::size_t r = 0; r < k_routes; ++r) {
    for (unsigned s = 0; s < k_statuses; ++s) {
      const auto n = counts_[r][s].load(std::memory_order_relaxed);
      if (n == 0) continue;
      out.push_back({"route=\"" + std::string(k_templates[r]) + "\",status=\"" + std::to_string(s + k_first_status) +
                         "\"",
                     static_cast<double>(n)});
    }
  }
}

}  // namespace hotline::daemon
