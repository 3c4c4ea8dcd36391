#include "routing/router.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "routing/inference.hpp"
#include "routing/router_explain.hpp"

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
  Resolution lead;
  int matter_len;
  int area_len;
  // Higher is better; the negated steps and order make a lead found at its own level and earlier rules win ties.
  auto key() const {
    return std::tuple(rule->priority, -lead.steps, matter_len, area_len, rule->condition_count(), -rule->order);
  }
};

// The highest level a rule's templates may climb to when the rule says nothing: the city, except for a
// territorial matter (by the catalogue code of the matter), which stays within its county.
Level ceiling_for(const RuleSet& rules, std::string_view matter) {
  const auto* m = rules.find_matter(matter);
  return m != nullptr && !m->functional ? Level::county : Level::city;
}

// The climb a rule's templates take: the rule's own (to the city), else by kind up to `ceiling`.
std::pair<Climb, Level> climb_for(const Rule& rule, Level ceiling) {
  if (rule.climb != Climb::automatic) return {rule.climb, Level::city};
  return {Climb::kind, ceiling};
}

std::string describe_climb(const Resolution& r) {
  if (r.steps == 0) return {};
  return "climbed " + std::to_string(r.steps) + (r.steps == 1 ? " level" : " levels") + " to the " +
         std::string(to_string(r.to.value_or(Level::city))) + (r.government ? " government" : " unit of the kind");
}

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
    const auto inferred = infer_matter(rules, hits, ticket.content, explain);
    d.matter = inferred.code;
    d.confidence = inferred.confidence;
    d.matter_inferred = !d.matter.empty();
    d.below_threshold = d.matter_inferred && d.confidence < rules.inference().min_confidence;
  }
  if (!ticket.area.empty()) {
    d.area = ticket.area;
    if (explain) explain->push_back("area " + d.area + " given by the operator");
  } else {
    d.area = infer_area(rules, hits, explain);
    d.area_inferred = !d.area.empty();
  }
  if (d.below_threshold) {
    d.lead = &rules.fallback();
    if (explain) {
      explain->push_back("matter confidence " + std::to_string(std::lround(d.confidence * 100)) +
                         "% is below inference.min_confidence " +
                         std::to_string(std::lround(rules.inference().min_confidence * 100)) +
                         "%: the desk decides → " + d.lead->id + " " + d.lead->name);
    }
    return d;
  }

  gather_candidates(rules, d, hits, candidates);
  const Level ceiling = ceiling_for(rules, d.matter);
  const auto type_bit = 1u << static_cast<unsigned>(ticket.type);
  const auto urgency_bit = 1u << static_cast<unsigned>(ticket.urgency);
  std::optional<Candidate> best, runner_up;
  for (const auto index : candidates) {
    const Rule& rule = rules.rules()[index];
    const int matter_len = matched_prefix(rule.matters, d.matter);
    const int area_len = matched_prefix(rule.areas, d.area);
    if (matter_len < 0 || area_len < 0 || (rule.types != 0 && (rule.types & type_bit) == 0) ||
        (rule.urgencies != 0 && (rule.urgencies & urgency_bit) == 0) ||
        (!rule.channels.empty() &&
         std::find(rule.channels.begin(), rule.channels.end(), ticket.channel) == rule.channels.end()) ||
        !keywords_hold(rule, hits)) {
      if (explain) explain->push_back(rule_skipped(rules, rule, ticket, d.matter, d.area, hits));
      continue;
    }
    const auto [climb, highest] = climb_for(rule, ceiling);
    const Resolution lead = rules.resolve_climbing(rule.lead, d.area, climb, highest);
    if (lead.unit == nullptr) {
      if (explain) {
        explain->push_back("rule " + rule.id + " matches but " + rule.lead.describe() + " serves no unit for area '" +
                           d.area + "'" +
                           (rule.lead.is_template() && rules.ladder().enabled && climb != Climb::none
                                ? " and the ladder (climb: " + std::string(to_string(climb)) + ", up to the " +
                                      std::string(to_string(highest)) + ") finds none above"
                                : ""));
      }
      continue;
    }
    const Candidate c{&rule, lead, matter_len, area_len};
    if (explain) {
      std::string ladder;
      if (lead.steps > 0) {
        ladder = "; ladder: " + rule.lead.describe() + " serves no unit for area '" + d.area + "', " +
                 describe_climb(lead) + " (climb: " + std::string(to_string(climb)) +
                 (rule.climb == Climb::automatic ? ", the default" : "") + ")";
      }
      explain->push_back("rule " + rule.id + " matches (priority " + std::to_string(rule.priority) +
                         ", matter prefix " + std::to_string(matter_len) + ", area prefix " + std::to_string(area_len) +
                         ", " + std::to_string(rule.condition_count()) + " other conditions): lead " + lead.unit->id +
                         " " + lead.unit->name + ladder);
    }
    if (!best || c.key() > best->key()) {
      runner_up = best;
      best = c;
    } else if (!runner_up || c.key() > runner_up->key()) {
      runner_up = c;
    }
  }

  if (!best) {
    d.lead = &rules.fallback();
    if (explain) explain->push_back("no rule matches: fallback to " + d.lead->id + " " + d.lead->name);
    return d;
  }
  d.rule = best->rule;
  d.lead = best->lead.unit;
  if (best->lead.steps > 0) {
    d.ladder = std::string(to_string(best->rule->lead.level.value_or(Level::city))) + " → " +
               std::string(to_string(best->lead.to.value_or(Level::city))) + " " + d.lead->kind;
  }
  const auto [climb, highest] = climb_for(*best->rule, ceiling);
  for (const auto& ref : best->rule->co) {
    const Unit* u = rules.resolve_climbing(ref, d.area, climb, highest).unit;
    if (u != nullptr && u != d.lead && std::find(d.co.begin(), d.co.end(), u) == d.co.end()) d.co.push_back(u);
  }
  if (explain) {
    explain->push_back("winner: rule " + best->rule->id + " declared at " + best->rule->pos.file + ":" +
                       std::to_string(best->rule->pos.line) + " → " + d.lead->id + " " + d.lead->name +
                       (runner_up ? " (ahead of rule " + runner_up->rule->id + " by " +
                                        std::string(deciding_step(best->key(), runner_up->key())) + ")"
                                  : " (the only rule that applies)") +
                       (d.ladder.empty() ? "" : "; ladder step " + d.ladder));
  }
  return d;
}

}  // namespace hotline::routing
