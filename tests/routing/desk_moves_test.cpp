// The dispatch desk's moves (dispatch from the desk, re-dispatch before sign-for) and arbitration, driven through
// decide() and evolve() with fake clocks; each scenario ends by checking that the stored events rebuild the case.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "routing/feed_audience.hpp"
#include "routing/lifecycle.hpp"

using namespace hotline::routing;

namespace {

constexpr std::int64_t k_hour = 3'600'000;
constexpr std::int64_t k_day = 24 * k_hour;
constexpr std::int64_t k_t0 = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
const std::string k_desk = "12345.desk";

// Sign-for = start + 1 day and reply = start + 5 days, except the desk: both its clocks are start + 2 hours
// (as PolicyClocks answers the dispatch limit for the desk).
class DeskClocks final : public Clocks {
 public:
  int returns_allowed = 2;
  static Due at(std::int64_t ms) { return Due{ms, false}; }
  Due sign_for_due(const Case&, const std::string& unit, std::int64_t start) const override {
    return at(start + (unit == k_desk ? 2 * k_hour : k_day));
  }
  Due reply_due(const Case&, const std::string& unit, std::int64_t start) const override {
    return at(start + (unit == k_desk ? 2 * k_hour : 5 * k_day));
  }
  Due extend(const Case&, const Due& due, int days) const override { return at(due.ms + days * k_day); }
  std::int64_t return_window_end(const Case&, std::int64_t dispatched) const override { return dispatched + 2 * k_day; }
  Window dispute_window(const Case&, std::int64_t declined) const override { return {declined + k_day, "1 day"}; }
  Due follow_up_due(const Case&, std::int64_t replied) const override { return at(replied + k_day); }
  int max_returns(const Case&) const override { return returns_allowed; }
  int extension_cap_days(const Case&) const override { return 10; }
};

const Actor k_op{Role::operator_, "op-7", ""};
const Actor k_sup{Role::supervisor, "sup-1", ""};
Actor unit(const std::string& id) {
  return Actor{Role::unit, "liaison@" + id, id};
}
using Args = std::map<std::string, std::string>;
const Args k_return_args{{"reason_code", "not_our_duty"}, {"reason", "street lamps on estates are housing's"}};

struct Driver {
  DeskClocks clocks;
  std::int64_t now = k_t0;
  Case facts;
  Case c;
  std::vector<Event> log;

  Driver() {
    facts.id = "ZZ20260101000042";
    c = facts;
  }
  Context ctx() const {
    return Context{now, clocks, [](std::string_view, std::string_view) { return false; },
                   [](std::string_view u) { return !u.empty() && !u.starts_with("ghost"); }, k_desk};
  }
  void keep(const Outcome& out) {
    if (const auto* events = std::get_if<std::vector<Event>>(&out)) {
      for (const auto& e : *events) {
        evolve(c, e);
        log.push_back(e);
      }
    }
  }
  void create(const std::string& lead, const std::vector<std::string>& co = {}, const Args& args = {}) {
    const Outcome out = create_case(facts, "dispatch", lead, co, args, k_op, ctx());
    REQUIRE(std::holds_alternative<std::vector<Event>>(out));
    keep(out);
  }
  std::vector<Event> ok(const std::string& action, const Args& args, const Actor& actor) {
    now += k_hour;
    const Outcome out = decide(c, Command{action, args}, actor, ctx());
    if (const auto* r = std::get_if<Refusal>(&out)) FAIL(action << " by " << actor.id << " was refused: " << r->reason);
    keep(out);
    return std::get<std::vector<Event>>(out);
  }
  Refusal refused(const std::string& action, const Args& args, const Actor& actor) {
    const Case before = c;
    const Outcome out = decide(c, Command{action, args}, actor, ctx());
    if (!std::holds_alternative<Refusal>(out)) FAIL(action << " by " << actor.id << " was allowed");
    CHECK(c == before);
    return std::get<Refusal>(out);
  }
  void check_replay() const {
    const Case rebuilt = replay(facts, log);
    CHECK(describe(rebuilt) == describe(c));
    CHECK(rebuilt == c);
  }
};

}  // namespace

TEST_CASE("a case at the desk runs on the dispatch clock and leaves it by a hand dispatch that is no return",
          "[routing][lifecycle][desk]") {
  Driver d;
  d.create(k_desk, {}, {{"rule", "fallback"}});
  REQUIRE(d.log.size() == 2);
  CHECK(d.log[1].data.at("desk") == "true");
  CHECK(d.c.lead()->desk);
  CHECK(d.c.lead()->reply_due.ms == k_t0 + 2 * k_hour);  // the dispatch limit, not a reply deadline

  const auto events = d.ok("dispatch", {{"unit", "350602.cgj"}, {"co", "350602.zjj"}, {"note", "路灯归城管"}}, k_op);
  REQUIRE(events.size() == 3);
  CHECK(events[0].kind == "desk_dispatched");
  CHECK(events[0].unit == k_desk);
  CHECK(events[0].data.at("previous_lead") == k_desk);
  CHECK(events[0].data.at("new_lead") == "350602.cgj");
  CHECK(events[0].data.at("co") == "350602.zjj");
  CHECK(events[0].data.at("withdrawn") == k_desk);
  CHECK(events[1].kind == "dispatched");
  CHECK(events[1].data.at("rule") == "manual");
  CHECK_FALSE(events[1].data.contains("desk"));
  CHECK(events[2].data.at("lead") == "false");
  CHECK(d.c.state == CaseState::awaiting_sign_for);
  CHECK(d.c.returns == 0);
  CHECK(d.c.return_requests == 0);
  CHECK(d.c.redispatches == 1);
  CHECK(d.c.assignments.front().state == AssignmentState::withdrawn);
  // Fresh clocks from the moment of the dispatch, as at intake.
  CHECK(d.c.lead()->unit == "350602.cgj");
  CHECK(d.c.lead()->dispatched_ms == d.now);
  CHECK(d.c.lead()->sign_for_due.ms == d.now + k_day);
  CHECK(d.c.lead()->reply_due.ms == d.now + 5 * k_day);
  // The desk's round was withdrawn: the desk hears of it; the new units get their own "dispatched" events.
  CHECK(feed_audience(events[0]).units == std::vector<std::string>{k_desk});
  CHECK(feed_audience(events[1]).units == std::vector<std::string>{"350602.cgj"});

  // The case no longer sits at the desk: dispatch is refused, re-dispatch is the move.
  CHECK(d.refused("dispatch", {{"unit", "350603.cgj"}}, k_op).kind == RefusalKind::wrong_state);
  d.check_replay();
}

TEST_CASE("dispatch is the operator's, from the desk, to a known unit other than the desk",
          "[routing][lifecycle][desk]") {
  Driver d;
  d.create(k_desk);
  CHECK(d.refused("dispatch", {{"unit", "350602.cgj"}}, unit(k_desk)).kind == RefusalKind::forbidden);
  CHECK(d.refused("dispatch", {{"unit", "350602.cgj"}}, k_sup).kind == RefusalKind::forbidden);
  CHECK(d.refused("dispatch", {}, k_op).kind == RefusalKind::invalid);
  CHECK(d.refused("dispatch", {{"unit", k_desk}}, k_op).kind == RefusalKind::invalid);
  CHECK(d.refused("dispatch", {{"unit", "ghost.1"}}, k_op).kind == RefusalKind::invalid);
  CHECK(d.refused("dispatch", {{"unit", "350602.cgj"}, {"co", k_desk}}, k_op).kind == RefusalKind::invalid);
  CHECK(d.refused("dispatch", {{"unit", "350602.cgj"}, {"co", "350602.cgj"}}, k_op).kind == RefusalKind::invalid);
  // The desk may have signed for what it holds: it is dispatched all the same.
  d.ok("sign_for", {}, unit(k_desk));
  CHECK(d.c.state == CaseState::in_progress);
  d.ok("dispatch", {{"unit", "350602.cgj"}}, k_op);
  CHECK(d.c.state == CaseState::awaiting_sign_for);
  d.check_replay();
}

TEST_CASE("a re-dispatch moves an unsigned case with fresh clocks and is refused once a unit signed",
          "[routing][lifecycle][desk]") {
  Driver d;
  d.create("350602.cgj", {"350602.zjj"}, {{"rule", "r-lamps"}});
  CHECK(d.refused("redispatch", {{"unit", "350602.cgj"}, {"co", "350602.zjj"}}, k_op).kind ==
        RefusalKind::invalid);  // nothing would change
  CHECK(d.refused("redispatch", {{"unit", "350603.cgj"}}, unit("350602.cgj")).kind == RefusalKind::forbidden);
  const auto events = d.ok("redispatch", {{"unit", "350603.cgj"}, {"note", "地址在龙文区"}}, k_op);
  REQUIRE(events.size() == 2);
  CHECK(events[0].kind == "redispatched");
  CHECK(events[0].data.at("withdrawn") == "350602.cgj,350602.zjj");
  const auto audience = feed_audience(events[0]).units;
  CHECK(audience == std::vector<std::string>{"350602.cgj", "350602.zjj"});
  CHECK(feed_summary(events[0]) == "re-dispatched to 350603.cgj: 地址在龙文区");
  CHECK(d.c.lead()->unit == "350603.cgj");
  CHECK(d.c.lead()->reply_due.ms == d.now + 5 * k_day);
  CHECK(d.c.find_assignment("350602.zjj") == nullptr);
  CHECK(d.c.returns == 0);
  CHECK(d.c.return_requests == 0);

  d.ok("sign_for", {}, unit("350603.cgj"));
  const Refusal r = d.refused("redispatch", {{"unit", "350604.cgj"}}, k_op);
  CHECK(r.kind == RefusalKind::wrong_state);
  d.check_replay();
}

TEST_CASE("a co-unit that signed for the case stops a re-dispatch", "[routing][lifecycle][desk]") {
  Driver d;
  d.create("350602.cgj", {"350602.zjj"});
  d.ok("sign_for", {}, unit("350602.zjj"));
  CHECK(d.c.state == CaseState::awaiting_sign_for);
  const Refusal r = d.refused("redispatch", {{"unit", "350603.cgj"}}, k_op);
  CHECK(r.kind == RefusalKind::wrong_state);
  CHECK_THAT(r.reason, Catch::Contains("350602.zjj"));
}

TEST_CASE("a supervisor's arbitration after a return past the cap moves the case for good",
          "[routing][lifecycle][arbitration]") {
  Driver d;
  d.clocks.returns_allowed = 1;
  d.create("350602.cgj");
  d.ok("request_return", k_return_args, unit("350602.cgj"));
  d.ok("review_return", {{"decision", "approve"}, {"unit", "350603.cgj"}}, k_op);
  d.ok("sign_for", {}, unit("350603.cgj"));
  const auto asked = d.ok("request_return", k_return_args, unit("350603.cgj"));
  CHECK(asked.front().kind == "arbitration_requested");
  CHECK(feed_audience(asked.front()).units.empty());  // the unit's own act is no news to it
  CHECK(d.c.state == CaseState::arbitration_requested);

  CHECK(d.refused("arbitrate", {{"unit", "350604.cgj"}}, k_sup).kind == RefusalKind::invalid);  // no note
  CHECK(d.refused("arbitrate", {{"note", "x"}}, k_sup).kind == RefusalKind::invalid);           // no unit
  CHECK(d.refused("arbitrate", {{"unit", k_desk}, {"note", "x"}}, k_sup).kind == RefusalKind::invalid);
  CHECK(d.refused("arbitrate", {{"unit", "350603.cgj"}, {"co", "350604.cgj"}, {"note", "x"}}, k_sup).kind ==
        RefusalKind::invalid);  // co only with a new lead
  const auto decided = d.ok("arbitrate", {{"unit", "350604.cgj"}, {"note", "小区内路灯由住建管理"}}, k_sup);
  REQUIRE(decided.size() == 2);
  CHECK(decided[0].kind == "arbitrated");
  CHECK(decided[0].data.at("outcome") == "reassigned");
  CHECK(decided[0].data.at("cause") == "return_cap");
  CHECK(decided[0].data.at("disputed_by") == "350603.cgj");
  CHECK(decided[1].kind == "dispatched");
  CHECK(decided[1].data.at("rule") == "arbitration");
  // Both units see the decision in their feeds.
  const auto audience = feed_audience(decided[0]).units;
  CHECK(std::find(audience.begin(), audience.end(), "350603.cgj") != audience.end());
  CHECK(std::find(audience.begin(), audience.end(), "350604.cgj") != audience.end());
  CHECK(feed_summary(decided[0]) == "arbitration: 350604.cgj is the lead unit: 小区内路灯由住建管理");
  CHECK(d.c.state == CaseState::awaiting_sign_for);
  CHECK(d.c.arbitrated);
  CHECK(d.c.returns == 2);
  CHECK(d.c.lead()->unit == "350604.cgj");
  CHECK(d.c.lead()->reply_due.ms == d.now + 5 * k_day);

  // Final: the decided lead can neither return nor dispute it, nor can the operator re-dispatch it.
  CHECK(d.refused("request_return", k_return_args, unit("350604.cgj")).kind == RefusalKind::wrong_state);
  CHECK(d.refused("dispute", {{"reason", "x"}}, unit("350604.cgj")).kind == RefusalKind::wrong_state);
  CHECK(d.refused("redispatch", {{"unit", "350602.cgj"}}, k_op).kind == RefusalKind::wrong_state);
  d.check_replay();
}

TEST_CASE("a unit disputes a declined return and the supervisor upholds it as the lead",
          "[routing][lifecycle][arbitration]") {
  Driver d;
  d.create("350602.cgj");
  d.ok("sign_for", {}, unit("350602.cgj"));
  // Nothing to dispute before a decline.
  CHECK(d.refused("dispute", {{"reason", "x"}}, unit("350602.cgj")).kind == RefusalKind::wrong_state);
  d.ok("request_return", k_return_args, unit("350602.cgj"));
  d.ok("review_return", {{"decision", "decline"}, {"note", "路灯归城管"}}, k_op);
  CHECK(d.c.decline_disputable);
  CHECK(d.refused("dispute", {}, unit("350602.cgj")).kind == RefusalKind::invalid);  // no reason
  const Assignment before = *d.c.lead();
  const auto asked = d.ok("dispute", {{"reason", "该灯杆属于供电公司"}}, unit("350602.cgj"));
  CHECK(asked.front().kind == "arbitration_requested");
  CHECK(asked.front().data.at("cause") == "declined_return");
  CHECK(d.c.state == CaseState::arbitration_requested);
  CHECK(d.c.return_requests == 1);  // a dispute is not a second return request
  CHECK_FALSE(d.c.decline_disputable);

  const auto decided = d.ok("arbitrate", {{"unit", "350602.cgj"}, {"note", "灯杆产权属城管"}}, k_sup);
  REQUIRE(decided.size() == 1);
  CHECK(decided[0].data.at("outcome") == "upheld");
  CHECK(feed_audience(decided[0]).units == std::vector<std::string>{"350602.cgj"});
  CHECK(feed_summary(decided[0]) == "arbitration: 350602.cgj stays the lead unit: 灯杆产权属城管");
  CHECK(d.c.state == CaseState::in_progress);  // back where it was, clocks unchanged
  CHECK(*d.c.lead() == before);
  CHECK(d.c.returns == 0);
  CHECK(d.c.arbitrated);
  CHECK(d.refused("request_return", k_return_args, unit("350602.cgj")).kind == RefusalKind::wrong_state);
  d.check_replay();
}
