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
  double subject_weight = 2.0;            // n-grams and keywords of the subject line count this many times
  std::size_t subject_max_chars = 60;     // a first line longer than this is not a subject line
  std::vector<std::u32string> negations;  // cues whose following words are denied (up to the clause's end)
  int negation_reach = 8;                 // characters after a cue that it may deny
};
FeatureSettings default_feature_settings();

class TextFeatures {
 public:
  struct Gram {
    NgramKey key;
    float weight;  // 1, or the subject weight
  };

  // Reads `content`. Every gram of length min_n..max_n (1..3) outside a denied span is collected in text order
  // (a gram that occurs twice is there twice), with its weight. This is the definition of the features.
  void read(std::string_view content, const FeatureSettings& settings, int min_n, int max_n);

  // read() in steps, for a caller that decodes the text anyway (TextHits::scan runs the keyword automaton in the
  // same pass) and may visit the grams without storing them (the router's scorer): start(), add() for every
  // character of the content in order, analyse(), then collect() or for_each_gram().
  void start(std::size_t content_bytes) {
    if (chars_.size() < content_bytes + k_sentinels) chars_.resize(content_bytes + k_sentinels);
    n_chars_ = 0;
  }
  void add(char32_t cp, std::size_t byte) { chars_[n_chars_++] = as_char(cp, byte); }
  // start() and add() for a caller in a tight loop: it writes as_char() of every character through the pointer
  // start_writing() gives (room for a character per byte of the content), then says where they end.
  struct Char {
    char32_t cp;         // normalised; 0 = a break (punctuation, space, anything without meaning)
    std::uint32_t byte;  // offset in the content
  };
  Char* start_writing(std::size_t content_bytes) {
    start(content_bytes);
    return chars_.data();
  }
  static Char as_char(char32_t cp, std::size_t byte) { return {normalise(cp), static_cast<std::uint32_t>(byte)}; }
  void end_writing(const Char* end) { n_chars_ = static_cast<std::size_t>(end - chars_.data()); }
  void analyse(std::string_view content, const FeatureSettings& settings);
  void collect(int min_n, int max_n, float subject_weight);
  // Calls f(key, n, weight) for every gram read() would collect, in the same order.
  template <class F>
  void for_each_gram(int min_n, int max_n, float subject_weight, F&& f) const;

  std::span<const Gram> grams() const { return {grams_.data(), gram_count_}; }
  std::size_t size() const { return n_chars_; }  // characters read
  // Byte ranges of `content`: the subject line (empty when there is none) and the denied spans.
  std::size_t subject_end() const { return subject_end_; }
  bool denied(std::size_t byte) const {
    for (const auto& [begin, end] : denied_) {
      if (byte >= begin && byte < end) return true;
    }
    return false;
  }
  double weight_at(std::size_t byte, double subject_weight) const { return byte < subject_end_ ? subject_weight : 1.0; }

 private:
  // The character as the scorers see it: CJK ideographs as they are, full-width ASCII folded to ASCII, letters
  // lower-cased, every digit '0'; anything else (punctuation, spaces, symbols) is a break (0).
  static char32_t normalise(char32_t cp) {
    if (cp >= 0x4E00 && cp <= 0x9FFF) return cp;  // the common case first
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;
    if (cp >= 'A' && cp <= 'Z') return cp + 32;
    if (cp >= 'a' && cp <= 'z') return cp;
    if (cp >= '0' && cp <= '9') return '0';
    if ((cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2FFFF)) return cp;
    return 0;
  }

  // Breaks after the last character (written by analyse()), so a gram never reads past the text.
  static constexpr std::size_t k_sentinels = 2;
  // The buffers only grow (no clearing or zeroing per call); the count says how much of the grams is in use.
  std::vector<Char> chars_;
  std::size_t n_chars_ = 0;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> denied_;  // byte ranges [begin, end)
  std::vector<Gram> grams_;
  std::size_t gram_count_ = 0;
  std::size_t subject_end_ = 0;
};

template <class F>
void TextFeatures::for_each_gram(int min_n, int max_n, float subject_weight, F&& f) const {
  // The grams starting at each character, shortest first, unrolled (n is at most 3). The breaks analyse() puts
  // after the last character end every gram there, so no bounds check is needed.
  const Char* chars = chars_.data();
  const std::size_t n_chars = n_chars_;
  // Members read once: f's stores (through pointers) would otherwise make the compiler reload them per character.
  const bool any_denied = !denied_.empty();
  const std::size_t subject_end = subject_end_;
  const auto part = [](const Char& c) { return static_cast<NgramKey>(c.cp & 0x1FFFFF); };
  for (std::size_t k = 0; k < n_chars; ++k) {
    if (chars[k].cp == 0) continue;
    if (any_denied && denied(chars[k].byte)) continue;
    const float weight = chars[k].byte < subject_end ? subject_weight : 1.0f;
    NgramKey key = part(chars[k]);
    if (min_n <= 1) f(key, 1, weight);
    if (max_n < 2 || chars[k + 1].cp == 0) continue;
    key = (key << 21) | part(chars[k + 1]);
    if (min_n <= 2) f(key, 2, weight);
    if (max_n < 3 || chars[k + 2].cp == 0) continue;
    key = (key << 21) | part(chars[k + 2]);
    f(key, 3, weight);
  }
}

}  // namespace hotline::routing
