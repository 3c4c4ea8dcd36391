#include "daemon/tools/rules_check_command.hpp"

#include <boost/json.hpp>
#include <ostream>

#include "daemon/config/rules_loader.hpp"
#include "routing/rule_analysis.hpp"

namespace hotline::daemon {
namespace {

namespace json = boost::json;

json::object to_json(const routing::Diagnostic& d) {
  return {{"file", d.file},
          {"line", d.line},
          {"column", d.column},
          {"severity", d.severity == routing::Severity::error ? "error" : "warning"},
          {"message", d.message}};
}

}  // namespace

int rules_check(const std::string& dir, routing::Day today, bool strict, bool as_json, std::ostream& out,
                std::ostream& err) {
  // Everything hotlined loads from the folder: the routing files, the calendar and the time limits.
  const auto result = load_deployment(dir);
  auto diagnostics = result.diagnostics;
  if (result.rules) {
    const auto findings = routing::analyze(*result.rules);
    diagnostics.insert(diagnostics.end(), findings.begin(), findings.end());
  }
  if (result.calendar) {
    if (auto gap = result.calendar->coverage_gap(today); !gap.empty()) {
      diagnostics.push_back({dir + "/calendar", 0, 0, std::move(gap), routing::Severity::warning});
    }
  }
  std::size_t errors = 0;
  std::size_t warnings = 0;
  json::array listed;
  for (const auto& d : diagnostics) {
    if (as_json) {
      listed.push_back(to_json(d));
    } else {
      err << d.to_string() << '\n';
    }
    (d.severity == routing::Severity::error ? errors : warnings)++;
  }
  const bool ok = result.ok() && !(strict && warnings > 0);
  if (as_json) {
    json::object doc{{"dir", dir}, {"ok", ok}, {"errors", errors}, {"warnings", warnings}};
    if (const auto& r = result.rules; r && result.ok()) {
      doc["version"] = r->version();
      doc["units"] = r->units().size();
      doc["divisions"] = r->divisions().size();
      doc["matters"] = r->matters().size();
      doc["rules"] = r->rules().size();
      doc["calendar_published_through"] = result.calendar->last_published_year();
      doc["model"] = r->model() != nullptr;
    }
    doc["diagnostics"] = std::move(listed);
    out << json::serialize(doc) << '\n';
    return ok ? 0 : 1;
  }
  if (!result.ok()) {
    err << dir << ": " << errors << " error(s), " << warnings << " warning(s); rules rejected\n";
    return 1;
  }
  const auto& r = *result.rules;
  out << dir << ": " << (ok ? "OK" : "FAILED (--strict)") << " — " << r.units().size() << " units, "
      << r.divisions().size() << " divisions, " << r.matters().size() << " matters, " << r.rules().size() << " rules"
      << (r.model() ? ", a learned model" : "") << "; calendar published through "
      << result.calendar->last_published_year() << ", time limits; " << warnings << " warning(s); version "
      << r.version() << "\n(the golden cases are run by hotlinectl rules test " << dir << ")\n";
  return ok ? 0 : 1;
}

}  // namespace hotline::daemon
