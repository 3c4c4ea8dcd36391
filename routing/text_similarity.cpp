#include "routing/text_similarity.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "routing/keyword_matcher.hpp"

namespace hotline::routing {
namespace {

bool ignored(char32_t cp) {
  if (cp < 0x80) {
    const auto c = static_cast<unsigned char>(cp);
    return c <= 0x20 || c == 0x7F || (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) ||
           (c >= 0x7B && c <= 0x7E);
  }
  return cp == 0x3000 ||                    // ideographic space
         (cp >= 0x3001 && cp <= 0x3011) ||  // 、。〃〄〆〈〉《》「」『』【】 (々 and 〇 are kept before this)
         (cp >= 0x2010 && cp <= 0x2027) ||  // dashes, quotes, ellipsis
         (cp >= 0xFF01 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) || (cp >= 0xFF3B && cp <= 0xFF40) ||
         (cp >= 0xFF5B && cp <= 0xFF65);  // full-width punctuation
}

std::vector<std::uint64_t> bigrams(std::string_view text) {
  std::vector<char32_t> points;
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = decode_utf8(text, i);
    if (cp == 0x3005 || cp == 0x3007) {
      points.push_back(cp);  // 々 and 〇 are characters, not marks
      continue;
    }
    if (ignored(cp)) continue;
    if (cp >= 'A' && cp <= 'Z') cp += 'a' - 'A';
    points.push_back(cp);
  }
  std::vector<std::uint64_t> out;
  if (points.size() == 1) out.push_back(static_cast<std::uint64_t>(points[0]) << 32);
  for (std::size_t i = 1; i < points.size(); ++i) {
    out.push_back((static_cast<std::uint64_t>(points[i - 1]) << 32) | points[i]);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

BigramSet::BigramSet(std::string_view text) : grams_(bigrams(text)) {}

double BigramSet::similarity(const BigramSet& other) const {
  const auto& x = grams_;
  const auto& y = other.grams_;
  if (x.empty() || y.empty()) return 0.0;
  std::size_t common = 0;
  for (std::size_t i = 0, j = 0; i < x.size() && j < y.size();) {
    if (x[i] == y[j]) {
      ++common;
      ++i;
      ++j;
    } else if (x[i] < y[j]) {
      ++i;
    } else {
      ++j;
    }
  }
  return static_cast<double>(common) / static_cast<double>(x.size() + y.size() - common);
}

double bigram_similarity(std::string_view a, std::string_view b) {
  return BigramSet(a).similarity(BigramSet(b));
}

}  // namespace hotline::routing
