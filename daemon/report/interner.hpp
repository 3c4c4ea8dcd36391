// Interner: dense indices (0, 1, 2, ...) for strings, with the strings kept in an arena. An open-addressing
// table of (hash, index) pairs: one probe usually touches one cache line, where std::unordered_map walks a node
// chain per lookup — the difference dominates folding millions of events. Single-threaded.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace hotline::report {

class Interner {
 public:
  // The index of `key`, adding it (with the next index) when it is new.
  std::uint32_t intern(std::string_view key);
  std::string_view key(std::uint32_t index) const { return keys_[index]; }
  std::size_t size() const { return keys_.size(); }
  void reserve(std::size_t keys);
  // The keys (views into the arena) and the arena itself; the interner is spent afterwards.
  std::vector<std::string_view> take_keys() { return std::move(keys_); }
  std::vector<std::unique_ptr<char[]>> take_arena() { return std::move(arena_); }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t index = 0xFFFFFFFF;  // empty
  };
  void grow();
  std::string_view store(std::string_view key);

  std::vector<Slot> slots_;
  std::vector<std::string_view> keys_;
  std::vector<std::unique_ptr<char[]>> arena_;
  std::size_t block_used_ = 0;
  std::size_t block_size_ = 0;
};

}  // namespace hotline::report
