// How alike two citizens' texts are, for suggesting a likely duplicate at intake: the Jaccard index of their
// character-bigram sets. Pure; safe from any thread.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace hotline::routing {

// |A ∩ B| / |A ∪ B| over the sets of adjacent character pairs (code points) of `a` and `b`, after dropping white
// space and punctuation (ASCII and the full-width/CJK marks) and folding ASCII letters to lower case. A text of one
// character counts that character as its only "pair". 0 when either text has no character left; 1 for texts
// equal after that normalisation. Symmetric. Invalid UTF-8 reads as U+FFFD.
double bigram_similarity(std::string_view a, std::string_view b);

// One text's bigram set, for comparing it with many (intake against its likely duplicates): read once.
class BigramSet {
 public:
  explicit BigramSet(std::string_view text);
  // bigram_similarity(this text, other's text).
  double similarity(const BigramSet& other) const;

 private:
  std::vector<std::uint64_t> grams_;  // sorted, distinct
};

}  // namespace hotline::routing
