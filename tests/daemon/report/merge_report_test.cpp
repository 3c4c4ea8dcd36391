// Merged tickets and the desk in the report (fixtures/merge_scenario.txt, as of 2026-11-20): a duplicate that
// followed its master's reply is judged on the master alone, a merge undone brings its ticket back, and the
// desk's holding of a ticket is in no rate.
#include <catch2/catch.hpp>

#include "report_fixture.hpp"

namespace hotline::test {
namespace {

const ReportFixture& merge_fixture() {
  static const std::unique_ptr<ReportFixture> fixture = build_report_fixture("merge_scenario");
  return *fixture;
}

}  // namespace

TEST_CASE("A duplicate that followed its master's reply counts for no unit: the master alone is judged",
          "[report][merge]") {
  const auto& f = merge_fixture();
  const auto row = f.row_where("units", "unit_id", "350602.cgj");
  // M1 replied on time and its caller was satisfied; M2's round was withdrawn when it followed M1.
  CHECK(f.cell("units", row, "on_time_rate") == "100.00%");
  CHECK(f.cell("units", row, "satisfaction_rate") == "100.00%");
  CHECK(f.cell("units", row, "resolution_rate") == "100.00%");
  // Sign-for: M1 on time; U1 and U2 never signed (their clocks ran out 11-20 00:00); M2 never its to sign.
  CHECK(f.cell("units", row, "sign_for_rate") == "33.33%");
  CHECK(f.cell("summary", f.row_where("summary", "item", "按时办结率"), "value") == "100.00%");
}

TEST_CASE("A merge undone brings the ticket back into the lists and the rates", "[report][merge]") {
  const auto& f = merge_fixture();
  CHECK(f.cell("red_list", f.row_where("red_list", "ticket", f.id("U1")), "clock") == "签收");
  CHECK(f.cell("red_list", f.row_where("red_list", "ticket", f.id("U2")), "clock") == "签收");
  CHECK(f.cell("red_list", f.row_where("red_list", "ticket", f.id("U2")), "unit_id") == "350602.cgj");
}

TEST_CASE("The desk's holding of a ticket is in no rate, only on its dispatch clock in the lists",
          "[report][merge][desk]") {
  const auto& f = merge_fixture();
  CHECK(f.cell("red_list", f.row_where("red_list", "ticket", f.id("K1")), "clock") == "派单");
  const auto desk = f.row_where("units", "unit_id", "12345.desk");
  for (const char* rate : {"sign_for_rate", "response_rate", "on_time_rate", "return_rate"}) {
    CHECK(f.cell("units", desk, rate).empty());
  }
  CHECK(f.cell("units", desk, "assignments") == "1");
  // The city-wide sign-for rate is 350602.cgj's alone: the desk's unsigned round does not pull it down.
  CHECK(f.cell("summary", f.row_where("summary", "item", "及时签收率"), "value") == "33.33%");
}

}  // namespace hotline::test
