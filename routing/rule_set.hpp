// The compiled rule set: unit directory, gazetteer, matter catalogue and dispatch rules, checked and indexed.
// Built once by compile(), then immutable and shared as shared_ptr<const RuleSet>: safe to read from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "routing/citizen_messages.hpp"
#include "routing/diagnostic.hpp"
#include "routing/gram_index.hpp"
#include "routing/keyword_matcher.hpp"
#include "routing/knowledge_base.hpp"
#include "routing/matter_model.hpp"
#include "routing/ngram_table.hpp"
#include "routing/text_features.hpp"
#include "routing/ticket.hpp"

namespace hotline::routing {

enum class Level { city, county, township };
std::optional<Level> parse_level(std::string_view text);
std::string_view to_string(Level level);

struct Unit {
  std::string id;
  std::string name;
  std::string kind;
  std::optional<Level> level;
  std::string parent;              // unit id, empty for a top unit
  std::vector<std::string> areas;  // division code prefixes served
  std::string peer_group;
};

struct Division {
  std::string code;
  std::string name;
  std::vector<std::string> aliases;
};

struct Matter {
  std::string code;
  std::string name;
  std::vector<std::string> keywords;
  bool functional = false;  // owner: functional — never dispatched down to a township
};

// A unit named by id, or a template resolved against the ticket's area: {kind, level}.
struct UnitRef {
  std::string unit_id;  // set for a literal reference
  std::string kind;     // set for a template
  std::optional<Level> level;
  int template_index = -1;  // into RuleSet's template table, for templates

  bool is_template() const { return unit_id.empty(); }
  std::string describe() const;  // "350602.cgj" or "{kind: 城市管理局, level: county}"
};

// How a rule's template climbs when it finds no unit at its own level for the ticket's area (the fallback
// ladder, rules/README.md): `kind` climbs township → county → city to the unit of the same kind (or the kind the
// ladder maps it to: 派出所 → 公安局); `government` climbs from a township to the county's government only;
// `none` never climbs. `automatic` is `kind`, except that a territorial matter (属地) climbs no higher than the
// county: it is never handed to a city department, and with no county known it goes to the desk.
enum class Climb { automatic, kind, government, none };
std::optional<Climb> parse_climb(std::string_view text);
std::string_view to_string(Climb climb);

// Rule-set wide ladder settings (hotline.yaml `ladder`).
struct LadderConfig {
  bool enabled = true;
  std::string government = "人民政府";                     // the kind of a county's (or zone's) government
  std::vector<std::pair<std::string, std::string>> kinds;  // a kind with no unit above climbs to this kind
};

// A template resolved with the ladder: the unit, and how many levels it climbed to reach it (0 = its own level).
struct Resolution {
  const Unit* unit = nullptr;
  int steps = 0;
  std::optional<Level> to;  // the level reached when it climbed
  bool government = false;  // reached the level's government
};

// Rule-set wide matter inference settings (hotline.yaml `inference`).
struct InferenceSettings {
  double min_confidence = 0.2;  // an inferred matter below this goes to the desk (0 = never); percent in YAML
  double model_weight = 0.5;    // the learned model's share of the confidence when a model is loaded
  double gram_weight = 1.0;     // the catalogue's n-gram evidence relative to whole keywords
  double sharpness = 0.5;       // how fast the catalogue's confidence grows with its lead in evidence
  double none_score = 2.0;      // evidence a matter needs to be more likely than none at all
  FeatureSettings features = default_feature_settings();
};

struct SourcePos {
  std::string file;
  int line = 0;
  int column = 0;
};

struct Rule {
  std::string id;
  SourcePos pos;
  std::vector<std::string> matters;   // code prefixes; empty = any
  std::vector<std::string> areas;     // division code prefixes; empty = any
  std::vector<std::string> channels;  // empty = any
  std::uint32_t types = 0;            // bit per RequestType; 0 = any
  std::uint32_t urgencies = 0;        // bit per Urgency; 0 = any
  std::vector<KeywordMatcher::PatternId> any, all, none;
  UnitRef lead;
  std::vector<UnitRef> co;
  int priority = 0;
  Climb climb = Climb::automatic;
  int order = 0;  // declaration order across files (files in path order)

  // Number of conditions besides matter and area, used as a precedence tie-breaker.
  int condition_count() const;
};

struct CompileResult;

class RuleSet {
 public:
  // Parses and checks every file (YAML; each file's top-level keys say what it holds: fallback, units,
  // divisions, matters, rules). Never throws on bad input: every problem becomes a diagnostic with
  // file:line:column. `rule_set` is null when any diagnostic is an error.
  static CompileResult compile(const std::vector<SourceFile>& files, FileLimits limits = {});

  const std::string& version() const { return version_; }  // content hash of every file, 16 hex digits
  const std::vector<Unit>& units() const { return units_; }
  const std::vector<Division>& divisions() const { return divisions_; }
  const std::vector<Matter>& matters() const { return matters_; }
  const std::vector<Rule>& rules() const { return rules_; }
  const Unit& fallback() const { return units_[fallback_]; }
  const KeywordMatcher& matcher() const { return matcher_; }

  // Lookups: null when absent.
  const Unit* find_unit(std::string_view id) const;
  const Matter* find_matter(std::string_view code) const;
  const Division* find_division(std::string_view code) const;

  // Resolves a unit reference for a ticket area: the literal unit, or for a template the unit of that kind and
  // level whose served areas hold the longest prefix of `area`. Null when nothing serves the area.
  const Unit* resolve(const UnitRef& ref, std::string_view area) const;
  // As resolve(), then, when nothing serves the area at the template's level and the ladder is enabled, climbs
  // as `climb` says (`automatic` is taken as `kind`), to no level above `highest`.
  Resolution resolve_climbing(const UnitRef& ref, std::string_view area, Climb climb,
                              Level highest = Level::city) const;
  const LadderConfig& ladder() const { return ladder_; }
  // The (kind, level) a template may climb to, in order (empty for a literal unit or with the ladder off).
  std::vector<std::pair<std::string_view, Level>> climb_targets(const UnitRef& ref) const;
  const InferenceSettings& inference() const { return inference_; }
  // Character bigrams of the catalogue's keywords and names → the leaves they are evidence for (idf-weighted).
  const NgramTable& catalogue_grams() const { return catalogue_grams_; }
  // The catalogue's bigrams and the model's n-grams in one table, for the router's scorer.
  const GramIndex& gram_index() const { return gram_index_; }
  // The learned model (model/*.model in the rules folder), or null; its labels index matters_of_label().
  const MatterModel* model() const { return model_.get(); }
  std::uint32_t matter_of_label(std::uint32_t label) const { return model_matters_[label]; }
  // A matter's place in code order (compares as the codes do), and whether matter `m`'s code starts with matter
  // `ancestor`'s (the matter itself or one below it): the router's tests without comparing strings.
  std::uint32_t code_order(std::uint32_t m) const { return code_order_[m]; }
  bool within(std::uint32_t m, std::uint32_t ancestor) const {
    return code_order_[m] - code_order_[ancestor] < code_span_[ancestor];
  }
  // The knowledge base (`knowledge:` sections); empty when the rules have none.
  const KnowledgeBase& knowledge() const { return knowledge_ ? *knowledge_ : k_no_knowledge; }
  // The citizen's SMS templates (the `sms:` section); without one, no message is sent.
  const CitizenTemplates& citizen_messages() const { return citizen_; }

  std::size_t memory_bytes() const;

  // Indexes for the router, built once by compile().
  using PatternId = KeywordMatcher::PatternId;
  // Matter and division indexes a matched pattern stands for (empty spans for rule-only keywords).
  const std::vector<std::uint32_t>& matters_of(PatternId p) const { return pattern_matters_[p]; }
  const std::vector<std::uint32_t>& divisions_of(PatternId p) const { return pattern_divisions_[p]; }
  std::uint32_t pattern_chars(PatternId p) const { return pattern_chars_[p]; }
  // Rules whose matter condition holds for a catalogue code; null for a code outside the catalogue.
  const std::vector<std::uint32_t>* rules_for_matter(std::string_view code) const;
  // Rules with no matter condition that a found keyword may satisfy (their `any` words, first `all` word).
  const std::vector<std::uint32_t>& rules_triggered_by(PatternId p) const { return pattern_rules_[p]; }
  // Rules with no matter condition and no required keywords: candidates for every ticket.
  const std::vector<std::uint32_t>& rules_always() const { return rules_always_; }

 private:
  friend class RuleSetBuilder;
  struct TemplateIndex {
    std::string kind;
    std::optional<Level> level;
    std::unordered_map<std::string, std::uint32_t> by_area;  // served area prefix -> unit index
    std::vector<int> kind_ladder;  // templates one level up, then two: the same (or mapped) kind
    int government_step = -1;      // for a township template: the county government's template
    int sole_unit = -1;            // for a city template with exactly one unit: it serves the whole city
  };
  const Unit* resolve_template(int index, std::string_view area) const;

  std::string version_;
  std::vector<Unit> units_;
  std::vector<Division> divisions_;
  std::vector<Matter> matters_;
  std::vector<Rule> rules_;
  std::vector<TemplateIndex> templates_;
  LadderConfig ladder_;
  InferenceSettings inference_;
  NgramTable catalogue_grams_;
  GramIndex gram_index_;
  std::shared_ptr<const MatterModel> model_;
  std::vector<std::uint32_t> model_matters_;  // model label index -> matter index
  std::vector<std::uint32_t> code_order_;     // matter index -> its place in code order
  std::vector<std::uint32_t> code_span_;      // matter index -> how many codes start with its own (itself included)
  std::shared_ptr<const KnowledgeBase> knowledge_;
  static const KnowledgeBase k_no_knowledge;
  CitizenTemplates citizen_;
  std::unordered_map<std::string_view, std::uint32_t> unit_index_;
  std::unordered_map<std::string_view, std::uint32_t> matter_index_;
  std::unordered_map<std::string_view, std::uint32_t> division_index_;
  std::uint32_t fallback_ = 0;
  KeywordMatcher matcher_;
  std::vector<std::vector<std::uint32_t>> pattern_matters_, pattern_divisions_, pattern_rules_;
  std::vector<std::uint32_t> pattern_chars_;
  std::unordered_map<std::string_view, std::vector<std::uint32_t>> rules_by_matter_;
  std::vector<std::uint32_t> rules_always_;
};

struct CompileResult {
  std::shared_ptr<const RuleSet> rule_set;
  std::vector<Diagnostic> diagnostics;
};

}  // namespace hotline::routing
