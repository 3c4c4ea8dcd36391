#include "routing/router.hpp"

#include <catch2/catch.hpp>

using namespace hotline::routing;

namespace {

const char* k_rules = R"(fallback: desk
units:
  - id: desk
    name: 派单中心
  - id: city.cgj
    name: 市城管局
    kind: 城市管理局
    level: city
    areas: ["3506"]
  - id: 350602.cgj
    name: 芗城区城管局
    kind: 城市管理局
    level: county
    areas: ["350602"]
  - id: 350602001.gov
    name: 西桥街道
    kind: 乡镇街道
    level: township
    areas: ["350602001"]
  - id: city.rsj
    name: 市人社局
  - id: city.yjj
    name: 市应急局
  - id: city.jtj
    name: 市交通局
matters:
  - code: "01"
    name: 城建
  - code: "0101"
    name: 路灯
  - code: "010101"
    name: 路灯不亮
rules:
  - id: lamps-broad
    when: {matter: ["01"]}
    lead: city.cgj
  - id: lamps-leaf
    when: {matter: ["010101"]}
    lead: {kind: 城市管理局, level: county}
    co: [{kind: 乡镇街道, level: township}, city.cgj, {kind: 城市管理局, level: county}]
  - id: lamps-xiangcheng
    when: {matter: ["01"], area: ["350602"]}
    lead: 350602.cgj
  - id: wages
    when:
      keywords: {any: [工资, 欠薪], none: [公务员]}
    lead: city.rsj
  - id: wages-both
    when:
      keywords: {all: [工资, 工地, 拖欠]}
    lead: city.rsj
  - id: urgent-safety
    priority: 10
    when: {urgency: [very_urgent], keywords: [燃气泄漏]}
    lead: city.yjj
  - id: highway
    when: {keywords: [高速], type: [complaint, help], channel: [phone]}
    lead: city.jtj
)";

const RuleSet& rules() {
  static const auto compiled = RuleSet::compile({{"r.yaml", k_rules, ""}});
  if (!compiled.rule_set) {
    for (const auto& d : compiled.diagnostics) FAIL(d.to_string());
  }
  return *compiled.rule_set;
}

Ticket ticket(std::string content, std::string category = "", std::string area = "") {
  Ticket t;
  t.content = std::move(content);
  t.category = std::move(category);
  t.area = std::move(area);
  return t;
}

}  // namespace

TEST_CASE("a ticket no rule matches goes to the fallback desk", "[routing][router]") {
  const auto d = route(ticket("天气很好"), rules());
  CHECK(d.lead->id == "desk");
  CHECK(d.rule == nullptr);
  CHECK(d.rule_id() == "fallback");
}

TEST_CASE("a longer matched matter prefix beats a shorter one", "[routing][router]") {
  const auto d = route(ticket("灯坏了", "010101", "350602001"), rules());
  CHECK(d.rule_id() == "lamps-leaf");
  CHECK(d.lead->id == "350602.cgj");
  REQUIRE(d.co.size() == 2);  // the duplicate of the lead is dropped
  CHECK(d.co[0]->id == "350602001.gov");
  CHECK(d.co[1]->id == "city.cgj");
}

TEST_CASE("with equal matter prefixes a longer area prefix wins", "[routing][router]") {
  CHECK(route(ticket("灯坏了", "0101", "350602001"), rules()).rule_id() == "lamps-xiangcheng");
  CHECK(route(ticket("灯坏了", "0101", "350623"), rules()).rule_id() == "lamps-broad");
  CHECK(route(ticket("灯坏了", "0101"), rules()).rule_id() == "lamps-broad");
}

TEST_CASE("a rule whose template serves nobody in the area does not match", "[routing][router]") {
  // lamps-leaf would win on matter prefix, but no county 城管局 serves 350623: the next rule decides.
  const auto d = route(ticket("灯坏了", "010101", "350623"), rules(), {.explain = true});
  CHECK(d.rule_id() == "lamps-broad");
  CHECK(std::any_of(d.explain.begin(), d.explain.end(),
                    [](const auto& line) { return line.find("lamps-leaf matches but") != std::string::npos; }));
}

TEST_CASE("keyword conditions any, all and none are honoured", "[routing][router]") {
  CHECK(route(ticket("老板拖欠工资三个月"), rules()).rule_id() == "wages");
  CHECK(route(ticket("我是公务员，工资晚发"), rules()).lead->id == "desk");
  // Both wage rules match; wages-both has more conditions (three required keywords against two groups).
  CHECK(route(ticket("工地拖欠工资"), rules()).rule_id() == "wages-both");
  CHECK(route(ticket("工地工资"), rules()).rule_id() == "wages");
}

TEST_CASE("type, urgency and channel conditions", "[routing][router]") {
  auto t = ticket("高速路上有落石");
  t.channel = "phone";
  CHECK(route(t, rules()).rule_id() == "highway");
  t.type = RequestType::praise;
  CHECK(route(t, rules()).rule_id() == "fallback");
  t.type = RequestType::help;
  t.channel = "web";
  CHECK(route(t, rules()).rule_id() == "fallback");
}

TEST_CASE("priority beats every other precedence key", "[routing][router]") {
  auto t = ticket("燃气泄漏，工地拖欠工资", "010101", "350602001");
  CHECK(route(t, rules()).rule_id() == "lamps-leaf");
  t.urgency = Urgency::very_urgent;
  CHECK(route(t, rules()).rule_id() == "urgent-safety");
}

TEST_CASE("ties go to the rule declared first", "[routing][router]") {
  const auto compiled = RuleSet::compile({{"t.yaml",
                                           "fallback: a\n"
                                           "units: [{id: a, name: A}, {id: b, name: B}]\n"
                                           "rules:\n"
                                           "  - {id: second-file-order, when: {keywords: [灯]}, lead: b}\n",
                                           ""},
                                          {"s.yaml",
                                           "rules:\n"
                                           "  - {id: first, when: {keywords: [路灯]}, lead: a}\n",
                                           ""}});
  REQUIRE(compiled.rule_set);
  // s.yaml sorts before t.yaml, so "first" is declared first.
  CHECK(route(ticket("路灯坏了"), *compiled.rule_set).rule_id() == "first");
}

TEST_CASE("explain names every matching rule and the winner", "[routing][router]") {
  const auto d = route(ticket("灯坏了", "0101", "350602001"), rules(), {.explain = true});
  REQUIRE(d.explain.size() >= 3);
  CHECK(d.explain.back().find("winner: rule lamps-xiangcheng") == 0);
  // What put the winner first, against the runner-up (lamps-broad: the same priority, matter prefix 2, no area).
  CHECK(d.explain.back().find("(ahead of rule lamps-broad by longer area prefix)") != std::string::npos);
  // A rule of the matter's branch that did not apply says which condition failed.
  const auto has = [&](const std::vector<std::string>& lines, const std::string& text) {
    return std::any_of(lines.begin(), lines.end(), [&](const auto& l) { return l.find(text) != std::string::npos; });
  };
  CHECK(route(ticket("灯坏了", "0101", "350602001"), rules()).explain.empty());
  auto highway = ticket("高速上有人乱扔垃圾，也拖欠工资");
  highway.channel = "web";
  const auto h = route(highway, rules(), {.explain = true});
  INFO(Catch::Detail::stringify(h.explain));
  CHECK(has(h.explain, "rule highway (r.yaml:"));
  CHECK(has(h.explain, ") does not apply: channel 'web' is not in [phone]"));
  CHECK(has(h.explain, "rule wages-both (r.yaml:"));
  CHECK(has(h.explain, ") does not apply: keywords.all: '工地' is not in the text"));
  CHECK(has(h.explain, "winner: rule wages declared at r.yaml:"));
  CHECK(has(h.explain, "(the only rule that applies)"));
}
