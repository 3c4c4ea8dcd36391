#include "routing/text_features.hpp"

#include <algorithm>

#include "routing/keyword_matcher.hpp"

namespace hotline::routing {
namespace {

void put_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

NgramKey ngram_key(const char32_t* points, int n) {
  NgramKey key = 0;
  for (int i = 0; i < n; ++i) key = (key << 21) | static_cast<NgramKey>(points[i] & 0x1FFFFF);
  return key;
}

std::string ngram_text(NgramKey key) {
  char32_t points[3];
  int n = 0;
  while (key != 0 && n < 3) {
    points[n++] = static_cast<char32_t>(key & 0x1FFFFF);
    key >>= 21;
  }
  std::string out;
  for (int i = n - 1; i >= 0; --i) put_utf8(out, points[i]);
  return out;
}

FeatureSettings default_feature_settings() {
  FeatureSettings s;
  s.negations = {U"不是", U"并非", U"并不是", U"而非", U"不属于", U"不涉及", U"不存在", U"并没有", U"没有任何"};
  return s;
}

void TextFeatures::read(std::string_view content, const FeatureSettings& settings, int min_n, int max_n) {
  start(content.size());
  for (std::size_t i = 0; i < content.size();) {
    const std::size_t at = i;
    add(decode_utf8(content, i), at);
  }
  analyse(content, settings);
  collect(min_n, max_n, static_cast<float>(settings.subject_weight));
}

void TextFeatures::analyse(std::string_view content, const FeatureSettings& settings) {
  denied_.clear();
  subject_end_ = 0;
  for (std::size_t k = 0; k < k_sentinels; ++k) chars_[n_chars_ + k] = {0, static_cast<std::uint32_t>(content.size())};

  // The subject line: a short first line with more text after it.
  const auto newline = content.find('\n');
  if (newline != std::string_view::npos && content.find_first_not_of(" \t\r\n", newline) != std::string_view::npos) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < newline;) {
      decode_utf8(content, i);
      ++count;
    }
    if (count > 0 && count <= settings.subject_max_chars) subject_end_ = newline;
  }

  // A filter on two six-bit slices of the characters that may start a negation cue: one slice alone lets a
  // Chinese character in one time in sixteen (four distinct first characters in 64), both together far fewer.
  std::uint64_t firsts_low = 0, firsts_high = 0;
  for (const auto& cue : settings.negations) {
    if (cue.empty()) continue;
    firsts_low |= std::uint64_t{1} << (cue[0] & 63);
    firsts_high |= std::uint64_t{1} << ((cue[0] >> 6) & 63);
  }
  const std::size_t n_chars = n_chars_;
  const Char* chars = chars_.data();  // denied_ grows below, chars_ does not
  const auto end_byte = [&](std::size_t k) {
    return k < n_chars ? chars[k].byte : static_cast<std::uint32_t>(content.size());
  };

  // Denied spans: after a cue, up to `negation_reach` characters, stopping at a break or at 是 (不是A是B).
  for (std::size_t k = 0; k < n_chars; ++k) {
    const char32_t first = chars[k].cp;
    // The low slice alone turns most characters away (a break, 0, passes it only when a cue starts with a
    // character whose low slice is 0, and is turned away by the test after).
    if (((firsts_low >> (first & 63)) & 1) == 0) continue;
    if (first == 0 || ((firsts_high >> ((first >> 6) & 63)) & 1) == 0) continue;
    for (const auto& cue : settings.negations) {
      if (cue.empty() || cue[0] != first || k + cue.size() > n_chars) continue;
      bool match = true;
      for (std::size_t j = 1; j < cue.size() && match; ++j) match = chars[k + j].cp == cue[j];
      if (!match) continue;
      const std::size_t from = k + cue.size();
      std::size_t to = from;
      while (to < n_chars && to - from < static_cast<std::size_t>(settings.negation_reach) && chars[to].cp != 0 &&
             chars[to].cp != U'是') {
        ++to;
      }
      if (to > from) denied_.emplace_back(end_byte(from), end_byte(to));
    }
  }
}

void TextFeatures::collect(int min_n, int max_n, float subject_weight) {
  gram_count_ = 0;
  const std::size_t per_char = static_cast<std::size_t>(std::max(0, max_n - min_n + 1));
  if (grams_.size() < n_chars_ * per_char) grams_.resize(n_chars_ * per_char);
  for_each_gram(min_n, max_n, subject_weight, [&](NgramKey key, int, float weight) {
    grams_[gram_count_++] = {key, weight};
  });
}

}  // namespace hotline::routing
