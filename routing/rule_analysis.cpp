#include "routing/rule_analysis.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <tuple>

#include "routing/router.hpp"
#include "routing/vocabulary_analysis.hpp"

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

// Two rules of one tie group (same priority, condition count, matters and areas) that lead elsewhere and can
// match one ticket.
bool may_tie(const Rule& x, const Rule& y) {
  if (x.lead.describe() == y.lead.describe()) return false;
  const bool compatible_bits = (x.types == 0 || y.types == 0 || (x.types & y.types) != 0) &&
                               (x.urgencies == 0 || y.urgencies == 0 || (x.urgencies & y.urgencies) != 0);
  const auto excludes = [](const Rule& p, const Rule& q) {
    return std::any_of(p.none.begin(), p.none.end(),
                       [&](auto w) { return std::find(q.all.begin(), q.all.end(), w) != q.all.end(); });
  };
  return compatible_bits && !excludes(x, y) && !excludes(y, x);
}

// The rules that could cover a given rule (covers() can only hold for them). A rule with a matter condition is
// listed under each of its matter prefixes, one with only an area condition under each area prefix, the rest
// (no matter, no area) always. A covering rule's prefix starts the covered rule's first matter (or area), so
// looking up every prefix of that one code finds it.
class CoverIndex {
 public:
  explicit CoverIndex(const std::vector<Rule>& rules) {
    for (std::size_t i = 0; i < rules.size(); ++i) {
      const Rule& r = rules[i];
      if (!r.matters.empty()) {
        for (const auto& m : r.matters) by_matter_[m].push_back(i);
      } else if (!r.areas.empty()) {
        for (const auto& a : r.areas) by_area_[a].push_back(i);
      } else {
        unconditioned_.push_back(i);
      }
    }
  }

  // Candidates for covering `b`, ascending and unique.
  void candidates_for(const Rule& b, std::vector<std::size_t>& out) const {
    out = unconditioned_;
    add_prefixes(b.matters, by_matter_, out);
    add_prefixes(b.areas, by_area_, out);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
  }

 private:
  using Buckets = std::map<std::string, std::vector<std::size_t>, std::less<>>;

  static void add_prefixes(const std::vector<std::string>& codes, const Buckets& buckets,
                           std::vector<std::size_t>& out) {
    if (codes.empty()) return;  // only a rule without this condition covers it
    const std::string_view first = codes.front();
    for (std::size_t n = 1; n <= first.size(); ++n) {
      if (const auto it = buckets.find(first.substr(0, n)); it != buckets.end()) {
        out.insert(out.end(), it->second.begin(), it->second.end());
      }
    }
  }

  Buckets by_matter_, by_area_;
  std::vector<std::size_t> unconditioned_;
};

}  // namespace

bool covers(const Rule& a, const Rule& b) {
  return prefixes_cover(a.matters, b.matters) && prefixes_cover(a.areas, b.areas) && bits_cover(a.types, b.types) &&
         bits_cover(a.urgencies, b.urgencies) &&
         (a.channels.empty() || (!b.channels.empty() && subset(b.channels, a.channels))) && keywords_cover(a, b);
}

std::vector<Diagnostic> analyze(const RuleSet& rules, std::uint64_t* comparisons) {
  std::vector<Diagnostic> out;
  std::uint64_t compared = 0;
  const auto& all = rules.rules();

  // Shadowed: another rule matches everything this one does and always outranks it. Only rules that could cover
  // it are compared (see CoverIndex), in declaration order, so the first such rule is named.
  const CoverIndex index(all);
  std::vector<bool> shadowed(all.size(), false);
  std::vector<std::size_t> candidates;
  for (std::size_t b = 0; b < all.size(); ++b) {
    index.candidates_for(all[b], candidates);
    for (const std::size_t a : candidates) {
      ++compared;
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
  // declaration order decides between them. Only rules with the same priority, condition count, matters and
  // areas can tie, so each rule is compared with the later ones of its group.
  using TieKey = std::tuple<int, int, const std::vector<std::string>*, const std::vector<std::string>*>;
  const auto tie_less = [](const TieKey& x, const TieKey& y) {
    if (std::get<0>(x) != std::get<0>(y)) return std::get<0>(x) < std::get<0>(y);
    if (std::get<1>(x) != std::get<1>(y)) return std::get<1>(x) < std::get<1>(y);
    if (*std::get<2>(x) != *std::get<2>(y)) return *std::get<2>(x) < *std::get<2>(y);
    return *std::get<3>(x) < *std::get<3>(y);
  };
  std::map<TieKey, std::vector<std::size_t>, decltype(tie_less)> groups(tie_less);
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (!shadowed[i]) {
      groups[{all[i].priority, static_cast<int>(all[i].condition_count()), &all[i].matters, &all[i].areas}].push_back(
          i);
    }
  }
  std::vector<std::pair<std::size_t, std::size_t>> ties;
  for (const auto& [key, members] : groups) {
    for (std::size_t i = 0; i < members.size(); ++i) {
      for (std::size_t j = i + 1; j < members.size(); ++j) {
        ++compared;
        if (may_tie(all[members[i]], all[members[j]])) ties.emplace_back(members[i], members[j]);
      }
    }
  }
  std::sort(ties.begin(), ties.end());
  for (const auto& [a, b] : ties) {
    const Rule& x = all[a];
    const Rule& y = all[b];
    warn(out, y.pos,
         "rules '" + x.id + "' (" + where(x) + ") and '" + y.id +
             "' tie on precedence for tickets matching both; declaration order decides ('" + x.id + "' wins)");
  }
  if (comparisons != nullptr) *comparisons = compared;

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

  // Functional matters (owner: functional) stay with the department that owns them: a rule that leads them to a
  // township (a township unit, or a template at township level) is named with the matters it sends there.
  std::vector<const Matter*> functional_leaves;
  for (const auto& m : rules.matters()) {
    if (m.functional && !parents.contains(m.code)) functional_leaves.push_back(&m);
  }
  std::sort(functional_leaves.begin(), functional_leaves.end(),
            [](const Matter* x, const Matter* y) { return x->code < y->code; });
  for (const auto& r : all) {
    const Unit* unit = r.lead.is_template() ? nullptr : rules.find_unit(r.lead.unit_id);
    const auto level = unit != nullptr ? unit->level : r.lead.level;
    if (level != Level::township || r.matters.empty()) continue;
    std::vector<const Matter*> sent;
    for (const auto& prefix : r.matters) {
      auto it = std::lower_bound(functional_leaves.begin(), functional_leaves.end(), prefix,
                                 [](const Matter* m, const std::string& p) { return m->code < p; });
      for (; it != functional_leaves.end() && (*it)->code.starts_with(prefix); ++it) sent.push_back(*it);
    }
    if (sent.empty()) continue;
    std::string listed;
    for (std::size_t i = 0; i < sent.size() && i < 3; ++i) {
      listed += (i ? ", " : "") + sent[i]->code + " " + sent[i]->name;
    }
    if (sent.size() > 3) listed += " and " + std::to_string(sent.size() - 3) + " more";
    warn(out, r.pos,
         "rule '" + r.id + "' leads functional matter(s) " + listed + " to a township (" + r.lead.describe() +
             "): a functional matter stays with the department that owns it; lead it to a county or city unit, or "
             "make the matter territorial in the catalogue");
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
  for (auto& d : analyze_vocabulary(rules)) out.push_back(std::move(d));
  return out;
}

}  // namespace hotline::routing
