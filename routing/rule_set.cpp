#include "routing/rule_set.hpp"

#include <algorithm>
#include <bit>

#include "routing/content_hash.hpp"
#include "routing/rule_set_builder.hpp"

namespace hotline::routing {

const KnowledgeBase RuleSet::k_no_knowledge;

std::optional<Level> parse_level(std::string_view text) {
  if (text == "city") return Level::city;
  if (text == "county") return Level::county;
  if (text == "township") return Level::township;
  return std::nullopt;
}

std::string_view to_string(Level level) {
  switch (level) {
    case Level::city:
      return "city";
    case Level::county:
      return "county";
    case Level::township:
      return "township";
  }
  return "?";
}

std::optional<Climb> parse_climb(std::string_view text) {
  if (text == "kind") return Climb::kind;
  if (text == "government") return Climb::government;
  if (text == "none") return Climb::none;
  return std::nullopt;
}

std::string_view to_string(Climb climb) {
  switch (climb) {
    case Climb::automatic:
      return "automatic";
    case Climb::kind:
      return "kind";
    case Climb::government:
      return "government";
    case Climb::none:
      return "none";
  }
  return "?";
}

std::string UnitRef::describe() const {
  if (!is_template()) return unit_id;
  std::string out = "{kind: " + kind;
  if (level) out += ", level: " + std::string(to_string(*level));
  return out + "}";
}

int Rule::condition_count() const {
  return (types != 0) + (urgencies != 0) + !channels.empty() + static_cast<int>(all.size()) + !any.empty() +
         !none.empty();
}

CompileResult RuleSet::compile(const std::vector<SourceFile>& files, FileLimits limits) {
  std::vector<const SourceFile*> ordered;
  ordered.reserve(files.size());
  for (const auto& f : files) ordered.push_back(&f);
  std::sort(ordered.begin(), ordered.end(), [](const auto* a, const auto* b) { return a->path < b->path; });

  CompileResult result;
  RuleSetBuilder builder(result.diagnostics, limits);
  for (const auto* f : ordered) builder.add_file(*f);
  result.rule_set = builder.finish(content_version(files));
  return result;
}

const Unit* RuleSet::find_unit(std::string_view id) const {
  const auto it = unit_index_.find(id);
  return it == unit_index_.end() ? nullptr : &units_[it->second];
}

const Matter* RuleSet::find_matter(std::string_view code) const {
  const auto it = matter_index_.find(code);
  return it == matter_index_.end() ? nullptr : &matters_[it->second];
}

const Division* RuleSet::find_division(std::string_view code) const {
  const auto it = division_index_.find(code);
  return it == division_index_.end() ? nullptr : &divisions_[it->second];
}

const std::vector<std::uint32_t>* RuleSet::rules_for_matter(std::string_view code) const {
  static const std::vector<std::uint32_t> k_none;
  const auto it = rules_by_matter_.find(code);
  if (it != rules_by_matter_.end()) return &it->second;
  return find_matter(code) != nullptr ? &k_none : nullptr;
}

const Unit* RuleSet::resolve(const UnitRef& ref, std::string_view area) const {
  if (!ref.is_template()) return find_unit(ref.unit_id);
  return resolve_template(ref.template_index, area);
}

const Unit* RuleSet::resolve_template(int index, std::string_view area) const {
  if (index < 0) return nullptr;
  const auto& by_area = templates_[static_cast<std::size_t>(index)].by_area;
  // Longest served prefix of the area wins: a zone's department serves the 9-digit codes of its towns,
  // the county's department the 6-digit county code.
  std::string prefix(area);
  while (!prefix.empty()) {
    const auto it = by_area.find(prefix);
    if (it != by_area.end()) return &units_[it->second];
    prefix.pop_back();
  }
  return nullptr;
}

Resolution RuleSet::resolve_climbing(const UnitRef& ref, std::string_view area, Climb climb, Level highest) const {
  Resolution r{resolve(ref, area), 0, std::nullopt, false};
  if (r.unit != nullptr || !ref.is_template() || ref.template_index < 0 || !ladder_.enabled) return r;
  if (climb == Climb::none) return r;
  const auto reachable = [&](std::optional<Level> level) {
    return static_cast<int>(level.value_or(Level::city)) >= static_cast<int>(highest);
  };
  const auto& t = templates_[static_cast<std::size_t>(ref.template_index)];
  const auto own = t.level.value_or(Level::city);
  if (climb == Climb::government) {
    if (t.government_step >= 0) r.unit = resolve_template(t.government_step, area);
    if (r.unit != nullptr) r = {r.unit, 1, Level::county, true};
    return r;
  }
  int steps = 0;
  for (const int step : t.kind_ladder) {
    ++steps;
    const auto& above = templates_[static_cast<std::size_t>(step)];
    if (!reachable(above.level)) break;
    const Unit* u = resolve_template(step, area);
    if (u == nullptr && above.sole_unit >= 0) u = &units_[static_cast<std::size_t>(above.sole_unit)];
    if (u != nullptr) return {u, steps, above.level, above.kind == ladder_.government};
  }
  // A city-level template whose area names no place in the city: the city's one unit of that kind serves it.
  if (own == Level::city && t.level && t.sole_unit >= 0 && reachable(Level::city)) {
    return {&units_[static_cast<std::size_t>(t.sole_unit)], 1, Level::city, t.kind == ladder_.government};
  }
  return r;
}

std::vector<std::pair<std::string_view, Level>> RuleSet::climb_targets(const UnitRef& ref) const {
  std::vector<std::pair<std::string_view, Level>> out;
  if (!ref.is_template() || ref.template_index < 0 || !ladder_.enabled) return out;
  const auto& t = templates_[static_cast<std::size_t>(ref.template_index)];
  for (const int step : t.kind_ladder) {
    const auto& above = templates_[static_cast<std::size_t>(step)];
    out.emplace_back(above.kind, above.level.value_or(Level::city));
  }
  if (t.government_step >= 0)
    out.emplace_back(templates_[static_cast<std::size_t>(t.government_step)].kind, Level::county);
  return out;
}

std::size_t RuleSet::memory_bytes() const {
  std::size_t bytes = sizeof(*this) + knowledge().memory_bytes() + matcher_.memory_bytes() +
                      catalogue_grams_.memory_bytes() + gram_index_.memory_bytes() +
                      (model_ ? model_->memory_bytes() : 0) +
                      (code_order_.capacity() + code_span_.capacity()) * sizeof(std::uint32_t);
  for (const auto& u : units_) {
    bytes += sizeof(u) + u.id.capacity() + u.name.capacity() + u.kind.capacity() + u.parent.capacity() +
             u.peer_group.capacity();
    for (const auto& a : u.areas) bytes += sizeof(a) + a.capacity();
  }
  for (const auto& m : matters_) {
    bytes += sizeof(m) + m.name.capacity();
    for (const auto& k : m.keywords) bytes += sizeof(k) + k.capacity();
  }
  for (const auto& d : divisions_) {
    bytes += sizeof(d) + d.name.capacity();
    for (const auto& a : d.aliases) bytes += sizeof(a) + a.capacity();
  }
  for (const auto& r : rules_) {
    bytes += sizeof(r) + (r.any.size() + r.all.size() + r.none.size()) * sizeof(KeywordMatcher::PatternId);
    for (const auto& m : r.matters) bytes += sizeof(m) + m.capacity();
    for (const auto& a : r.areas) bytes += sizeof(a) + a.capacity();
  }
  for (const auto& t : templates_) bytes += t.by_area.size() * 64;
  return bytes + (unit_index_.size() + matter_index_.size() + division_index_.size()) * 48;
}

}  // namespace hotline::routing
