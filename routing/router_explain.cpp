#include "routing/router_explain.hpp"

#include <algorithm>

namespace hotline::routing {
namespace {

std::string listed(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : ", ") + v;
  return "[" + out + "]";
}

std::string words(const RuleSet& rules, const std::vector<KeywordMatcher::PatternId>& ids) {
  std::string out;
  for (const auto id : ids) out += (out.empty() ? "" : ", ") + rules.matcher().pattern(id);
  return "[" + out + "]";
}

bool under(const std::vector<std::string>& prefixes, std::string_view code) {
  return prefixes.empty() ||
         std::any_of(prefixes.begin(), prefixes.end(), [&](const std::string& p) { return code.starts_with(p); });
}

std::string why(const RuleSet& rules, const Rule& rule, const Ticket& ticket, std::string_view matter,
                std::string_view area, const TextHits& hits) {
  if (!under(rule.matters, matter)) {
    return (matter.empty() ? std::string("the ticket has no matter") : "matter " + std::string(matter) + " is not") +
           " under " + listed(rule.matters);
  }
  if (!under(rule.areas, area)) {
    return (area.empty() ? std::string("the ticket has no area") : "area " + std::string(area) + " is not") +
           " under " + listed(rule.areas);
  }
  if (rule.types != 0 && (rule.types & (1u << static_cast<unsigned>(ticket.type))) == 0) {
    return "type " + std::string(to_string(ticket.type)) + " is not one of the rule's";
  }
  if (rule.urgencies != 0 && (rule.urgencies & (1u << static_cast<unsigned>(ticket.urgency))) == 0) {
    return "urgency " + std::string(to_string(ticket.urgency)) + " is not one of the rule's";
  }
  if (!rule.channels.empty() &&
      std::find(rule.channels.begin(), rule.channels.end(), ticket.channel) == rule.channels.end()) {
    return "channel '" + ticket.channel + "' is not in " + listed(rule.channels);
  }
  const auto hit = [&](KeywordMatcher::PatternId id) { return hits.contains(id); };
  if (!rule.any.empty() && std::none_of(rule.any.begin(), rule.any.end(), hit)) {
    return "none of keywords.any " + words(rules, rule.any) + " is in the text";
  }
  for (const auto id : rule.all) {
    if (!hit(id)) return "keywords.all: '" + rules.matcher().pattern(id) + "' is not in the text";
  }
  for (const auto id : rule.none) {
    if (hit(id)) return "keywords.none: '" + rules.matcher().pattern(id) + "' is in the text";
  }
  return "its conditions hold";  // not reached: the router skips a rule only for one of the above
}

}  // namespace

std::string rule_skipped(const RuleSet& rules, const Rule& rule, const Ticket& ticket, std::string_view matter,
                         std::string_view area, const TextHits& hits) {
  return "rule " + rule.id + " (" + rule.pos.file + ":" + std::to_string(rule.pos.line) +
         ") does not apply: " + why(rules, rule, ticket, matter, area, hits);
}

std::string_view deciding_step(const PrecedenceKey& winner, const PrecedenceKey& runner_up) {
  if (std::get<0>(winner) != std::get<0>(runner_up)) return "priority";
  if (std::get<1>(winner) != std::get<1>(runner_up)) return "fewer ladder steps";
  if (std::get<2>(winner) != std::get<2>(runner_up)) return "longer matter prefix";
  if (std::get<3>(winner) != std::get<3>(runner_up)) return "longer area prefix";
  if (std::get<4>(winner) != std::get<4>(runner_up)) return "more conditions";
  return "declaration order";
}

}  // namespace hotline::routing
