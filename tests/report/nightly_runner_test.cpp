// The daemon's nightly schedule: pure functions of the current instant.
#include <catch2/catch.hpp>

#include "daemon/report/nightly_runner.hpp"

namespace hotline::test {
namespace {

std::int64_t at(const char* day, int hour, int minute) {
  return routing::start_of_day(*routing::parse_day(day), 480) + (hour * 60 + minute) * 60'000LL;
}

}  // namespace

TEST_CASE("Report times are HH MM in 24-hour form", "[report][nightly]") {
  CHECK(daemon::parse_report_time("02:00") == 120);
  CHECK(daemon::parse_report_time("23:59") == 23 * 60 + 59);
  CHECK_FALSE(daemon::parse_report_time("24:00"));
  CHECK_FALSE(daemon::parse_report_time("2:00"));
  CHECK_FALSE(daemon::parse_report_time("02:60"));
  CHECK_FALSE(daemon::parse_report_time(""));
}

TEST_CASE("The next run is later today or else tomorrow at the configured local time", "[report][nightly]") {
  CHECK(daemon::next_run_ms(at("2026-11-20", 1, 0), 120, 480) == at("2026-11-20", 2, 0));
  CHECK(daemon::next_run_ms(at("2026-11-20", 2, 0), 120, 480) == at("2026-11-21", 2, 0));  // strictly after
  CHECK(daemon::next_run_ms(at("2026-11-20", 23, 30), 120, 480) == at("2026-11-21", 2, 0));
  CHECK(daemon::next_run_ms(at("2026-12-31", 3, 0), 0, 480) == at("2027-01-01", 0, 0));
}

TEST_CASE("A run reports on the previous local day", "[report][nightly]") {
  CHECK(daemon::report_day_for(at("2026-11-21", 2, 0), 480) == *routing::parse_day("2026-11-20"));
  CHECK(daemon::report_day_for(at("2027-01-01", 0, 0), 480) == *routing::parse_day("2026-12-31"));
}

}  // namespace hotline::test
