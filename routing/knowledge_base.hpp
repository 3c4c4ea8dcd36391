// The knowledge base (知识库): question-and-answer entries kept as data in the rules folder (`knowledge:`
// sections), so an operator can answer a consultation on the spot and cite the entry. Each entry names its
// matter, the keywords that bring it up, the answer, the document it rests on and the last day it is valid.
// Built by the rule set's compiler; immutable once built, so concurrent searches are safe. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "routing/civil_day.hpp"
#include "routing/keyword_matcher.hpp"

namespace hotline::routing {

struct KnowledgeEntry {
  std::string id;        // unique in the rule set, e.g. "kb-social-card-replace"
  std::string matter;    // catalogue code the answer belongs to
  std::string question;  // how the question is usually asked
  std::vector<std::string> keywords;
  std::string answer;
  std::string source;              // the document the answer rests on
  std::optional<Day> valid_until;  // the last day the answer holds; none: no end
  bool valid_on(Day today) const { return !valid_until || today <= *valid_until; }
};

struct KnowledgeMatch {
  const KnowledgeEntry* entry = nullptr;
  double score = 0;                  // characters of the distinct keywords found, plus the matter bonus
  std::vector<std::string> matched;  // the keywords found, in the entry's order
};

class KnowledgeBase {
 public:
  // Takes the entries (ids unique, keywords non-empty: the compiler checks both) and builds the matcher.
  void build(std::vector<KnowledgeEntry> entries);

  // The entries valid on `today` whose keywords occur in `text`, best first, at most `top`. An entry whose matter
  // is `matter` or contains it (or lies within it) gets a bonus of k_matter_bonus, so the routed matter breaks
  // ties between entries the words alone do not tell apart; an empty `matter` gives no bonus. Ties: by id.
  std::vector<KnowledgeMatch> search(std::string_view text, Day today, std::string_view matter, std::size_t top) const;
  static constexpr double k_matter_bonus = 2.0;

  const std::vector<KnowledgeEntry>& entries() const { return entries_; }
  const KnowledgeEntry* find(std::string_view id) const;
  std::size_t memory_bytes() const;

 private:
  std::vector<KnowledgeEntry> entries_;  // sorted by id
  KeywordMatcher matcher_;
  std::vector<std::vector<KeywordMatcher::PatternId>> entry_patterns_;  // entry -> its keywords' patterns
  std::vector<std::vector<std::uint32_t>> pattern_entries_;             // pattern -> entries it belongs to
  std::vector<std::uint32_t> pattern_chars_;
};

}  // namespace hotline::routing
