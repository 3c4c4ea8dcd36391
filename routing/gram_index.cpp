#include "routing/gram_index.hpp"

#include <algorithm>

namespace hotline::routing {

void GramIndex::build(const NgramTable& catalogue, const MatterModel* model) {
  std::vector<Entry> entries;
  postings_.clear();
  catalogue.for_each([&](NgramKey key, std::span<const NgramTable::Posting> postings) {
    entries.push_back(
        {key, static_cast<std::uint32_t>(postings_.size()), static_cast<std::uint32_t>(postings.size()), k_none});
    postings_.insert(postings_.end(), postings.begin(), postings.end());
  });
  unigram_rows_.clear();
  if (model != nullptr) {
    const auto by_key = [](const Entry& e, NgramKey k) { return e.key < k; };
    const std::size_t from_catalogue = entries.size();  // sorted by key, so the model's keys are found by search
    model->for_each_row([&](NgramKey key, std::uint32_t row) {
      if (key < 0x10000) {
        if (unigram_rows_.size() <= key) unigram_rows_.resize(key + 1, k_none);
        unigram_rows_[key] = row;
        return;
      }
      const auto end = entries.begin() + static_cast<std::ptrdiff_t>(from_catalogue);
      const auto it = std::lower_bound(entries.begin(), end, key, by_key);
      if (it != end && it->key == key) {
        it->model_row = row;
      } else {
        entries.push_back({key, 0, 0, row});
      }
    });
  }
  unigram_rows_.shrink_to_fit();
  postings_.shrink_to_fit();

  std::size_t capacity = 16;
  int bits = 4;
  while (capacity < entries.size() * 2) capacity <<= 1, ++bits;
  slots_.assign(capacity, Entry{});
  mask_ = capacity - 1;
  shift_ = 64 - bits;
  for (const auto& e : entries) {
    std::size_t i = slot_of(e.key);
    while (slots_[i].key != 0) i = (i + 1) & mask_;
    slots_[i] = e;
  }
}

}  // namespace hotline::routing
