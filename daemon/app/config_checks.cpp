#include "daemon/app/config_checks.hpp"

#include <algorithm>

#include "daemon/notify/webhook_post.hpp"
#include "daemon/runtime/local_time.hpp"

namespace hotline::daemon {

std::vector<std::string> config_refusals(const Config& config, const routing::RuleSet& rules) {
  std::vector<std::string> out;
  if (auto error = time_zone_error(config.timezone); !error.empty()) out.push_back("timezone: " + error);
  for (const auto& unit : config.report_notify) {
    if (rules.find_unit(unit) == nullptr) {
      out.push_back("report.notify names unit '" + unit + "', which the rules in '" + config.rules + "' do not define");
    }
  }
  for (const auto& w : config.webhooks) {
    const auto where = "notifications.webhooks (line " + std::to_string(w.line) + ")";
    if (!w.unit.empty() && rules.find_unit(w.unit) == nullptr) {
      out.push_back(where + " names unit '" + w.unit + "', which the rules do not define: it would never be notified");
    }
    const auto& units = rules.units();
    if (!w.kind.empty() &&
        std::none_of(units.begin(), units.end(), [&](const routing::Unit& u) { return u.kind == w.kind; })) {
      out.push_back(where + " names kind '" + w.kind + "', which no unit of the rules has");
    }
  }
  std::string tls_error;
  if (!make_webhook_tls(config.ca_file, tls_error)) out.push_back(tls_error);
  return out;
}

}  // namespace hotline::daemon
