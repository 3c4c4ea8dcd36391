#include "routing/router.hpp"

#include <algorithm>
#include <tuple>

namespace hotline::routing {
namespace {

// Length of the longest prefix in `prefixes` that `value` starts with; -1 when none does.
// An empty prefix list is "any" and scores 0.
int matched_prefix(const std::vector<std::string>& prefixes, std::string_view value) {
  if (prefixes.empty()) return 0;
  int best = -1;
  for (const auto& p : prefixes) {
    if (value.starts_with(p)) best = std::max(best, static_cast<int>(p.size()));
  }
  return best;
}

struct Candidate {
  const Rule* rule;
  const Unit* lead;
  int matter_len;
  int area_len;
  // Higher is better; the negated order makes earlier rules win ties.
  auto key() const { return std::tuple(rule->priority, matter_len, area_len, rule->condition_count(), -rule->order); }
};

class KeywordHits {
 public:
  KeywordHits(const KeywordMatcher& matcher, std::string_view text) : hit_(matcher.pattern_count(), false) {
    matcher.find(text, [this](KeywordMatcher::PatternId id, std::size_t) { hit_[id] = true; });
  }
  bool operator[](KeywordMatcher::PatternId id) const { return hit_[id]; }

 private:
  std::vector<bool> hit_;
};

bool keywords_hold(const Rule& rule, const KeywordHits& hits) {
  const auto hit = [&](KeywordMatcher::PatternId id) { return hits[id]; };
  if (!rule.any.empty() && std::none_of(rule.any.begin(), rule.any.end(), hit)) return false;
  if (!std::all_of(rule.all.begin(), rule.all.end(), hit)) return false;
  return std::none_of(rule.none.begin(), rule.none.end(), hit);
}

}  // namespace

Decision route(const Ticket& ticket, const RuleSet& rules, const RouteOptions& options) {
  Decision d;
  d.matter = ticket.category;
  d.area = ticket.area;
  const KeywordHits hits(rules.matcher(), ticket.content);
  const auto type_bit = 1u << static_cast<unsigned>(ticket.type);
  const auto urgency_bit = 1u << static_cast<unsigned>(ticket.urgency);

  std::optional<Candidate> best;
  for (const Rule& rule : rules.rules()) {
    const int matter_len = matched_prefix(rule.matters, d.matter);
    const int area_len = matched_prefix(rule.areas, d.area);
    if (matter_len < 0 || area_len < 0) continue;
    if (rule.types != 0 && (rule.types & type_bit) == 0) continue;
    if (rule.urgencies != 0 && (rule.urgencies & urgency_bit) == 0) continue;
    if (!rule.channels.empty() &&
        std::find(rule.channels.begin(), rule.channels.end(), ticket.channel) == rule.channels.end()) {
      continue;
    }
    if (!keywords_hold(rule, hits)) continue;
    const Unit* lead = rules.resolve(rule.lead, d.area);
    if (lead == nullptr) {
      if (options.explain) {
        d.explain.push_back("rule " + rule.id + " matches but " + rule.lead.describe() +
                            " serves no unit for area '" + d.area + "'");
      }
      continue;
    }
    const Candidate c{&rule, lead, matter_len, area_len};
    if (options.explain) d.explain.push_back("rule " + rule.id + " matches: lead " + lead->id);
    if (!best || c.key() > best->key()) best = c;
  }

  if (!best) {
    d.lead = &rules.fallback();
    if (options.explain) d.explain.push_back("no rule matches: fallback to " + d.lead->id);
    return d;
  }
  d.rule = best->rule;
  d.lead = best->lead;
  for (const auto& ref : best->rule->co) {
    const Unit* u = rules.resolve(ref, d.area);
    if (u != nullptr && u != d.lead && std::find(d.co.begin(), d.co.end(), u) == d.co.end()) d.co.push_back(u);
  }
  if (options.explain) {
    d.explain.push_back("winner: rule " + best->rule->id + " (priority " + std::to_string(best->rule->priority) +
                        ", matter prefix " + std::to_string(best->matter_len) + ", area prefix " +
                        std::to_string(best->area_len) + ", declared at " + best->rule->pos.file + ":" +
                        std::to_string(best->rule->pos.line) + ")");
  }
  return d;
}

}  // namespace hotline::routing
