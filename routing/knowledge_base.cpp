#include "routing/knowledge_base.hpp"

#include <algorithm>

namespace hotline::routing {

void KnowledgeBase::build(std::vector<KnowledgeEntry> entries) {
  entries_ = std::move(entries);
  std::sort(entries_.begin(), entries_.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  std::vector<std::pair<KeywordMatcher::PatternId, std::uint32_t>> words;
  entry_patterns_.assign(entries_.size(), {});
  for (std::uint32_t i = 0; i < entries_.size(); ++i) {
    for (const auto& k : entries_[i].keywords) {
      const auto p = matcher_.add(k);
      entry_patterns_[i].push_back(p);
      if (!k.empty()) words.emplace_back(p, i);
    }
  }
  matcher_.build();
  pattern_entries_.assign(matcher_.pattern_count(), {});
  pattern_chars_.assign(matcher_.pattern_count(), 0);
  for (const auto& [p, i] : words) {
    auto& list = pattern_entries_[p];
    if (list.empty() || list.back() != i) list.push_back(i);
  }
  for (std::uint32_t p = 0; p < matcher_.pattern_count(); ++p) {
    const auto& text = matcher_.pattern(p);
    std::uint32_t chars = 0;
    for (const char c : text) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    pattern_chars_[p] = chars;
  }
}

std::vector<KnowledgeMatch> KnowledgeBase::search(std::string_view text, Day today, std::string_view matter,
                                                  std::size_t top) const {
  if (entries_.empty() || top == 0) return {};
  std::vector<KeywordMatcher::PatternId> found;
  matcher_.find(text, [&](KeywordMatcher::PatternId p, std::size_t) { found.push_back(p); });
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());

  std::vector<KnowledgeMatch> matches;
  std::vector<int> slot(entries_.size(), -1);  // entry -> its place in `matches`
  for (const auto p : found) {
    for (const auto i : pattern_entries_[p]) {
      if (!entries_[i].valid_on(today)) continue;
      if (slot[i] < 0) {
        slot[i] = static_cast<int>(matches.size());
        matches.push_back({&entries_[i], 0, {}});
      }
      matches[static_cast<std::size_t>(slot[i])].score += pattern_chars_[p];
    }
  }
  for (auto& m : matches) {
    const auto i = static_cast<std::size_t>(m.entry - entries_.data());
    for (std::size_t k = 0; k < m.entry->keywords.size(); ++k) {
      if (std::binary_search(found.begin(), found.end(), entry_patterns_[i][k])) {
        m.matched.push_back(m.entry->keywords[k]);
      }
    }
    const auto& own = m.entry->matter;
    if (!matter.empty() && (matter.starts_with(own) || std::string_view(own).starts_with(matter))) {
      m.score += k_matter_bonus;
    }
  }
  std::sort(matches.begin(), matches.end(), [](const KnowledgeMatch& a, const KnowledgeMatch& b) {
    return a.score != b.score ? a.score > b.score : a.entry->id < b.entry->id;
  });
  if (matches.size() > top) matches.resize(top);
  return matches;
}

const KnowledgeEntry* KnowledgeBase::find(std::string_view id) const {
  const auto it = std::lower_bound(entries_.begin(), entries_.end(), id,
                                   [](const KnowledgeEntry& e, std::string_view key) { return e.id < key; });
  return it != entries_.end() && it->id == id ? &*it : nullptr;
}

std::size_t KnowledgeBase::memory_bytes() const {
  std::size_t bytes = sizeof(*this) + matcher_.memory_bytes() + entries_.capacity() * sizeof(KnowledgeEntry);
  for (const auto& e : entries_) {
    bytes += e.id.capacity() + e.matter.capacity() + e.question.capacity() + e.answer.capacity() + e.source.capacity();
    for (const auto& k : e.keywords) bytes += k.capacity();
  }
  return bytes;
}

}  // namespace hotline::routing
