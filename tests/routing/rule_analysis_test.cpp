// Rule analysis with `keywords.none`: a rule's none words decide whether another rule can ever reach the tickets
// it matches, and whether two rules can match one ticket at all.
#include "routing/rule_analysis.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "routing/rule_set.hpp"

using namespace hotline::routing;

namespace {

const char* k_units = R"(fallback: desk
units:
  - {id: desk, name: 派单中心}
  - {id: cgj, name: 城管局}
  - {id: gsj, name: 高速公路管理处}
)";

// Every warning of the rule set made of k_units and `rules`, one a line.
std::string warnings(const std::string& rules) {
  auto r = RuleSet::compile({{"a.yaml", k_units, ""}, {"b.yaml", rules, ""}});
  std::string all;
  for (const auto& d : r.diagnostics) all += d.to_string() + "\n";
  INFO(all);
  REQUIRE(r.rule_set);
  for (const auto& d : analyze(*r.rule_set)) all += d.to_string() + "\n";
  return all;
}

}  // namespace

TEST_CASE("a rule excluding every word the higher rule excludes can never win", "[routing][rule_analysis]") {
  // Every ticket `narrow` matches (路灯, neither 高速 nor 隧道) has 路灯 and no 高速: `broad` matches it too, and
  // outranks it by priority.
  const auto all = warnings(R"(rules:
  - {id: broad, when: {keywords: {any: [路灯], none: [高速]}}, lead: cgj, priority: 1}
  - {id: narrow, when: {keywords: {any: [路灯], none: [高速, 隧道]}}, lead: gsj}
)");
  INFO(all);
  CHECK_THAT(all, Catch::Contains("rule 'narrow' can never win: rule 'broad' (b.yaml:2)"));
  CHECK_THAT(all, !Catch::Contains("rule 'broad' can never win"));
}

TEST_CASE("a none word the lower rule does not exclude leaves it reachable", "[routing][rule_analysis]") {
  // 高速路灯不亮 matches `highway` but not `broad` (its none word): `highway` wins there, so it is reachable.
  const auto all = warnings(R"(rules:
  - {id: broad, when: {keywords: {any: [路灯], none: [高速]}}, lead: cgj, priority: 1}
  - {id: highway, when: {keywords: {any: [路灯]}}, lead: gsj}
)");
  INFO(all);
  CHECK_THAT(all, !Catch::Contains("can never win"));
}

TEST_CASE("rules one of which excludes a word the other requires never tie", "[routing][rule_analysis]") {
  // Same priority and condition count, different leads. `city` excludes 高速, which `highway` requires: no ticket
  // matches both, so declaration order never decides between them. `tunnel` requires 隧道 instead: a ticket with
  // 路灯 and 隧道 matches both it and `city`, and only declaration order decides.
  const auto all = warnings(R"(rules:
  - {id: city, when: {keywords: {all: [路灯], none: [高速]}}, lead: cgj}
  - {id: highway, when: {keywords: {all: [路灯, 高速]}}, lead: gsj}
  - {id: tunnel, when: {keywords: {all: [路灯, 隧道]}}, lead: gsj}
)");
  INFO(all);
  CHECK_THAT(all, !Catch::Contains("'highway' tie on precedence"));
  CHECK_THAT(all, Catch::Contains("rules 'city' (b.yaml:2) and 'tunnel' tie on precedence"));
  CHECK_THAT(all, !Catch::Contains("can never win"));
}

TEST_CASE("a rule that leads a functional matter to a township is named with the matters it sends there",
          "[routing][rule_analysis]") {
  auto r = RuleSet::compile({{"a.yaml", R"(fallback: desk
units:
  - {id: desk, name: 派单中心}
  - {id: ybj, name: 医保局, kind: 医疗保障局, level: county}
  - {id: town, name: 某镇政府, kind: 乡镇街道, level: township}
matters:
  - {code: "09", name: 卫生健康}
  - {code: "0901", name: 医疗保障}
  - {code: "090101", name: 医保报销, owner: functional}
  - {code: "090102", name: 医保卡, owner: functional}
  - {code: "0902", name: 村卫生}
  - {code: "090201", name: 村卫生室, owner: territorial}
)",
                              ""},
                             {"b.yaml", R"(rules:
  - {id: to-town, when: {matter: "09"}, lead: town}
  - {id: to-town-template, when: {matter: "090102"}, lead: {kind: 乡镇街道, level: township}}
  - {id: clinic, when: {matter: "0902"}, lead: town}
  - {id: to-county, when: {matter: "0901"}, lead: ybj}
)",
                              ""}});
  std::string all;
  for (const auto& d : r.diagnostics) all += d.to_string() + "\n";
  INFO(all);
  REQUIRE(r.rule_set);
  for (const auto& d : analyze(*r.rule_set)) all += d.to_string() + "\n";
  CHECK_THAT(all, Catch::Contains("b.yaml:2:5: warning: rule 'to-town' leads functional matter(s) 090101 医保报销, "
                                  "090102 医保卡 to a township (town)"));
  CHECK_THAT(all, Catch::Contains("rule 'to-town-template' leads functional matter(s) 090102 医保卡 to a township "
                                  "({kind: 乡镇街道, level: township})"));
  CHECK_THAT(all, !Catch::Contains("rule 'clinic' leads"));     // a territorial matter may go to a township
  CHECK_THAT(all, !Catch::Contains("rule 'to-county' leads"));  // a county department is where it belongs
}

TEST_CASE("words that match far more than meant are warned of", "[routing][rule_analysis]") {
  const auto all = warnings(R"(divisions:
  - {code: "3506", name: 漳州市, aliases: [漳州]}
  - {code: "350602", name: 芗城区}
  - {code: "350602001", name: 南坑街道, aliases: [南坑, 南, 漳州]}
matters:
  - {code: "04", name: 城市管理}
  - {code: "0401", name: 市容}
  - {code: "040101", name: 占道经营, keywords: [占道经营, 路, 问题]}
rules:
  - {id: bikes, when: {keywords: [车, 单车]}, lead: cgj}
  - {id: vending, when: {matter: ["040101"]}, lead: cgj}
)");
  CHECK_THAT(all, Catch::Contains("matter 040101 占道经营: keyword '路' is one character: it matches wherever"));
  CHECK_THAT(all, Catch::Contains("matter 040101 占道经营: keyword '问题' is in nearly every message"));
  CHECK_THAT(all, Catch::Contains("b.yaml:10:5: warning: rule 'bikes': keyword '车' is one character"));
  CHECK_THAT(all, Catch::Contains("division 350602001 南坑街道: alias '南' is one character"));
  CHECK_THAT(all, Catch::Contains("division 350602001 南坑街道: alias '漳州' names 3506 漳州市, which contains it"));
  CHECK_THAT(all, !Catch::Contains("keyword '占道经营'"));
  CHECK_THAT(all, !Catch::Contains("'单车'"));
  CHECK_THAT(all, !Catch::Contains("alias '南坑'"));
}
