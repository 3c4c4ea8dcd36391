#include "routing/ngram_table.hpp"

namespace hotline::routing {

void NgramTable::build(std::vector<std::pair<NgramKey, std::vector<Posting>>> entries) {
  std::size_t capacity = 16;
  int bits = 4;
  while (capacity < entries.size() * 2) capacity <<= 1, ++bits;  // load factor at most 1/2
  slots_.assign(capacity, Slot{});
  mask_ = capacity - 1;
  shift_ = 64 - bits;
  size_ = entries.size();
  postings_.clear();
  filter_.assign(k_filter_words, 0);
  for (auto& [key, list] : entries) {
    const std::uint64_t h = key * 0x9E3779B97F4A7C15ull;
    filter_[(h >> 40) & k_filter_mask] |= std::uint64_t{1} << ((h >> 34) & 63);
    std::size_t i = slot_of(key);
    while (slots_[i].key != 0) i = (i + 1) & mask_;
    slots_[i] = {key, static_cast<std::uint32_t>(postings_.size()), static_cast<std::uint32_t>(list.size())};
    postings_.insert(postings_.end(), list.begin(), list.end());
  }
  postings_.shrink_to_fit();
}

}  // namespace hotline::routing
