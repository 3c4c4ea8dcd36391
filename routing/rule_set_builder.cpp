#include "routing/rule_set_builder.hpp"

#include <algorithm>
#include <set>

namespace hotline::routing {
namespace {

bool is_unit_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
  });
}

bool is_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

SourcePos pos_of(const YamlReader& r, const YAML::Node& n) { return {r.file(), r.line(n), r.column(n)}; }

}  // namespace

RuleSetBuilder::RuleSetBuilder(std::vector<Diagnostic>& diagnostics)
    : out_(diagnostics), set_(std::make_shared<RuleSet>()) {}

void RuleSetBuilder::error_at(const SourcePos& pos, const std::string& message) {
  out_.push_back({pos.file, pos.line, pos.column, message, Severity::error});
}

void RuleSetBuilder::add_file(const SourceFile& file) {
  YamlReader r(file.shown(), out_);
  const auto doc = r.parse(file.text);
  if (!doc || doc->IsNull()) return;  // syntax error already reported; an empty file holds nothing
  if (!r.check_keys(*doc, "a rules file", {"fallback", "units", "divisions", "matters", "rules"})) return;
  if (const auto fallback = r.string(*doc, "fallback", false)) {
    fallbacks_.push_back({*fallback, pos_of(r, (*doc)["fallback"])});
  }
  if (const auto n = (*doc)["units"]; n.IsDefined()) read_units(r, n);
  if (const auto n = (*doc)["divisions"]; n.IsDefined()) read_divisions(r, n);
  if (const auto n = (*doc)["matters"]; n.IsDefined()) read_matters(r, n);
  if (const auto n = (*doc)["rules"]; n.IsDefined()) read_rules(r, n);
}

void RuleSetBuilder::read_units(YamlReader& r, const YAML::Node& list) {
  if (!r.is_seq(list, "units")) return;
  for (const auto& n : list) {
    if (!r.check_keys(n, "a unit", {"id", "name", "kind", "level", "parent", "areas", "peer_group"})) continue;
    Unit u;
    const auto id = r.string(n, "id", true);
    const auto name = r.string(n, "name", true);
    if (!id || !name) continue;
    if (!is_unit_id(*id)) {
      r.error(n["id"], "unit id '" + *id + "' must be 1-64 characters of a-z, 0-9, '.', '-', '_'");
      continue;
    }
    u.id = *id;
    u.name = *name;
    u.kind = r.string(n, "kind", false).value_or("");
    if (const auto level = r.string(n, "level", false)) {
      u.level = parse_level(*level);
      if (!u.level) r.error(n["level"], "level must be city, county or township, not '" + *level + "'");
    }
    u.parent = r.string(n, "parent", false).value_or("");
    for (auto& [area, node] : r.strings_with_nodes(n, "areas")) {
      if (!is_digits(area) || area.size() > 12) {
        r.error(node, "area '" + area + "' must be a division code of up to 12 digits");
        continue;
      }
      u.areas.push_back(std::move(area));
    }
    u.peer_group = r.string(n, "peer_group", false).value_or("");
    unit_pos_.push_back(pos_of(r, n));
    set_->units_.push_back(std::move(u));
  }
}

void RuleSetBuilder::read_divisions(YamlReader& r, const YAML::Node& list) {
  if (!r.is_seq(list, "divisions")) return;
  for (const auto& n : list) {
    if (!r.check_keys(n, "a division", {"code", "name", "aliases"})) continue;
    const auto code = r.string(n, "code", true);
    const auto name = r.string(n, "name", true);
    if (!code || !name) continue;
    if (!is_digits(*code) || code->size() > 12) {
      r.error(n["code"], "division code '" + *code + "' must be up to 12 digits");
      continue;
    }
    division_pos_.push_back(pos_of(r, n));
    set_->divisions_.push_back({*code, *name, r.strings(n, "aliases")});
  }
}

void RuleSetBuilder::read_matters(YamlReader& r, const YAML::Node& list) {
  if (!r.is_seq(list, "matters")) return;
  for (const auto& n : list) {
    if (!r.check_keys(n, "a matter", {"code", "name", "keywords", "owner"})) continue;
    const auto code = r.string(n, "code", true);
    const auto name = r.string(n, "name", true);
    if (!code || !name) continue;
    if (!is_digits(*code) || code->size() % 2 != 0) {
      r.error(n["code"], "matter code '" + *code + "' must be digits, two per level");
      continue;
    }
    Matter m{*code, *name, r.strings(n, "keywords"), false};
    if (const auto owner = r.string(n, "owner", false)) {
      if (*owner == "functional") {
        m.functional = true;
      } else if (*owner != "territorial") {
        r.error(n["owner"], "owner must be functional or territorial, not '" + *owner + "'");
      }
    }
    matter_pos_.push_back(pos_of(r, n));
    set_->matters_.push_back(std::move(m));
  }
}

std::optional<UnitRef> RuleSetBuilder::read_unit_ref(YamlReader& r, const YAML::Node& n) {
  if (n.IsScalar()) return UnitRef{n.Scalar(), {}, std::nullopt, -1};
  if (!r.check_keys(n, "a unit template", {"kind", "level"})) return std::nullopt;
  UnitRef ref;
  const auto kind = r.string(n, "kind", true);
  if (!kind) return std::nullopt;
  ref.kind = *kind;
  if (const auto level = r.string(n, "level", false)) {
    ref.level = parse_level(*level);
    if (!ref.level) {
      r.error(n["level"], "level must be city, county or township, not '" + *level + "'");
      return std::nullopt;
    }
  }
  return ref;
}

void RuleSetBuilder::read_keywords(YamlReader& r, const YAML::Node& n, Rule& rule) {
  if (!n.IsDefined()) return;
  if (n.IsSequence() || n.IsScalar()) {  // shorthand: keywords: [a, b] means any: [a, b]
    YAML::Node wrapper;
    wrapper["any"] = n;
    for (const auto& k : r.strings(wrapper, "any")) rule.any.push_back(set_->matcher_.add(k));
    return;
  }
  if (!r.check_keys(n, "keywords", {"any", "all", "none"})) return;
  for (const auto& [key, target] : {std::pair{"any", &rule.any}, {"all", &rule.all}, {"none", &rule.none}}) {
    for (auto& [word, node] : r.strings_with_nodes(n, key)) {
      if (word.empty()) {
        r.error(node, "keywords must not be empty");
        continue;
      }
      target->push_back(set_->matcher_.add(word));
    }
  }
}

void RuleSetBuilder::read_rules(YamlReader& r, const YAML::Node& list) {
  if (!r.is_seq(list, "rules")) return;
  for (const auto& n : list) {
    if (!r.check_keys(n, "a rule", {"id", "when", "lead", "co", "priority"})) continue;
    Rule rule;
    rule.pos = pos_of(r, n);
    const auto id = r.string(n, "id", true);
    if (!id) continue;
    rule.id = *id;
    rule.priority = static_cast<int>(r.integer(n, "priority").value_or(0));
    bool ok = true;
    if (const YAML::Node when = n["when"]; when.IsDefined()) {
      if (r.check_keys(when, "when", {"matter", "type", "area", "keywords", "channel", "urgency"})) {
        for (auto& [code, node] : r.strings_with_nodes(when, "matter")) {
          if (!is_digits(code)) {
            r.error(node, "matter '" + code + "' must be a matter code (digits)");
            ok = false;
          }
          rule.matters.push_back(code);
        }
        for (auto& [code, node] : r.strings_with_nodes(when, "area")) {
          if (!is_digits(code)) {
            r.error(node, "area '" + code + "' must be a division code (digits)");
            ok = false;
          }
          rule.areas.push_back(code);
        }
        for (auto& [type, node] : r.strings_with_nodes(when, "type")) {
          const auto t = parse_request_type(type);
          if (!t) {
            r.error(node, "unknown request type '" + type + "'");
            ok = false;
            continue;
          }
          rule.types |= 1u << static_cast<unsigned>(*t);
        }
        for (auto& [urgency, node] : r.strings_with_nodes(when, "urgency")) {
          const auto u = parse_urgency(urgency);
          if (!u) {
            r.error(node, "unknown urgency '" + urgency + "'");
            ok = false;
            continue;
          }
          rule.urgencies |= 1u << static_cast<unsigned>(*u);
        }
        rule.channels = r.strings(when, "channel");
        read_keywords(r, when["keywords"], rule);
      }
    }
    if (const YAML::Node lead = n["lead"]; !lead.IsDefined()) {
      r.error(n, "rule '" + rule.id + "' has no lead unit");
      ok = false;
    } else if (auto ref = read_unit_ref(r, lead)) {
      rule.lead = std::move(*ref);
    } else {
      ok = false;
    }
    if (const YAML::Node co = n["co"]; co.IsDefined()) {
      if (!co.IsSequence()) {
        r.error(co, "co must be a list of units");
        ok = false;
      } else {
        for (const auto& item : co) {
          if (auto ref = read_unit_ref(r, item)) {
            rule.co.push_back(std::move(*ref));
          } else {
            ok = false;
          }
        }
      }
    }
    if (!ok) continue;
    rule.order = rule_order_++;
    set_->rules_.push_back(std::move(rule));
  }
}

void RuleSetBuilder::check_units() {
  auto& s = *set_;
  for (std::uint32_t i = 0; i < s.units_.size(); ++i) {
    const auto [it, fresh] = s.unit_index_.emplace(s.units_[i].id, i);
    if (!fresh) {
      const auto& first = unit_pos_[it->second];
      error_at(unit_pos_[i], "duplicate unit id '" + s.units_[i].id + "' (first defined at " + first.file + ":" +
                                 std::to_string(first.line) + ")");
    }
  }
  for (std::uint32_t i = 0; i < s.units_.size(); ++i) {
    const auto& u = s.units_[i];
    if (!u.parent.empty() && !s.unit_index_.contains(u.parent)) {
      error_at(unit_pos_[i], "unit '" + u.id + "' names unknown parent '" + u.parent + "'");
    }
  }
  for (std::uint32_t i = 0; i < s.divisions_.size(); ++i) {
    if (!s.division_index_.emplace(s.divisions_[i].code, i).second) {
      error_at(division_pos_[i], "duplicate division code '" + s.divisions_[i].code + "'");
    }
  }
}

void RuleSetBuilder::check_matters() {
  auto& s = *set_;
  for (std::uint32_t i = 0; i < s.matters_.size(); ++i) {
    if (!s.matter_index_.emplace(s.matters_[i].code, i).second) {
      error_at(matter_pos_[i], "duplicate matter code '" + s.matters_[i].code + "'");
    }
  }
  for (std::uint32_t i = 0; i < s.matters_.size(); ++i) {
    const auto& code = s.matters_[i].code;
    if (code.size() > 2 && !s.matter_index_.contains(std::string_view(code).substr(0, code.size() - 2))) {
      error_at(matter_pos_[i], "matter '" + code + "' has no parent '" + code.substr(0, code.size() - 2) + "'");
    }
  }
}

bool RuleSetBuilder::resolve_ref(UnitRef& ref, const SourcePos& pos, std::string_view rule_id) {
  auto& s = *set_;
  if (!ref.is_template()) {
    if (s.unit_index_.contains(ref.unit_id)) return true;
    error_at(pos, "rule '" + std::string(rule_id) + "' names unknown unit '" + ref.unit_id + "'");
    return false;
  }
  for (std::size_t t = 0; t < s.templates_.size(); ++t) {
    if (s.templates_[t].kind == ref.kind && s.templates_[t].level == ref.level) {
      ref.template_index = static_cast<int>(t);
      return true;
    }
  }
  const bool any_unit = std::any_of(s.units_.begin(), s.units_.end(), [&](const Unit& u) {
    return u.kind == ref.kind && (!ref.level || u.level == ref.level);
  });
  if (!any_unit) {
    error_at(pos, "rule '" + std::string(rule_id) + "': no unit matches template " + ref.describe());
    return false;
  }
  ref.template_index = static_cast<int>(s.templates_.size());
  s.templates_.push_back({ref.kind, ref.level, {}});
  return true;
}

void RuleSetBuilder::check_rules() {
  auto& s = *set_;
  std::unordered_map<std::string, SourcePos> seen;
  for (auto& rule : s.rules_) {
    const auto [it, fresh] = seen.emplace(rule.id, rule.pos);
    if (!fresh) {
      error_at(rule.pos, "duplicate rule id '" + rule.id + "' (first defined at " + it->second.file + ":" +
                             std::to_string(it->second.line) + ")");
    }
    resolve_ref(rule.lead, rule.pos, rule.id);
    for (auto& co : rule.co) resolve_ref(co, rule.pos, rule.id);
    for (const auto& prefix : rule.matters) {
      const bool known = std::any_of(s.matters_.begin(), s.matters_.end(),
                                     [&](const Matter& m) { return m.code.starts_with(prefix); });
      if (!known && !s.matters_.empty()) {
        error_at(rule.pos, "rule '" + rule.id + "' names matter '" + prefix + "', which no matter code starts with");
      }
    }
  }
}

void RuleSetBuilder::build_templates() {
  auto& s = *set_;
  for (auto& t : s.templates_) {
    std::set<std::string> reported;
    for (std::uint32_t i = 0; i < s.units_.size(); ++i) {
      const auto& u = s.units_[i];
      if (u.kind != t.kind || (t.level && u.level != t.level)) continue;
      for (const auto& area : u.areas) {
        const auto [it, fresh] = t.by_area.emplace(area, i);
        if (!fresh && reported.insert(area).second) {
          UnitRef ref{{}, t.kind, t.level, -1};
          error_at(unit_pos_[i], "template " + ref.describe() + " is ambiguous for area " + area + ": units '" +
                                     s.units_[it->second].id + "' and '" + u.id + "' both serve it");
        }
      }
    }
  }
}

void RuleSetBuilder::build_indexes() {
  auto& s = *set_;
  // Matter keywords and gazetteer names join the rule keywords in the one automaton.
  std::vector<std::pair<KeywordMatcher::PatternId, std::uint32_t>> matter_words, division_words;
  for (std::uint32_t i = 0; i < s.matters_.size(); ++i) {
    for (const auto& k : s.matters_[i].keywords) {
      if (!k.empty()) matter_words.emplace_back(s.matcher_.add(k), i);
    }
  }
  for (std::uint32_t i = 0; i < s.divisions_.size(); ++i) {
    division_words.emplace_back(s.matcher_.add(s.divisions_[i].name), i);
    for (const auto& a : s.divisions_[i].aliases) {
      if (!a.empty()) division_words.emplace_back(s.matcher_.add(a), i);
    }
  }
  const std::size_t n = s.matcher_.pattern_count();
  s.pattern_matters_.assign(n, {});
  s.pattern_divisions_.assign(n, {});
  s.pattern_rules_.assign(n, {});
  s.pattern_chars_.assign(n, 0);
  const auto add_unique = [](std::vector<std::uint32_t>& v, std::uint32_t x) {
    if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
  };
  for (const auto& [p, m] : matter_words) add_unique(s.pattern_matters_[p], m);
  for (const auto& [p, d] : division_words) add_unique(s.pattern_divisions_[p], d);
  for (KeywordMatcher::PatternId p = 0; p < n; ++p) {
    const auto& text = s.matcher_.pattern(p);
    std::uint32_t chars = 0;
    for (std::size_t i = 0; i < text.size();) {
      decode_utf8(text, i);
      ++chars;
    }
    s.pattern_chars_[p] = chars;
  }
  for (std::uint32_t r = 0; r < s.rules_.size(); ++r) {
    const Rule& rule = s.rules_[r];
    if (!rule.matters.empty()) {
      for (const auto& m : s.matters_) {
        const bool holds = std::any_of(rule.matters.begin(), rule.matters.end(),
                                       [&](const std::string& prefix) { return m.code.starts_with(prefix); });
        if (holds) s.rules_by_matter_[m.code].push_back(r);
      }
    } else if (!rule.any.empty()) {
      for (const auto p : rule.any) add_unique(s.pattern_rules_[p], r);
    } else if (!rule.all.empty()) {
      add_unique(s.pattern_rules_[rule.all.front()], r);
    } else {
      s.rules_always_.push_back(r);
    }
  }
  s.matcher_.build();
}

std::shared_ptr<RuleSet> RuleSetBuilder::finish(std::string version) {
  auto& s = *set_;
  s.version_ = std::move(version);
  check_units();
  check_matters();
  if (fallbacks_.empty()) {
    out_.push_back({"", 0, 0, "no fallback unit: one file must say 'fallback: <unit id>'", Severity::error});
  } else {
    for (std::size_t i = 1; i < fallbacks_.size(); ++i) {
      error_at(fallbacks_[i].pos, "fallback given twice (first at " + fallbacks_[0].pos.file + ":" +
                                      std::to_string(fallbacks_[0].pos.line) + ")");
    }
    const auto it = s.unit_index_.find(fallbacks_[0].unit_id);
    if (it == s.unit_index_.end()) {
      error_at(fallbacks_[0].pos, "fallback names unknown unit '" + fallbacks_[0].unit_id + "'");
    } else {
      s.fallback_ = it->second;
    }
  }
  check_rules();
  build_templates();
  build_indexes();
  if (has_errors(out_)) return nullptr;
  return set_;
}

}  // namespace hotline::routing
