// Multi-pattern matcher over UTF-8 text (Aho–Corasick on Unicode code points).
// Built once per rule set, then immutable: concurrent find() calls are safe.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace hotline::routing {

class KeywordMatcher {
 public:
  using PatternId = std::uint32_t;

  // Adds a pattern and returns its id (ids are dense, starting at 0). Adding the same text twice returns the
  // first id. Must not be called after build(). Empty patterns are ignored and return the id of "" (never found).
  PatternId add(std::string_view pattern);

  // Freezes the automaton. Call once, after the last add().
  void build();

  // Reports every pattern occurring in `text` (overlaps included) by calling on_match(id, byte_offset_of_end).
  // Invalid UTF-8 bytes are treated as characters that occur in no pattern.
  template <class OnMatch>
  void find(std::string_view text, OnMatch&& on_match) const {
    find(text, on_match, [](char32_t, std::size_t) {});
  }
  // As find(), also calling on_char(code_point, byte_offset_of_start) for every character, before its matches, so
  // a caller that needs the characters as well (the feature reader) decodes the text once.
  template <class OnMatch, class OnChar>
  void find(std::string_view text, OnMatch&& on_match, OnChar&& on_char) const;

  std::size_t pattern_count() const { return patterns_.size(); }
  const std::string& pattern(PatternId id) const { return patterns_[id]; }
  std::size_t state_count() const { return states_.size(); }
  // Approximate heap bytes held, for the memory budget.
  std::size_t memory_bytes() const;

 private:
  using Symbol = std::uint32_t;  // 0 = a character used by no pattern
  struct Edge {
    Symbol symbol;
    std::uint32_t target;
  };
  struct State {
    std::uint32_t first_edge = 0;  // into edges_, sorted by symbol
    std::uint32_t edge_count = 0;
    std::uint32_t fail = 0;
    std::uint32_t first_output = 0;  // into outputs_: patterns ending here (own and via fail links)
    std::uint32_t output_count = 0;
  };

  Symbol symbol_of(char32_t cp) const {
    if (cp < bmp_symbols_.size()) return bmp_symbols_[cp];
    return cp < 0x10000 ? 0 : astral_symbol(cp);
  }
  Symbol astral_symbol(char32_t cp) const;

  // The automaton as find() runs it: the next state for (state, symbol), fail links already followed, from
  // root_next_ when the state is the root or when following the fail links leads back to the root's row, else
  // from one hash table of the other transitions (one probe, seldom two). The top bit of a next state says
  // that patterns end there.
  static constexpr std::uint32_t k_has_output = 0x80000000u;
  std::uint32_t next(std::uint32_t state, Symbol symbol) const {
    if (state != 0) {
      const std::uint64_t key = (std::uint64_t{state} << 32) | symbol;
      for (std::size_t i = (key * 0x9E3779B97F4A7C15ull) >> moves_shift_;; i = (i + 1) & moves_mask_) {
        const Move& m = moves_[i];
        if (m.state == state && m.symbol == symbol) return m.next;
        if (m.state == 0) break;
      }
    }
    return root_next_[symbol];
  }
  void build_moves();

  // Used while building: the trie's own edges and the fail links.
  std::uint32_t step(std::uint32_t state, Symbol symbol) const {
    while (true) {
      const std::uint32_t next = child(state, symbol);
      if (next != UINT32_MAX) return next;
      state = states_[state].fail;  // never loops forever: the root's row is total
    }
  }
  std::uint32_t child(std::uint32_t state, Symbol symbol) const {
    if (state == 0) return root_next_[symbol];
    const State& s = states_[state];
    const Edge* e = edges_.data() + s.first_edge;
    const Edge* end = e + s.edge_count;
    if (s.edge_count > 8) {  // a wide row (a common first character): binary search
      const Edge* it = std::lower_bound(e, end, symbol, [](const Edge& x, Symbol y) { return x.symbol < y; });
      return it != end && it->symbol == symbol ? it->target : UINT32_MAX;
    }
    // Most rows are short (a handful of edges): a linear scan beats a binary search there.
    for (; e != end; ++e) {
      if (e->symbol == symbol) return e->target;
    }
    return UINT32_MAX;
  }

  std::vector<std::string> patterns_;
  std::unordered_map<std::string, PatternId> index_;  // pattern text -> id, for add()
  std::vector<std::u32string> pattern_points_;
  std::vector<Symbol> bmp_symbols_;                          // code point (< 0x10000) -> symbol
  std::vector<std::pair<char32_t, Symbol>> astral_symbols_;  // sorted, for code points above the BMP
  std::vector<std::uint32_t> root_next_;                     // dense row of the root: symbol -> state (| k_has_output)
  struct Move {                                              // 12 bytes: the table is the automaton's largest part
    std::uint32_t state = 0;                                 // 0 = an empty slot (the root is never in the table)
    Symbol symbol = 0;
    std::uint32_t next = 0;
  };
  std::vector<Move> moves_;
  std::size_t moves_mask_ = 0;
  int moves_shift_ = 64;
  std::vector<State> states_;
  std::vector<Edge> edges_;
  std::vector<PatternId> outputs_;
  bool built_ = false;
};

// Decodes one UTF-8 sequence at text[i], advancing i. Returns U+FFFD for an invalid sequence (advancing 1 byte).
// The full decoder; decode_utf8 is the one to call.
char32_t decode_utf8_any(std::string_view text, std::size_t& i);

// As decode_utf8_any, with ASCII and the three-byte sequences Chinese text is made of inline: it runs once per
// character of every ticket routed. A three-byte sequence with a byte after it is tested as one 32-bit word (its
// lead and both continuation bytes in one comparison); the last character of a text takes the byte-wise path.
inline char32_t decode_utf8(std::string_view text, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(text[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  if constexpr (std::endian::native == std::endian::little) {
    if (i + 4 <= text.size()) {
      std::uint32_t w;
      std::memcpy(&w, text.data() + i, sizeof w);
      if ((w & 0xC0C0F0u) == 0x8080E0u) {  // 1110xxxx 10xxxxxx 10xxxxxx
        const char32_t cp = ((w & 0x0Fu) << 12) | ((w >> 2) & 0xFC0u) | ((w >> 16) & 0x3Fu);
        if (cp >= 0x800 && (cp - 0xD800u) >= 0x800u) {  // neither overlong nor a surrogate
          i += 3;
          return cp;
        }
      }
      return decode_utf8_any(text, i);
    }
  }
  if ((b0 & 0xF0) == 0xE0 && i + 2 < text.size()) {
    const auto b1 = static_cast<unsigned char>(text[i + 1]), b2 = static_cast<unsigned char>(text[i + 2]);
    const char32_t cp = (char32_t{b0 & 0x0Fu} << 12) | (char32_t{b1 & 0x3Fu} << 6) | (b2 & 0x3Fu);
    if ((b1 & 0xC0) == 0x80 && (b2 & 0xC0) == 0x80 && cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) {
      i += 3;
      return cp;
    }
  }
  return decode_utf8_any(text, i);
}

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points above U+10FFFF).
bool is_valid_utf8(std::string_view text);
// The offset of the first byte that is not well-formed UTF-8; npos when there is none.
std::size_t first_invalid_utf8(std::string_view text);

template <class OnMatch, class OnChar>
void KeywordMatcher::find(std::string_view text, OnMatch&& on_match, OnChar&& on_char) const {
  std::uint32_t state = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t start = i;
    const char32_t cp = decode_utf8(text, i);
    on_char(cp, start);
    const Symbol symbol = symbol_of(cp);
    if (symbol == 0) {
      state = 0;
      continue;
    }
    const std::uint32_t next_state = next(state, symbol);
    state = next_state & ~k_has_output;
    if ((next_state & k_has_output) == 0) continue;
    const State& s = states_[state];
    for (std::uint32_t k = 0; k < s.output_count; ++k) {
      on_match(outputs_[s.first_output + k], i);
    }
  }
}

}  // namespace hotline::routing
