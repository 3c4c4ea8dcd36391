// Every rate of the scenario (tests/daemon/report/fixtures/scenario.txt) against figures computed by hand.
// Period: month, 2026-11-01..2026-11-20, as of 2026-11-20 24:00 (+08:00). Working days in November 2026:
// 2-6, 9-13, 16-20, 23-27. Deadlines ("due") are local midnights after the last working day.
// Cohort: assignments dispatched in the period; T12 (merged) and T13 (not accepted) are excluded, T14 (answered
// directly) has no assignment, T16 (dispatched 10-30) is before the period, T18 (11-23) after as-of.
#include "daemon/report/metrics.hpp"

#include <catch2/catch.hpp>

#include "report_fixture.hpp"

namespace hotline::test {
namespace {

using report::Metric;
using report::Ratio;

report::UnitFigures figures_of(const std::string& unit) {
  const auto& f = report_fixture();
  const auto all = report::unit_figures(f.facts, report::period_window(f.options), report::as_of_ms(f.options));
  for (std::size_t i = 1; i < f.facts.unit_ids.size(); ++i) {
    if (f.facts.unit_ids[i] == unit) return all[i];
  }
  return {};
}

}  // namespace

TEST_CASE("A (3506.cgj) rates match the hand-computed figures", "[report][metrics]") {
  const auto a = figures_of("3506.cgj");
  // Dispatched to A: T01 T02 T03 T04 T05 (withdrawn by its approved return) T17, all as lead.
  CHECK(a.assignments == 6);
  CHECK(a.lead_assignments == 6);
  // Sign-for: T01 T03 T04 T17 on time; T02 signed 11-04 09:00 after its 11-04 00:00 due; T05 was withdrawn
  // unsigned and is left out -> 4/5.
  CHECK(a.rate(Metric::sign_for) == Ratio{4, 5});
  // Response: as sign-for, plus T05's return request (11-05 14:00, before its 11-07 00:00 sign-for due) -> 5/6.
  CHECK(a.rate(Metric::response) == Ratio{5, 6});
  // Returns: one request (T05) over six lead assignments.
  CHECK(a.rate(Metric::returns) == Ratio{1, 6});
  // On time: T01 (11-05 <= 11-10) and T04 (11-10 <= 11-12) yes; T02 (11-12 > 11-10) no; T03 replied 11-12 after
  // its ORIGINAL due 11-11 although the approved extension moved it to 11-14 -> no; T17 not settled -> 2/4.
  CHECK(a.rate(Metric::on_time) == Ratio{2, 4});
  // Followed up: T01 T02 T03 T04; T03 was redone -> 1/4.
  CHECK(a.rate(Metric::redo) == Ratio{1, 4});
  // Rated: T01 satisfied, T02 basically satisfied, T03 unsatisfied, T04 satisfied -> 3/4.
  CHECK(a.rate(Metric::satisfaction) == Ratio{3, 4});
  // Resolution: T01 T04 resolved, T02 partially, T03 unresolved -> 2/4.
  CHECK(a.rate(Metric::resolution) == Ratio{2, 4});
  // Open: T03 (redone, due 11-21 00:00: not overdue) and T17.
  CHECK(a.open == 2);
  CHECK(a.overdue == 0);
}

TEST_CASE("B (3506.rsj) rates match the hand-computed figures", "[report][metrics]") {
  const auto b = figures_of("3506.rsj");
  // T05 (re-dispatched to B on 11-06), T06, T07.
  CHECK(b.lead_assignments == 3);
  // T05 and T06 (signed 11-10 15:00, due 11-11 00:00; the declined return did not stop the clock) on time;
  // T07 never signed, due 11-12 00:00 passed -> 2/3.
  CHECK(b.rate(Metric::sign_for) == Ratio{2, 3});
  CHECK(b.rate(Metric::response) == Ratio{2, 3});
  CHECK(b.rate(Metric::returns) == Ratio{1, 3});  // T06 asked (declined)
  // T05 replied 11-10, due 11-14 -> yes; T06 (due 11-17) and T07 (due 11-18) not replied -> 1/3.
  CHECK(b.rate(Metric::on_time) == Ratio{1, 3});
  CHECK(b.rate(Metric::redo) == Ratio{0, 1});
  CHECK(b.rate(Metric::satisfaction) == Ratio{1, 1});
  CHECK(b.rate(Metric::resolution) == Ratio{1, 1});
  CHECK(b.open == 2);
  CHECK(b.overdue == 2);
}

TEST_CASE("C (350602.cgj) counts its co-handling share for sign-for only", "[report][metrics]") {
  const auto c = figures_of("350602.cgj");
  // T04 as co-unit; T08 T09 T10 T19 as lead.
  CHECK(c.assignments == 5);
  CHECK(c.lead_assignments == 4);
  // T04 co signed 11-06 09:00 after its 11-06 00:00 due -> no; T08 unsigned, due 11-20 00:00 passed -> no;
  // T09's due is exactly as-of (11-21 00:00) -> not settled, left out; T10 and T19 yes -> 2/4.
  CHECK(c.rate(Metric::sign_for) == Ratio{2, 4});
  CHECK(c.rate(Metric::response) == Ratio{2, 4});
  CHECK(c.rate(Metric::returns) == Ratio{0, 4});
  // Only T19 is settled (replied 11-12, due 11-17) -> 1/1.
  CHECK(c.rate(Metric::on_time) == Ratio{1, 1});
  CHECK(c.rate(Metric::satisfaction) == Ratio{1, 1});
  CHECK(c.open == 3);  // T08 T09 T10 (T04 is closed)
  CHECK(c.overdue == 0);
}

TEST_CASE("D (350623.cgj) rates leave out the merged ticket and unrated follow-ups", "[report][metrics]") {
  const auto d = figures_of("350623.cgj");
  // T11 and T15; T12 was merged into T11 and is excluded everywhere.
  CHECK(d.assignments == 2);
  CHECK(d.rate(Metric::sign_for) == Ratio{2, 2});
  CHECK(d.rate(Metric::returns) == Ratio{1, 2});  // T15 asked (pending)
  // T11's first reply (11-06) was rejected; the reply that stood came 11-11 after its 11-10 due -> no.
  // T15 due 11-20 00:00, not replied -> no -> 0/2.
  CHECK(d.rate(Metric::on_time) == Ratio{0, 2});
  CHECK(d.rate(Metric::satisfaction) == Ratio{0, 0});  // T11 was "unrated": no rated follow-up
  CHECK(d.rate(Metric::resolution) == Ratio{1, 1});
  CHECK(d.rate(Metric::redo) == Ratio{0, 1});
  CHECK(d.open == 1);
  CHECK(d.overdue == 1);
}

TEST_CASE("Events after the as-of day are not seen", "[report][metrics]") {
  const auto& f = report_fixture();
  // 18 tickets up to 11-20 (T01-T17, T19); T18 (11-23) is not in the facts.
  CHECK(f.facts.tickets.size() == 18);
  CHECK_FALSE(f.scenario.ids.at("T18").empty());
  for (const auto id : f.facts.ticket_ids) CHECK(id != f.id("T18"));
}

TEST_CASE("The unit table ranks inside peer groups and shows rates as percentages", "[report][units]") {
  const auto& f = report_fixture();
  // 市直部门: A 2/4 = 50% beats B 1/3; 3506.jtj had no tickets and is not ranked.
  auto a = f.row_where("units", "unit_id", "3506.cgj");
  CHECK(f.cell("units", a, "rank") == "1");
  CHECK(f.cell("units", a, "on_time_rate") == "50.00%");
  CHECK(f.cell("units", a, "sign_for_rate") == "80.00%");
  CHECK(f.cell("units", a, "response_rate") == "83.33%");
  CHECK(f.cell("units", a, "return_rate") == "16.67%");
  auto b = f.row_where("units", "unit_id", "3506.rsj");
  CHECK(f.cell("units", b, "rank") == "2");
  CHECK(f.cell("units", b, "on_time_rate") == "33.33%");
  CHECK(f.cell("units", f.row_where("units", "unit_id", "3506.jtj"), "rank").empty());
  // 县直部门: C 100% first, D 0% second; D's satisfaction is undefined and shows blank.
  CHECK(f.cell("units", f.row_where("units", "unit_id", "350602.cgj"), "rank") == "1");
  auto d = f.row_where("units", "unit_id", "350623.cgj");
  CHECK(f.cell("units", d, "rank") == "2");
  CHECK(f.cell("units", d, "satisfaction_rate").empty());
}

TEST_CASE("The top and bottom five and the units with no tickets are listed", "[report][units]") {
  const auto& f = report_fixture();
  const auto* boards = f.report.find("rankings");
  REQUIRE(boards != nullptr);
  // Two ranked units per group: both on the red board (top five), none left for the black board.
  REQUIRE(boards->rows.size() == 4);
  CHECK(f.cell("rankings", 0, "peer_group") == "县直部门");
  CHECK(f.cell("rankings", 0, "unit_id") == "350602.cgj");
  CHECK(f.cell("rankings", 0, "board") == "红榜");
  CHECK(f.cell("rankings", 2, "unit_id") == "3506.cgj");
  const auto* idle = f.report.find("idle_units");
  REQUIRE(idle != nullptr);
  REQUIRE(idle->rows.size() == 2);
  CHECK(f.cell("idle_units", 0, "unit_id") == "3506.jtj");
  CHECK(f.cell("idle_units", 1, "unit_id") == "12345.desk");
}

TEST_CASE("City-wide figures in the summary add up the units", "[report][summary]") {
  const auto& f = report_fixture();
  // Received 11-01..11-20: T01-T15, T17, T19 = 17; lead dispatches in the cohort: A6 + B3 + C4 + D2 = 15.
  CHECK(f.cell("summary", 0, "value") == "17");
  CHECK(f.cell("summary", 1, "value") == "15");
  // Open at as-of: T03 T06 T07 T08 T09 T10 T15 T17.
  CHECK(f.cell("summary", 2, "value") == "8");
  // Sign-for city-wide: (4 + 2 + 2 + 2) / (5 + 3 + 4 + 2) = 10/14.
  CHECK(f.cell("summary", f.row_where("summary", "item", "及时签收率"), "value") == "71.43%");
}

}  // namespace hotline::test
