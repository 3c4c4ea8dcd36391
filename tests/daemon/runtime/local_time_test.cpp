#include "daemon/runtime/local_time.hpp"

#include <catch2/catch.hpp>

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
  const auto s = local_stamp_ms(1767225600007);             // 2026-01-01T00:00:00.007Z
  CHECK(s.rfc3339 == "2025-12-31T20:30:00.007-03:30");
  CHECK(s.day == "20251231");
  REQUIRE(select_time_zone("Asia/Shanghai").empty());
}

TEST_CASE("an unknown time zone is refused instead of silently becoming UTC", "[daemon][time]") {
  CHECK_FALSE(select_time_zone("Mars/Olympus").empty());
  CHECK_FALSE(select_time_zone("../../etc/passwd").empty());
  CHECK(select_time_zone("Asia/Shanghai").empty());
}
