// The rule compiler (RuleSet::compile: yaml_reader, rule_set_builder, the matter model's text format) on one
// arbitrary file. The first input byte picks what the file is: a YAML rules file (dispatch/fuzz.yaml) or a
// matter model (model/fuzz.model); the rest is its text, at most 64 KiB (fuzz_check.hpp).
//
// Invariants: no exception escapes; a rule set comes back exactly when no diagnostic is an error; a compiled rule
// set routes a few tickets to one of its own units, the same way twice. (Compiling the text a second time would
// double the cost of a run and check little: the version is a hash of the files' text.)
#include "routing/diagnostic.hpp"
#include "routing/router.hpp"
#include "routing/rule_set.hpp"
#include "tests/fuzz/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hotline::routing;
  if (size < 1 || size > hotline::fuzz::k_max_input) return 0;
  const bool model = data[0] & 1;
  const std::vector<SourceFile> files{
      {model ? "model/fuzz.model" : "dispatch/fuzz.yaml", std::string(hotline::fuzz::text(data + 1, size - 1)), ""}};
  const auto result = RuleSet::compile(files);
  const bool errors = hotline::fuzz::rendered_has_errors(result.diagnostics);
  FUZZ_CHECK(errors == !result.rule_set, "a rule set exactly when there is no error");
  if (!result.rule_set) return 0;
  const auto& rules = *result.rule_set;
  for (const char* content : {"小区门口路灯不亮已经一周", "工地夜间施工噪音扰民", "拖欠工资", ""}) {
    Ticket t;
    t.content = content;
    if (!rules.matters().empty()) t.category = rules.matters().front().code;
    if (!rules.divisions().empty()) t.area = rules.divisions().back().code;
    const auto d = route(t, rules);
    FUZZ_CHECK(d.lead != nullptr && rules.find_unit(d.lead->id) == d.lead, "the lead is a unit of the rule set");
    const auto again = route(t, rules);
    FUZZ_CHECK(again.lead == d.lead && again.matter == d.matter && again.area == d.area, "deterministic");
  }
  return 0;
}
