// The fallback ladder: a template that finds no unit at its level for the ticket's area climbs.
#include <algorithm>
#include <catch2/catch.hpp>

#include "routing/router.hpp"
#include "routing/rule_analysis.hpp"
#include "tests/routing/compile_errors.hpp"

using namespace hotline::routing;

namespace {

const char* k_units = R"(fallback: desk
units:
  - {id: desk, name: 派单中心, kind: 热线派单中心, level: city, areas: ["3506"]}
  - {id: 3506.gov, name: 市政府, kind: 人民政府, level: city, areas: ["3506"]}
  - {id: 3506.cgj, name: 市城管局, kind: 城市管理局, level: city, areas: ["3506"]}
  - {id: 3506.gaj, name: 市公安局, kind: 公安局, level: city, areas: ["3506"]}
  - {id: 3506.rsj, name: 市人社局, kind: 人力资源和社会保障局, level: city, areas: ["3506"]}
  - {id: 350602.gov, name: 芗城区政府, kind: 人民政府, level: county, areas: ["350602"]}
  - {id: 350602.cgj, name: 芗城区城管局, kind: 城市管理局, level: county, areas: ["350602"]}
  - {id: 350602.gaj, name: 芗城分局, kind: 公安局, level: county, areas: ["350602"]}
  - {id: 350602.rsj, name: 芗城区人社局, kind: 人力资源和社会保障局, level: county, areas: ["350602"]}
  - {id: 350602001.gov, name: 西桥街道, kind: 乡镇街道, level: township, areas: ["350602001"]}
  - {id: 350602001.pcs, name: 西桥派出所, kind: 派出所, level: township, areas: ["350602001"]}
matters:
  - {code: "03", name: 环境}
  - {code: "0302", name: 大气}
  - {code: "030202", name: 餐饮油烟, keywords: [油烟], owner: territorial}
  - {code: "08", name: 劳动}
  - {code: "0801", name: 劳动权益}
  - {code: "080101", name: 拖欠工资, keywords: [拖欠工资], owner: functional}
  - {code: "11", name: 治安}
  - {code: "1101", name: 社会治安}
  - {code: "110101", name: 治安案件, keywords: [小偷], owner: territorial}
rules:
  - id: fumes
    when: {matter: ["030202"]}
    lead: {kind: 乡镇街道, level: township}
    co: [{kind: 城市管理局, level: county}]
  - id: theft
    when: {matter: ["110101"]}
    lead: {kind: 派出所, level: township}
  - id: wages
    when: {matter: ["080101"]}
    lead: {kind: 人力资源和社会保障局, level: county}
  - id: wages-stay
    when: {matter: ["080101"], keywords: [工地]}
    lead: {kind: 人力资源和社会保障局, level: county}
    climb: none
)";

const char* k_ladder = R"(ladder:
  enabled: true
  government: 人民政府
  kinds: {乡镇街道: 人民政府, 派出所: 公安局}
)";

std::shared_ptr<const RuleSet> compile(std::string ladder = k_ladder) {
  auto r = RuleSet::compile({{"a.yaml", k_units, ""}, {"b.yaml", ladder, ""}});
  for (const auto& d : r.diagnostics) INFO(d.to_string());
  REQUIRE(r.rule_set);
  return r.rule_set;
}

Ticket ticket(std::string content, std::string area = "") {
  Ticket t;
  t.content = std::move(content);
  t.area = std::move(area);
  return t;
}

bool says(const Decision& d, std::string_view text) {
  return std::any_of(d.explain.begin(), d.explain.end(), [&](const auto& l) { return l.find(text) != l.npos; });
}

}  // namespace

TEST_CASE("a township template with only the county known climbs to the county's government", "[routing][ladder]") {
  const auto rules = compile();
  const auto d = route(ticket("楼下饭店油烟很大", "350602"), *rules, {.explain = true});
  CHECK(d.rule_id() == "fumes");
  CHECK(d.lead->id == "350602.gov");
  CHECK(d.ladder == "township → county 人民政府");
  REQUIRE(d.co.size() == 1);
  CHECK(d.co[0]->id == "350602.cgj");
  CHECK(says(d, "climbed 1 level to the county government"));
  // The township itself known: no climbing.
  const auto own = route(ticket("楼下饭店油烟很大", "350602001"), *rules);
  CHECK(own.lead->id == "350602001.gov");
  CHECK(own.ladder.empty());
}

TEST_CASE("a township kind climbs to the county kind the ladder maps it to", "[routing][ladder]") {
  const auto rules = compile();
  const auto d = route(ticket("小区里小偷很多", "350602"), *rules);
  CHECK(d.rule_id() == "theft");
  CHECK(d.lead->id == "350602.gaj");
  CHECK(d.ladder == "township → county 公安局");
}

TEST_CASE("a functional matter with no place goes to the city's department", "[routing][ladder]") {
  const auto rules = compile();
  const auto d = route(ticket("公司拖欠工资三个月"), *rules, {.explain = true});
  CHECK(d.rule_id() == "wages");
  CHECK(d.lead->id == "3506.rsj");
  CHECK(d.ladder == "county → city 人力资源和社会保障局");
  // The city named: the same.
  CHECK(route(ticket("公司拖欠工资三个月", "3506"), *rules).lead->id == "3506.rsj");
  // The county named: its own bureau, no climbing.
  CHECK(route(ticket("公司拖欠工资三个月", "350602"), *rules).lead->id == "350602.rsj");
}

TEST_CASE("a territorial matter never climbs past its county", "[routing][ladder]") {
  const auto rules = compile();
  for (const char* area : {"", "3506"}) {
    INFO(area);
    const auto d = route(ticket("楼下饭店油烟很大", area), *rules, {.explain = true});
    CHECK(d.lead->id == "desk");
    CHECK(d.rule_id() == "fallback");
    CHECK(says(d, "up to the county"));
  }
}

TEST_CASE("a rule that says climb: none does not climb", "[routing][ladder]") {
  const auto rules = compile();
  // wages-stay would win on conditions, but it cannot resolve without a county: wages climbs instead.
  CHECK(route(ticket("工地拖欠工资"), *rules).rule_id() == "wages");
  CHECK(route(ticket("工地拖欠工资", "350602"), *rules).rule_id() == "wages-stay");
}

TEST_CASE("a rule reaching its unit directly beats one that had to climb", "[routing][ladder]") {
  const char* more = R"(rules:
  - id: fumes-city
    when: {matter: ["03"]}
    lead: 3506.cgj
)";
  auto r = RuleSet::compile({{"a.yaml", k_units, ""}, {"b.yaml", k_ladder, ""}, {"c.yaml", more, ""}});
  REQUIRE(r.rule_set);
  // fumes has the longer matter prefix but needs a step; fumes-city resolves as it is.
  CHECK(route(ticket("饭店油烟", "350602"), *r.rule_set).rule_id() == "fumes-city");
  CHECK(route(ticket("饭店油烟", "350602001"), *r.rule_set).rule_id() == "fumes");
}

TEST_CASE("the ladder can be switched off for a rule set", "[routing][ladder]") {
  const auto rules = compile("ladder: {enabled: false}\n");
  CHECK(route(ticket("楼下饭店油烟很大", "350602"), *rules).lead->id == "desk");
  CHECK(route(ticket("公司拖欠工资三个月"), *rules).lead->id == "desk");
}

TEST_CASE("ladder settings are checked", "[routing][ladder]") {
  const auto errors = [](const std::string& extra) {
    return compile_errors({{"a.yaml", k_units, ""}, {"b.yaml", extra, ""}});
  };
  CHECK_THAT(errors("ladder: {kinds: {派出所: 警察局}}\n"), Catch::Contains("'警察局' is the kind of no unit"));
  CHECK_THAT(errors("ladder: {government: 管委会}\n"), Catch::Contains("ladder government '管委会'"));
  CHECK_THAT(errors("ladder: {enabled: maybe}\n"), Catch::Contains("enabled must be true or false"));
  CHECK_THAT(errors("ladder: {climb: up}\n"), Catch::Contains("unknown key"));
  CHECK_THAT(errors("rules:\n  - {id: x, lead: desk, climb: sideways}\n"),
             Catch::Contains("climb must be kind, government or none"));
}

TEST_CASE("rules check reports the matters that can still only reach the desk", "[routing][ladder]") {
  const char* more = R"(divisions:
  - {code: "3506", name: 漳州市}
  - {code: "350602", name: 芗城区}
  - {code: "350602001", name: 西桥街道}
matters:
  - {code: "14", name: 公共事业}
  - {code: "1404", name: 通信}
  - {code: "140404", name: 宽带与话费, owner: functional}
rules:
  - id: broadband-named
    when: {matter: ["140404"], keywords: [电信]}
    lead: 3506.rsj
)";
  auto r = RuleSet::compile({{"a.yaml", k_units, ""}, {"b.yaml", k_ladder, ""}, {"c.yaml", more, ""}});
  REQUIRE(r.rule_set);
  std::string all;
  for (const auto& d : analyze(*r.rule_set)) all += d.to_string() + "\n";
  INFO(all);
  CHECK_THAT(all, Catch::Contains("matter 140404 宽带与话费 can only reach the desk"));
  // Territorial matters reach the desk only without a place: one summary line.
  CHECK_THAT(all, Catch::Contains("2 matter(s) reach the desk when no place is named"));
  CHECK_THAT(all, Catch::Contains(": 030202 110101\n"));
  CHECK_THAT(all, !Catch::Contains("080101"));
  // The ladder's targets count as reached: 3506.rsj and 350602.gov are not listed as unreachable.
  CHECK_THAT(all, !Catch::Contains("350602.gov"));
}
