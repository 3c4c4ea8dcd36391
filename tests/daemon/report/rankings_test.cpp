// Ranking inside a peer group, on facts folded from synthetic events (no database): twelve units with known
// on-time rates, so the top five, the bottom five and every rank are known.
#include <fmt/format.h>

#include <catch2/catch.hpp>

#include "daemon/report/fact_builder.hpp"
#include "daemon/report/report_model.hpp"
#include "routing/work_calendar.hpp"

namespace hotline::test {
namespace {

constexpr std::int64_t k_day = 86'400'000;

// Unit u (0..11) gets 12 tickets dispatched 2026-11-02 with reply due 11-10 00:00; the first u replies are late.
report::Facts twelve_units(std::int64_t start) {
  report::FactBuilder b;
  std::int64_t seq = 0;
  for (int u = 0; u < 12; ++u) {
    for (int t = 0; t < 12; ++t) {
      const auto id = fmt::format("ZZ20261102{:04d}{:02d}", u, t);
      const auto unit = fmt::format("u{:02d}", u);
      const auto dispatched = fmt::format(R"({{"lead":"true","reply_due":"{}","rule":"r","sign_for_due":"{}"}})",
                                          start + 8 * k_day, start + 2 * k_day);
      b.apply({++seq, id, start, "received", "", "{}"});
      b.apply({++seq, id, start, "dispatched", unit, dispatched});
      b.apply({++seq, id, start + 3'600'000, "signed_for", unit, "{}"});
      b.apply({++seq, id, start + (t < u ? 9 : 3) * k_day, "replied", unit, R"({"text":"ok"})"});
    }
  }
  return b.take();
}

}  // namespace

TEST_CASE("Units are ranked inside their peer group with the top and bottom five", "[report][units]") {
  const auto day = *routing::parse_day("2026-11-02");
  const auto calendar = routing::WorkCalendar::compile({}).calendar;
  REQUIRE(calendar != nullptr);
  report::ReportOptions o;
  o.as_of = day + 18;
  o.period_kind = "month";
  o.from = day - 1;
  o.to = o.as_of;
  o.calendar = calendar.get();
  for (int u = 0; u < 12; ++u) o.units.push_back({fmt::format("u{:02d}", u), fmt::format("单位{}", u), "乡镇街道"});
  o.units.insert(o.units.begin(), {"idle", "无单位", "乡镇街道"});  // kept sorted by id, as ReportOptions requires
  const auto facts = twelve_units(routing::start_of_day(day, 480) + 10 * 3'600'000);
  const auto sections = report::unit_sections(facts, o);
  const auto& table = sections[0];
  const auto& boards = sections[1];
  // u00 has no late reply (12/12), u11 has eleven (1/12): rank = unit number + 1.
  REQUIRE(table.rows.size() == 13);
  for (int u = 0; u < 12; ++u) {
    CHECK(report::display(table.rows[static_cast<std::size_t>(u)][2]) == fmt::format("u{:02d}", u));
    CHECK(report::display(table.rows[static_cast<std::size_t>(u)][1]) == std::to_string(u + 1));
  }
  CHECK(report::display(table.rows[12][1]).empty());  // the idle unit is not ranked
  REQUIRE(boards.rows.size() == 10);
  for (int i = 0; i < 5; ++i) {
    CHECK(report::display(boards.rows[static_cast<std::size_t>(i)][1]) == "红榜");
    CHECK(report::display(boards.rows[static_cast<std::size_t>(i)][3]) == fmt::format("u{:02d}", i));
    CHECK(report::display(boards.rows[static_cast<std::size_t>(5 + i)][1]) == "黑榜");
    CHECK(report::display(boards.rows[static_cast<std::size_t>(5 + i)][3]) == fmt::format("u{:02d}", 11 - i));
    CHECK(report::display(boards.rows[static_cast<std::size_t>(5 + i)][2]) == std::to_string(12 - i));
  }
  CHECK(report::display(boards.rows[9][5]) == "41.67%");  // u07: 7 late of 12 -> 5/12
}

TEST_CASE("Payload fields are read from the stored JSON including escaped text", "[report][facts]") {
  std::string scratch;
  CHECK(report::payload_field(R"({"lead":"true","unit":"u1"})", "unit", scratch) == "u1");
  CHECK(report::payload_field(R"({"lead":"true","unit":"u1"})", "rule", scratch).empty());
  CHECK(report::payload_field(R"({"reason":"say \"no\"","reason_code":"x"})", "reason", scratch) == "say \"no\"");
  CHECK(report::payload_field(R"({"reason":"a\"unit\":\"b","unit":"u2"})", "unit", scratch) == "u2");
}

}  // namespace hotline::test

namespace hotline::test {

TEST_CASE("Ticket ids of any shape fold into one ticket each", "[report][facts]") {
  report::FactBuilder b;
  std::int64_t seq = 0;
  // Numbered ids (also days before the first one seen), another prefix and free-form ids, each seen twice.
  const std::vector<std::string> ids{"ZZ20261102000001", "ZZ20261101000007", "XM20261102000001",
                                     "legacy-42",        "ZZ20260230000001", "ZZ20261102000002"};
  for (int round = 0; round < 2; ++round) {
    for (const auto& id : ids) b.apply({++seq, id, 1000 + seq, "received", "", "{}"});
  }
  const auto facts = b.take();
  REQUIRE(facts.tickets.size() == ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) CHECK(facts.ticket_id(static_cast<std::uint32_t>(i)) == ids[i]);
  CHECK(facts.tickets[0].received_ms == 1007);  // the second "received" of the first id, 6 events later
}

}  // namespace hotline::test

namespace hotline::test {

TEST_CASE("A recomputed deadline moves the clocks the report judges", "[report][facts]") {
  report::FactBuilder b;
  const std::string id = "ZZ20261228000001";
  b.apply({1, id, 100, "received", "", "{}"});
  b.apply({2, id, 100, "dispatched", "u1", R"({"lead":"true","reply_due":"5000","sign_for_due":"1000"})"});
  b.apply({3, id, 100, "dispatched", "u2", R"({"lead":"false","reply_due":"5000","sign_for_due":"1000"})"});
  // Assignment 1 (the co-unit, second in dispatch order): its sign-for; assignment 0: both reply clocks.
  b.apply({4, id, 200, "deadline_recomputed", "u2", R"({"assignment":"1","clock":"sign_for","due":"1500"})"});
  b.apply({5, id, 200, "deadline_recomputed", "u1", R"({"assignment":"0","clock":"reply","due":"6000"})"});
  b.apply({6, id, 200, "deadline_recomputed", "u1", R"({"assignment":"0","clock":"original_reply","due":"6000"})"});
  const auto facts = b.take();
  REQUIRE(facts.assignments.size() == 2);
  CHECK(facts.assignments[0].sign_for_due_ms == 1000);
  CHECK(facts.assignments[0].reply_due_ms == 6000);
  CHECK(facts.assignments[0].original_reply_due_ms == 6000);
  CHECK(facts.assignments[1].sign_for_due_ms == 1500);
  CHECK(facts.assignments[1].reply_due_ms == 5000);
}

}  // namespace hotline::test
