// The knowledge base: entries read from `knowledge:` sections, checked against the catalogue, and searched.
#include <catch2/catch.hpp>

#include "routing/rule_set.hpp"
#include "tests/routing/compile_errors.hpp"

using namespace hotline::routing;

namespace {

const char* k_base = R"(fallback: desk
units:
  - {id: desk, name: 派单中心, kind: 热线派单中心, level: city, areas: ["3506"]}
matters:
  - {code: "08", name: 劳动保障}
  - {code: "0802", name: 社会保险}
  - {code: "080206", name: 社保卡, keywords: [社保卡]}
  - {code: "11", name: 政法}
  - {code: "1105", name: 法律服务}
  - {code: "110501", name: 法律援助, keywords: [法律援助]}
)";

const char* k_entries = R"(knowledge:
  - id: kb-card
    matter: "080206"
    question: 社保卡丢了怎么补办？
    keywords: [社保卡补办, 社保卡挂失, 社保卡丢了]
    answer: 先挂失，再带身份证到网点补办。
    source: 社会保障卡服务规定
  - id: kb-card-password
    matter: "080206"
    question: 社保卡密码忘了怎么办？
    keywords: [社保卡密码, 密码锁定]
    answer: 带身份证到网点重置。
    source: 社会保障卡服务规定
  - id: kb-legal-aid
    matter: "110501"
    question: 怎么申请法律援助？
    keywords: [法律援助, 请不起律师]
    answer: 到公共法律服务中心申请。
    source: 《中华人民共和国法律援助法》
    valid_until: "2026-06-30"
)";

std::shared_ptr<const RuleSet> compile_ok(const std::vector<SourceFile>& files) {
  auto r = RuleSet::compile(files);
  for (const auto& d : r.diagnostics) INFO(d.to_string());
  REQUIRE(r.rule_set != nullptr);
  return r.rule_set;
}

const Day k_before_end = *parse_day("2026-06-30");
const Day k_after_end = *parse_day("2026-07-01");

}  // namespace

TEST_CASE("knowledge entries are found by their keywords, best first, with the keywords that matched") {
  const auto rules = compile_ok({{"base.yaml", k_base, ""}, {"kb.yaml", k_entries, ""}});
  const auto& kb = rules->knowledge();
  REQUIRE(kb.entries().size() == 3);
  const auto found = kb.search("我的社保卡丢了，社保卡密码也忘了，想问一下怎么办", k_before_end, "", 5);
  REQUIRE(found.size() == 2);
  // 社保卡丢了 and 社保卡密码 are five characters each: the tie goes by id.
  CHECK(found[0].score == 5);
  CHECK(found[1].score == 5);
  CHECK(found[0].entry->id == "kb-card");
  CHECK(found[0].matched == std::vector<std::string>{"社保卡丢了"});
  CHECK(found[1].entry->id == "kb-card-password");
  // Two keywords of one entry add up.
  const auto both = kb.search("社保卡挂失以后社保卡补办要多久", k_before_end, "", 5);
  REQUIRE(both.size() == 1);
  CHECK(both[0].score == 10);
  CHECK(both[0].matched == std::vector<std::string>{"社保卡补办", "社保卡挂失"});
  // `top` caps the list.
  CHECK(kb.search("社保卡丢了，社保卡密码", k_before_end, "", 1).size() == 1);
  CHECK(kb.search("路灯坏了", k_before_end, "", 5).empty());
}

TEST_CASE("the routed matter breaks a tie between knowledge entries") {
  const auto rules = compile_ok({{"base.yaml", k_base, ""}, {"kb.yaml", k_entries, ""}});
  const auto& kb = rules->knowledge();
  const char* text = "社保卡丢了，请不起律师";  // 5 characters for each of two matters
  const auto plain = kb.search(text, k_before_end, "", 5);
  REQUIRE(plain.size() == 2);
  CHECK(plain[0].entry->id == "kb-card");  // tie, by id
  const auto legal = kb.search(text, k_before_end, "110501", 5);
  REQUIRE(legal.size() == 2);
  CHECK(legal[0].entry->id == "kb-legal-aid");
  CHECK(legal[0].score == 5 + KnowledgeBase::k_matter_bonus);
  // A class above the entry's matter counts too.
  CHECK(kb.search(text, k_before_end, "11", 5)[0].entry->id == "kb-legal-aid");
}

TEST_CASE("an entry past its valid_until is no longer offered") {
  const auto rules = compile_ok({{"base.yaml", k_base, ""}, {"kb.yaml", k_entries, ""}});
  const auto& kb = rules->knowledge();
  CHECK(kb.search("想申请法律援助", k_before_end, "", 5).size() == 1);
  CHECK(kb.search("想申请法律援助", k_after_end, "", 5).empty());
  REQUIRE(kb.find("kb-legal-aid") != nullptr);
  CHECK(kb.find("kb-legal-aid")->valid_on(k_before_end));
  CHECK_FALSE(kb.find("kb-legal-aid")->valid_on(k_after_end));
  CHECK(kb.find("kb-nothing") == nullptr);
}

TEST_CASE("a rule set without knowledge sections has an empty knowledge base") {
  const auto rules = compile_ok({{"base.yaml", k_base, ""}});
  CHECK(rules->knowledge().entries().empty());
  CHECK(rules->knowledge().search("社保卡丢了", k_before_end, "", 5).empty());
}

TEST_CASE("bad knowledge entries are refused with their place in the file") {
  const auto refused = [](const std::string& entry) {
    return compile_errors({{"base.yaml", k_base, ""}, {"kb.yaml", "knowledge:\n  - {" + entry + "}\n", ""}});
  };
  const std::string entry =
      "knowledge:\n  - {id: a, matter: \"080206\", question: q, keywords: [社保卡], answer: x, "
      "source: s}\n";
  CHECK_THAT(compile_errors({{"base.yaml", k_base, ""}, {"kb.yaml", entry, ""}, {"kb2.yaml", entry, ""}}),
             Catch::Contains("duplicate knowledge entry id 'a' (first at kb.yaml:2)"));
  CHECK_THAT(refused("id: a, matter: \"0999\", question: q, keywords: [x], answer: x, source: s"),
             Catch::Contains("kb.yaml:2:5: error: knowledge entry 'a' names unknown matter '0999'"));
  CHECK_THAT(refused("id: a, matter: \"08\", question: q, answer: x, source: s"),
             Catch::Contains("knowledge entry 'a' needs at least one keyword"));
  CHECK_THAT(
      refused("id: a, matter: \"08\", question: q, keywords: [x], answer: x, source: s, valid_until: 2026-02-30"),
      Catch::Contains("valid_until must be a date YYYY-MM-DD, not '2026-02-30'"));
  CHECK_THAT(refused("id: a, matter: \"08\", question: q, keywords: [x], answer: x, source: s, expires: soon"),
             Catch::Contains("expires"));
  CHECK_THAT(refused("id: a, matter: \"08\", keywords: [x], answer: x, source: s"), Catch::Contains("question"));
}
