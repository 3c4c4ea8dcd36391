// The learned matter model: training, the reviewable file, and its place beside the catalogue in routing.
// Data is generated here: words typical of each label mixed with words every message has.
#include "routing/matter_model.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <random>

#include "routing/router.hpp"

using namespace hotline::routing;

namespace {

const std::vector<std::pair<std::string, std::vector<std::string>>> k_vocabulary = {
    {"0801", {"工资", "老板", "加班费", "工地", "包工头", "劳动合同", "辞退", "社保"}},
    {"0301", {"噪音", "楼上", "吵闹", "半夜", "音响", "装修", "跺脚", "睡不着"}},
    {"06", {"学校", "老师", "孩子", "入学", "学位", "班主任", "作业", "校长"}},
};
const std::vector<std::string> k_filler = {"我们", "这个", "已经", "希望",   "一下", "情况",
                                           "现在", "真的", "领导", "怎么办", "很久", "答复"};

std::vector<LabelledText> generate(std::size_t n, unsigned seed, bool random_labels = false) {
  std::mt19937 rng(seed);
  std::vector<LabelledText> out;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& [label, words] = k_vocabulary[i % k_vocabulary.size()];
    std::vector<std::string> parts;
    for (int k = 0; k < 4; ++k) parts.push_back(words[rng() % words.size()]);
    for (int k = 0; k < 8; ++k) parts.push_back(k_filler[rng() % k_filler.size()]);
    std::shuffle(parts.begin(), parts.end(), rng);
    std::string text;
    for (const auto& p : parts) text += p + (rng() % 3 == 0 ? "，" : "");
    out.push_back({text, random_labels ? k_vocabulary[rng() % k_vocabulary.size()].first : label});
  }
  return out;
}

TrainOptions options() {
  return TrainOptions{};
}

std::string predict(const MatterModel& m, const std::string& text) {
  TextFeatures f;
  f.read(text, options().features, m.min_n(), m.max_n());
  std::vector<MatterModel::Ranked> ranked;
  m.predict(f, ranked, 3);
  return m.labels()[ranked.front().label].code;
}

double accuracy(const MatterModel& m, const std::vector<LabelledText>& test) {
  std::size_t right = 0;
  for (const auto& e : test) right += predict(m, e.text) == e.label;
  return static_cast<double>(right) / static_cast<double>(test.size());
}

const char* k_catalogue = R"(fallback: desk
units:
  - {id: desk, name: 派单中心}
  - {id: rsj, name: 人社局}
  - {id: jyj, name: 教育局}
matters:
  - {code: "03", name: 环境}
  - {code: "0301", name: 噪声}
  - {code: "030103", name: 社会生活噪声, keywords: [广场舞]}
  - {code: "06", name: 教育}
  - {code: "0601", name: 招生入学}
  - {code: "060102", name: 义务教育入学, keywords: [划片入学]}
  - {code: "08", name: 劳动}
  - {code: "0801", name: 劳动权益}
  - {code: "080101", name: 拖欠工资, keywords: [拖欠工资]}
rules:
  - {id: wages, when: {matter: ["0801"]}, lead: rsj}
  - {id: school, when: {matter: ["06"]}, lead: jyj}
)";

}  // namespace

TEST_CASE("a model trained on labelled messages predicts held-out ones", "[routing][model]") {
  const auto model = MatterModel::train(generate(300, 1), options());
  CHECK(model.labels().size() == 3);
  CHECK(model.feature_count() > 20);
  CHECK(accuracy(model, generate(120, 2)) >= 0.95);
}

TEST_CASE("training is deterministic and the file reads back to the same model", "[routing][model]") {
  const auto data = generate(200, 3);
  const auto a = MatterModel::train(data, options());
  const auto b = MatterModel::train(data, options());
  const auto text = a.serialize({"trained on generated messages"});
  CHECK(text == b.serialize({"trained on generated messages"}));
  CHECK_THAT(text, Catch::StartsWith("# trained on generated messages\nmodel\thotline-matter-model\t1\n"));
  CHECK_THAT(text, Catch::Contains("\ngram\t工资\t0801="));  // n-grams in plain text, reviewable

  std::vector<Diagnostic> diagnostics;
  const auto parsed = MatterModel::parse({"model/m.model", text, ""}, diagnostics);
  REQUIRE(parsed);
  CHECK(diagnostics.empty());
  CHECK(parsed->serialize({"trained on generated messages"}) == text);
  for (const auto& e : generate(30, 4)) CHECK(predict(*parsed, e.text) == predict(a, e.text));
}

TEST_CASE("posteriors are softened when the labels say little", "[routing][model]") {
  const auto clean = MatterModel::train(generate(300, 5), options());
  const auto noise = MatterModel::train(generate(300, 5, true), options());
  TextFeatures f;
  f.read("楼上半夜装修噪音吵闹睡不着", options().features, 1, 2);
  std::vector<MatterModel::Ranked> a, b;
  clean.predict(f, a, 1);
  noise.predict(f, b, 1);
  CHECK(a.front().probability > 0.9);
  CHECK(b.front().probability < a.front().probability);
}

TEST_CASE("a malformed model file is refused with the line that is wrong", "[routing][model]") {
  const auto errors = [](const std::string& text) {
    std::vector<Diagnostic> d;
    CHECK(MatterModel::parse({"model/m.model", text, ""}, d) == nullptr);
    std::string all;
    for (const auto& x : d) all += x.to_string() + "\n";
    return all;
  };
  CHECK_THAT(errors("model\tsomething-else\t1\n"),
             Catch::Contains("model/m.model:1:1: error: not a hotline matter model"));
  CHECK_THAT(errors("# nothing\n"), Catch::Contains("no 'model' line"));
  const std::string head = "model\thotline-matter-model\t1\nlabel\t06\t3\t-1.0\t5.0\n";
  CHECK_THAT(errors(head + "gram\t学校\t07=1.5\n"),
             Catch::Contains("model/m.model:3:1: error: '07=1.5' is not label=weight"));
  CHECK_THAT(errors(head + "gram\t学校\t06=1\ngram\t学校\t06=2\n"), Catch::Contains("given twice (first on line 3)"));
  CHECK_THAT(errors(head + "gram\t四个字符\t06=1\n"), Catch::Contains("an n-gram of 1 to 3 characters"));
  CHECK_THAT(errors(head + "alpha\t-1\n"), Catch::Contains("alpha must be a positive number"));
  CHECK_THAT(errors(head + "bogus\t1\n"), Catch::Contains("unknown line 'bogus'"));
}

TEST_CASE("the router takes the model as a second opinion", "[routing][model]") {
  const auto model = MatterModel::train(generate(300, 6), options());
  const std::string file = model.serialize({});
  auto r = RuleSet::compile({{"a.yaml", k_catalogue, ""}, {"model/matters.model", file, ""}});
  for (const auto& d : r.diagnostics) INFO(d.to_string());
  REQUIRE(r.rule_set);
  REQUIRE(r.rule_set->model() != nullptr);

  // No catalogue keyword or bigram: the model alone decides, at the level it was trained on (06 is a class).
  Ticket t;
  t.content = "班主任每天留很多作业，校长也不管";
  const auto d = route(t, *r.rule_set, {.explain = true});
  CHECK(d.matter == "06");
  CHECK(d.lead->id == "jyj");
  const auto model_line =
      std::find_if(d.explain.begin(), d.explain.end(), [](const auto& l) { return l.starts_with("model: 06 教育"); });
  REQUIRE(model_line != d.explain.end());
  CHECK_THAT(*model_line, Catch::Contains("n-grams that decided:"));

  // With catalogue evidence too, the model picks the class and the catalogue the leaf within it.
  t.content = "老板拖欠工资，包工头跑了，加班费也没有";
  CHECK(route(t, *r.rule_set).matter == "080101");

  // Without the model the first text has no matter at all.
  const auto bare = RuleSet::compile({{"a.yaml", k_catalogue, ""}});
  t.content = "班主任每天留很多作业，校长也不管";
  CHECK(route(t, *bare.rule_set).matter.empty());
}

TEST_CASE("a model whose labels left the catalogue is refused", "[routing][model]") {
  auto data = generate(60, 7);
  for (auto& e : data) {
    if (e.label == "06") e.label = "07";
  }
  const auto file = MatterModel::train(data, options()).serialize({});
  const auto r = RuleSet::compile({{"a.yaml", k_catalogue, ""}, {"model/matters.model", file, ""}});
  CHECK(r.rule_set == nullptr);
  REQUIRE_FALSE(r.diagnostics.empty());
  CHECK_THAT(r.diagnostics.front().to_string(), Catch::Contains("model label '07' is not a matter code"));
  const auto two =
      RuleSet::compile({{"a.yaml", k_catalogue, ""},
                        {"model/a.model", MatterModel::train(generate(60, 8), options()).serialize({}), ""},
                        {"model/b.model", MatterModel::train(generate(60, 8), options()).serialize({}), ""}});
  CHECK(two.rule_set == nullptr);
}
