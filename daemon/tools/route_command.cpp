#include "daemon/tools/route_command.hpp"

#include <boost/json.hpp>
#include <istream>
#include <map>
#include <ostream>
#include <variant>
#include <vector>

#include "daemon/wire/ticket_json.hpp"
#include "routing/router.hpp"

namespace hotline::daemon {
namespace json = boost::json;

namespace {

// Reads the next non-blank line; false at end of input.
bool next_line(std::istream& in, std::string& line, std::size_t& number) {
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") != std::string::npos) return true;
  }
  return false;
}

}  // namespace

std::size_t route_lines(const routing::RuleSet& rules, std::istream& in, std::ostream& out, bool explain) {
  std::string line;
  std::size_t number = 0;
  std::size_t bad = 0;
  while (next_line(in, line, number)) {
    auto parsed = parse_intake(line, rules);
    if (auto* p = std::get_if<Problem>(&parsed)) {
      ++bad;
      boost::system::error_code ec;
      out << json::serialize(json::object{{"line", number}, {"error", json::parse(p->to_json(), ec)}}) << '\n';
      continue;
    }
    const auto d = routing::route(std::get<IntakeRequest>(parsed).ticket, rules, {.explain = explain});
    out << json::serialize(decision_to_json(d, rules)) << '\n';
  }
  return bad;
}

DiffCounts diff_routes(const routing::RuleSet& before, const routing::RuleSet& after, std::istream& in,
                       std::ostream& out, std::size_t examples) {
  struct Group {
    std::size_t count = 0;
    std::vector<std::string> samples;
  };
  std::map<std::pair<std::string, std::string>, Group> groups;
  std::string line;
  std::size_t number = 0;
  std::size_t total = 0;
  std::size_t changed = 0;
  std::size_t matter_only = 0;
  std::size_t bad = 0;
  std::vector<std::string> bad_lines;  // the first few, with what is wrong with them
  while (next_line(in, line, number)) {
    auto parsed = parse_intake(line, after);
    if (const auto* p = std::get_if<Problem>(&parsed)) {
      if (++bad <= 5) {
        bad_lines.push_back("line " + std::to_string(number) + ": " + p->detail +
                            (p->field.empty() ? "" : " (" + p->field + ")"));
      }
      continue;
    }
    ++total;
    const auto& ticket = std::get<IntakeRequest>(parsed).ticket;
    const auto old_d = routing::route(ticket, before);
    const auto new_d = routing::route(ticket, after);
    const bool same_unit = old_d.lead->id == new_d.lead->id && old_d.rule_id() == new_d.rule_id();
    const bool same_matter = old_d.matter == new_d.matter;
    if (same_unit && same_matter) continue;
    ++changed;
    matter_only += same_unit;
    // The matter is shown when it changed (a new model or vocabulary may change it and not the unit).
    const auto describe = [&](const routing::Decision& d, const routing::RuleSet& rules) {
      std::string s = d.lead->id + " " + d.lead->name + " [" + d.rule_id() + "]";
      if (same_matter) return s;
      const auto* m = d.matter.empty() ? nullptr : rules.find_matter(d.matter);
      return s + " matter " + (m ? m->code + " " + m->name : std::string("none"));
    };
    auto& g = groups[{describe(old_d, before), describe(new_d, after)}];
    ++g.count;
    if (g.samples.size() < examples) {
      std::string text = ticket.content.substr(0, 120);
      while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80) text.pop_back();
      if (!text.empty() && static_cast<unsigned char>(text.back()) >= 0xC0) text.pop_back();  // a cut lead byte
      g.samples.push_back("line " + std::to_string(number) + ": " + text);
    }
  }
  out << total << " ticket(s) routed, " << changed << " route differently";
  if (matter_only > 0) out << " (" << matter_only << " only in their matter)";
  if (bad > 0) out << ", " << bad << " bad line(s) skipped";
  out << '\n';
  for (const auto& b : bad_lines) out << "  skipped " << b << '\n';
  if (bad > bad_lines.size()) out << "  … and " << bad - bad_lines.size() << " more\n";
  std::vector<std::pair<std::pair<std::string, std::string>, Group>> ordered(groups.begin(), groups.end());
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const auto& a, const auto& b) { return a.second.count > b.second.count; });
  for (const auto& [key, g] : ordered) {
    out << '\n' << g.count << "  " << key.first << "\n   → " << key.second << '\n';
    for (const auto& s : g.samples) out << "     " << s << '\n';
  }
  return {total, changed, bad};
}

}  // namespace hotline::daemon
