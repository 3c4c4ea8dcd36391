// The citizen's lookup code: six random digits, kept only as a keyed hash, matched in constant time.
#include "daemon/access/lookup_code.hpp"

#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "daemon/access/caller_key.hpp"

using hotline::daemon::LookupCodes;
using hotline::daemon::make_lookup_code;

TEST_CASE("lookup codes are six digits and differ from one ticket to the next", "[daemon][access][public]") {
  std::set<std::string> seen;
  std::size_t digit_counts[10] = {};
  for (int i = 0; i < 2000; ++i) {
    const auto code = make_lookup_code();
    REQUIRE(code.size() == 6);
    for (const char c : code) {
      REQUIRE((c >= '0' && c <= '9'));
      ++digit_counts[c - '0'];
    }
    seen.insert(code);
  }
  // 2,000 draws from a million codes: a repeat or two is possible, many are not.
  CHECK(seen.size() >= 1990);
  // 12,000 digits: each of the ten near 1,200 (a biased generator would starve some).
  for (const auto n : digit_counts) CHECK((n > 1000 && n < 1400));
}

TEST_CASE("a code matches its own hash only, under its own secret", "[daemon][access][public]") {
  const LookupCodes codes("secret one");
  const auto stored = codes.hash_of("123456");
  CHECK(stored.size() == 64);
  CHECK(stored.find("123456") == std::string::npos);
  CHECK(codes.matches("123456", stored));
  CHECK_FALSE(codes.matches("123457", stored));
  CHECK_FALSE(codes.matches("", stored));
  CHECK_FALSE(codes.matches("123456", ""));  // a ticket taken in without a code
  CHECK_FALSE(codes.matches("123456", stored.substr(0, 63)));
  CHECK_FALSE(LookupCodes("secret two").matches("123456", stored));
  // Not the caller key of the same digits: the code's hash has its own prefix.
  CHECK(codes.hash_of("13800138000") != hotline::daemon::hmac_sha256_hex("secret one", "13800138000"));
}
