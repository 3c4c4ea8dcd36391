#include "daemon/runtime/local_time.hpp"

#include <catch2/catch.hpp>

#include "routing/civil_day.hpp"

using namespace hotline::daemon;

TEST_CASE("stamps are RFC 3339 in the selected zone with the local date", "[daemon][time]") {
  REQUIRE(select_time_zone("Asia/Shanghai").empty());
  // 2025-09-26T02:00:00Z is 10:00 in Shanghai; 2025-09-26T16:30:00.250Z is already the 27th there.
  const auto morning = local_stamp(std::chrono::system_clock::time_point(std::chrono::seconds(1758852000)));
  CHECK(morning.rfc3339 == "2025-09-26T10:00:00.000+08:00");
  CHECK(morning.day == "20250926");
  CHECK(morning.unix_ms == 1758852000000);
  const auto late = local_stamp(std::chrono::system_clock::time_point(std::chrono::milliseconds(1758904200250)));
  CHECK(late.rfc3339 == "2025-09-27T00:30:00.250+08:00");
  CHECK(late.day == "20250927");
  // Before the epoch, the milliseconds still count up from the second before.
  const auto before = local_stamp_ms(-1);
  CHECK(before.rfc3339 == "1970-01-01T07:59:59.999+08:00");
  CHECK(before.day == "19700101");
}

TEST_CASE("stamps west of Greenwich carry a negative offset with minutes", "[daemon][time]") {
  REQUIRE(select_time_zone("America/St_Johns").empty());  // UTC-3:30 in winter
  const auto s = local_stamp_ms(1767225600007);           // 2026-01-01T00:00:00.007Z
  CHECK(s.rfc3339 == "2025-12-31T20:30:00.007-03:30");
  CHECK(s.day == "20251231");
  REQUIRE(select_time_zone("Asia/Shanghai").empty());
}

TEST_CASE("an unknown time zone is refused instead of silently becoming UTC", "[daemon][time]") {
  CHECK_FALSE(select_time_zone("Mars/Olympus").empty());
  CHECK_FALSE(select_time_zone("../../etc/passwd").empty());
  CHECK(select_time_zone("Asia/Shanghai").empty());
}

TEST_CASE("RFC 3339 instants parse with Z or an offset", "[daemon][time][rfc3339]") {
  constexpr std::int64_t k_ms = 1758852000000;  // 2025-09-26T02:00:00Z
  CHECK(parse_rfc3339("2025-09-26T02:00:00Z") == k_ms);
  CHECK(parse_rfc3339("2025-09-26T02:00:00z") == k_ms);
  CHECK(parse_rfc3339("2025-09-26t02:00:00Z") == k_ms);
  CHECK(parse_rfc3339("2025-09-26 02:00:00Z") == k_ms);
  CHECK(parse_rfc3339("2025-09-26T10:00:00+08:00") == k_ms);
  CHECK(parse_rfc3339("2025-09-26T02:00:00+00:00") == k_ms);
  CHECK(parse_rfc3339("2025-09-26T02:00:00-00:00") == k_ms);
  CHECK(parse_rfc3339("2025-09-25T22:30:00-03:30") == k_ms);  // a negative offset with minutes
  CHECK(parse_rfc3339("2025-09-26T07:45:00+05:45") == k_ms);
  CHECK(parse_rfc3339("1970-01-01T00:00:00Z") == 0);
  CHECK(parse_rfc3339("1970-01-01T08:00:00+08:00") == 0);
}

TEST_CASE("RFC 3339 fractional seconds count to the millisecond", "[daemon][time][rfc3339]") {
  constexpr std::int64_t k_ms = 1758852000000;
  CHECK(parse_rfc3339("2025-09-26T02:00:00.5Z") == k_ms + 500);
  CHECK(parse_rfc3339("2025-09-26T02:00:00.05Z") == k_ms + 50);
  CHECK(parse_rfc3339("2025-09-26T02:00:00.123+00:00") == k_ms + 123);
  CHECK(parse_rfc3339("2025-09-26T10:00:00.999999+08:00") == k_ms + 999);  // cut, not rounded
  CHECK(parse_rfc3339("1969-12-31T23:59:59.999Z") == -1);
  CHECK_FALSE(parse_rfc3339("2025-09-26T02:00:00.Z"));
  CHECK_FALSE(parse_rfc3339("2025-09-26T02:00:00,5Z"));
}

TEST_CASE("RFC 3339 dates and times that do not exist are refused", "[daemon][time][rfc3339]") {
  CHECK(parse_rfc3339("2024-02-29T00:00:00Z") == 1709164800000);  // leap year
  CHECK_FALSE(parse_rfc3339("2025-02-29T00:00:00Z"));
  CHECK_FALSE(parse_rfc3339("2026-02-30T10:00:00+08:00"));
  CHECK_FALSE(parse_rfc3339("2026-04-31T10:00:00+08:00"));
  CHECK_FALSE(parse_rfc3339("2026-13-01T10:00:00+08:00"));
  CHECK_FALSE(parse_rfc3339("2026-00-01T10:00:00+08:00"));
  CHECK_FALSE(parse_rfc3339("2026-01-00T10:00:00+08:00"));
  CHECK_FALSE(parse_rfc3339("2026-01-32T10:00:00+08:00"));
  CHECK_FALSE(parse_rfc3339("2026-01-01T24:00:00+08:00"));
  CHECK_FALSE(parse_rfc3339("2026-01-01T23:60:00+08:00"));
  CHECK_FALSE(parse_rfc3339("2026-01-01T23:59:61+08:00"));
  CHECK_FALSE(parse_rfc3339("2026-01-01T10:00:00+24:00"));
  CHECK_FALSE(parse_rfc3339("2026-01-01T10:00:00+08:60"));
}

TEST_CASE("RFC 3339 garbage is refused", "[daemon][time][rfc3339]") {
  for (const char* text :
       {"", "now", "2025-09-26", "2025-09-26T10:00:00", "2025-09-26T10:00+08:00", "2025-9-26T10:00:00+08:00",
        "2025/09/26T10:00:00+08:00", "2025-09-26X10:00:00+08:00", "2025-09-26T10:00:00+0800", "2025-09-26T10:00:00+08",
        "2025-09-26T10:00:00 +08:00", "2025-09-26T10:00:00+08:00 ", " 2025-09-26T10:00:00+08:00",
        "2025-09-26T10:00:00ZZ", "2025-09-26T10:00:00Z+08:00", "+2025-09-26T10:00:00Z", "2025-09-26T1O:00:00Z",
        "２０２５-09-26T10:00:00Z"}) {
    INFO(text);
    CHECK_FALSE(parse_rfc3339(text));
  }
}

TEST_CASE("dates and instants callers name must fall in 2000-2099", "[daemon][time][rfc3339]") {
  CHECK(parse_caller_day("2000-01-01") == hotline::routing::day_from_civil(2000, 1, 1));
  CHECK(parse_caller_day("2099-12-31") == hotline::routing::day_from_civil(2099, 12, 31));
  CHECK(parse_caller_day("2026-11-20") == hotline::routing::day_from_civil(2026, 11, 20));
  CHECK_FALSE(parse_caller_day("0000-01-01"));
  CHECK_FALSE(parse_caller_day("1999-12-31"));
  CHECK_FALSE(parse_caller_day("2100-01-01"));
  CHECK_FALSE(parse_caller_day("9999-12-31"));
  CHECK_FALSE(parse_caller_day("2026-02-30"));

  CHECK(parse_caller_instant("2025-09-26T10:00:00+08:00") == parse_rfc3339("2025-09-26T10:00:00+08:00"));
  CHECK(parse_caller_instant("2000-01-01T00:00:00Z"));
  CHECK(parse_caller_instant("2099-12-31T23:59:59.999+08:00"));
  CHECK_FALSE(parse_caller_instant("0000-01-01T00:00:00Z"));
  CHECK_FALSE(parse_caller_instant("9999-12-31T23:59:59Z"));
  CHECK_FALSE(parse_caller_instant("1999-12-31T23:59:59Z"));
  CHECK_FALSE(parse_caller_instant("2100-01-01T00:00:00+08:00"));
  CHECK_FALSE(parse_caller_instant("2025-09-26"));
  // The syntax parser alone still reads any four-digit year.
  CHECK(parse_rfc3339("0000-01-01T00:00:00Z"));
}
