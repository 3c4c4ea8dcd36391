// An immutable n-gram → postings table: for each n-gram, the (class, weight) pairs it is evidence for.
// Open addressing over packed n-gram keys, postings in one array: one probe or two per look-up, no allocation.
// Used by the catalogue evidence (class = matter index) and the learned model (class = label index).
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "routing/text_features.hpp"

namespace hotline::routing {

class NgramTable {
 public:
  struct Posting {
    std::uint32_t cls;
    float weight;
  };

  // Builds from (key, postings) pairs; keys must be distinct and non-zero.
  void build(std::vector<std::pair<NgramKey, std::vector<Posting>>> entries);

  std::span<const Posting> find(NgramKey key) const {
    std::size_t slot = 0;
    return find(key, slot);
  }
  // As find(), also giving the entry's slot (< slot_count()), so a caller can tell repeated n-grams apart.
  std::span<const Posting> find(NgramKey key, std::size_t& slot) const {
    if (slots_.empty()) return {};
    const std::uint64_t h = key * 0x9E3779B97F4A7C15ull;
    if (((filter_[(h >> 40) & k_filter_mask] >> ((h >> 34) & 63)) & 1) == 0) return {};  // surely absent
    for (std::size_t i = slot_of(key);; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.key == key) {
        slot = i;
        return {postings_.data() + s.first, s.count};
      }
      if (s.key == 0) return {};
    }
  }
  std::size_t slot_count() const { return slots_.size(); }
  std::size_t size() const { return size_; }
  // Calls f(key, postings) for every entry, in key order.
  template <class F>
  void for_each(F&& f) const {
    std::vector<const Slot*> used;
    for (const auto& s : slots_) {
      if (s.key != 0) used.push_back(&s);
    }
    std::sort(used.begin(), used.end(), [](const Slot* a, const Slot* b) { return a->key < b->key; });
    for (const Slot* s : used) f(s->key, std::span<const Posting>(postings_.data() + s->first, s->count));
  }
  std::size_t memory_bytes() const {
    return filter_.capacity() * 8 + slots_.capacity() * sizeof(Slot) + postings_.capacity() * sizeof(Posting);
  }

 private:
  struct Slot {
    NgramKey key = 0;
    std::uint32_t first = 0;
    std::uint32_t count = 0;
  };
  std::size_t slot_of(NgramKey key) const { return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> shift_); }

  // A one-hash Bloom filter (32 KiB, stays in cache) that turns most misses away before the table is touched.
  static constexpr std::size_t k_filter_words = 4096;
  static constexpr std::size_t k_filter_mask = k_filter_words - 1;
  std::vector<std::uint64_t> filter_;
  std::vector<Slot> slots_;
  std::vector<Posting> postings_;
  std::size_t mask_ = 0;
  int shift_ = 64;
  std::size_t size_ = 0;
};

}  // namespace hotline::routing
