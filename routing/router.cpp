#include "routing/router.hpp"

#include <algorithm>
#include <tuple>

#include "routing/inference.hpp"

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

bool keywords_hold(const Rule& rule, const TextHits& hits) {
  const auto hit = [&](KeywordMatcher::PatternId id) { return hits.contains(id); };
  if (!rule.any.empty() && std::none_of(rule.any.begin(), rule.any.end(), hit)) return false;
  if (!std::all_of(rule.all.begin(), rule.all.end(), hit)) return false;
  return std::none_of(rule.none.begin(), rule.none.end(), hit);
}

// The rules worth evaluating: those indexed under the matter, those a found keyword may satisfy, and those
// with neither condition. Falls back to every rule for a matter code outside the catalogue.
void gather_candidates(const RuleSet& rules, const Decision& d, const TextHits& hits, std::vector<std::uint32_t>& out) {
  out.clear();
  if (!d.matter.empty()) {
    const auto* by_matter = rules.rules_for_matter(d.matter);
    if (by_matter == nullptr) {
      for (std::uint32_t r = 0; r < rules.rules().size(); ++r) out.push_back(r);
      return;
    }
    out.insert(out.end(), by_matter->begin(), by_matter->end());
  }
  for (const auto p : hits.content_patterns()) {
    const auto& triggered = rules.rules_triggered_by(p);
    out.insert(out.end(), triggered.begin(), triggered.end());
  }
  out.insert(out.end(), rules.rules_always().begin(), rules.rules_always().end());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
}

}  // namespace

Decision route(const Ticket& ticket, const RuleSet& rules, const RouteOptions& options) {
  thread_local TextHits hits;  // scratch reused across calls on a thread: no allocation per decision
  thread_local std::vector<std::uint32_t> candidates;
  hits.scan(rules, ticket.content, ticket.address);

  Decision d;
  auto* explain = options.explain ? &d.explain : nullptr;
  if (!ticket.category.empty()) {
    d.matter = ticket.category;
    if (explain) explain->push_back("matter " + d.matter + " given by the operator");
  } else {
    d.matter = infer_matter(rules, hits, explain);
    d.matter_inferred = !d.matter.empty();
  }
  if (!ticket.area.empty()) {
    d.area = ticket.area;
    if (explain) explain->push_back("area " + d.area + " given by the operator");
  } else {
    d.area = infer_area(rules, hits, explain);
    d.area_inferred = !d.area.empty();
  }

  gather_candidates(rules, d, hits, candidates);
  const auto type_bit = 1u << static_cast<unsigned>(ticket.type);
  const auto urgency_bit = 1u << static_cast<unsigned>(ticket.urgency);
  std::optional<Candidate> best;
  for (const auto index : candidates) {
    const Rule& rule = rules.rules()[index];
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
      if (explain) {
        explain->push_back("rule " + rule.id + " matches but " + rule.lead.describe() + " serves no unit for area '" +
                           d.area + "'");
      }
      continue;
    }
    const Candidate c{&rule, lead, matter_len, area_len};
    if (explain) {
      explain->push_back("rule " + rule.id + " matches (priority " + std::to_string(rule.priority) +
                         ", matter prefix " + std::to_string(matter_len) + ", area prefix " +
                         std::to_string(area_len) + ", " + std::to_string(rule.condition_count()) +
                         " other conditions): lead " + lead->id);
    }
    if (!best || c.key() > best->key()) best = c;
  }

  if (!best) {
    d.lead = &rules.fallback();
    if (explain) explain->push_back("no rule matches: fallback to " + d.lead->id + " " + d.lead->name);
    return d;
  }
  d.rule = best->rule;
  d.lead = best->lead;
  for (const auto& ref : best->rule->co) {
    const Unit* u = rules.resolve(ref, d.area);
    if (u != nullptr && u != d.lead && std::find(d.co.begin(), d.co.end(), u) == d.co.end()) d.co.push_back(u);
  }
  if (explain) {
    explain->push_back("winner: rule " + best->rule->id + " declared at " + best->rule->pos.file + ":" +
                       std::to_string(best->rule->pos.line) + " → " + d.lead->id + " " + d.lead->name +
                       " (precedence: priority, then matter prefix, area prefix, conditions, declaration order)");
  }
  return d;
}

}  // namespace hotline::routing
