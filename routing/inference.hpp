// Matter and area inference from a ticket's text: which catalogue leaf the words point to, and which division
// the place names point to. Pure; the scratch object is per thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "routing/rule_set.hpp"

namespace hotline::routing {

// Every pattern of a rule set found in a ticket's content and address, from one automaton pass each.
// Reused between calls (clear on scan) so routing allocates nothing in the steady state. Not thread-safe.
class TextHits {
 public:
  struct Hit {
    KeywordMatcher::PatternId pattern;
    std::uint32_t start;  // byte offsets in the content or the address
    std::uint32_t end;
    bool in_address;
  };

  void scan(const RuleSet& rules, std::string_view content, std::string_view address);

  const std::vector<Hit>& hits() const { return hits_; }
  // Distinct patterns found in the content, sorted (rule keywords look at the content only).
  const std::vector<KeywordMatcher::PatternId>& content_patterns() const { return content_patterns_; }
  bool contains(KeywordMatcher::PatternId p) const;

 private:
  std::vector<Hit> hits_;
  std::vector<KeywordMatcher::PatternId> content_patterns_;
};

// The matter code the text points to, or "" when no matter keyword occurs. Appends its reasons to `explain`
// when not null. Scoring: each distinct keyword found adds its length in characters to its matters; the highest
// score wins, then the earliest keyword, then the lower code.
std::string infer_matter(const RuleSet& rules, const TextHits& hits, std::vector<std::string>* explain);

// The division code the place names point to, or "" when none occurs. Rules in rules/README.md.
std::string infer_area(const RuleSet& rules, const TextHits& hits, std::vector<std::string>* explain);

}  // namespace hotline::routing
