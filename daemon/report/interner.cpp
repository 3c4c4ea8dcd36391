#include "daemon/report/interner.hpp"

#include <algorithm>
#include <cstring>

namespace hotline::report {
namespace {

constexpr std::size_t k_block = 1 << 20;

// FNV-1a, then a splitmix64 finaliser so the low bits (the table index) depend on every byte.
std::uint64_t hash_of(std::string_view s) {
  std::uint64_t h = 14695981039346656037ull;
  for (const char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  return h ^ (h >> 31);
}

}  // namespace

void Interner::reserve(std::size_t keys) {
  keys_.reserve(keys);
  while (slots_.size() < keys * 2) grow();
}

void Interner::grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(std::max<std::size_t>(64, old.size() * 2), Slot{});
  const auto mask = slots_.size() - 1;
  for (const auto& s : old) {
    if (s.index == 0xFFFFFFFF) continue;
    auto i = s.hash & mask;
    while (slots_[i].index != 0xFFFFFFFF) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

std::string_view Interner::store(std::string_view key) {
  if (key.empty()) return {};
  if (block_size_ - block_used_ < key.size()) {
    block_size_ = std::max(k_block, key.size());
    block_used_ = 0;
    arena_.push_back(std::make_unique<char[]>(block_size_));
  }
  // Blocks never move, so the views stay valid when the arena vector grows or is moved out.
  char* at = arena_.back().get() + block_used_;
  std::memcpy(at, key.data(), key.size());
  block_used_ += key.size();
  return {at, key.size()};
}

std::uint32_t Interner::intern(std::string_view key) {
  if (keys_.size() * 2 >= slots_.size()) grow();
  const auto h = hash_of(key);
  const auto mask = slots_.size() - 1;
  for (auto i = h & mask;; i = (i + 1) & mask) {
    auto& s = slots_[i];
    if (s.index == 0xFFFFFFFF) {
      s.hash = h;
      s.index = static_cast<std::uint32_t>(keys_.size());
      keys_.push_back(store(key));
      return s.index;
    }
    if (s.hash == h && keys_[s.index] == key) return s.index;
  }
}

}  // namespace hotline::report
