#include "routing/rule_set_builder.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

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

SourcePos pos_of(const YamlReader& r, const YAML::Node& n) {
  return {r.file(), r.line(n), r.column(n)};
}

// A unit's level as a bit of RuleSetBuilder::kind_levels_; units without a level have a bit of their own.
unsigned level_bit(std::optional<Level> level) {
  return level ? 1u << static_cast<unsigned>(*level) : 1u << 3;
}

std::pair<std::string, int> template_key(const std::string& kind, std::optional<Level> level) {
  return {kind, level ? static_cast<int>(*level) : -1};
}

}  // namespace

RuleSetBuilder::RuleSetBuilder(std::vector<Diagnostic>& diagnostics, FileLimits limits)
    : out_(diagnostics), limits_(limits), set_(std::make_shared<RuleSet>()) {}

void RuleSetBuilder::error_at(const SourcePos& pos, const std::string& message) {
  out_.push_back({pos.file, pos.line, pos.column, message, Severity::error});
}

void RuleSetBuilder::add_file(const SourceFile& file) {
  if (file.path.ends_with(".model")) {
    add_model(file);
    return;
  }
  YamlReader r(file.shown(), out_, limits_);
  const auto doc = r.parse(file.text);
  if (!doc) unreadable_ = true;       // what it held is missing: checks across files would only repeat that
  if (!doc || doc->IsNull()) return;  // syntax error already reported; an empty file holds nothing
  if (!r.check_keys(
          *doc, "a rules file",
          {"fallback", "ladder", "inference", "units", "divisions", "matters", "rules", "knowledge", "sms"})) {
    return;
  }
  if (const auto fallback = r.string(*doc, "fallback", false)) {
    fallbacks_.push_back({*fallback, pos_of(r, (*doc)["fallback"])});
  }
  if (const auto n = (*doc)["ladder"]; n.IsDefined()) read_ladder(r, n);
  if (const auto n = (*doc)["inference"]; n.IsDefined()) read_inference(r, n);
  if (const auto n = (*doc)["units"]; n.IsDefined()) read_units(r, n);
  if (const auto n = (*doc)["divisions"]; n.IsDefined()) read_divisions(r, n);
  if (const auto n = (*doc)["matters"]; n.IsDefined()) read_matters(r, n);
  if (const auto n = (*doc)["rules"]; n.IsDefined()) read_rules(r, n);
  if (const auto n = (*doc)["knowledge"]; n.IsDefined()) read_knowledge(r, n);
  if (const auto n = (*doc)["sms"]; n.IsDefined()) read_sms(r, n);
}

void RuleSetBuilder::read_sms(YamlReader& r, const YAML::Node& n) {
  if (!sms_pos_.empty()) {
    r.error(n, "sms is given twice (first at " + sms_pos_[0].file + ":" + std::to_string(sms_pos_[0].line) + ")");
    return;
  }
  sms_pos_.push_back(pos_of(r, n));
  if (!r.check_keys(n, "sms", {"signature", "reply_chars", "templates"})) return;
  auto& t = set_->citizen_;
  if (const auto signature = r.string(n, "signature", false)) t.signature = *signature;
  if (const auto chars = r.integer(n, "reply_chars")) {
    if (*chars < 10 || *chars > 500) {
      r.error(n["reply_chars"], "sms reply_chars must be 10 to 500, not " + std::to_string(*chars));
    } else {
      t.reply_chars = static_cast<std::size_t>(*chars);
    }
  }
  const auto templates = n["templates"];
  if (!templates.IsDefined()) return;
  if (!r.check_keys(templates, "sms templates", {"accepted", "replied", "follow_up"})) return;
  for (const auto m : k_citizen_messages) {
    const auto key = to_string(m);
    const auto text = r.string(templates, key, false);
    if (!text) continue;
    if (const auto why = CitizenTemplates::check(m, *text)) {
      r.error(templates[std::string(key)], "sms template " + std::string(key) + " " + *why);
      continue;
    }
    t.text[static_cast<std::size_t>(m)] = *text;
  }
}

void RuleSetBuilder::read_knowledge(YamlReader& r, const YAML::Node& list) {
  if (!r.is_seq(list, "knowledge")) return;
  for (const auto& n : list) {
    if (!r.check_keys(n, "a knowledge entry",
                      {"id", "matter", "question", "keywords", "answer", "source", "valid_until"})) {
      continue;
    }
    const auto id = r.string(n, "id", true);
    const auto matter = r.string(n, "matter", true);
    const auto question = r.string(n, "question", true);
    const auto answer = r.string(n, "answer", true);
    const auto source = r.string(n, "source", true);
    if (!id || !matter || !question || !answer || !source) continue;
    KnowledgeEntry e{*id, *matter, *question, {}, *answer, *source, std::nullopt};
    for (auto& k : r.strings(n, "keywords")) {
      if (!k.empty()) e.keywords.push_back(std::move(k));
    }
    if (e.keywords.empty()) {
      r.error(n, "knowledge entry '" + *id + "' needs at least one keyword");
      continue;
    }
    if (const auto until = r.string(n, "valid_until", false)) {
      e.valid_until = parse_day(*until);
      if (!e.valid_until) {
        r.error(n["valid_until"], "valid_until must be a date YYYY-MM-DD, not '" + *until + "'");
        continue;
      }
    }
    knowledge_.push_back(std::move(e));
    knowledge_pos_.push_back(pos_of(r, n));
  }
}

void RuleSetBuilder::check_knowledge() {
  auto& s = *set_;
  std::unordered_map<std::string_view, std::size_t> first;
  for (std::size_t i = 0; i < knowledge_.size(); ++i) {
    const auto& e = knowledge_[i];
    ++work_;
    if (const auto [it, fresh] = first.emplace(e.id, i); !fresh) {
      error_at(knowledge_pos_[i], "duplicate knowledge entry id '" + e.id + "' (first at " +
                                      knowledge_pos_[it->second].file + ":" +
                                      std::to_string(knowledge_pos_[it->second].line) + ")");
    }
    if (!unreadable_ && !s.matter_index_.contains(e.matter)) {
      error_at(knowledge_pos_[i], "knowledge entry '" + e.id + "' names unknown matter '" + e.matter + "'");
    }
  }
  if (has_errors(out_)) return;
  auto kb = std::make_shared<KnowledgeBase>();
  kb->build(std::move(knowledge_));
  s.knowledge_ = std::move(kb);
}

void RuleSetBuilder::read_ladder(YamlReader& r, const YAML::Node& n) {
  if (!ladder_pos_.empty()) {
    r.error(n, "ladder given twice (first at " + ladder_pos_[0].file + ":" + std::to_string(ladder_pos_[0].line) + ")");
    return;
  }
  ladder_pos_.push_back(pos_of(r, n));
  if (!r.check_keys(n, "ladder", {"enabled", "government", "kinds"})) return;
  auto& ladder = set_->ladder_;
  if (const auto enabled = r.string(n, "enabled", false)) {
    if (*enabled == "true") {
      ladder.enabled = true;
    } else if (*enabled == "false") {
      ladder.enabled = false;
    } else {
      r.error(n["enabled"], "enabled must be true or false, not '" + *enabled + "'");
    }
  }
  if (const auto government = r.string(n, "government", false)) ladder.government = *government;
  if (const YAML::Node kinds = n["kinds"]; kinds.IsDefined()) {
    if (!r.is_map(kinds, "ladder kinds")) return;
    for (const auto& entry : kinds) {
      if (!entry.first.IsScalar() || !entry.second.IsScalar()) {
        r.error(entry.first, "ladder kinds map a kind to a kind");
        continue;
      }
      ladder.kinds.emplace_back(entry.first.Scalar(), entry.second.Scalar());
    }
  }
}

void RuleSetBuilder::read_inference(YamlReader& r, const YAML::Node& n) {
  if (!inference_pos_.empty()) {
    r.error(n, "inference given twice (first at " + inference_pos_[0].file + ":" +
                   std::to_string(inference_pos_[0].line) + ")");
    return;
  }
  inference_pos_.push_back(pos_of(r, n));
  if (!r.check_keys(n, "inference",
                    {"min_confidence", "model_weight", "gram_weight", "sharpness", "none_score", "subject_weight",
                     "negations"})) {
    return;
  }
  auto& inf = set_->inference_;
  const auto number = [&](const char* key, double& target, double lo, double hi) {
    const auto text = r.string(n, key, false);
    if (!text) return;
    try {
      std::size_t used = 0;
      const double v = std::stod(*text, &used);
      if (used != text->size() || !(v >= lo && v <= hi)) throw std::invalid_argument(*text);
      target = v;
    } catch (const std::exception&) {
      const auto show = [](double v) {
        std::ostringstream o;
        o << v;
        return o.str();
      };
      r.error(n[key],
              std::string(key) + " must be a number from " + show(lo) + " to " + show(hi) + ", not '" + *text + "'");
    }
  };
  double percent = inf.min_confidence * 100;  // percent in the file
  number("min_confidence", percent, 0, 100);
  inf.min_confidence = percent / 100;
  number("model_weight", inf.model_weight, 0, 1);
  number("gram_weight", inf.gram_weight, 0, 10);
  number("sharpness", inf.sharpness, 0.01, 10);
  number("none_score", inf.none_score, 0, 100);
  number("subject_weight", inf.features.subject_weight, 1, 10);
  if (n["negations"].IsDefined()) {
    inf.features.negations.clear();
    for (auto& [cue, node] : r.strings_with_nodes(n, "negations")) {
      std::u32string points;
      for (std::size_t i = 0; i < cue.size();) points += decode_utf8(cue, i);
      if (points.empty()) {
        r.error(node, "a negation must not be empty");
        continue;
      }
      inf.features.negations.push_back(std::move(points));
    }
  }
}

void RuleSetBuilder::add_model(const SourceFile& file) {
  if (!model_file_.empty()) {
    out_.push_back(
        {file.shown(), 1, 1, "a second matter model (the first is " + model_file_ + "); keep one", Severity::error});
    return;
  }
  model_file_ = file.shown();
  set_->model_ = MatterModel::parse(file, out_);
}

void RuleSetBuilder::check_model() {
  auto& s = *set_;
  if (!s.model_) return;
  for (const auto& label : s.model_->labels()) {
    const auto it = s.matter_index_.find(label.code);
    if (it == s.matter_index_.end()) {
      out_.push_back({model_file_, 0, 0,
                      "model label '" + label.code + "' is not a matter code of the catalogue (retrain the model)",
                      Severity::error});
      continue;
    }
    s.model_matters_.push_back(it->second);
  }
}

// Character bigrams of each leaf's keywords and name, weighted by how few leaves share them (idf) and scaled
// down for leaves with a large vocabulary, so a leaf does not win only by having many words.
void RuleSetBuilder::build_catalogue_grams() {
  auto& s = *set_;
  std::set<std::string_view> parents;
  for (const auto& m : s.matters_) {
    if (m.code.size() > 2) parents.insert(std::string_view(m.code).substr(0, m.code.size() - 2));
  }
  std::unordered_map<NgramKey, std::vector<std::uint32_t>> leaves_of;
  std::vector<std::size_t> grams_of(s.matters_.size(), 0);
  for (std::uint32_t i = 0; i < s.matters_.size(); ++i) {
    const auto& m = s.matters_[i];
    if (parents.contains(m.code)) continue;
    std::set<NgramKey> grams;
    std::vector<std::string> words = m.keywords;
    words.push_back(m.name);
    for (const auto& w : words) {
      std::u32string points;
      for (std::size_t k = 0; k < w.size();) points += decode_utf8(w, k);
      for (std::size_t k = 0; k + 2 <= points.size(); ++k) grams.insert(ngram_key(points.data() + k, 2));
    }
    grams_of[i] = grams.size();
    for (const auto g : grams) leaves_of[g].push_back(i);
  }
  const double leaves = static_cast<double>(s.matters_.size() - parents.size());
  std::vector<std::pair<NgramKey, std::vector<NgramTable::Posting>>> entries;
  for (auto& [key, list] : leaves_of) {
    const double idf = std::log(1.0 + leaves / static_cast<double>(list.size()));
    std::vector<NgramTable::Posting> postings;
    for (const auto m : list) {
      const double w = s.inference_.gram_weight * idf / std::sqrt(static_cast<double>(grams_of[m]));
      postings.push_back({m, static_cast<float>(w)});
    }
    entries.emplace_back(key, std::move(postings));
  }
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  s.catalogue_grams_.build(std::move(entries));
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
    // Read in place: assigning a document node into a new node would merge (copy) the whole document's nodes.
    for (const auto& [k, node] : r.value_strings_with_nodes(n, "any")) rule.any.push_back(set_->matcher_.add(k));
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
    if (!r.check_keys(n, "a rule", {"id", "when", "lead", "co", "priority", "climb"})) continue;
    Rule rule;
    rule.pos = pos_of(r, n);
    const auto id = r.string(n, "id", true);
    if (!id) continue;
    rule.id = *id;
    rule.priority = static_cast<int>(r.integer(n, "priority").value_or(0));
    bool ok = true;
    if (const auto climb = r.string(n, "climb", false)) {
      const auto parsed = parse_climb(*climb);
      if (parsed) {
        rule.climb = *parsed;
      } else {
        r.error(n["climb"], "climb must be kind, government or none, not '" + *climb + "'");
        ok = false;
      }
    }
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
        for (auto& [channel, node] : r.strings_with_nodes(when, "channel")) {
          if (!is_channel(channel)) {
            std::string known;
            for (const auto c : channels()) known += (known.empty() ? "" : ", ") + std::string(c);
            r.error(node, "unknown channel '" + channel + "' (" + known + ")");
            ok = false;
            continue;
          }
          rule.channels.push_back(std::move(channel));
        }
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

void RuleSetBuilder::index_units_and_matters() {
  auto& s = *set_;
  for (const auto& u : s.units_) {
    ++work_;
    kind_levels_[u.kind] |= level_bit(u.level);
  }
  matters_by_code_.resize(s.matters_.size());
  for (std::uint32_t i = 0; i < s.matters_.size(); ++i) matters_by_code_[i] = i;
  std::stable_sort(matters_by_code_.begin(), matters_by_code_.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return s.matters_[a].code < s.matters_[b].code; });
  work_ += matters_by_code_.size();
  // The codes that start with a code follow it in code order: each matter's span ends at the first code that does
  // not. A stack of the codes still open, so the whole catalogue is read once.
  const auto n = static_cast<std::uint32_t>(matters_by_code_.size());
  s.code_order_.assign(n, 0);
  s.code_span_.assign(n, 1);
  std::vector<std::uint32_t> open;
  const auto close_until = [&](std::uint32_t at, std::string_view code) {
    while (!open.empty() && !code.starts_with(s.matters_[matters_by_code_[open.back()]].code)) {
      s.code_span_[matters_by_code_[open.back()]] = at - open.back();
      open.pop_back();
    }
  };
  for (std::uint32_t i = 0; i < n; ++i) {
    const auto m = matters_by_code_[i];
    s.code_order_[m] = i;
    close_until(i, s.matters_[m].code);
    open.push_back(i);
  }
  for (; !open.empty(); open.pop_back()) s.code_span_[matters_by_code_[open.back()]] = n - open.back();
}

bool RuleSetBuilder::kind_has_units(const std::string& kind, std::optional<Level> level) {
  ++work_;
  const auto it = kind_levels_.find(kind);
  return it != kind_levels_.end() && (!level || (it->second & level_bit(level)) != 0);
}

bool RuleSetBuilder::any_matter_under(std::string_view prefix) {
  const auto& s = *set_;
  ++work_;
  const auto it = std::lower_bound(matters_by_code_.begin(), matters_by_code_.end(), prefix,
                                   [&](std::uint32_t m, std::string_view p) { return s.matters_[m].code < p; });
  return it != matters_by_code_.end() && s.matters_[*it].code.starts_with(prefix);
}

// Calls visit(matter index) for every matter whose code starts with `prefix`, in code order.
template <class Visit>
void RuleSetBuilder::for_matters_under(std::string_view prefix, Visit visit) {
  const auto& s = *set_;
  ++work_;
  auto it =
      std::lower_bound(matters_by_code_.begin(), matters_by_code_.end(), prefix,
                       [&](std::uint32_t m, std::string_view p) { return std::string_view(s.matters_[m].code) < p; });
  for (; it != matters_by_code_.end() && s.matters_[*it].code.starts_with(prefix); ++it) {
    ++work_;
    visit(*it);
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
  for (std::uint32_t i = 0; i < s.units_.size(); ++i) {
    const auto& u = s.units_[i];
    // A parent chain that comes back to the unit would loop every walk up the directory (pass down, subtree).
    std::string at = u.parent;
    for (std::size_t steps = 0; !at.empty() && steps <= s.units_.size(); ++steps) {
      if (at == u.id) {
        error_at(unit_pos_[i], "unit '" + u.id + "' is its own " + (steps == 0 ? "parent" : "ancestor") + " (parent '" +
                                   u.parent + "')");
        break;
      }
      const auto it = s.unit_index_.find(at);
      at = it == s.unit_index_.end() ? std::string() : s.units_[it->second].parent;
    }
    // A unit serves divisions of the gazetteer: an area no division has (a digit dropped or added) would quietly
    // leave its place to another unit. Checked when the rule set has a gazetteer at all.
    if (s.divisions_.empty()) continue;
    for (const auto& area : u.areas) {
      if (!s.division_index_.contains(area)) {
        error_at(unit_pos_[i], "unit '" + u.id + "' serves area '" + area +
                                   "', which no division of the gazetteer has (county codes have 6 digits, township "
                                   "codes 9: 350602, 350602001)");
      }
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
  ++work_;
  const auto key = template_key(ref.kind, ref.level);
  if (const auto it = template_of_.find(key); it != template_of_.end()) {
    ref.template_index = it->second;
    return true;
  }
  if (!kind_has_units(ref.kind, ref.level)) {
    error_at(pos, "rule '" + std::string(rule_id) + "': no unit matches template " + ref.describe());
    return false;
  }
  ref.template_index = static_cast<int>(s.templates_.size());
  template_of_.emplace(key, ref.template_index);
  s.templates_.push_back({ref.kind, ref.level, {}, {}, -1, -1});
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
      if (!s.matters_.empty() && !any_matter_under(prefix)) {
        error_at(rule.pos, "rule '" + rule.id + "' names matter '" + prefix + "', which no matter code starts with");
      }
    }
    for (const auto& prefix : rule.areas) {
      const bool any = std::any_of(s.divisions_.begin(), s.divisions_.end(),
                                   [&](const Division& d) { return d.code.starts_with(prefix); });
      if (!s.divisions_.empty() && !any) {
        error_at(rule.pos, "rule '" + rule.id + "' names area '" + prefix + "', which no division code starts with");
      }
    }
  }
}

int RuleSetBuilder::find_or_add_template(const std::string& kind, Level level) {
  auto& s = *set_;
  ++work_;
  const auto key = template_key(kind, level);
  if (const auto it = template_of_.find(key); it != template_of_.end()) return it->second;
  if (!kind_has_units(kind, level)) return -1;
  template_of_.emplace(key, static_cast<int>(s.templates_.size()));
  s.templates_.push_back({kind, level, {}, {}, -1, -1});
  return static_cast<int>(s.templates_.size() - 1);
}

void RuleSetBuilder::check_ladder() {
  const auto& s = *set_;
  if (ladder_pos_.empty()) return;
  const auto kind_exists = [&](const std::string& kind) { return kind_has_units(kind, std::nullopt); };
  if (!kind_exists(s.ladder_.government)) {
    error_at(ladder_pos_[0], "ladder government '" + s.ladder_.government + "' is the kind of no unit");
  }
  for (const auto& [from, to] : s.ladder_.kinds) {
    if (!kind_exists(from)) error_at(ladder_pos_[0], "ladder kinds: '" + from + "' is the kind of no unit");
    if (!kind_exists(to)) error_at(ladder_pos_[0], "ladder kinds: '" + to + "' is the kind of no unit");
  }
}

// Each rule template's ladder: the templates one and two levels up (same kind, else the mapped kind), and for a
// township template the county government's. Ladder templates are added after the rules' own.
void RuleSetBuilder::build_ladders() {
  auto& s = *set_;
  std::unordered_map<std::string_view, std::string_view> kind_map;  // the first mapping of a kind wins
  for (const auto& [from, to] : s.ladder_.kinds) kind_map.try_emplace(from, to);
  const auto mapped = [&](const std::string& kind) -> std::string {
    ++work_;
    const auto it = kind_map.find(kind);
    return it == kind_map.end() ? std::string() : std::string(it->second);
  };
  const std::size_t own = s.templates_.size();
  for (std::size_t t = 0; t < own; ++t) {
    const std::string kind = s.templates_[t].kind;
    const auto level = s.templates_[t].level;
    if (!level || *level == Level::city) continue;
    std::vector<int> ladder;
    for (const Level above : {Level::county, Level::city}) {
      if (static_cast<int>(above) >= static_cast<int>(*level)) continue;
      int step = find_or_add_template(kind, above);
      if (step < 0 && !mapped(kind).empty()) step = find_or_add_template(mapped(kind), above);
      if (step >= 0) ladder.push_back(step);
    }
    const int government = *level == Level::township ? find_or_add_template(s.ladder_.government, Level::county) : -1;
    s.templates_[t].kind_ladder = std::move(ladder);
    s.templates_[t].government_step = government;
  }
}

void RuleSetBuilder::build_templates() {
  auto& s = *set_;
  if (s.templates_.empty()) return;
  std::unordered_map<std::string_view, std::vector<std::uint32_t>> units_of_kind;  // in unit order
  for (std::uint32_t i = 0; i < s.units_.size(); ++i) {
    ++work_;
    units_of_kind[s.units_[i].kind].push_back(i);
  }
  static const std::vector<std::uint32_t> none;
  for (auto& t : s.templates_) {
    std::set<std::string> reported;
    const auto found = units_of_kind.find(t.kind);
    const auto& of_kind = found == units_of_kind.end() ? none : found->second;
    work_ += of_kind.size() + 1;  // a kind's units are scanned once per level it has a template for (at most 4)
    if (t.level == Level::city) {
      int count = 0;
      for (const auto i : of_kind) {
        if (s.units_[i].level == Level::city) {
          t.sole_unit = static_cast<int>(i);
          ++count;
        }
      }
      if (count != 1) t.sole_unit = -1;
    }
    for (const auto i : of_kind) {
      const auto& u = s.units_[i];
      if (t.level && u.level != t.level) continue;
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
  // Each list below is filled in ascending order of what it lists (matters, divisions, rules are visited in
  // order), so a repeat can only be the last entry: first-seen order with one comparison per entry.
  const auto add_unique = [this](std::vector<std::uint32_t>& v, std::uint32_t x) {
    ++work_;
    if (v.empty() || v.back() != x) v.push_back(x);
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
  std::vector<std::uint32_t> held;
  for (std::uint32_t r = 0; r < s.rules_.size(); ++r) {
    const Rule& rule = s.rules_[r];
    if (!rule.matters.empty()) {
      // The matters under any of its prefixes, once each, in catalogue order.
      held.clear();
      for (const auto& prefix : rule.matters) for_matters_under(prefix, [&](std::uint32_t m) { held.push_back(m); });
      std::sort(held.begin(), held.end());
      held.erase(std::unique(held.begin(), held.end()), held.end());
      for (const auto m : held) s.rules_by_matter_[s.matters_[m].code].push_back(r);
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
  index_units_and_matters();
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
  check_ladder();
  check_model();
  check_knowledge();
  build_ladders();
  build_templates();
  build_indexes();
  build_catalogue_grams();
  if (has_errors(out_)) return nullptr;
  s.gram_index_.build(s.catalogue_grams_, s.model_.get());
  return set_;
}

}  // namespace hotline::routing
