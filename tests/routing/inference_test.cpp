// Matter inference: evidence that adds up, the subject line, negations, confidence and the desk below it.
#include "routing/inference.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

#include "routing/router.hpp"
#include "tests/routing/compile_errors.hpp"

using namespace hotline::routing;

namespace {

const char* k_catalogue = R"(fallback: desk
units:
  - {id: desk, name: 派单中心}
  - {id: rsj, name: 人社局}
  - {id: hb, name: 环保局}
matters:
  - {code: "03", name: 环境}
  - {code: "0301", name: 噪声}
  - {code: "030103", name: 社会生活噪声, keywords: [噪音, 楼上噪音, 广场舞]}
  - {code: "08", name: 劳动}
  - {code: "0801", name: 劳动权益}
  - {code: "080101", name: 拖欠工资, keywords: [拖欠工资, 欠薪, 工资拖欠]}
  - {code: "080102", name: 拖欠农民工工资, keywords: [农民工工资, 包工头]}
rules:
  - {id: noise, when: {matter: ["0301"]}, lead: hb}
  - {id: wages, when: {matter: ["0801"]}, lead: rsj}
)";

std::shared_ptr<const RuleSet> compile(const std::string& settings = "") {
  std::vector<SourceFile> files{{"a.yaml", k_catalogue, ""}};
  if (!settings.empty()) files.push_back({"b.yaml", settings, ""});
  auto r = RuleSet::compile(files);
  for (const auto& d : r.diagnostics) INFO(d.to_string());
  REQUIRE(r.rule_set);
  return r.rule_set;
}

Decision decide(const RuleSet& rules, std::string text) {
  Ticket t;
  t.content = std::move(text);
  return route(t, rules, {.explain = true});
}

bool says(const Decision& d, std::string_view text) {
  return std::any_of(d.explain.begin(), d.explain.end(), [&](const auto& l) { return l.find(text) != l.npos; });
}

}  // namespace

TEST_CASE("the catalogue's bigrams find a matter without the exact phrase", "[routing][inference]") {
  const auto rules = compile();
  // No keyword occurs whole ("拖欠工资" is split by 了三个月的), but 拖欠 and 工资 both point to 080101.
  const auto d = decide(*rules, "老板拖欠了我们三个月的工资");
  CHECK(d.matter == "080101");
  CHECK(d.matter_inferred);
  CHECK(d.confidence > 0.2);
  CHECK(says(d, "keywords 0.00; n-grams"));
  CHECK(d.lead->id == "rsj");
}

TEST_CASE("the subject line of a written message weighs more than the details", "[routing][inference]") {
  const auto rules = compile("inference: {gram_weight: 0, min_confidence: 0}\n");
  CHECK(decide(*rules, "欠薪\n楼下也有噪音").matter == "080101");
  CHECK(decide(*rules, "楼下有噪音\n还有欠薪").matter == "030103");
  // No newline, no subject: the two words weigh the same and the lower code wins the tie.
  CHECK(decide(*rules, "欠薪，楼下也有噪音").matter == "030103");
  CHECK(says(decide(*rules, "欠薪\n楼下也有噪音"), "欠薪 (subject)"));
}

TEST_CASE("words a negation denies do not count", "[routing][inference]") {
  const auto rules = compile("inference: {gram_weight: 0}\n");
  // 楼上噪音 (4) would beat 欠薪 (2), but it is denied.
  const auto d = decide(*rules, "不是楼上噪音的事，是欠薪");
  CHECK(d.matter == "080101");
  CHECK(says(d, "denied by a negation, not counted: 楼上噪音"));
  // The cue reaches to the end of its clause only.
  CHECK(decide(*rules, "不是别的，楼上噪音").matter == "030103");
  // A rule set may name its own cues.
  const auto own = compile("inference: {gram_weight: 0, negations: [与此无关的]}\n");
  CHECK(decide(*own, "不是楼上噪音的事，是欠薪").matter == "030103");
}

TEST_CASE("a keyword inside a longer keyword is not counted again", "[routing][inference]") {
  const auto rules = compile("inference: {gram_weight: 0}\n");
  const auto d = decide(*rules, "楼上噪音，包工头");
  // 楼上噪音 (4) alone, not 楼上噪音 + 噪音 (6): 包工头 (3) does not lose to a double count of one place.
  CHECK(says(d, "030103 社会生活噪声 (keywords 4.00: 楼上噪音;"));
}

TEST_CASE("confidence: clear words are sure, weak words go to the desk with their guess", "[routing][inference]") {
  const auto rules = compile();
  const auto clear = decide(*rules, "拖欠工资半年了\n包工头拖欠农民工工资，欠薪半年，工资拖欠到现在");
  CHECK(clear.matter.starts_with("0801"));
  CHECK(clear.confidence > 0.8);
  CHECK_FALSE(clear.below_threshold);

  const auto nothing = decide(*rules, "天气不错，谢谢你们");
  CHECK(nothing.matter.empty());
  CHECK(nothing.confidence == 0);
  CHECK(nothing.lead->id == "desk");

  const auto strict = compile("inference: {min_confidence: 99}\n");
  const auto weak = decide(*strict, "楼上有点噪音");
  CHECK(weak.matter == "030103");  // the guess stays in the decision for the operator
  CHECK(weak.below_threshold);
  CHECK(weak.lead->id == "desk");
  CHECK(weak.rule_id() == "fallback");
  CHECK(says(weak, "below inference.min_confidence"));
}

TEST_CASE("an operator-given matter is used as given, with full confidence", "[routing][inference]") {
  const auto rules = compile();
  Ticket t;
  t.content = "楼上噪音";
  t.category = "080102";
  const auto d = route(t, *rules);
  CHECK(d.matter == "080102");
  CHECK(d.confidence == 1.0);
  CHECK_FALSE(d.matter_inferred);
}

TEST_CASE("inference settings are checked", "[routing][inference]") {
  const auto errors = [](const std::string& extra) {
    return compile_errors({{"a.yaml", k_catalogue, ""}, {"b.yaml", extra, ""}});
  };
  CHECK_THAT(errors("inference: {min_confidence: 200}\n"), Catch::Contains("min_confidence must be a number from 0"));
  CHECK_THAT(errors("inference: {subject_weight: heavy}\n"), Catch::Contains("subject_weight must be a number"));
  CHECK_THAT(errors("inference: {negations: [\"\"]}\n"), Catch::Contains("a negation must not be empty"));
  const auto twice = RuleSet::compile(
      {{"a.yaml", k_catalogue, ""}, {"b.yaml", "inference: {}\n", ""}, {"c.yaml", "inference: {}\n", ""}});
  CHECK(twice.rule_set == nullptr);
}

TEST_CASE("matters with exactly equal evidence: the lowest code wins, whatever the declaration order",
          "[routing][inference]") {
  // Six leaves share one keyword, so each gets the same share of it (and no bigrams: gram_weight 0); they are
  // declared highest code first. Only the five strongest leaves are ranked, so the tie order also decides which
  // leaf is left out: ranked by code, 090101 is in and wins; ranked any other way it could be cut.
  std::string catalogue = R"(fallback: desk
units:
  - {id: desk, name: 派单中心}
)";
  std::string matters = "matters:\n  - {code: \"09\", name: 其他}\n  - {code: \"0901\", name: 杂项}\n";
  std::string rules = "rules:\n";
  for (int leaf = 6; leaf >= 1; --leaf) {
    const std::string code = "09010" + std::to_string(leaf);
    catalogue += "  - {id: u" + std::to_string(leaf) + ", name: 单位" + std::to_string(leaf) + "}\n";
    matters += "  - {code: \"" + code + "\", name: 事项, keywords: [共用的词]}\n";
    rules += "  - {id: r" + std::to_string(leaf) + ", when: {matter: [\"" + code + "\"]}, lead: u" +
             std::to_string(leaf) + "}\n";
  }
  auto r = RuleSet::compile({{"a.yaml", catalogue + matters + rules, ""},
                             {"b.yaml", "inference: {gram_weight: 0, min_confidence: 0}\n", ""}});
  for (const auto& d : r.diagnostics) INFO(d.to_string());
  REQUIRE(r.rule_set);
  const auto d = decide(*r.rule_set, "这里有共用的词");
  CHECK(d.matter == "090101");
  CHECK(d.matter_inferred);
  REQUIRE(d.lead);
  CHECK(d.lead->id == "u1");
  CHECK(d.rule_id() == "r1");
  // The runners-up are listed in the same order: the next codes up.
  CHECK(says(d, "; runners-up: 090102 "));
  CHECK(says(d, "; 090103 "));
}
