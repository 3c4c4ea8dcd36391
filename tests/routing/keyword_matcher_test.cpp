#include "routing/keyword_matcher.hpp"

#include <catch2/catch.hpp>
#include <set>
#include <string>

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
