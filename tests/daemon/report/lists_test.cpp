// The list sections of the scenario report (as of 2026-11-20) against hand-computed rows.
#include <catch2/catch.hpp>

#include "report_fixture.hpp"

namespace hotline::test {

TEST_CASE("The red list holds overdue open clocks by unit then oldest first", "[report][lists]") {
  const auto& f = report_fixture();
  const auto* red = f.report.find("red_list");
  REQUIRE(red != nullptr);
  REQUIRE(red->rows.size() == 4);
  // "3506.rsj" sorts before "350602.cgj" ('.' < '0'). Working days overdue count the working days after the
  // deadline's last day up to 11-20; hours run to 11-21 00:00.
  CHECK(f.cell("red_list", 0, "ticket") == f.id("T06"));  // reply due 11-17 00:00: 17..20 = 4 wd, 96 h
  CHECK(f.cell("red_list", 0, "clock") == "办结");
  CHECK(f.cell("red_list", 0, "due") == "2026-11-17 00:00");
  CHECK(f.cell("red_list", 0, "working_days_overdue") == "4");
  CHECK(f.cell("red_list", 0, "hours_overdue") == "96");
  CHECK(f.cell("red_list", 1, "ticket") == f.id("T07"));  // never signed; the reply clock (11-18) decides: 3 wd
  CHECK(f.cell("red_list", 1, "clock") == "办结");
  CHECK(f.cell("red_list", 1, "working_days_overdue") == "3");
  CHECK(f.cell("red_list", 2, "ticket") == f.id("T08"));  // sign-for due 11-20 00:00, reply not yet due: 1 wd
  CHECK(f.cell("red_list", 2, "clock") == "签收");
  CHECK(f.cell("red_list", 2, "working_days_overdue") == "1");
  CHECK(f.cell("red_list", 3, "ticket") == f.id("T15"));  // reply due 11-20 00:00 while its return waits
  CHECK(f.cell("red_list", 3, "state") == "退单审核中");
}

TEST_CASE("The yellow list holds clocks due by the end of the next working day", "[report][lists]") {
  const auto& f = report_fixture();
  const auto* yellow = f.report.find("yellow_list");
  REQUIRE(yellow != nullptr);
  // The next working day after Friday 11-20 is Monday 11-23: due in [11-21 00:00, 11-24 00:00].
  REQUIRE(yellow->rows.size() == 3);
  CHECK(f.cell("yellow_list", 0, "ticket") == f.id("T03"));  // redone 11-13: new reply due 11-21 00:00
  CHECK(f.cell("yellow_list", 0, "hours_left") == "0");
  CHECK(f.cell("yellow_list", 1, "ticket") == f.id("T09"));  // sign-for due 11-21 00:00
  CHECK(f.cell("yellow_list", 1, "clock") == "签收");
  CHECK(f.cell("yellow_list", 2, "ticket") == f.id("T10"));  // reply due 11-24 00:00, extension pending
  CHECK(f.cell("yellow_list", 2, "hours_left") == "72");
}

TEST_CASE("Requests waiting for review are listed", "[report][lists]") {
  const auto& f = report_fixture();
  REQUIRE(f.report.find("pending_returns")->rows.size() == 1);
  CHECK(f.cell("pending_returns", 0, "ticket") == f.id("T15"));
  CHECK(f.cell("pending_returns", 0, "reason_code") == "非本单位职责");
  CHECK(f.cell("pending_returns", 0, "reason") == "应由人社部门处理");
  CHECK(f.cell("pending_returns", 0, "hours_waiting") == "182");  // 11-13 10:00 -> 11-21 00:00
  REQUIRE(f.report.find("pending_extensions")->rows.size() == 1);
  CHECK(f.cell("pending_extensions", 0, "ticket") == f.id("T10"));
  CHECK(f.cell("pending_extensions", 0, "working_days") == "2");
  CHECK(f.cell("pending_extensions", 0, "reason") == "需要现场勘查");
}

TEST_CASE("Returns are reported per unit with reasons and outcomes", "[report][returns]") {
  const auto& f = report_fixture();
  REQUIRE(f.report.find("returns_by_unit")->rows.size() == 3);
  auto a = f.row_where("returns_by_unit", "unit_id", "3506.cgj");
  CHECK(f.cell("returns_by_unit", a, "not_our_duty") == "1");
  CHECK(f.cell("returns_by_unit", a, "approved") == "1");
  auto b = f.row_where("returns_by_unit", "unit_id", "3506.rsj");
  CHECK(f.cell("returns_by_unit", b, "not_our_territory") == "1");
  CHECK(f.cell("returns_by_unit", b, "declined") == "1");
  CHECK(f.cell("returns_by_unit", f.row_where("returns_by_unit", "unit_id", "350623.cgj"), "pending") == "1");
  const auto* details = f.report.find("return_details");
  REQUIRE(details->rows.size() == 3);
  auto t05 = f.row_where("return_details", "ticket", f.id("T05"));
  CHECK(f.cell("return_details", t05, "reason") == "属于人社局职责");
  CHECK(f.cell("return_details", t05, "rule") == "streetlight-keyword");
  CHECK(f.cell("return_details", t05, "outcome") == "已批准");
}

TEST_CASE("The dispatch rules with the most returns come first", "[report][returns]") {
  const auto& f = report_fixture();
  REQUIRE(f.report.find("rules_by_returns")->rows.size() == 2);
  // streetlight-keyword routed T05 and T06 first; both were returned (one approved, one declined).
  CHECK(f.cell("rules_by_returns", 0, "rule") == "streetlight-keyword");
  CHECK(f.cell("rules_by_returns", 0, "requests") == "2");
  // Received in the period with that rule: T01-T06 but T06... every streetlight-keyword ticket: T01 T02 T03
  // T04 T05 T06 T17 = 7 -> 2/7.
  CHECK(f.cell("rules_by_returns", 0, "tickets") == "7");
  CHECK(f.cell("rules_by_returns", 0, "return_share") == "28.57%");
  // wages: T07 and T15 received in the period (T16 before it); T15's return is pending -> 1/2.
  CHECK(f.cell("rules_by_returns", 1, "rule") == "wages");
  CHECK(f.cell("rules_by_returns", 1, "tickets") == "2");
  CHECK(f.cell("rules_by_returns", 1, "return_share") == "50.00%");
}

TEST_CASE("Trends cover the last 7 and 30 days", "[report][trends]") {
  const auto& f = report_fixture();
  REQUIRE(f.report.find("trend_7")->rows.size() == 7);
  REQUIRE(f.report.find("trend_30")->rows.size() == 30);
  // 7 days: 11-14 .. 11-20. Received: 11-16 T10, 11-18 T08, 11-19 T09, 11-20 T17.
  CHECK(f.cell("trend_7", 0, "day") == "2026-11-14");
  CHECK(f.cell("trend_7", 2, "received") == "1");
  CHECK(f.cell("trend_7", 6, "received") == "1");
  CHECK(f.cell("trend_7", 6, "sign_for_rate") == "100.00%");  // T17 signed within the hour
  // 30 days: 10-22 .. 11-20; T16 (10-30) is in, with its on-time reply.
  auto oct30 = f.row_where("trend_30", "day", "2026-10-30");
  CHECK(f.cell("trend_30", oct30, "received") == "1");
  CHECK(f.cell("trend_30", oct30, "on_time_rate") == "100.00%");
  // 11-02: T01 T02 T11 received; sign-for T01 and T11 on time, T02 late -> 2/3.
  auto nov2 = f.row_where("trend_30", "day", "2026-11-02");
  CHECK(f.cell("trend_30", nov2, "received") == "3");
  CHECK(f.cell("trend_30", nov2, "sign_for_rate") == "66.67%");
}

TEST_CASE("The report defines its rates itself, last, and the summary points there", "[report][lists]") {
  const auto& f = report_fixture();
  REQUIRE(!f.report.sections.empty());
  const auto& last = f.report.sections.back();
  CHECK(last.key == "definitions");
  CHECK(last.title == "指标说明");
  // One row per rate of the unit table, named as the unit table and the summary name it.
  REQUIRE(last.rows.size() == report::k_metric_count);
  for (const auto m : report::k_metrics) {
    const auto row = f.row_where("definitions", "key", std::string(report::metric_key(m)));
    CHECK(f.cell("definitions", row, "metric") == report::metric_name(m));
    CHECK(!f.cell("definitions", row, "counted").empty());
    CHECK(!f.cell("definitions", row, "hit").empty());
    CHECK(f.row_where("summary", "item", std::string(report::metric_name(m))) < f.report.find("summary")->rows.size());
  }
  const auto* summary = f.report.find("summary");
  REQUIRE(summary != nullptr);
  CHECK(summary->note.find("「指标说明」") != std::string::npos);
  CHECK(summary->note.find("README") == std::string::npos);
}

}  // namespace hotline::test
