#include "routing/ticket.hpp"

#include <catch2/catch.hpp>

using namespace hotline::routing;

TEST_CASE("request types parse from English names and Chinese words", "[routing][ticket]") {
  const std::pair<const char*, RequestType> table[] = {
      {"complaint", RequestType::complaint},
      {"投诉", RequestType::complaint},
      {"report", RequestType::report},
      {"举报", RequestType::report},
      {"help", RequestType::help},
      {"求助", RequestType::help},
      {"consultation", RequestType::consultation},
      {"咨询", RequestType::consultation},
      {"suggestion", RequestType::suggestion},
      {"建议", RequestType::suggestion},
      {"praise", RequestType::praise},
      {"表扬", RequestType::praise},
  };
  for (const auto& [text, type] : table) {
    INFO(text);
    CHECK(parse_request_type(text) == type);
    CHECK(parse_request_type(to_string(type)) == type);
  }
  CHECK_FALSE(parse_request_type("抱怨"));
  CHECK_FALSE(parse_request_type("Complaint"));
  CHECK_FALSE(parse_request_type(""));
}

TEST_CASE("urgencies parse from English names and Chinese words", "[routing][ticket]") {
  CHECK(parse_urgency("特急") == Urgency::very_urgent);
  CHECK(parse_urgency("urgent") == Urgency::urgent);
  CHECK(parse_urgency("一般") == Urgency::normal);
  CHECK_FALSE(parse_urgency("asap"));
}

TEST_CASE("is_blank: white space of every script is blank, any other character is not", "[routing][ticket]") {
  CHECK(is_blank(""));
  CHECK(is_blank(" \t\r\n"));
  CHECK(is_blank("\u3000\u3000"));         // the ideographic space of a Chinese keyboard
  CHECK(is_blank("\u00A0\u200B\uFEFF "));  // no-break, zero-width, byte-order mark
  CHECK_FALSE(is_blank("\u3000路灯\u3000"));
  CHECK_FALSE(is_blank(" ."));
  CHECK_FALSE(is_blank("\xE3\x80"));  // a space cut short is not a space
}
