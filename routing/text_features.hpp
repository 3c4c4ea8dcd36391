// What the matter scorers read from a ticket's words: the characters that carry meaning (CJK, letters, digits),
// the subject line of a written message, the spans a negation (不是, 并非, 没有任何 …) denies, and the character
// n-grams of the rest. Shared by the catalogue evidence, the learned model and its trainer, so training and
// routing see the same features. Pure; one TextFeatures per thread (reused between calls).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hotline::routing {

// An n-gram of up to three code points packed into 63 bits (21 bits a character); never 0.
using NgramKey = std::uint64_t;
NgramKey ngram_key(const char32_t* points, int n);
std::string ngram_text(NgramKey key);  // the n-gram as UTF-8, for explain traces and model files

struct FeatureSettings {
  double subject_weight = 2.0;          // n-grams and keywords of the subject line count this many times
  std::size_t subject_max_chars = 60;   // a first line longer than this is not a subject line
  std::vector<std::u32string> negations;  // cues whose following words are denied (up to the clause's end)
  int negation_reach = 8;               // characters after a cue that it may deny
};
FeatureSettings default_feature_settings();

class TextFeatures {
 public:
  struct Gram {
    NgramKey key;
    float weight;  // 1, or the subject weight
  };

  // Reads `content`. Every gram of length min_n..max_n (1..3) outside a denied span is collected in text order
  // (a gram that occurs twice is there twice), with its weight.
  void read(std::string_view content, const FeatureSettings& settings, int min_n, int max_n);

  std::span<const Gram> grams() const { return {grams_.data(), gram_count_}; }
  // Byte ranges of `content`: the subject line (empty when there is none) and the denied spans.
  std::size_t subject_end() const { return subject_end_; }
  bool denied(std::size_t byte) const;
  double weight_at(std::size_t byte, double subject_weight) const {
    return byte < subject_end_ ? subject_weight : 1.0;
  }

 private:
  struct Char {
    char32_t cp;         // normalised; 0 = a break (punctuation, space, anything without meaning)
    std::uint32_t byte;  // offset in the content
  };
  // The buffers only grow (no clearing or zeroing per call); the count says how much of the grams is in use.
  std::vector<Char> chars_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> denied_;  // byte ranges [begin, end)
  std::vector<Gram> grams_;
  std::size_t gram_count_ = 0;
  std::size_t subject_end_ = 0;
};

}  // namespace hotline::routing
