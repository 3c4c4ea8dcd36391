// Callers by phone: one number written many ways is one caller; the key depends on the database's secret.
#include "daemon/access/caller_key.hpp"

#include <catch2/catch.hpp>

using hotline::daemon::CallerKeys;
using hotline::daemon::normalize_phone;

TEST_CASE("a phone number written with a country code, spaces, dashes or parentheses normalises to its digits",
          "[daemon][access][callers]") {
  for (const char* written : {"13800138000", "+86 138 0013 8000", "+86-138-0013-8000", "0086 13800138000",
                              "8613800138000", "138-0013-8000", " 138.0013.8000 "}) {
    INFO(written);
    CHECK(normalize_phone(written) == "13800138000");
  }
  CHECK(normalize_phone("(0596) 234-5678") == "05962345678");
  CHECK(normalize_phone("0596-2345678") == "05962345678");
  CHECK(normalize_phone("12345") == "12345");  // the hotline itself, or a short service number
}

TEST_CASE("what is not a phone number of this hotline's callers does not normalise", "[daemon][access][callers]") {
  for (const char* bad : {"", "1234", "1234567890123456", "138abc38000", "+1 415 555 0100", "++8613800138000",
                          "138+00138000", "一三八"}) {
    INFO(bad);
    CHECK_FALSE(normalize_phone(bad));
  }
}

TEST_CASE("one caller has one key under one secret, and another under another", "[daemon][access][callers]") {
  const CallerKeys keys("secret one");
  const auto key = keys.key_of("+86 138 0013 8000");
  REQUIRE(key);
  CHECK(key->size() == 64);
  CHECK(key->find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(keys.key_of("138-0013-8000") == key);
  CHECK(keys.key_of("13800138001") != key);
  CHECK(CallerKeys("secret two").key_of("13800138000") != key);
  CHECK(key->find("13800138000") == std::string::npos);
  CHECK_FALSE(keys.key_of("not a number"));
}
