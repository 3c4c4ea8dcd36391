// The dispute window: a unit disputes a declined return only within the policy's `dispute` limit of the decline
// (shipped: 1 working day, counted from the next day), on the shipped calendar and time limits through
// PolicyClocks, as the daemon decides it.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "routing/lifecycle.hpp"
#include "routing/policy_clocks.hpp"

using namespace hotline::routing;

namespace {

constexpr int k_offset = 480;  // Asia/Shanghai

SourceFile shipped(const std::string& path) {
  std::ifstream in(std::filesystem::path(RULES_DIR) / path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  REQUIRE(in);
  return {path, text.str(), "rules/" + path};
}

const char* k_rules = R"(fallback: desk
units:
  - id: desk
    name: 派单中心
  - id: 350602.cgj
    name: 芗城区城管局
    kind: 城市管理局
    level: county
    areas: ["350602"]
)";

// "2026-11-20 10:00" in Asia/Shanghai as Unix milliseconds.
std::int64_t local(const std::string& day, int hour, int minute = 0) {
  const auto d = parse_day(day);
  REQUIRE(d);
  return start_of_day(*d, k_offset) + (hour * 60 + minute) * std::int64_t{60'000};
}

struct Shipped {
  std::shared_ptr<const WorkCalendar> calendar;
  std::shared_ptr<const TimePolicyTable> policy;
  std::shared_ptr<const RuleSet> rules;
  Shipped() {
    calendar = WorkCalendar::compile({shipped("calendar/2025.json"), shipped("calendar/2026.json")}).calendar;
    policy = TimePolicyTable::compile({shipped("time_limits.yaml")}).table;
    rules = RuleSet::compile(
                {{"hotline.yaml", k_rules, ""}, {"dispatch.yaml", "rules:\n  - id: lamps\n    lead: 350602.cgj\n", ""}})
                .rule_set;
    REQUIRE(calendar);
    REQUIRE(policy);
    REQUIRE(rules);
  }
};

const Actor k_op{Role::operator_, "op-7", ""};
const Actor k_cgj{Role::unit, "liaison@350602.cgj", "350602.cgj"};

// A case at 350602.cgj whose return was declined at `declined_ms` (dispatched and returned an hour before).
struct Declined {
  Shipped s;
  PolicyClocks clocks{*s.calendar, *s.policy, *s.rules, k_offset};
  Case c;

  explicit Declined(std::int64_t declined_ms) {
    c.id = "ZZ20260101000001";
    run(declined_ms - 2 * 3'600'000, [&](const Context& ctx) {
      return create_case(c, "dispatch", "350602.cgj", {}, {{"rule", "lamps"}}, k_op, ctx);
    });
    run(declined_ms - 3'600'000, [&](const Context& ctx) {
      return decide(c, {"request_return", {{"reason_code", "not_our_duty"}, {"reason", "路灯归供电公司"}}}, k_cgj, ctx);
    });
    run(declined_ms, [&](const Context& ctx) {
      return decide(c, {"review_return", {{"decision", "decline"}, {"note", "路灯归城管"}}}, k_op, ctx);
    });
    REQUIRE(c.decline_disputable);
    REQUIRE(c.declined_ms == declined_ms);
  }
  Context ctx(std::int64_t now) const {
    return Context{now, clocks, [](std::string_view, std::string_view) { return false; },
                   [this](std::string_view u) { return s.rules->find_unit(u) != nullptr; }, "desk"};
  }
  template <class F>
  void run(std::int64_t now, F f) {
    const Outcome out = f(ctx(now));
    if (const auto* r = std::get_if<Refusal>(&out)) FAIL(r->reason);
    for (const auto& e : std::get<std::vector<Event>>(out)) evolve(c, e);
  }
  Outcome dispute(std::int64_t now) const {
    return decide(c, {"dispute", {{"reason", "该灯杆属于供电公司"}}}, k_cgj, ctx(now));
  }
};

// "" when the dispute was allowed (and asks for arbitration), else why not.
std::string refusal(const Outcome& out) {
  if (const auto* r = std::get_if<Refusal>(&out)) return r->reason;
  const auto& events = std::get<std::vector<Event>>(out);
  return events.front().kind == "arbitration_requested" ? "" : "unexpected event " + events.front().kind;
}

}  // namespace

TEST_CASE("the shipped dispute window is 1 working day from the day after the decline", "[routing][arbitration]") {
  const Shipped s;
  CHECK(to_string(s.policy->defaults().dispute) == "1 wd");
  CHECK(s.policy->defaults().dispute.counting == Counting::next_day);
}

TEST_CASE("a return declined on a Friday may be disputed until the end of Monday, not on Tuesday",
          "[routing][arbitration]") {
  const Declined d(local("2026-11-20", 16));                     // Friday
  CHECK(refusal(d.dispute(local("2026-11-21", 10))) == "");      // Saturday
  CHECK(refusal(d.dispute(local("2026-11-23", 23, 59))) == "");  // Monday: the 1 working day
  const Outcome late = d.dispute(local("2026-11-24", 0));        // Tuesday 00:00: closed
  REQUIRE(std::holds_alternative<Refusal>(late));
  const auto& r = std::get<Refusal>(late);
  CHECK(r.kind == RefusalKind::invalid);
  CHECK(r.reason ==
        "Cannot dispute: the window of 1 working day after the decline closed at 2026-11-24 00:00 (UTC+08:00).");
  CHECK(d.c.decline_disputable);  // refused for time: nothing else changed
}

TEST_CASE("the dispute window skips a public holiday and counts a make-up working day", "[routing][arbitration]") {
  // Declined Wednesday 2026-09-30; 10-01..10-07 are the National Day holiday (国庆节): the working day is
  // Thursday 10-08, the window closes at 10-09 00:00.
  const Declined national_day(local("2026-09-30", 17));
  CHECK(refusal(national_day.dispute(local("2026-10-05", 9))) == "");
  CHECK(refusal(national_day.dispute(local("2026-10-08", 18))) == "");
  const Outcome late = national_day.dispute(local("2026-10-09", 9));
  REQUIRE(std::holds_alternative<Refusal>(late));
  CHECK_THAT(std::get<Refusal>(late).reason, Catch::Contains("closed at 2026-10-09 00:00"));

  // Declined Friday 10-09: Saturday 10-10 is a make-up working day (调休上班), so the window closes at 10-11 00:00.
  const Declined make_up(local("2026-10-09", 17));
  CHECK(refusal(make_up.dispute(local("2026-10-10", 23))) == "");
  const Outcome sunday = make_up.dispute(local("2026-10-11", 9));
  REQUIRE(std::holds_alternative<Refusal>(sunday));
  CHECK_THAT(std::get<Refusal>(sunday).reason, Catch::Contains("closed at 2026-10-11 00:00"));
}
