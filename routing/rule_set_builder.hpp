// Stages a RuleSet from YAML files: parse every section, then cross-check references and build indexes.
// Internal to routing; used by RuleSet::compile. Not thread-safe (one builder per compile).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <unordered_map>
#include <vector>

#include "routing/rule_set.hpp"
#include "routing/yaml_reader.hpp"

namespace hotline::routing {

class RuleSetBuilder {
 public:
  explicit RuleSetBuilder(std::vector<Diagnostic>& diagnostics, FileLimits limits = {});

  // Reads one file's sections into the staged set.
  void add_file(const SourceFile& file);
  // Cross-checks everything added and returns the finished set, or null when any error was found.
  std::shared_ptr<RuleSet> finish(std::string version);
  // Elements examined while cross-checking and indexing (lookups, probes, entries scanned): grows with the size of
  // the rule set and of what it builds, never with its square. A complexity probe for tests.
  std::uint64_t work() const { return work_; }

 private:
  struct Fallback {
    std::string unit_id;
    SourcePos pos;
  };
  struct Placed {
    SourcePos pos;
  };

  void read_units(YamlReader& r, const YAML::Node& list);
  void read_divisions(YamlReader& r, const YAML::Node& list);
  void read_matters(YamlReader& r, const YAML::Node& list);
  void read_rules(YamlReader& r, const YAML::Node& list);
  void read_ladder(YamlReader& r, const YAML::Node& n);
  void read_inference(YamlReader& r, const YAML::Node& n);
  void read_knowledge(YamlReader& r, const YAML::Node& list);
  void check_knowledge();
  void read_sms(YamlReader& r, const YAML::Node& n);
  void add_model(const SourceFile& file);
  void check_model();
  void build_catalogue_grams();
  std::optional<UnitRef> read_unit_ref(YamlReader& r, const YAML::Node& n);
  void read_keywords(YamlReader& r, const YAML::Node& n, Rule& rule);

  void index_units_and_matters();
  bool kind_has_units(const std::string& kind, std::optional<Level> level);  // level nullopt: at any level
  bool any_matter_under(std::string_view prefix);
  template <class Visit>
  void for_matters_under(std::string_view prefix, Visit visit);
  void check_units();
  void check_matters();
  void check_rules();
  bool resolve_ref(UnitRef& ref, const SourcePos& pos, std::string_view rule_id);
  int find_or_add_template(const std::string& kind, Level level);
  void build_ladders();
  void check_ladder();
  void build_templates();
  void build_indexes();
  void error_at(const SourcePos& pos, const std::string& message);

  std::vector<Diagnostic>& out_;
  FileLimits limits_;
  std::shared_ptr<RuleSet> set_;
  std::vector<SourcePos> unit_pos_, division_pos_, matter_pos_;
  bool unreadable_ = false;  // a file failed to parse (syntax, encoding, size): the set is refused already
  std::vector<Fallback> fallbacks_;
  std::vector<SourcePos> ladder_pos_;      // where `ladder` was given (at most once)
  std::vector<SourcePos> inference_pos_;   // where `inference` was given (at most once)
  std::string model_file_;                 // the model's path as shown, when one was read
  std::vector<KnowledgeEntry> knowledge_;  // staged; checked and built into the set's KnowledgeBase by finish()
  std::vector<SourcePos> knowledge_pos_;
  std::vector<SourcePos> sms_pos_;  // where `sms` was given (at most once)
  int rule_order_ = 0;
  // Indexes built once all files are read, so that cross-checks are lookups, not scans.
  std::unordered_map<std::string, unsigned> kind_levels_;   // unit kind -> bit per level its units have
  std::vector<std::uint32_t> matters_by_code_;              // matter indexes, sorted by code
  std::map<std::pair<std::string, int>, int> template_of_;  // (kind, level or -1) -> index in templates_
  std::uint64_t work_ = 0;
};

}  // namespace hotline::routing
