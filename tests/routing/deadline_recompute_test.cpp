// Recomputing provisional deadlines when a newer calendar is loaded: what moves, what stays, and that applying
// the events gives the recomputed clocks.
#include "routing/deadline_recompute.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace hotline::routing;

namespace {

constexpr std::int64_t k_day = 24 * 3'600'000;
constexpr std::int64_t k_t0 = 1'798'761'600'000;  // 2027-01-01T00:00:00Z

// The newer calendar's arithmetic: sign-for start + 2 days, reply start + 7 days, extension + N days, follow-up
// + 2 days; nothing provisional any more.
class NewClocks final : public Clocks {
 public:
  Due sign_for_due(const Case&, const std::string&, std::int64_t start) const override { return {start + 2 * k_day}; }
  Due reply_due(const Case&, const std::string&, std::int64_t start) const override { return {start + 7 * k_day}; }
  Due extend(const Case&, const Due& due, int days) const override { return {due.ms + days * k_day}; }
  std::int64_t return_window_end(const Case&, std::int64_t d) const override { return d + 2 * k_day; }
  Window dispute_window(const Case&, std::int64_t declined) const override { return {declined + k_day, "1 day"}; }
  Due follow_up_due(const Case&, std::int64_t replied) const override { return {replied + 2 * k_day}; }
  int max_returns(const Case&) const override { return 2; }
  int extension_cap_days(const Case&) const override { return 10; }
};

std::string flag(bool b) {
  return b ? "true" : "false";
}

Event dispatched(const std::string& unit, bool lead, std::int64_t sign_for, std::int64_t reply, bool provisional) {
  return Event{"dispatched",
               k_t0,
               "router",
               "system",
               unit,
               {{"unit", unit},
                {"lead", flag(lead)},
                {"sign_for_due", std::to_string(sign_for)},
                {"sign_for_provisional", flag(provisional)},
                {"reply_due", std::to_string(reply)},
                {"reply_provisional", flag(provisional)}}};
}

Case facts() {
  Case c;
  c.id = "ZZ20261231000001";
  return c;
}

std::vector<Event> applied(std::vector<Event> history, const std::vector<Event>& more) {
  history.insert(history.end(), more.begin(), more.end());
  return history;
}

}  // namespace

TEST_CASE("provisional clocks move to the newer calendar's instants and settled ones stay", "[recompute]") {
  std::vector<Event> history{
      Event{"received", k_t0, "op", "operator", "", {}},
      dispatched("350602.cgj", true, k_t0 + k_day, k_t0 + 5 * k_day, /*provisional=*/true),
      dispatched("350602.zjj", false, k_t0 + k_day, k_t0 + 5 * k_day, /*provisional=*/false),
      Event{"extension_approved",
            k_t0 + k_day,
            "sup",
            "supervisor",
            "350602.cgj",
            {{"working_days", "3"}, {"reply_due", std::to_string(k_t0 + 8 * k_day)}, {"reply_provisional", "true"}}},
  };
  const NewClocks clocks;
  const auto events = recompute_provisional(facts(), history, clocks, k_t0 + 2 * k_day, "cal-2027");

  REQUIRE(events.size() == 3);  // the lead's sign-for, reply and original reply; the co unit's were settled
  CHECK(events[0].data.at("clock") == "sign_for");
  CHECK(events[0].data.at("from_due") == std::to_string(k_t0 + k_day));
  CHECK(events[0].data.at("due") == std::to_string(k_t0 + 2 * k_day));
  CHECK(events[1].data.at("clock") == "reply");  // the extension counted again from the moved deadline
  CHECK(events[1].data.at("from_due") == std::to_string(k_t0 + 8 * k_day));
  CHECK(events[1].data.at("due") == std::to_string(k_t0 + 10 * k_day));
  CHECK(events[2].data.at("clock") == "original_reply");
  CHECK(events[2].data.at("due") == std::to_string(k_t0 + 7 * k_day));
  for (const auto& e : events) {
    CHECK(e.kind == "deadline_recomputed");
    CHECK(e.unit == "350602.cgj");
    CHECK(e.data.at("assignment") == "0");
    CHECK(e.data.at("provisional") == "false");
    CHECK(e.data.at("from_provisional") == "true");
    CHECK(e.data.at("calendar") == "cal-2027");
    CHECK(e.at_ms == k_t0 + 2 * k_day);
    CHECK(e.role == "system");
  }

  const auto after = applied(history, events);
  const Case c = replay(facts(), after);
  CHECK(c.assignments[0].sign_for_due == Due{k_t0 + 2 * k_day, false});
  CHECK(c.assignments[0].reply_due == Due{k_t0 + 10 * k_day, false});
  CHECK(c.assignments[0].original_reply_due == Due{k_t0 + 7 * k_day, false});
  CHECK(c.assignments[1].reply_due == Due{k_t0 + 5 * k_day, false});
  // Nothing left to do: the same calendar again changes nothing.
  CHECK(recompute_provisional(facts(), after, clocks, k_t0 + 3 * k_day, "cal-2027").empty());
}

TEST_CASE("a case with no provisional deadline needs no recomputation", "[recompute]") {
  const std::vector<Event> history{dispatched("350602.cgj", true, k_t0 + k_day, k_t0 + 5 * k_day, false)};
  CHECK(recompute_provisional(facts(), history, NewClocks{}, k_t0, "v").empty());
}

TEST_CASE("a provisional follow-up clock is recomputed from the reply approval", "[recompute]") {
  const std::vector<Event> history{
      dispatched("350602.cgj", true, k_t0 + k_day, k_t0 + 5 * k_day, false),
      Event{"replied", k_t0 + k_day, "u", "unit", "350602.cgj", {{"text", "done"}}},
      Event{"reply_approved",
            k_t0 + 2 * k_day,
            "op",
            "operator",
            "350602.cgj",
            {{"follow_up_due", std::to_string(k_t0 + 3 * k_day)}, {"follow_up_provisional", "true"}}},
  };
  const auto events = recompute_provisional(facts(), history, NewClocks{}, k_t0 + 2 * k_day, "v");
  REQUIRE(events.size() == 1);
  CHECK(events[0].data.at("clock") == "follow_up");
  CHECK(events[0].data.at("assignment").empty());
  const Case c = replay(facts(), applied(history, events));
  REQUIRE(c.follow_up_due);
  CHECK(*c.follow_up_due == Due{k_t0 + 4 * k_day, false});
}
