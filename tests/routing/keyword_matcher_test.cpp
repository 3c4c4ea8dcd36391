#include "routing/keyword_matcher.hpp"

#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

using hotline::routing::KeywordMatcher;

namespace {

std::set<std::string> found(const KeywordMatcher& m, std::string_view text) {
  std::set<std::string> out;
  m.find(text, [&](KeywordMatcher::PatternId id, std::size_t) { out.insert(m.pattern(id)); });
  return out;
}

}  // namespace

TEST_CASE("the matcher finds every pattern, overlapping ones included", "[routing][matcher]") {
  KeywordMatcher m;
  for (const char* p : {"路灯", "路灯不亮", "灯不亮", "噪音", "施工噪音", "he", "she", "hers"}) m.add(p);
  m.build();
  CHECK(found(m, "胜利路路灯不亮了") == std::set<std::string>{"路灯", "路灯不亮", "灯不亮"});
  CHECK(found(m, "夜间施工噪音扰民") == std::set<std::string>{"噪音", "施工噪音"});
  CHECK(found(m, "ushers") == std::set<std::string>{"he", "she", "hers"});
  CHECK(found(m, "没有匹配的内容").empty());
  CHECK(found(m, "").empty());
}

TEST_CASE("the same pattern added twice keeps one id", "[routing][matcher]") {
  KeywordMatcher m;
  const auto a = m.add("欠薪");
  CHECK(m.add("欠薪") == a);
  CHECK(m.add("工资") != a);
  m.build();
  CHECK(m.pattern_count() == 2);
}

TEST_CASE("matches report the byte offset just past the match", "[routing][matcher]") {
  KeywordMatcher m;
  m.add("路灯");
  m.build();
  std::size_t end = 0;
  m.find("xx路灯", [&](KeywordMatcher::PatternId, std::size_t e) { end = e; });
  CHECK(end == 2 + 6);
}

TEST_CASE("invalid UTF-8 in the text never matches across the bad byte", "[routing][matcher]") {
  KeywordMatcher m;
  m.add("路灯");
  m.build();
  const std::string lu = "路";
  const std::string deng = "灯";
  CHECK(found(m, lu + "\xff" + deng).empty());
  CHECK(found(m, "\xe8" + lu + deng) == std::set<std::string>{"路灯"});
}

namespace {

// Every character decode_utf8 reads from `text` (code point, bytes taken), checked against decode_utf8_any, the
// byte-wise decoder, at every step.
std::vector<std::pair<char32_t, std::size_t>> decoded(std::string_view text) {
  std::vector<std::pair<char32_t, std::size_t>> out;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t reference = i;
    const char32_t expected = hotline::routing::decode_utf8_any(text, reference);
    const std::size_t before = i;
    const char32_t cp = hotline::routing::decode_utf8(text, i);
    CHECK(cp == expected);
    CHECK(i == reference);
    out.emplace_back(cp, i - before);
  }
  return out;
}

using Decoded = std::vector<std::pair<char32_t, std::size_t>>;

}  // namespace

TEST_CASE("UTF-8 decoding: every sequence length, with a byte after it and at the end of the text", "[routing][utf8]") {
  // One, two, three (the word-at-a-time path when a byte follows) and four bytes.
  CHECK(decoded("a\xc3\xa9\xe8\xb7\xaf\xf0\x9f\x98\x80") == Decoded{{U'a', 1}, {U'é', 2}, {U'路', 3}, {U'😀', 4}});
  // A three-byte character last, exactly at the end of the buffer (the byte-wise path), and followed by one byte.
  CHECK(decoded("\xe8\xb7\xaf") == Decoded{{U'路', 3}});
  CHECK(decoded("\xe8\xb7\xaf!") == Decoded{{U'路', 3}, {U'!', 1}});
  CHECK(decoded("\xe8\xb7\xaf\xe7\x81\xaf") == Decoded{{U'路', 3}, {U'灯', 3}});
  // The edges of the three-byte range: U+0800, U+D7FF, U+E000, U+FFFF (and a genuine U+FFFD).
  CHECK(decoded("\xe0\xa0\x80.\xed\x9f\xbf.\xee\x80\x80.\xef\xbf\xbf.\xef\xbf\xbd.") == Decoded{{0x800, 3},
                                                                                                {U'.', 1},
                                                                                                {0xD7FF, 3},
                                                                                                {U'.', 1},
                                                                                                {0xE000, 3},
                                                                                                {U'.', 1},
                                                                                                {0xFFFF, 3},
                                                                                                {U'.', 1},
                                                                                                {0xFFFD, 3},
                                                                                                {U'.', 1}});
  // The common Chinese range is returned as is.
  CHECK(decoded("\xe4\xb8\x80\xe9\xbf\xbf ") == Decoded{{0x4E00, 3}, {0x9FFF, 3}, {U' ', 1}});
}

TEST_CASE("UTF-8 decoding: an invalid sequence is U+FFFD for one byte, wherever it is", "[routing][utf8]") {
  constexpr char32_t bad = 0xFFFD;
  // Overlong (E0 80 80 would be U+0000) and a surrogate (ED A0 80 would be U+D800), with and without a byte after.
  CHECK(decoded("\xe0\x80\x80!") == Decoded{{bad, 1}, {bad, 1}, {bad, 1}, {U'!', 1}});
  CHECK(decoded("\xe0\x80\x80") == Decoded{{bad, 1}, {bad, 1}, {bad, 1}});
  CHECK(decoded("\xed\xa0\x80!") == Decoded{{bad, 1}, {bad, 1}, {bad, 1}, {U'!', 1}});
  CHECK(decoded("\xed\xbf\xbf") == Decoded{{bad, 1}, {bad, 1}, {bad, 1}});
  // A continuation byte missing or out of place: the next character decodes from where it starts.
  CHECK(decoded("\xe8"
                "a\xaf!") == Decoded{{bad, 1}, {U'a', 1}, {bad, 1}, {U'!', 1}});
  CHECK(decoded("\xe8\xb7"
                "a!") == Decoded{{bad, 1}, {bad, 1}, {U'a', 1}, {U'!', 1}});
  CHECK(decoded("\xe8\xb7\xe7\x81\xaf!") == Decoded{{bad, 1}, {bad, 1}, {U'灯', 3}, {U'!', 1}});
  // Truncated at the end of the buffer: one and two bytes of three.
  CHECK(decoded("\xe8") == Decoded{{bad, 1}});
  CHECK(decoded("\xe8\xb7") == Decoded{{bad, 1}, {bad, 1}});
  // A lone continuation byte, a byte that starts nothing, a four-byte lead where three are expected.
  CHECK(decoded("\x80\xff\xf0\xb7\xaf!") == Decoded{{bad, 1}, {bad, 1}, {bad, 1}, {bad, 1}, {bad, 1}, {U'!', 1}});
  // Four-byte sequences: truncated, above U+10FFFF.
  CHECK(decoded("\xf0\x9f\x98") == Decoded{{bad, 1}, {bad, 1}, {bad, 1}});
  CHECK(decoded("\xf4\x90\x80\x80") == Decoded{{bad, 1}, {bad, 1}, {bad, 1}, {bad, 1}});
  // Two-byte: overlong and truncated.
  CHECK(decoded("\xc0\xaf") == Decoded{{bad, 1}, {bad, 1}});
  CHECK(decoded("\xc3") == Decoded{{bad, 1}});
}

TEST_CASE("UTF-8 decoding: every three-byte lead with every continuation pattern agrees with the byte-wise decoder",
          "[routing][utf8]") {
  // Leads E0..EF, second and third bytes from each class (ASCII, low and high continuation, lead bytes), each
  // sequence alone and with a byte after it (the two paths of decode_utf8).
  const unsigned char seconds[] = {0x41, 0x80, 0x9F, 0xA0, 0xBF, 0xC3, 0xE8, 0xFF};
  for (unsigned lead = 0xE0; lead <= 0xEF; ++lead) {
    for (const unsigned char b1 : seconds) {
      for (const unsigned char b2 : seconds) {
        const std::string seq{static_cast<char>(lead), static_cast<char>(b1), static_cast<char>(b2)};
        decoded(seq);
        decoded(seq + "x");
        decoded(seq + "\xe8\xb7\xaf");
      }
    }
  }
}

TEST_CASE("UTF-8 validation rejects malformed sequences", "[routing][utf8]") {
  using hotline::routing::is_valid_utf8;
  CHECK(is_valid_utf8("路灯 ok \xef\xbf\xbd"));  // a real U+FFFD is fine
  CHECK(is_valid_utf8("\xf0\x9f\x98\x80"));      // outside the BMP
  CHECK_FALSE(is_valid_utf8("\xff"));
  CHECK_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong '/'
  CHECK_FALSE(is_valid_utf8("\xed\xa0\x80"));      // surrogate
  CHECK_FALSE(is_valid_utf8("\xe8\xb7"));          // truncated
  CHECK_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
}
