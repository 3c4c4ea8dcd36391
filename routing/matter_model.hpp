// The learned second opinion on a ticket's matter: multinomial naive Bayes over character n-grams, trained by
// `hotlinectl rules learn` from the hotline's own history (text, matter code) and kept as a reviewable text file
// in the rules folder (model/*.model). Labels are catalogue codes at any level (a top class "06" is a label).
// Pure: training, the file format and prediction take and give values; the caller reads and writes files.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "routing/diagnostic.hpp"
#include "routing/ngram_table.hpp"
#include "routing/text_features.hpp"

namespace hotline::routing {

struct LabelledText {
  std::string text;
  std::string label;  // a matter code
};

struct TrainOptions {
  int min_n = 1;
  int max_n = 2;
  double alpha = 0.1;                // additive smoothing
  std::size_t min_count = 2;         // an n-gram must occur in this many messages to be kept
  std::size_t max_features = 40000;  // the most frequent n-grams kept
  FeatureSettings features = default_feature_settings();
};

class MatterModel {
 public:
  struct Label {
    std::string code;
    std::uint32_t messages = 0;  // training messages with this label
    double log_prior = 0;
    double log_norm = 0;  // log((n-grams of the label + alpha·V) / alpha)
  };
  struct Ranked {
    std::uint32_t label;
    double probability;
  };

  // Trains on `examples` (at least one; labels as given). Deterministic.
  static MatterModel train(const std::vector<LabelledText>& examples, const TrainOptions& options);

  // The file: `comments` (lines without '#', may be empty) become its header.
  std::string serialize(const std::vector<std::string>& comments) const;
  // Parses a model file; null with diagnostics (file:line) when it is malformed.
  static std::shared_ptr<MatterModel> parse(const SourceFile& file, std::vector<Diagnostic>& out);

  // Scores `features` (read with min_n()..max_n()): labels by probability, best first (at most `top`).
  void predict(const TextFeatures& features, std::vector<Ranked>& out, std::size_t top) const;
  // predict() in parts, for a caller that finds the rows itself (the rule set's GramIndex) and visits the grams
  // without storing them: sums (sums_size() floats, zeroed) += add_row(row of each gram, its weight); length +=
  // the weight of each gram that has a row; then predict_sums(). predict() is made of the same parts.
  static constexpr std::uint32_t k_no_row = UINT32_MAX;
  std::uint32_t row_of(NgramKey key) const {
    if (key < 0x10000) return unigram_row_[key];
    const auto hit = rows_.find(key);
    return hit.empty() ? k_no_row : hit.front().cls;
  }
  // Calls f(key, row) for every n-gram of the model.
  template <class F>
  void for_each_row(F&& f) const {
    std::uint32_t row = 0;
    table_.for_each([&](NgramKey key, std::span<const NgramTable::Posting>) { f(key, row++); });
  }
  std::size_t sums_size() const { return std::max(labels_.size(), stride_); }
  // The dense layout, when the model has it (few labels): rows of stride() floats, a multiple of four, padded
  // with zeros. Null when the rows are sparse.
  const float* dense_row(std::uint32_t row) const {
    return dense_.empty() ? nullptr : dense_.data() + static_cast<std::size_t>(row) * stride_;
  }
  std::size_t stride() const { return stride_; }
  void add_row(std::uint32_t row, float weight, float* __restrict sums) const;
  void predict_sums(const float* sums, float length, std::vector<Ranked>& out, std::size_t top) const;

  // The n-grams that weigh most for `label` in `features`, strongest first.
  std::vector<std::string> evidence(const TextFeatures& features, std::uint32_t label, std::size_t count) const;

  const std::vector<Label>& labels() const { return labels_; }
  int min_n() const { return min_n_; }
  int max_n() const { return max_n_; }
  std::size_t feature_count() const { return table_.size(); }
  std::size_t memory_bytes() const;

 private:
  static MatterModel fit(const std::vector<LabelledText>& examples, const TrainOptions& options);
  // Builds the look-up index from table_ (after training or parsing).
  void index();
  // Unnormalised log scores per label: log prior − L·log_norm + Σ x_f·w_fc.
  void scores_for(const TextFeatures& features, std::vector<double>& scores) const;
  void scores_from(const float* sums, float length, std::vector<double>& scores) const;
  void rank(const std::vector<double>& scores, std::vector<Ranked>& out, std::size_t top) const;

  std::vector<Label> labels_;
  NgramTable table_;  // n-gram -> (label, weight) postings: the model as trained and written
  // The same weights laid out for scoring: a row per n-gram (single characters found by code point, longer
  // n-grams through rows_), dense over the labels when there are few of them.
  std::vector<std::uint32_t> unigram_row_;  // BMP code point -> row (UINT32_MAX: none)
  NgramTable rows_;                         // longer n-gram -> {row, 0}
  std::vector<float> dense_;                // rows × labels, when labels ≤ k_dense_labels
  std::vector<std::uint32_t> row_offset_;   // row -> first posting in table_ order (sparse layout)
  std::vector<NgramTable::Posting> row_postings_;
  std::size_t stride_ = 0;  // floats per dense row
  static constexpr std::size_t k_dense_labels = 64;
  int min_n_ = 1;
  int max_n_ = 2;
  double alpha_ = 0.1;
  double temperature_ = 1.0;  // posteriors are softmax(score / temperature), fitted on held-out folds
};

// Inline: it runs for every n-gram of every ticket routed with a model.
inline void MatterModel::add_row(std::uint32_t row, float weight, float* __restrict sum) const {
  if (!dense_.empty()) {
    const float* __restrict w = dense_.data() + static_cast<std::size_t>(row) * stride_;
    using Lane = float __attribute__((vector_size(16)));  // four floats: SSE2 on x86-64, NEON on arm64
    const Lane times = {weight, weight, weight, weight};
    for (std::size_t c = 0; c < stride_; c += 4) {
      Lane acc, add;
      std::memcpy(&acc, sum + c, sizeof acc);
      std::memcpy(&add, w + c, sizeof add);
      acc += times * add;
      std::memcpy(sum + c, &acc, sizeof acc);
    }
  } else {
    for (std::uint32_t k = row_offset_[row]; k < row_offset_[row + 1]; ++k) {
      sum[row_postings_[k].cls] += weight * row_postings_[k].weight;
    }
  }
}

}  // namespace hotline::routing
