#include "routing/keyword_matcher.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <stdexcept>
#include <unordered_map>

namespace hotline::routing {

char32_t decode_utf8_any(std::string_view text, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  std::size_t length = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    length = 2, cp = b0 & 0x1Fu, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    length = 3, cp = b0 & 0x0Fu, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    length = 4, cp = b0 & 0x07u, min = 0x10000;
  } else {
    ++i;
    return 0xFFFD;
  }
  if (i + length > text.size()) {
    ++i;
    return 0xFFFD;
  }
  for (std::size_t k = 1; k < length; ++k) {
    const unsigned char b = byte(i + k);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return 0xFFFD;
  }
  i += length;
  return cp;
}

std::size_t first_invalid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t before = i;
    const char32_t cp = decode_utf8(text, i);
    // A genuine U+FFFD is three bytes long; the error marker always advances exactly one.
    if (cp == 0xFFFD && i - before == 1) return before;
  }
  return std::string_view::npos;
}

bool is_valid_utf8(std::string_view text) {
  return first_invalid_utf8(text) == std::string_view::npos;
}

KeywordMatcher::PatternId KeywordMatcher::add(std::string_view pattern) {
  if (built_) throw std::logic_error("KeywordMatcher::add after build");
  const auto [it, fresh] = index_.try_emplace(std::string(pattern), static_cast<PatternId>(patterns_.size()));
  if (!fresh) return it->second;
  patterns_.emplace_back(pattern);
  std::u32string points;
  for (std::size_t i = 0; i < pattern.size();) points.push_back(decode_utf8(pattern, i));
  pattern_points_.push_back(std::move(points));
  return static_cast<PatternId>(patterns_.size() - 1);
}

KeywordMatcher::Symbol KeywordMatcher::astral_symbol(char32_t cp) const {
  const auto it = std::lower_bound(astral_symbols_.begin(), astral_symbols_.end(), std::pair{cp, Symbol{0}});
  return it != astral_symbols_.end() && it->first == cp ? it->second : 0;
}

void KeywordMatcher::build() {
  if (built_) return;
  built_ = true;
  // Symbols: every distinct code point used by a pattern, numbered from 1 in code point order.
  std::map<char32_t, Symbol> symbols;
  for (const auto& p : pattern_points_) {
    for (char32_t cp : p) symbols.emplace(cp, 0);
  }
  Symbol next_symbol = 1;
  char32_t max_bmp = 0;
  for (auto& [cp, sym] : symbols) {
    sym = next_symbol++;
    if (cp < 0x10000) max_bmp = std::max(max_bmp, cp);
  }
  bmp_symbols_.assign(symbols.empty() ? 0 : max_bmp + 1, 0);
  for (const auto& [cp, sym] : symbols) {
    if (cp < 0x10000) {
      bmp_symbols_[cp] = sym;
    } else {
      astral_symbols_.emplace_back(cp, sym);
    }
  }

  // Trie, built with maps, then flattened into sorted edge rows.
  std::vector<std::map<Symbol, std::uint32_t>> trie(1);
  std::vector<std::vector<PatternId>> own_outputs(1);
  for (PatternId id = 0; id < pattern_points_.size(); ++id) {
    if (pattern_points_[id].empty()) continue;
    std::uint32_t s = 0;
    for (char32_t cp : pattern_points_[id]) {
      const Symbol sym = symbols.at(cp);
      auto it = trie[s].find(sym);
      if (it == trie[s].end()) {
        const auto fresh = static_cast<std::uint32_t>(trie.size());
        trie[s].emplace(sym, fresh);
        trie.emplace_back();
        own_outputs.emplace_back();
        s = fresh;
      } else {
        s = it->second;
      }
    }
    own_outputs[s].push_back(id);
  }

  states_.assign(trie.size(), State{});
  root_next_.assign(next_symbol, 0);
  for (const auto& [sym, target] : trie[0]) root_next_[sym] = target;
  for (std::uint32_t s = 1; s < trie.size(); ++s) {
    states_[s].first_edge = static_cast<std::uint32_t>(edges_.size());
    states_[s].edge_count = static_cast<std::uint32_t>(trie[s].size());
    for (const auto& [sym, target] : trie[s]) edges_.push_back({sym, target});
  }

  // Failure links in breadth-first order; outputs merged along them so find() never walks fail chains for output.
  std::vector<std::vector<PatternId>> outputs(trie.size());
  std::deque<std::uint32_t> queue;
  for (const auto& [sym, target] : trie[0]) {
    states_[target].fail = 0;
    queue.push_back(target);
  }
  outputs[0] = own_outputs[0];
  while (!queue.empty()) {
    const std::uint32_t s = queue.front();
    queue.pop_front();
    outputs[s] = own_outputs[s];
    const auto& inherited = outputs[states_[s].fail];
    outputs[s].insert(outputs[s].end(), inherited.begin(), inherited.end());
    for (const auto& [sym, target] : trie[s]) {
      states_[target].fail = step(states_[s].fail, sym);
      queue.push_back(target);
    }
  }
  for (std::uint32_t s = 0; s < states_.size(); ++s) {
    states_[s].first_output = static_cast<std::uint32_t>(outputs_.size());
    states_[s].output_count = static_cast<std::uint32_t>(outputs[s].size());
    outputs_.insert(outputs_.end(), outputs[s].begin(), outputs[s].end());
  }
  build_moves();
  edges_.clear();  // find() needs only the moves (and the states for their outputs)
  edges_.shrink_to_fit();
  pattern_points_.clear();
  pattern_points_.shrink_to_fit();
  index_.clear();
}

void KeywordMatcher::build_moves() {
  // Every state's transitions with the fail links followed: its own edges over those of its fail state (done
  // first, in breadth-first order). Only those that differ from the root's row go into the table.
  std::vector<std::vector<Edge>> full(states_.size());
  std::vector<std::uint32_t> order;
  order.reserve(states_.size());
  std::deque<std::uint32_t> queue;
  for (Symbol sym = 1; sym < root_next_.size(); ++sym) {
    if (root_next_[sym] != 0) queue.push_back(root_next_[sym]);
  }
  while (!queue.empty()) {
    const std::uint32_t s = queue.front();
    queue.pop_front();
    order.push_back(s);
    const State& st = states_[s];
    for (std::uint32_t e = st.first_edge; e < st.first_edge + st.edge_count; ++e) queue.push_back(edges_[e].target);
  }
  const auto flagged = [&](std::uint32_t target) {
    return states_[target].output_count > 0 ? target | k_has_output : target;
  };
  std::size_t count = 0;
  for (const std::uint32_t s : order) {
    std::map<Symbol, std::uint32_t> moves;
    if (states_[s].fail != 0) {
      for (const auto& e : full[states_[s].fail]) moves[e.symbol] = e.target;
    }
    const State& st = states_[s];
    for (std::uint32_t e = st.first_edge; e < st.first_edge + st.edge_count; ++e)
      moves[edges_[e].symbol] = edges_[e].target;
    for (const auto& [sym, target] : moves) {
      if (target != root_next_[sym]) full[s].push_back({sym, target});
    }
    count += full[s].size();
  }
  std::size_t capacity = 16;
  int bits = 4;
  while (capacity < count * 2) capacity <<= 1, ++bits;  // load factor at most 1/2
  moves_.assign(capacity, Move{});
  moves_mask_ = capacity - 1;
  moves_shift_ = 64 - bits;
  for (std::uint32_t s = 0; s < full.size(); ++s) {
    for (const auto& e : full[s]) {
      const std::uint64_t key = (std::uint64_t{s} << 32) | e.symbol;
      std::size_t i = (key * 0x9E3779B97F4A7C15ull) >> moves_shift_;
      while (moves_[i].state != 0) i = (i + 1) & moves_mask_;
      moves_[i] = {s, e.symbol, flagged(e.target)};
    }
  }
  for (auto& target : root_next_) {
    if (target != 0) target = flagged(target);
  }
}

std::size_t KeywordMatcher::memory_bytes() const {
  std::size_t bytes = moves_.capacity() * sizeof(Move) + bmp_symbols_.size() * sizeof(Symbol) +
                      root_next_.size() * sizeof(std::uint32_t) + states_.size() * sizeof(State) +
                      edges_.size() * sizeof(Edge) + outputs_.size() * sizeof(PatternId) +
                      astral_symbols_.size() * sizeof(astral_symbols_[0]);
  for (const auto& p : patterns_) bytes += p.capacity() + sizeof(p);
  return bytes;
}

}  // namespace hotline::routing
