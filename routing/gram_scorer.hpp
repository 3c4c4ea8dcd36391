// One pass over a ticket's n-grams for both matter scorers, each n-gram looked up once in the rule set's
// GramIndex: the catalogue's bigram evidence (each bigram counted at its first occurrence) and the learned
// model's sums (every n-gram the model knows, in text order, exactly as MatterModel::predict adds them up).
// The n-grams are visited, never stored. Pure; one GramScorer per thread (its buffers are reused).
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include "routing/gram_index.hpp"
#include "routing/matter_model.hpp"
#include "routing/text_features.hpp"

namespace hotline::routing {

class GramScorer {
 public:
  // Scores the grams of `features` of length min_n..max_n. For the first occurrence of every catalogue bigram
  // calls on_catalogue(postings, weight); then the model's sums and length are ready for
  // MatterModel::predict_sums (when `model` is not null; it must be the one `index` was built with).
  template <class OnCatalogue>
  void run(const TextFeatures& features, const GramIndex& index, const MatterModel* model, int min_n, int max_n,
           float subject_weight, OnCatalogue&& on_catalogue);

  const float* sums() const { return sums_.data(); }
  float length() const { return length_; }

 private:
  // The model's sums in registers, `Lanes` lanes of four floats (a model with up to 4·Lanes labels, dense rows);
  // Lanes 0 keeps them in memory through MatterModel::add_row (any model); k_no_model has none (catalogue only).
  // The grams visited are of length MinN..MaxN, or min_n..max_n when those are 0.
  static constexpr int k_no_model = -1;
  template <int Lanes, int MinN, int MaxN, class OnCatalogue>
  void pass(const TextFeatures& features, const GramIndex& index, const MatterModel* model, int min_n, int max_n,
            float subject_weight, OnCatalogue& on_catalogue);

  std::vector<float> sums_;
  float length_ = 0;
  std::vector<std::uint32_t> seen_;  // per index slot: the generation that last counted it
  // The catalogue bigrams found, reported after the pass: a call inside it would push the sums out of registers.
  std::vector<std::pair<const GramIndex::Entry*, float>> found_;
  std::uint32_t generation_ = 0;
};

template <class OnCatalogue>
void GramScorer::run(const TextFeatures& features, const GramIndex& index, const MatterModel* model, int min_n,
                     int max_n, float subject_weight, OnCatalogue&& on_catalogue) {
  if (seen_.size() < index.slot_count()) seen_.assign(index.slot_count(), 0);
  if (++generation_ == 0) std::fill(seen_.begin(), seen_.end(), 0), generation_ = 1;
  sums_.assign(model ? model->sums_size() : 0, 0.0f);
  length_ = 0;
  // The usual cases compiled on their own, so that the pass tests neither the n-gram lengths nor the model per
  // n-gram: no model (bigrams only), or a model with 1..2 or 1..3 (the lengths the router asks for).
  const auto lengths = [&]<int Lanes>() {
    if (min_n <= 1 && max_n == 2) return pass<Lanes, 1, 2>(features, index, model, 1, 2, subject_weight, on_catalogue);
    if (min_n <= 1 && max_n >= 3) return pass<Lanes, 1, 3>(features, index, model, 1, 3, subject_weight, on_catalogue);
    if (min_n == 2 && max_n == 2) return pass<Lanes, 2, 2>(features, index, model, 2, 2, subject_weight, on_catalogue);
    pass<Lanes, 0, 0>(features, index, model, min_n, max_n, subject_weight, on_catalogue);
  };
  if (model == nullptr) return lengths.template operator()<k_no_model>();
  const std::size_t stride = model->dense_row(0) ? model->stride() : 0;
  switch (stride) {
    case 4:
      return lengths.template operator()<1>();
    case 8:
      return lengths.template operator()<2>();
    case 12:
      return lengths.template operator()<3>();
    case 16:
      return lengths.template operator()<4>();
    default:
      return lengths.template operator()<0>();
  }
}

template <int Lanes, int MinN, int MaxN, class OnCatalogue>
void GramScorer::pass(const TextFeatures& features, const GramIndex& index, const MatterModel* model, int min_n,
                      int max_n, float subject_weight, OnCatalogue& on_catalogue) {
  using Lane = float __attribute__((vector_size(16)));  // as in MatterModel::add_row: the same sums, bit for bit
  static_assert(Lanes <= 4);
  // Named variables, not an array, so the compiler keeps them in registers for the whole pass.
  Lane acc0 = {}, acc1 = {}, acc2 = {}, acc3 = {};
  float* sums = sums_.data();
  float length = 0;
  // Rows of 4·Lanes floats from here: model->dense_row(row) without its tests.
  const float* const dense = Lanes > 0 ? model->dense_row(0) : nullptr;
  const auto add_model = [&](std::uint32_t row, float weight) {
    length += weight;
    if constexpr (Lanes <= 0) {
      model->add_row(row, weight, sums);
    } else {
      const float* w = dense + static_cast<std::size_t>(row) * (4 * Lanes);
      const Lane times = {weight, weight, weight, weight};
      const auto lane = [&](std::size_t l) {
        Lane add;
        std::memcpy(&add, w + 4 * l, sizeof add);
        return times * add;
      };
      acc0 += lane(0);
      if constexpr (Lanes > 1) acc1 += lane(1);
      if constexpr (Lanes > 2) acc2 += lane(2);
      if constexpr (Lanes > 3) acc3 += lane(3);
    }
  };
  const std::uint32_t generation = generation_;
  std::uint32_t* const seen = seen_.data();
  const GramIndex::Entry* const slots = index.data();
  if (found_.size() < features.size()) found_.resize(features.size());  // room for a bigram per character
  auto* found = found_.data();
  std::size_t found_count = 0;
  // Always inlined: as a call per n-gram (GCC's choice for the scalar pass) it costs a third of the pass.
  const auto visit = [&](NgramKey key, int n, float weight) __attribute__((always_inline)) {
    if (n == 1 && key < 0x10000) {
      if constexpr (Lanes == k_no_model) return;  // without a model no single character has a row
      const std::uint32_t row = index.unigram_row(static_cast<char32_t>(key));
      if (row != GramIndex::k_none) add_model(row, weight);
      return;
    }
    const GramIndex::Entry* entry = index.find(key);
    if (entry == nullptr) return;
    if constexpr (Lanes != k_no_model) {
      if (entry->model_row != GramIndex::k_none) add_model(entry->model_row, weight);
    }
    if (n != 2 || entry->count == 0) return;
    auto& last = seen[entry - slots];
    if (last == generation) return;
    last = generation;
    found[found_count++] = {entry, weight};
  };
  features.for_each_gram(MinN ? MinN : min_n, MaxN ? MaxN : max_n, subject_weight, visit);
  const Lane acc[4] = {acc0, acc1, acc2, acc3};
  // Not in the scalar pass: without a model `sums` is empty and may be null, and memcpy's pointers must not be
  // null even for zero bytes (UBSan stops there: tests/fuzz/regressions/rules).
  if constexpr (Lanes > 0) std::memcpy(sums, acc, Lanes * sizeof(Lane));
  length_ = length;
  for (std::size_t k = 0; k < found_count; ++k) on_catalogue(index.postings(*found[k].first), found[k].second);
}

}  // namespace hotline::routing
