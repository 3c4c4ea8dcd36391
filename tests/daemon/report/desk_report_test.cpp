// The dispatch desk in the report (fixtures/desk_scenario.txt, as of 2026-11-20): the desk's clock is named for
// what it is (派单, never 办结), and returns on rounds chosen by hand count against "(派单)", not `fallback`.
#include <catch2/catch.hpp>

#include "daemon/report/report_run.hpp"
#include "report_fixture.hpp"

namespace hotline::test {
namespace {

const ReportFixture& desk_fixture() {
  static const std::unique_ptr<ReportFixture> fixture = build_report_fixture("desk_scenario");
  return *fixture;
}

}  // namespace

TEST_CASE("A ticket waiting at the desk is on the dispatch clock (派单) in the red and yellow lists",
          "[report][lists][desk]") {
  const auto& f = desk_fixture();
  const auto red = f.row_where("red_list", "ticket", f.id("D1"));
  CHECK(f.cell("red_list", red, "unit_id") == "12345.desk");
  CHECK(f.cell("red_list", red, "clock") == "派单");
  CHECK(f.cell("red_list", red, "due") == "2026-11-20 00:00");
  CHECK(f.cell("red_list", red, "working_days_overdue") == "1");
  const auto yellow = f.row_where("yellow_list", "ticket", f.id("D2"));
  CHECK(f.cell("yellow_list", yellow, "clock") == "派单");
  CHECK(f.cell("yellow_list", yellow, "due") == "2026-11-21 00:00");
  // A unit's clocks keep their names: D4 never signed for at 3506.rsj.
  CHECK(f.cell("red_list", f.row_where("red_list", "ticket", f.id("D4")), "clock") == "签收");
}

TEST_CASE("Returns on rounds chosen by hand count against (派单), not the rule that sent the ticket to the desk",
          "[report][returns][desk]") {
  const auto& f = desk_fixture();
  const auto* rules = f.report.find("rules_by_returns");
  REQUIRE(rules != nullptr);
  for (std::size_t r = 0; r < rules->rows.size(); ++r) {
    CHECK(f.cell("rules_by_returns", r, "rule") != "fallback");
    CHECK(f.cell("rules_by_returns", r, "rule") != "streetlight-county");
  }
  REQUIRE(rules->rows.size() == 2);
  // D3 twice (from the desk by hand, then the unit named on approving the return) and D5 (re-dispatched).
  CHECK(f.cell("rules_by_returns", 0, "rule") == "(派单)");
  CHECK(f.cell("rules_by_returns", 0, "requests") == "3");
  CHECK(f.cell("rules_by_returns", 0, "approved") == "1");
  CHECK(f.cell("rules_by_returns", 0, "declined") == "1");
  CHECK(f.cell("rules_by_returns", 0, "tickets") == "2");  // D3 and D5 had a round chosen by hand
  // D4's return was on the round its rule chose.
  CHECK(f.cell("rules_by_returns", 1, "rule") == "wages");
  CHECK(f.cell("rules_by_returns", 1, "requests") == "1");
  CHECK(f.cell("rules_by_returns", 1, "tickets") == "1");
  // The details name the same origin for each return.
  const auto d4 = f.row_where("return_details", "ticket", f.id("D4"));
  CHECK(f.cell("return_details", d4, "rule") == "wages");
  const auto d5 = f.row_where("return_details", "ticket", f.id("D5"));
  CHECK(f.cell("return_details", d5, "rule") == "(派单)");
  const auto* details = f.report.find("return_details");
  int d3 = 0;
  for (std::size_t r = 0; r < details->rows.size(); ++r) {
    if (f.cell("return_details", r, "ticket") != f.id("D3")) continue;
    ++d3;
    CHECK(f.cell("return_details", r, "rule") == "(派单)");
  }
  CHECK(d3 == 2);
}

}  // namespace hotline::test
