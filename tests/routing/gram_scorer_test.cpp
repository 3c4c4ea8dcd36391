// The router's one-pass scorer (GramScorer over the characters TextHits::scan decodes, with the rule set's
// GramIndex) against the reference definition of the features (TextFeatures::read), the model's own
// MatterModel::predict and the catalogue evidence as a loop over the collected bigrams: the same numbers on
// generated texts of every kind of character, up to the order of float summation.
#include "routing/gram_scorer.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <optional>
#include <random>

#include "routing/keyword_matcher.hpp"

using namespace hotline::routing;

namespace {

const std::vector<std::string> k_pieces = {
    "工资",
    "老板",
    "加班费",
    "噪音",
    "楼上",
    "半夜",
    "学校",
    "入学",
    "路灯",
    "停水",
    "物业",
    "停车费",
    "不是",
    "并非",
    "没有任何",
    "不属于",
    "是",
    "。",
    "，",
    "！",
    " ",
    "\t",
    "、",
    "abc",
    "XYZ",
    "Wi-Fi",
    "2024",
    "13900000000",
    "ＡＢＣ",
    "ａｂ",
    "０１２",
    "（",
    "）",
    "\xF0\xA0\x80\x80",
    "\xF0\xA0\x80\x81",
    "\xF0\x9F\x98\x80",
    "\xE3\x90\x80",  // 𠀀 𠀁 😀 㐀
    "\xFF",
    "\xE4\xB8",
    "\xC0\xAF",
    "\xED\xA0\x80",  // invalid: stray byte, cut short, overlong, surrogate
};

std::string generate_text(std::mt19937& rng) {
  std::string text;
  if (rng() % 3 == 0) {  // a subject line, short or too long to be one
    for (std::size_t k = 0, n = 1 + rng() % 30; k < n; ++k) text += k_pieces[rng() % 12];
    text += rng() % 2 ? "\n" : "\r\n";
  }
  for (std::size_t k = 0, n = rng() % 60; k < n; ++k) text += k_pieces[rng() % k_pieces.size()];
  return text;
}

// A model with `labels` labels (codes "L0", "L1", …) over n-grams min_n..max_n of generated texts.
MatterModel train(std::size_t labels, int min_n, int max_n, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<LabelledText> examples;
  for (std::size_t i = 0; i < std::max<std::size_t>(60, labels * 4); ++i) {
    examples.push_back({generate_text(rng), "L" + std::to_string(i % labels)});
  }
  TrainOptions options;
  options.min_n = min_n, options.max_n = max_n, options.min_count = 1;
  return MatterModel::train(examples, options);
}

// Catalogue bigrams of a few words, each evidence for one or two of eight classes.
NgramTable catalogue() {
  std::map<NgramKey, std::vector<NgramTable::Posting>> grams;
  const std::vector<std::u32string> words = {
      U"拖欠工资", U"加班费", U"楼上噪音", U"半夜", U"入学学位", U"路灯", U"abc", U"00", U"\U00020000\U00020001",
      U"老板"};
  for (std::uint32_t w = 0; w < words.size(); ++w) {
    for (std::size_t k = 0; k + 2 <= words[w].size(); ++k) {
      auto& list = grams[ngram_key(words[w].data() + k, 2)];
      if (list.empty() || list.back().cls != w % 8) list.push_back({w % 8, 0.25f + 0.125f * static_cast<float>(w)});
    }
  }
  NgramTable table;
  table.build({grams.begin(), grams.end()});
  return table;
}

KeywordMatcher matcher() {
  KeywordMatcher m;
  for (const auto* p : {"工资", "楼上", "abc", "ＡＢＣ", "\xF0\xA0\x80\x80"}) m.add(p);
  m.build();
  return m;
}

struct Scores {
  std::map<std::uint32_t, double> catalogue;
  std::vector<MatterModel::Ranked> model;
};

// The reference: the features as read() collects them, the catalogue bigrams each counted at their first
// occurrence, the model's predict().
Scores reference(std::string_view text, const FeatureSettings& settings, const NgramTable& table,
                 const MatterModel* model, int lo, int hi) {
  TextFeatures f;
  f.read(text, settings, lo, hi);
  Scores out;
  std::vector<std::size_t> seen;
  for (const auto& g : f.grams()) {
    if (g.key < (NgramKey{1} << 21) || g.key >= (NgramKey{1} << 42)) continue;  // bigrams only
    std::size_t slot = 0;
    const auto postings = table.find(g.key, slot);
    if (postings.empty() || std::find(seen.begin(), seen.end(), slot) != seen.end()) continue;
    seen.push_back(slot);
    for (const auto& p : postings)
      out.catalogue[p.cls] += static_cast<double>(g.weight) * static_cast<double>(p.weight);
  }
  if (model) model->predict(f, out.model, model->labels().size());
  return out;
}

// The router's way: characters handed over by the keyword automaton's pass, one scorer pass, predict_sums().
Scores fast(std::string_view text, const FeatureSettings& settings, const KeywordMatcher& keywords,
            const GramIndex& index, const MatterModel* model, int lo, int hi, GramScorer& scorer) {
  TextFeatures f;
  f.start(text.size());
  keywords.find(
      text, [](KeywordMatcher::PatternId, std::size_t) {}, [&](char32_t cp, std::size_t at) { f.add(cp, at); });
  f.analyse(text, settings);
  Scores out;
  scorer.run(f, index, model, lo, hi, static_cast<float>(settings.subject_weight),
             [&](std::span<const NgramTable::Posting> postings, float weight) {
               for (const auto& p : postings)
                 out.catalogue[p.cls] += static_cast<double>(weight) * static_cast<double>(p.weight);
             });
  if (model) model->predict_sums(scorer.sums(), scorer.length(), out.model, model->labels().size());
  return out;
}

void check_same(const Scores& a, const Scores& b) {
  REQUIRE(a.catalogue.size() == b.catalogue.size());
  for (const auto& [cls, w] : a.catalogue) {
    REQUIRE(b.catalogue.count(cls) == 1);
    CHECK(b.catalogue.at(cls) == Approx(w).epsilon(1e-9));
  }
  REQUIRE(a.model.size() == b.model.size());
  std::map<std::uint32_t, double> p;
  for (const auto& r : a.model) p[r.label] = r.probability;
  for (const auto& r : b.model) CHECK(r.probability == Approx(p[r.label]).epsilon(1e-5).margin(1e-9));
}

}  // namespace

TEST_CASE("the one-pass scorer gives the reference features' scores", "[routing][model]") {
  const auto table = catalogue();
  const auto keywords = matcher();
  FeatureSettings settings = default_feature_settings();
  settings.subject_weight = 3.0;
  // Label counts for every layout of the model's sums: in registers (4, 8, 12, 16 labels), in memory (dense
  // rows over 16 labels), sparse rows (over 64 labels); n-gram ranges with and without single characters and
  // trigrams; and no model at all.
  struct Case {
    std::size_t labels;
    int min_n, max_n;
  };
  const std::vector<Case> cases = {{3, 1, 2},  {6, 1, 2}, {12, 1, 2}, {14, 1, 3}, {20, 1, 2},
                                   {70, 1, 2}, {5, 2, 2}, {5, 2, 3},  {12, 3, 3}, {0, 2, 2}};
  unsigned seed = 1;
  for (const auto& c : cases) {
    const auto model = c.labels ? std::optional<MatterModel>(train(c.labels, c.min_n, c.max_n, seed++)) : std::nullopt;
    const MatterModel* m = model ? &*model : nullptr;
    const int lo = m ? std::min(2, m->min_n()) : 2;  // as infer_matter reads them
    const int hi = m ? std::max(2, m->max_n()) : 2;
    GramIndex index;
    index.build(table, m);
    GramScorer scorer;  // reused between texts, as the router does
    std::mt19937 rng(1000 + seed);
    for (int i = 0; i < 300; ++i) {
      const auto text = generate_text(rng);
      INFO("labels " << c.labels << ", n-grams " << c.min_n << ".." << c.max_n << ", text '" << text << "'");
      check_same(reference(text, settings, table, m, lo, hi), fast(text, settings, keywords, index, m, lo, hi, scorer));
    }
  }
}
