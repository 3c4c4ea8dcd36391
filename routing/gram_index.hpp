// Everything the matter scorers know about an n-gram, found with one look-up: the catalogue's postings (the
// bigrams of keywords and names, for the catalogue evidence) and the learned model's row. Built by the rule set
// from its catalogue table and its model; single characters of the Basic Multilingual Plane are found by code
// point, everything else by hash. Immutable once built.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "routing/matter_model.hpp"
#include "routing/ngram_table.hpp"

namespace hotline::routing {

class GramIndex {
 public:
  static constexpr std::uint32_t k_none = UINT32_MAX;
  struct Entry {
    NgramKey key = 0;         // 0: an empty slot
    std::uint32_t first = 0;  // into postings(): the catalogue's postings of the n-gram
    std::uint32_t count = 0;
    std::uint32_t model_row = k_none;
  };

  // `model` may be null. The catalogue table holds bigrams only.
  void build(const NgramTable& catalogue, const MatterModel* model);

  // The model's row of a single character below U+10000 (k_none when the model does not know it).
  std::uint32_t unigram_row(char32_t cp) const { return cp < unigram_rows_.size() ? unigram_rows_[cp] : k_none; }
  // The entry of any other n-gram, or null. Its position (entry - data()) is below slot_count(), so a caller
  // can tell repeated n-grams apart.
  const Entry* find(NgramKey key) const {
    if (slots_.empty()) return nullptr;
    for (std::size_t i = slot_of(key);; i = (i + 1) & mask_) {
      const Entry& e = slots_[i];
      if (e.key == key) return &e;
      if (e.key == 0) return nullptr;
    }
  }
  std::span<const NgramTable::Posting> postings(const Entry& e) const { return {postings_.data() + e.first, e.count}; }
  const Entry* data() const { return slots_.data(); }
  std::size_t slot_count() const { return slots_.size(); }
  std::size_t memory_bytes() const {
    return unigram_rows_.capacity() * sizeof(std::uint32_t) + slots_.capacity() * sizeof(Entry) +
           postings_.capacity() * sizeof(NgramTable::Posting);
  }

 private:
  std::size_t slot_of(NgramKey key) const { return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> shift_); }

  std::vector<std::uint32_t> unigram_rows_;  // code point -> model row, up to the highest one the model knows
  std::vector<Entry> slots_;                 // open addressing, load factor at most 1/2
  std::vector<NgramTable::Posting> postings_;
  std::size_t mask_ = 0;
  int shift_ = 64;
};

}  // namespace hotline::routing
