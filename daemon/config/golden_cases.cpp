#include "daemon/config/golden_cases.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "routing/router.hpp"
#include "routing/yaml_reader.hpp"

namespace hotline::daemon {
namespace fs = std::filesystem;

namespace {

void read_case(routing::YamlReader& r, const YAML::Node& n, std::vector<GoldenCase>& out) {
  if (!r.check_keys(n, "a case", {"ticket", "expect", "name"})) return;
  const YAML::Node t = n["ticket"];
  const YAML::Node e = n["expect"];
  if (!t.IsDefined() || !e.IsDefined()) {
    r.error(n, "a case needs 'ticket' and 'expect'");
    return;
  }
  if (!r.check_keys(t, "ticket", {"content", "address", "type", "urgency", "channel", "category", "area"}) ||
      !r.check_keys(e, "expect", {"unit", "matter", "area", "rule"})) {
    return;
  }
  GoldenCase c;
  c.file = r.file();
  c.line = r.line(n);
  const auto content = r.string(t, "content", true);
  const auto unit = r.string(e, "unit", true);
  if (!content || !unit) return;
  c.ticket.content = *content;
  c.ticket.address = r.string(t, "address", false).value_or("");
  c.ticket.channel = r.string(t, "channel", false).value_or("");
  c.ticket.category = r.string(t, "category", false).value_or("");
  c.ticket.area = r.string(t, "area", false).value_or("");
  if (const auto type = r.string(t, "type", false)) {
    const auto parsed = routing::parse_request_type(*type);
    if (!parsed) {
      r.error(t["type"], "unknown request type '" + *type + "'");
      return;
    }
    c.ticket.type = *parsed;
  }
  if (const auto urgency = r.string(t, "urgency", false)) {
    const auto parsed = routing::parse_urgency(*urgency);
    if (!parsed) {
      r.error(t["urgency"], "unknown urgency '" + *urgency + "'");
      return;
    }
    c.ticket.urgency = *parsed;
  }
  c.unit = *unit;
  const auto none_or = [](std::optional<std::string> v) -> std::optional<std::string> {
    if (v && *v == "none") return std::string();
    return v;
  };
  c.matter = none_or(r.string(e, "matter", false));
  c.area = none_or(r.string(e, "area", false));
  c.rule = r.string(e, "rule", false);
  out.push_back(std::move(c));
}

}  // namespace

std::vector<GoldenCase> read_golden_cases(const std::string& rules_dir, std::vector<routing::Diagnostic>& errors) {
  std::vector<GoldenCase> cases;
  const fs::path dir = fs::path(rules_dir) / "tests";
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    errors.push_back({dir.string(), 0, 0, "no golden cases folder", routing::Severity::error});
    return cases;
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    routing::YamlReader r(path.lexically_normal().generic_string(), errors);
    const auto doc = r.parse(text.str());
    if (!doc || doc->IsNull()) continue;
    if (!r.check_keys(*doc, "a golden case file", {"cases"})) continue;
    const YAML::Node list = (*doc)["cases"];
    if (!list.IsDefined() || !r.is_seq(list, "cases")) continue;
    for (const auto& n : list) read_case(r, n, cases);
  }
  return cases;
}

std::vector<std::string> run_golden_cases(const routing::RuleSet& rules, const std::vector<GoldenCase>& cases) {
  std::vector<std::string> failures;
  for (const auto& c : cases) {
    const auto d = routing::route(c.ticket, rules);
    std::string wrong;
    const auto show = [](const std::string& v) { return v.empty() ? std::string("none") : v; };
    if (d.lead->id != c.unit) wrong += " unit: expected " + c.unit + ", got " + d.lead->id;
    if (c.matter && d.matter != *c.matter) wrong += " matter: expected " + show(*c.matter) + ", got " + show(d.matter);
    if (c.area && d.area != *c.area) wrong += " area: expected " + show(*c.area) + ", got " + show(d.area);
    if (c.rule && d.rule_id() != *c.rule) wrong += " rule: expected " + *c.rule + ", got " + d.rule_id();
    // An expectation naming what these rules do not have can never pass: a typo in the case, or a unit, rule,
    // matter or division renamed since. Said so, beside the mismatch.
    std::string broken;
    if (rules.find_unit(c.unit) == nullptr) broken += " no unit '" + c.unit + "' in these rules;";
    if (c.rule && *c.rule != "fallback" &&
        std::none_of(rules.rules().begin(), rules.rules().end(), [&](const auto& r) { return r.id == *c.rule; })) {
      broken += " no rule '" + *c.rule + "' in these rules;";
    }
    if (c.matter && !c.matter->empty() && rules.find_matter(*c.matter) == nullptr) {
      broken += " no matter '" + *c.matter + "' in the catalogue;";
    }
    if (c.area && !c.area->empty() && rules.find_division(*c.area) == nullptr) {
      broken += " no division '" + *c.area + "' in the gazetteer;";
    }
    if (!broken.empty()) broken = " — the case itself is wrong:" + broken.substr(0, broken.size() - 1);
    if (!wrong.empty()) {
      failures.push_back(c.file + ":" + std::to_string(c.line) + ":" + wrong + " (rule " + d.rule_id() + ")" + broken);
    }
  }
  return failures;
}

}  // namespace hotline::daemon
