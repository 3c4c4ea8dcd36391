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

  // Also reads the content's characters for the matter scorers (features()), in the same pass.
  void scan(const RuleSet& rules, std::string_view content, std::string_view address);

  const std::vector<Hit>& hits() const { return hits_; }
  // Distinct patterns found in the content, sorted (rule keywords look at the content only).
  const std::vector<KeywordMatcher::PatternId>& content_patterns() const { return content_patterns_; }
  bool contains(KeywordMatcher::PatternId p) const;
  // The content's characters, subject line and denied spans (TextFeatures::analyse done; no grams collected).
  const TextFeatures& features() const { return features_; }

 private:
  TextFeatures features_;
  std::vector<Hit> hits_;
  std::vector<KeywordMatcher::PatternId> content_patterns_;
};

// The matter the words point to, with how sure the router is (0..1). Evidence that adds up (rules/README.md):
// whole catalogue keywords (by length, shared keywords split between their leaves), the catalogue's character
// bigrams (so no exact phrase is needed), the subject line of a written message counting `subject_weight` times,
// words a negation denies not counting; then, when the rule set has a learned model, its probabilities as a
// second opinion (`model_weight`). Code "" when nothing points anywhere. Appends its reasons to `explain`.
// `hits` must have been scanned from `content` (their features() are the content's).
struct MatterInference {
  std::string code;
  double confidence = 0;
};
MatterInference infer_matter(const RuleSet& rules, const TextHits& hits, std::string_view content,
                             std::vector<std::string>* explain);

// The division code the place names point to, or "" when none occurs. Rules in rules/README.md.
std::string infer_area(const RuleSet& rules, const TextHits& hits, std::vector<std::string>* explain);

}  // namespace hotline::routing
