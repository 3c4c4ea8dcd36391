// The character-bigram Jaccard similarity behind likely-duplicate suggestions.
#include "routing/text_similarity.hpp"

#include <catch2/catch.hpp>

using hotline::routing::bigram_similarity;

TEST_CASE("identical texts are 1 and texts with nothing in common are 0", "[routing][similarity]") {
  CHECK(bigram_similarity("胜利路路灯不亮", "胜利路路灯不亮") == Approx(1.0));
  CHECK(bigram_similarity("胜利路路灯不亮", "小区物业乱收停车费") == Approx(0.0));
  CHECK(bigram_similarity("", "胜利路路灯不亮") == 0.0);
  CHECK(bigram_similarity("，。！", "，。！") == 0.0);  // nothing but punctuation
}

TEST_CASE("punctuation white space and ASCII case do not count", "[routing][similarity]") {
  CHECK(bigram_similarity("胜利路 路灯，不亮！", "胜利路路灯不亮") == Approx(1.0));
  CHECK(bigram_similarity("LED灯坏了", "led灯坏了") == Approx(1.0));
}

TEST_CASE("a near-identical complaint scores high and is symmetric", "[routing][similarity]") {
  // {胜利 利路 路路 路灯 灯不 不亮} vs {胜利 利路 路路 路灯 灯一 一直 直不 不亮}: 5 shared of 9.
  const double s = bigram_similarity("胜利路路灯不亮", "胜利路路灯一直不亮");
  CHECK(s == Approx(5.0 / 9.0));
  CHECK(bigram_similarity("胜利路路灯一直不亮", "胜利路路灯不亮") == Approx(s));
  CHECK(s > bigram_similarity("胜利路路灯不亮", "延安路井盖丢失"));
}

TEST_CASE("a one-character text compares by that character", "[routing][similarity]") {
  CHECK(bigram_similarity("灯", "灯") == Approx(1.0));
  CHECK(bigram_similarity("灯", "路") == 0.0);
}

TEST_CASE("invalid UTF-8 is read, never rejected", "[routing][similarity]") {
  // U+FFFD U+FFFD 路 灯: three pairs, one of them shared.
  CHECK(bigram_similarity("\xff\xfe路灯", "路灯") == Approx(1.0 / 3.0));
}
