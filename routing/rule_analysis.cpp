#include "routing/rule_analysis.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "routing/router.hpp"

namespace hotline::routing {
namespace {

// Every prefix in `narrow` starts with some prefix in `wide` (empty `wide` = anything).
bool prefixes_cover(const std::vector<std::string>& wide, const std::vector<std::string>& narrow) {
  if (wide.empty()) return true;
  if (narrow.empty()) return false;
  return std::all_of(narrow.begin(), narrow.end(), [&](const std::string& n) {
    return std::any_of(wide.begin(), wide.end(), [&](const std::string& w) { return n.starts_with(w); });
  });
}

bool bits_cover(std::uint32_t wide, std::uint32_t narrow) {
  return wide == 0 || (narrow != 0 && (narrow & ~wide) == 0);
}

template <class T>
bool subset(const std::vector<T>& small, const std::vector<T>& big) {
  return std::all_of(small.begin(), small.end(),
                     [&](const T& x) { return std::find(big.begin(), big.end(), x) != big.end(); });
}

bool keywords_cover(const Rule& a, const Rule& b) {
  if (!a.any.empty()) {
    // b guarantees one of a's `any` words: by an `any` list inside a's, or by one of its required words.
    const bool by_any = !b.any.empty() && subset(b.any, a.any);
    const bool by_all = std::any_of(b.all.begin(), b.all.end(),
                                    [&](auto p) { return std::find(a.any.begin(), a.any.end(), p) != a.any.end(); });
    if (!by_any && !by_all) return false;
  }
  return subset(a.all, b.all) && subset(a.none, b.none);
}

std::string where(const Rule& r) {
  return r.pos.file + ":" + std::to_string(r.pos.line);
}

// The longest prefix of `prefixes` any ticket can match with; for precedence comparisons.
int shortest_prefix(const std::vector<std::string>& prefixes) {
  if (prefixes.empty()) return 0;
  std::size_t n = prefixes.front().size();
  for (const auto& p : prefixes) n = std::min(n, p.size());
  return static_cast<int>(n);
}

int longest_prefix(const std::vector<std::string>& prefixes) {
  std::size_t n = 0;
  for (const auto& p : prefixes) n = std::max(n, p.size());
  return static_cast<int>(n);
}

// `a` outranks `b` on every ticket both match.
bool always_outranks(const Rule& a, const Rule& b) {
  if (a.priority != b.priority) return a.priority > b.priority;
  // a's matched prefix is at least its shortest prefix; b's at most its longest. Only when those bounds are
  // equal (or a's is higher) is the outcome fixed for every ticket.
  for (const auto& [a_min, b_max] : {std::pair{shortest_prefix(a.matters), longest_prefix(b.matters)},
                                     std::pair{shortest_prefix(a.areas), longest_prefix(b.areas)}}) {
    if (a_min > b_max) return true;
    if (a_min < b_max) return false;  // b may win on a longer prefix
  }
  const auto tail_a = std::tuple(a.condition_count(), -a.order);
  const auto tail_b = std::tuple(b.condition_count(), -b.order);
  return tail_a > tail_b;
}

bool lead_always_resolves_when(const Rule& a, const Rule& b) {
  return !a.lead.is_template() || (a.lead.kind == b.lead.kind && a.lead.level == b.lead.level);
}

void warn(std::vector<Diagnostic>& out, const SourcePos& pos, std::string message) {
  out.push_back({pos.file, pos.line, pos.column, std::move(message), Severity::warning});
}

}  // namespace

bool covers(const Rule& a, const Rule& b) {
  return prefixes_cover(a.matters, b.matters) && prefixes_cover(a.areas, b.areas) && bits_cover(a.types, b.types) &&
         bits_cover(a.urgencies, b.urgencies) &&
         (a.channels.empty() || (!b.channels.empty() && subset(b.channels, a.channels))) && keywords_cover(a, b);
}

std::vector<Diagnostic> analyze(const RuleSet& rules) {
  std::vector<Diagnostic> out;
  const auto& all = rules.rules();

  // Shadowed: another rule matches everything this one does and always outranks it.
  std::vector<bool> shadowed(all.size(), false);
  for (std::size_t b = 0; b < all.size(); ++b) {
    for (std::size_t a = 0; a < all.size(); ++a) {
      if (a == b || !covers(all[a], all[b]) || !always_outranks(all[a], all[b]) ||
          !lead_always_resolves_when(all[a], all[b])) {
        continue;
      }
      shadowed[b] = true;
      warn(out, all[b].pos,
           "rule '" + all[b].id + "' can never win: rule '" + all[a].id + "' (" + where(all[a]) +
               ") matches every ticket it matches and takes precedence");
      break;
    }
  }

  // Ambiguous: two rules with the same precedence keys that can match one ticket and lead elsewhere; only
  // declaration order decides between them.
  for (std::size_t a = 0; a < all.size(); ++a) {
    for (std::size_t b = a + 1; b < all.size(); ++b) {
      const Rule& x = all[a];
      const Rule& y = all[b];
      if (shadowed[a] || shadowed[b] || x.priority != y.priority || x.condition_count() != y.condition_count() ||
          x.lead.describe() == y.lead.describe()) {
        continue;
      }
      const bool same_matter = x.matters == y.matters;
      const bool same_area = x.areas == y.areas;
      const bool compatible_bits = (x.types == 0 || y.types == 0 || (x.types & y.types) != 0) &&
                                   (x.urgencies == 0 || y.urgencies == 0 || (x.urgencies & y.urgencies) != 0);
      const bool excluded =
          std::any_of(x.none.begin(), x.none.end(),
                      [&](auto p) { return std::find(y.all.begin(), y.all.end(), p) != y.all.end(); }) ||
          std::any_of(y.none.begin(), y.none.end(),
                      [&](auto p) { return std::find(x.all.begin(), x.all.end(), p) != x.all.end(); });
      if (same_matter && same_area && compatible_bits && !excluded) {
        warn(out, y.pos,
             "rules '" + x.id + "' (" + where(x) + ") and '" + y.id +
                 "' tie on precedence for tickets matching both; declaration order decides ('" + x.id + "' wins)");
      }
    }
  }

  // Matters with no route: a leaf no rule's matter condition reaches (keyword-only rules may still catch it).
  std::set<std::string_view> parents;
  for (const auto& m : rules.matters()) {
    if (m.code.size() > 2) parents.insert(std::string_view(m.code).substr(0, m.code.size() - 2));
  }
  for (const auto& m : rules.matters()) {
    if (parents.contains(m.code)) continue;
    const auto* by_matter = rules.rules_for_matter(m.code);
    if (by_matter == nullptr || by_matter->empty()) {
      out.push_back({"", 0, 0,
                     "matter " + m.code + " " + m.name + " has no route: no rule's matter condition covers it",
                     Severity::warning});
    }
  }

  // Matters that can only reach the desk: routed with the matter given and a county named (the first county of
  // the gazetteer), no rule places them. Territorial matters that reach the desk when no place is named are by
  // design (the desk asks where); they are summarised in one line.
  std::string county;
  for (const auto& d : rules.divisions()) {
    if (d.code.size() == 6) {
      county = d.code;
      break;
    }
  }
  std::vector<std::string> desk_only, desk_without_place;
  for (const auto& m : rules.matters()) {
    if (parents.contains(m.code)) continue;
    const auto* by_matter = rules.rules_for_matter(m.code);
    if (by_matter == nullptr || by_matter->empty()) continue;  // reported above
    Ticket t;
    t.category = m.code;
    t.area = county;
    if (!county.empty() && route(t, rules).rule == nullptr) {
      desk_only.push_back(m.code + " " + m.name);
      continue;
    }
    t.area.clear();
    if (route(t, rules).rule == nullptr) desk_without_place.push_back(m.code);
  }
  for (const auto& m : desk_only) {
    out.push_back({"", 0, 0,
                   "matter " + m +
                       " can only reach the desk: with a county named no rule places it (rules that need "
                       "keywords, or templates no unit and no ladder step serves)",
                   Severity::warning});
  }
  if (!desk_without_place.empty()) {
    std::string listed;
    for (const auto& code : desk_without_place) listed += (listed.empty() ? "" : " ") + code;
    out.push_back(
        {"", 0, 0,
         std::to_string(desk_without_place.size()) +
             " matter(s) reach the desk when no place is named (territorial, or only township rules): " + listed,
         Severity::warning});
  }

  // Units nothing routes to, summarised per kind: neither named by a rule nor selectable by a template.
  std::set<std::string_view> named;
  std::set<std::pair<std::string_view, int>> templated;  // kind, level (-1 = any)
  for (const auto& r : all) {
    for (const UnitRef* ref : [&] {
           std::vector<const UnitRef*> refs{&r.lead};
           for (const auto& c : r.co) refs.push_back(&c);
           return refs;
         }()) {
      if (ref->is_template()) {
        templated.insert({ref->kind, ref->level ? static_cast<int>(*ref->level) : -1});
        for (const auto& [kind, level] : rules.climb_targets(*ref)) templated.insert({kind, static_cast<int>(level)});
      } else {
        named.insert(ref->unit_id);
      }
    }
  }
  std::map<std::string, std::vector<std::string_view>> unreached;  // kind -> unit ids
  for (const auto& u : rules.units()) {
    if (&u == &rules.fallback() || named.contains(u.id)) continue;
    const int level = u.level ? static_cast<int>(*u.level) : -2;
    if (templated.contains({u.kind, level}) || templated.contains({u.kind, -1})) continue;
    unreached[u.kind.empty() ? "(no kind)" : u.kind].push_back(u.id);
  }
  // Kinds with a single unit (most city-level bodies) are listed together in one line.
  std::vector<std::string_view> singles;
  for (const auto& [kind, ids] : unreached) {
    if (ids.size() == 1) singles.push_back(ids.front());
  }
  if (!singles.empty()) {
    std::string listed;
    for (const auto id : singles) listed += (listed.empty() ? "" : ", ") + std::string(id);
    out.push_back({"", 0, 0,
                   std::to_string(singles.size()) +
                       " other unit(s) are named by no rule and selected by no template: " + listed +
                       "; they receive tickets only by manual dispatch",
                   Severity::warning});
  }
  for (const auto& [kind, ids] : unreached) {
    if (ids.size() == 1) continue;
    std::string sample;
    for (std::size_t i = 0; i < ids.size() && i < 3; ++i) sample += (i ? ", " : "") + std::string(ids[i]);
    out.push_back({"", 0, 0,
                   "no rule routes to units of kind " + kind + " (" + std::to_string(ids.size()) + " unit(s), e.g. " +
                       sample + "); they receive tickets only by manual dispatch",
                   Severity::warning});
  }
  return out;
}

}  // namespace hotline::routing
