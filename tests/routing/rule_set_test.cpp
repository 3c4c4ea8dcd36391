#include "routing/rule_set.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

using namespace hotline::routing;

namespace {

const char* k_units = R"(fallback: desk
units:
  - id: desk
    name: 派单中心
  - id: 350602.cgj
    name: 芗城区城市管理局
    kind: 城市管理局
    level: county
    areas: ["350602"]
)";

std::vector<std::string> messages(const CompileResult& r) {
  std::vector<std::string> out;
  for (const auto& d : r.diagnostics) out.push_back(d.to_string());
  return out;
}

bool contains(const std::vector<std::string>& all, const std::string& needle) {
  return std::any_of(all.begin(), all.end(), [&](const auto& m) { return m.find(needle) != std::string::npos; });
}

}  // namespace

TEST_CASE("a valid rule set compiles with a stable content version", "[routing][rules]") {
  const std::vector<SourceFile> files{{"hotline.yaml", k_units, ""},
                                      {"dispatch.yaml", "rules:\n  - id: r1\n    lead: desk\n", ""}};
  const auto a = RuleSet::compile(files);
  REQUIRE(a.rule_set);
  CHECK(a.diagnostics.empty());
  CHECK(a.rule_set->units().size() == 2);
  CHECK(a.rule_set->rules().size() == 1);
  CHECK(a.rule_set->fallback().id == "desk");
  CHECK(a.rule_set->version().size() == 16);
  // The version depends on content and relative paths, not on the order files were given in.
  const auto b = RuleSet::compile({files[1], files[0]});
  CHECK(b.rule_set->version() == a.rule_set->version());
  auto changed = files;
  changed[1].text += "\n";
  CHECK(RuleSet::compile(changed).rule_set->version() != a.rule_set->version());
}

TEST_CASE("every mistake in a rule set is reported with file:line:column", "[routing][rules]") {
  const std::vector<SourceFile> files{
      {"hotline.yaml", k_units, "rules/hotline.yaml"},
      {"dispatch.yaml",
       "rules:\n"
       "  - id: r1\n"
       "    lead: nobody\n"
       "  - id: r1\n"
       "    when:\n"
       "      typ: [complaint]\n"
       "    lead: {kind: 不存在的局, level: county}\n"
       "  - id: r3\n"
       "    when: {type: [抱怨], channel: [phone, telephone]}\n"
       "    lead: desk\n",
       "rules/dispatch.yaml"},
  };
  const auto r = RuleSet::compile(files);
  CHECK_FALSE(r.rule_set);
  const auto m = messages(r);
  CHECK(contains(m, "rules/dispatch.yaml:2:5: error: rule 'r1' names unknown unit 'nobody'"));
  CHECK(contains(m, "rules/dispatch.yaml:6:7: error: unknown key 'typ' in when"));
  CHECK(contains(m, "rules/dispatch.yaml:4:5: error: duplicate rule id 'r1'"));
  CHECK(contains(
      m, "rules/dispatch.yaml:4:5: error: rule 'r1': no unit matches template {kind: 不存在的局, level: county}"));
  CHECK(contains(m, "rules/dispatch.yaml:9:19: error: unknown request type '抱怨'"));
  CHECK(contains(m,
                 "rules/dispatch.yaml:9:45: error: unknown channel 'telephone' (phone, web, app, wechat, weibo, "
                 "email, sms, transfer, other)"));
}

TEST_CASE("areas are checked against the gazetteer and a unit cannot be its own ancestor", "[routing][rules]") {
  const std::vector<SourceFile> files{
      {"hotline.yaml", k_units, "rules/hotline.yaml"},
      {"more.yaml",
       "divisions:\n"
       "  - {code: \"3506\", name: 漳州市}\n"
       "  - {code: \"350602\", name: 芗城区}\n"
       "  - {code: \"350602001\", name: 西桥街道}\n"
       "units:\n"
       "  - {id: 350602001.pcs, name: 东铺头派出所, kind: 派出所, level: township, areas: [\"35062001\"]}\n"
       "  - {id: a.unit, name: 甲, parent: a.unit}\n"
       "  - {id: b.unit, name: 乙, parent: c.unit}\n"
       "  - {id: c.unit, name: 丙, parent: b.unit}\n"
       "rules:\n"
       "  - {id: r1, when: {area: [\"350699\"]}, lead: desk}\n"
       "  - {id: r2, when: {area: [\"35060\"]}, lead: desk}\n",
       "rules/more.yaml"},
  };
  const auto r = RuleSet::compile(files);
  CHECK_FALSE(r.rule_set);
  const auto m = messages(r);
  INFO(Catch::Detail::stringify(m));
  CHECK(contains(m,
                 "rules/more.yaml:6:5: error: unit '350602001.pcs' serves area '35062001', which no division of "
                 "the gazetteer has"));
  CHECK(contains(m, "rules/more.yaml:7:5: error: unit 'a.unit' is its own parent (parent 'a.unit')"));
  CHECK(contains(m, "rules/more.yaml:8:5: error: unit 'b.unit' is its own ancestor (parent 'c.unit')"));
  CHECK(contains(m, "error: rule 'r1' names area '350699', which no division code starts with"));
  CHECK_FALSE(contains(m, "'r2'"));  // a prefix of real codes is an area
  CHECK_FALSE(contains(m, "'350602.cgj' serves"));
}

TEST_CASE("a key given twice in a rules file is an error: the second section would be dropped unseen",
          "[routing][rules]") {
  const std::vector<SourceFile> files{
      {"hotline.yaml", k_units, "rules/hotline.yaml"},
      {"dispatch.yaml",
       "rules:\n"
       "  - id: r1\n"
       "    lead: desk\n"
       "    lead: desk\n"
       "rules:\n"
       "  - id: r2\n"
       "    lead: desk\n",
       "rules/dispatch.yaml"},
  };
  const auto r = RuleSet::compile(files);
  CHECK_FALSE(r.rule_set);
  const auto m = messages(r);
  CHECK(contains(m, "rules/dispatch.yaml:5:1: error: duplicate key 'rules' (first at line 1)"));
  CHECK(contains(m, "rules/dispatch.yaml:4:5: error: duplicate key 'lead' (first at line 3)"));
}

TEST_CASE("YAML syntax errors and structural mistakes become diagnostics, never exceptions", "[routing][rules]") {
  const auto syntax = RuleSet::compile({{"bad.yaml", "units: [\n  - id: x\n", ""}});
  CHECK_FALSE(syntax.rule_set);
  REQUIRE_FALSE(syntax.diagnostics.empty());
  CHECK(syntax.diagnostics[0].file == "bad.yaml");
  CHECK(syntax.diagnostics[0].line > 0);

  const auto structure = RuleSet::compile({{"a.yaml", "units: {id: x}\nmatters: 3\nsurprise: 1\n", ""}});
  const auto m = messages(structure);
  CHECK(contains(m, "a.yaml:1:8: error: units must be a list"));
  CHECK(contains(m, "a.yaml:2:10: error: matters must be a list"));
  CHECK(contains(m, "a.yaml:3:1: error: unknown key 'surprise'"));
  CHECK(contains(m, "no fallback unit"));

  // A file saved as GBK: the first bad byte's place, and what to do. 芗城 in GBK is DCEF B3C7.
  const auto not_utf8 =
      RuleSet::compile({{"x.yaml", "fallback: desk\nunits:\n  - {id: a, name: \xdc\xef\xb3\xc7}\n", ""}});
  CHECK(contains(messages(not_utf8),
                 "x.yaml:3:19: error: file is not valid UTF-8: save it as UTF-8 (a file saved as "
                 "GBK or GB18030 reads like this)"));
}

TEST_CASE("units are checked for ids, duplicates, parents, levels and areas", "[routing][rules]") {
  const auto r = RuleSet::compile({{"u.yaml",
                                    "fallback: desk\n"
                                    "units:\n"
                                    "  - id: desk\n"
                                    "    name: a\n"
                                    "  - id: desk\n"
                                    "    name: b\n"
                                    "  - id: Bad Id\n"
                                    "    name: c\n"
                                    "  - id: x\n"
                                    "    name: d\n"
                                    "    parent: nobody\n"
                                    "    level: province\n"
                                    "    areas: [35x]\n",
                                    ""}});
  const auto m = messages(r);
  CHECK(contains(m, "u.yaml:5:5: error: duplicate unit id 'desk' (first defined at u.yaml:3)"));
  CHECK(contains(m, "u.yaml:7:9: error: unit id 'Bad Id' must be"));
  CHECK(contains(m, "u.yaml:9:5: error: unit 'x' names unknown parent 'nobody'"));
  CHECK(contains(m, "u.yaml:12:12: error: level must be city, county or township"));
  CHECK(contains(m, "u.yaml:13:13: error: area '35x' must be a division code"));
}

TEST_CASE("matters need their parent code, and rules must name existing matters", "[routing][rules]") {
  const auto r = RuleSet::compile({{"m.yaml",
                                    std::string(k_units) + "matters:\n"
                                                           "  - code: \"01\"\n"
                                                           "    name: 城建\n"
                                                           "  - code: \"020101\"\n"
                                                           "    name: 孤儿\n"
                                                           "  - code: \"01\"\n"
                                                           "    name: 重复\n"
                                                           "    owner: nobody\n"
                                                           "rules:\n"
                                                           "  - id: r\n"
                                                           "    when: {matter: [\"0909\"]}\n"
                                                           "    lead: desk\n",
                                    ""}});
  const auto m = messages(r);
  CHECK(contains(m, "matter '020101' has no parent '0201'"));
  CHECK(contains(m, "duplicate matter code '01'"));
  CHECK(contains(m, "owner must be functional or territorial"));
  CHECK(contains(m, "rule 'r' names matter '0909', which no matter code starts with"));
}

TEST_CASE("matters compare in code order and know the codes below them, in any file order", "[routing][rules]") {
  // Listed out of code order on purpose, with a sibling ("0102") whose code sorts between a class and its leaf.
  const auto r = RuleSet::compile({{"m.yaml",
                                    std::string(k_units) + "matters:\n"
                                                           "  - {code: \"0201\", name: 劳动}\n"
                                                           "  - {code: \"01\", name: 城建}\n"
                                                           "  - {code: \"010102\", name: 路灯}\n"
                                                           "  - {code: \"02\", name: 社保}\n"
                                                           "  - {code: \"0101\", name: 市政}\n"
                                                           "  - {code: \"0102\", name: 园林}\n"
                                                           "  - {code: \"010101\", name: 道路}\n",
                                    ""}});
  REQUIRE(r.rule_set);
  const auto& set = *r.rule_set;
  const auto& all = set.matters();
  REQUIRE(all.size() == 7);
  for (std::uint32_t a = 0; a < all.size(); ++a) {
    for (std::uint32_t b = 0; b < all.size(); ++b) {
      INFO(all[a].code << " and " << all[b].code);
      CHECK((set.code_order(a) < set.code_order(b)) == (all[a].code < all[b].code));
      CHECK(set.within(a, b) == all[a].code.starts_with(all[b].code));
    }
  }
}

TEST_CASE("a template that two units serve for the same area is ambiguous", "[routing][rules]") {
  const auto r = RuleSet::compile({{"t.yaml",
                                    std::string(k_units) + "  - id: 350602.cgj2\n"
                                                           "    name: 另一个城管局\n"
                                                           "    kind: 城市管理局\n"
                                                           "    level: county\n"
                                                           "    areas: [\"350602\"]\n"
                                                           "rules:\n"
                                                           "  - id: r\n"
                                                           "    lead: {kind: 城市管理局, level: county}\n",
                                    ""}});
  CHECK_FALSE(r.rule_set);
  CHECK(contains(messages(r), "is ambiguous for area 350602"));
}

TEST_CASE("templates resolve to the unit serving the longest prefix of the area", "[routing][rules]") {
  const auto r = RuleSet::compile({{"z.yaml",
                                    std::string(k_units) + "  - id: zsj.cgj\n"
                                                           "    name: 招商局开发区城管局\n"
                                                           "    kind: 城市管理局\n"
                                                           "    level: county\n"
                                                           "    areas: [\"350604501\"]\n"
                                                           "  - id: 350604.cgj\n"
                                                           "    name: 龙海区城管局\n"
                                                           "    kind: 城市管理局\n"
                                                           "    level: county\n"
                                                           "    areas: [\"350604\"]\n"
                                                           "rules:\n"
                                                           "  - id: r\n"
                                                           "    lead: {kind: 城市管理局, level: county}\n",
                                    ""}});
  REQUIRE(r.rule_set);
  const auto& ref = r.rule_set->rules()[0].lead;
  CHECK(r.rule_set->resolve(ref, "350604501")->id == "zsj.cgj");
  CHECK(r.rule_set->resolve(ref, "350604501000")->id == "zsj.cgj");
  CHECK(r.rule_set->resolve(ref, "350604101")->id == "350604.cgj");
  CHECK(r.rule_set->resolve(ref, "350602003")->id == "350602.cgj");
  CHECK(r.rule_set->resolve(ref, "350622") == nullptr);
  CHECK(r.rule_set->resolve(ref, "") == nullptr);
}
