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

int rules_check(const std::string& dir, bool strict, bool as_json, std::ostream& out, std::ostream& err) {
  const auto result = load_rules(dir);
  auto diagnostics = result.diagnostics;
  if (result.rule_set) {
    const auto findings = routing::analyze(*result.rule_set);
    diagnostics.insert(diagnostics.end(), findings.begin(), findings.end());
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
  const bool ok = result.rule_set && !(strict && warnings > 0);
  if (as_json) {
    json::object doc{{"dir", dir}, {"ok", ok}, {"errors", errors}, {"warnings", warnings}};
    if (const auto& r = result.rule_set) {
      doc["version"] = r->version();
      doc["units"] = r->units().size();
      doc["divisions"] = r->divisions().size();
      doc["matters"] = r->matters().size();
      doc["rules"] = r->rules().size();
    }
    doc["diagnostics"] = std::move(listed);
    out << json::serialize(doc) << '\n';
    return ok ? 0 : 1;
  }
  if (!result.rule_set) {
    err << dir << ": " << errors << " error(s), " << warnings << " warning(s); rules rejected\n";
    return 1;
  }
  const auto& r = *result.rule_set;
  out << dir << ": " << (ok ? "OK" : "FAILED (--strict)") << " — " << r.units().size() << " units, "
      << r.divisions().size() << " divisions, " << r.matters().size() << " matters, " << r.rules().size() << " rules; "
      << warnings << " warning(s); version " << r.version() << '\n';
  return ok ? 0 : 1;
}

}  // namespace hotline::daemon
