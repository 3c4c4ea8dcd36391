#include "routing/rule_set.hpp"

#include <algorithm>
#include <bit>

#include "routing/content_hash.hpp"
#include "routing/rule_set_builder.hpp"

namespace hotline::routing {

std::optional<Level> parse_level(std::string_view text) {
  if (text == "city") return Level::city;
  if (text == "county") return Level::county;
  if (text == "township") return Level::township;
  return std::nullopt;
}

std::string_view to_string(Level level) {
  switch (level) {
    case Level::city: return "city";
    case Level::county: return "county";
    case Level::township: return "township";
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

CompileResult RuleSet::compile(const std::vector<SourceFile>& files) {
  std::vector<const SourceFile*> ordered;
  ordered.reserve(files.size());
  for (const auto& f : files) ordered.push_back(&f);
  std::sort(ordered.begin(), ordered.end(), [](const auto* a, const auto* b) { return a->path < b->path; });

  CompileResult result;
  RuleSetBuilder builder(result.diagnostics);
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
  if (ref.template_index < 0) return nullptr;
  const auto& index = templates_[static_cast<std::size_t>(ref.template_index)].by_area;
  // Longest served prefix of the area wins: a zone's department serves the 9-digit codes of its towns,
  // the county's department the 6-digit county code.
  std::string prefix(area);
  while (!prefix.empty()) {
    const auto it = index.find(prefix);
    if (it != index.end()) return &units_[it->second];
    prefix.pop_back();
  }
  return nullptr;
}

std::size_t RuleSet::memory_bytes() const {
  std::size_t bytes = sizeof(*this) + matcher_.memory_bytes();
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
