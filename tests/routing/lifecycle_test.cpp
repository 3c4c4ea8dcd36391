// Scenario tests of the case life cycle with fake clocks: each scenario drives the machine through decide()
// and evolve(), checks what changed, and ends by checking that replaying the stored events rebuilds the case.
#include "routing/lifecycle.hpp"

#include <catch2/catch.hpp>
#include <limits>
#include <string>
#include <vector>

using namespace hotline::routing;

namespace {

constexpr std::int64_t k_hour = 3'600'000;
constexpr std::int64_t k_day = 24 * k_hour;
constexpr std::int64_t k_t0 = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

// sign-for = start + 1 day, reply = start + 5 days, extension = + N days, return window = 2 days,
// follow-up = + 1 day. Instants at or after `provisional_from` are flagged provisional.
class FakeClocks final : public Clocks {
 public:
  std::int64_t provisional_from = std::numeric_limits<std::int64_t>::max();
  int returns_allowed = 2;
  int cap_days = 10;

  Due at(std::int64_t ms) const { return Due{ms, ms >= provisional_from}; }
  Due sign_for_due(const Case&, const std::string&, std::int64_t start) const override { return at(start + k_day); }
  Due reply_due(const Case&, const std::string&, std::int64_t start) const override { return at(start + 5 * k_day); }
  Due extend(const Case&, const Due& due, int days) const override { return at(due.ms + days * k_day); }
  std::int64_t return_window_end(const Case&, std::int64_t dispatched) const override { return dispatched + 2 * k_day; }
  Window dispute_window(const Case&, std::int64_t declined) const override { return {declined + k_day, "1 day"}; }
  Due follow_up_due(const Case&, std::int64_t replied) const override { return at(replied + k_day); }
  int max_returns(const Case&) const override { return returns_allowed; }
  int extension_cap_days(const Case&) const override { return cap_days; }
};

// Units: two district bureaus with street offices below the first.
const std::map<std::string, std::string> k_parent{{"350602.cgj", ""},
                                                  {"350603.cgj", ""},
                                                  {"350604.cgj", ""},
                                                  {"350602.zjj", ""},
                                                  {"350602.sthj", ""},
                                                  {"350602001.gov", "350602.cgj"},
                                                  {"350602002.gov", "350602.cgj"},
                                                  {"350602001.team", "350602001.gov"}};

const Actor k_op{Role::operator_, "op-7", ""};
const Actor k_sup{Role::supervisor, "sup-1", ""};
const Actor k_sys{Role::system, "scheduler", ""};
const Actor k_admin{Role::admin, "root", ""};
Actor unit(const std::string& id) {
  return Actor{Role::unit, "liaison@" + id, id};
}

using Args = std::map<std::string, std::string>;

// Drives one case: every accepted command's events are applied and kept, as the daemon would store them.
struct Driver {
  FakeClocks clocks;
  std::int64_t now = k_t0;
  Case facts;
  Case c;
  std::vector<Event> log;

  Driver() {
    facts.id = "ZZ20260101000042";
    facts.type = RequestType::complaint;
    facts.urgency = Urgency::normal;
    facts.channel = "phone";
    c = facts;
  }

  Context ctx() const {
    return Context{now, clocks,
                   [](std::string_view parent, std::string_view child) {
                     const auto it = k_parent.find(std::string(child));
                     return it != k_parent.end() && it->second == parent;
                   },
                   [](std::string_view u) { return k_parent.contains(std::string(u)); },
                   /*desk=*/""};
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

  Outcome run(const std::string& action, const Args& args, const Actor& actor) {
    Outcome out = decide(c, Command{action, args}, actor, ctx());
    keep(out);
    return out;
  }

  // Runs a command that must succeed; returns its events.
  std::vector<Event> ok(const std::string& action, const Args& args, const Actor& actor) {
    const Outcome out = run(action, args, actor);
    if (const auto* r = std::get_if<Refusal>(&out)) FAIL(action << " by " << actor.id << " was refused: " << r->reason);
    return std::get<std::vector<Event>>(out);
  }

  // Runs a command that must be refused and must change nothing; returns the refusal.
  Refusal refused(const std::string& action, const Args& args, const Actor& actor) {
    const Case before = c;
    const Outcome out = run(action, args, actor);
    if (!std::holds_alternative<Refusal>(out)) FAIL(action << " by " << actor.id << " was allowed");
    CHECK(c == before);
    Refusal r = std::get<Refusal>(out);
    CHECK_FALSE(r.reason.empty());
    return r;
  }

  RefusalKind refused_kind(const std::string& action, const Args& args, const Actor& actor) {
    return refused(action, args, actor).kind;
  }

  const Assignment& lead() const {
    REQUIRE(c.lead() != nullptr);
    return *c.lead();
  }
  const Assignment& of(const std::string& u) const {
    const Assignment* a = c.find_assignment(u);
    REQUIRE(a != nullptr);
    return *a;
  }

  // The event-sourcing promise: the stored events alone rebuild exactly this case.
  void check_replay() const {
    const Case rebuilt = replay(facts, log);
    CHECK(describe(rebuilt) == describe(c));
    CHECK(rebuilt == c);
  }
};

const Args k_return_args{{"reason_code", "not_our_territory"}, {"reason", "the road belongs to the next district"}};

}  // namespace

TEST_CASE("a case goes from intake through return extension redo and follow-up to closed", "[routing][lifecycle]") {
  Driver d;
  const std::string a = "350602.cgj", b = "350603.cgj", stranger = "350604.cgj";
  // A unit that is not on the case, and a hotline role, are refused at every unit step.
  const auto outsiders_refused = [&](const std::string& action, const Args& args) {
    INFO(action);
    CHECK(d.refused_kind(action, args, unit(stranger)) == RefusalKind::forbidden);
    CHECK(d.refused_kind(action, args, k_op) == RefusalKind::forbidden);
    CHECK(d.refused_kind(action, args, k_admin) == RefusalKind::forbidden);
  };

  d.create(a, {}, {{"rule", "r-roads"}, {"rules_version", "abcdef0123456789"}});
  REQUIRE(d.log.size() == 2);
  CHECK(d.log[0].kind == "received");
  CHECK(d.log[0].data.at("disposition") == "dispatch");
  CHECK(d.log[1].kind == "dispatched");
  CHECK(d.log[1].unit == a);
  CHECK(d.log[1].data == Args{{"unit", a},
                              {"lead", "true"},
                              {"sign_for_due", std::to_string(k_t0 + k_day)},
                              {"sign_for_provisional", "false"},
                              {"reply_due", std::to_string(k_t0 + 5 * k_day)},
                              {"reply_provisional", "false"},
                              {"rule", "r-roads"},
                              {"rules_version", "abcdef0123456789"}});
  CHECK(d.c.state == CaseState::awaiting_sign_for);
  CHECK(d.lead().unit == a);
  CHECK(d.lead().dispatched_ms == k_t0);

  // Sign-for.
  d.now = k_t0 + k_hour;
  outsiders_refused("sign_for", {});
  d.ok("sign_for", {}, unit(a));
  CHECK(d.c.state == CaseState::in_progress);
  CHECK(d.lead().state == AssignmentState::in_progress);
  CHECK(d.lead().signed_ms == k_t0 + k_hour);

  // Return request, approved: a fresh round for the new lead.
  d.now = k_t0 + 2 * k_hour;
  outsiders_refused("request_return", k_return_args);
  d.ok("request_return", k_return_args, unit(a));
  CHECK(d.c.state == CaseState::return_requested);
  REQUIRE(d.c.pending_return);
  CHECK(d.c.pending_return->reason_code == "not_our_territory");
  CHECK(d.c.pending_return->previous_state == CaseState::in_progress);
  CHECK(d.c.return_requests == 1);
  CHECK(d.c.returns == 0);

  d.now = k_t0 + 3 * k_hour;
  const auto approved = d.ok("review_return", {{"decision", "approve"}, {"unit", b}}, k_op);
  REQUIRE(approved.size() == 2);
  CHECK(approved[0].kind == "return_approved");
  CHECK(approved[0].data.at("previous_lead") == a);
  CHECK(approved[0].data.at("new_lead") == b);
  CHECK(approved[1].kind == "dispatched");
  CHECK(d.c.state == CaseState::awaiting_sign_for);
  CHECK(d.c.returns == 1);
  CHECK_FALSE(d.c.pending_return);
  REQUIRE(d.c.assignments.size() == 2);
  CHECK(d.c.assignments[0].unit == a);
  CHECK(d.c.assignments[0].state == AssignmentState::withdrawn);
  CHECK(d.lead().unit == b);
  CHECK(d.lead().dispatched_ms == k_t0 + 3 * k_hour);
  CHECK(d.lead().sign_for_due == Due{k_t0 + 3 * k_hour + k_day, false});
  CHECK(d.lead().reply_due == Due{k_t0 + 3 * k_hour + 5 * k_day, false});
  CHECK(d.lead().original_reply_due == d.lead().reply_due);
  // The unit that returned the case is off it now.
  CHECK(d.refused_kind("sign_for", {}, unit(a)) == RefusalKind::forbidden);

  d.now = k_t0 + 4 * k_hour;
  outsiders_refused("sign_for", {});
  d.ok("sign_for", {}, unit(b));
  CHECK(d.c.state == CaseState::in_progress);

  // Extension request, approved: the live deadline moves, the original stays for statistics.
  const Due original = d.lead().reply_due;
  d.now = k_t0 + k_day;
  const Args ext{{"working_days", "3"}, {"reason", "waiting for the gas company"}};
  outsiders_refused("request_extension", ext);
  d.ok("request_extension", ext, unit(b));
  CHECK(d.c.state == CaseState::extension_requested);
  REQUIRE(d.c.pending_extension);
  CHECK(d.c.pending_extension->working_days == 3);
  d.ok("review_extension", {{"decision", "approve"}}, k_op);
  CHECK(d.c.state == CaseState::in_progress);
  CHECK_FALSE(d.c.pending_extension);
  CHECK(d.lead().reply_due == Due{original.ms + 3 * k_day, false});
  CHECK(d.lead().original_reply_due == original);
  CHECK(d.lead().extension_days == 3);

  // Reply, reviewed and approved.
  d.now = k_t0 + 2 * k_day;
  outsiders_refused("reply", {{"text", "fixed"}});
  d.ok("reply", {{"text", "the lamp was replaced"}, {"basis", "urban lighting rules art. 7"}}, unit(b));
  CHECK(d.c.state == CaseState::reply_review);
  CHECK(d.lead().state == AssignmentState::replied);
  CHECK(d.lead().replied_ms == k_t0 + 2 * k_day);
  d.now = k_t0 + 2 * k_day + k_hour;
  d.ok("review_reply", {{"decision", "approve"}}, k_op);
  CHECK(d.c.state == CaseState::awaiting_follow_up);
  CHECK(d.c.follow_up_due == Due{d.now + k_day, false});

  // Follow-up: unsatisfied, redo with a new deadline.
  d.now = k_t0 + 3 * k_day;
  const auto redo =
      d.ok("follow_up", {{"satisfaction", "unsatisfied"}, {"resolution", "unresolved"}, {"redo", "true"}}, k_op);
  REQUIRE(redo.size() == 2);
  CHECK(redo[0].kind == "followed_up");
  CHECK(redo[0].data.at("satisfaction") == "unsatisfied");
  CHECK(redo[0].data.at("resolution") == "unresolved");
  CHECK(redo[1].kind == "redo");
  CHECK(d.c.state == CaseState::in_progress);
  CHECK(d.c.redos == 1);
  CHECK(d.c.satisfaction == "unsatisfied");
  CHECK_FALSE(d.c.follow_up_due);
  CHECK(d.lead().state == AssignmentState::in_progress);
  CHECK_FALSE(d.lead().replied_ms);
  CHECK(d.lead().reply_due == Due{d.now + 5 * k_day, false});
  CHECK(d.lead().original_reply_due == d.lead().reply_due);
  CHECK(d.lead().extension_days == 0);

  // Second reply, approved, satisfied: closed.
  d.now = k_t0 + 4 * k_day;
  outsiders_refused("reply", {{"text", "fixed"}});
  d.ok("reply", {{"text", "the lamp and its cable were replaced"}}, unit(b));
  d.ok("review_reply", {{"decision", "approve"}}, k_op);
  d.now = k_t0 + 5 * k_day;
  const auto closing = d.ok("follow_up", {{"satisfaction", "satisfied"}, {"resolution", "resolved"}}, k_op);
  REQUIRE(closing.size() == 2);
  CHECK(closing[0].data.at("redo") == "false");
  CHECK(closing[1].kind == "closed");
  CHECK(d.c.state == CaseState::closed);
  CHECK(d.c.closed_ms == k_t0 + 5 * k_day);
  CHECK(d.c.satisfaction == "satisfied");
  CHECK(d.c.resolution == "resolved");
  CHECK(d.refused_kind("urge", {}, k_sup) == RefusalKind::wrong_state);
  CHECK(d.refused_kind("reply", {{"text", "again"}}, unit(b)) == RefusalKind::wrong_state);

  for (const auto& e : d.log) {
    INFO(e.kind);
    CHECK(e.at_ms >= k_t0);
    CHECK_FALSE(e.actor.empty());
    CHECK(parse_role(e.role).has_value());
  }
  d.check_replay();
}

TEST_CASE("a return past the maximum goes to a supervisor's arbitration instead of the operator's review",
          "[routing][lifecycle]") {
  Driver d;
  d.create("350602.cgj");
  d.ok("request_return", k_return_args, unit("350602.cgj"));
  d.ok("review_return", {{"decision", "approve"}, {"unit", "350603.cgj"}}, k_op);
  d.ok("request_return", k_return_args, unit("350603.cgj"));
  d.ok("review_return", {{"decision", "approve"}, {"unit", "350604.cgj"}}, k_op);
  CHECK(d.c.returns == 2);
  const auto asked = d.ok("request_return", k_return_args, unit("350604.cgj"));
  REQUIRE(asked.size() == 1);
  CHECK(asked[0].kind == "arbitration_requested");
  CHECK(asked[0].data.at("cause") == "return_cap");
  CHECK(d.c.state == CaseState::arbitration_requested);
  CHECK(d.c.return_requests == 3);  // a return request all the same
  CHECK_FALSE(d.c.pending_return);
  REQUIRE(d.c.pending_arbitration);
  CHECK(d.c.pending_arbitration->unit == "350604.cgj");
  CHECK(d.c.assignments.size() == 3);
  // The operator cannot review it: only a supervisor decides.
  CHECK(d.refused_kind("review_return", {{"decision", "approve"}, {"unit", "350602.cgj"}}, k_op) ==
        RefusalKind::wrong_state);
  CHECK(d.refused_kind("arbitrate", {{"unit", "350602.cgj"}, {"note", "x"}}, k_op) == RefusalKind::forbidden);
  d.check_replay();
}

TEST_CASE("a declined return counts as a request but not against the maximum", "[routing][lifecycle]") {
  Driver d;
  d.clocks.returns_allowed = 1;
  d.create("350602.cgj");
  const Assignment before = d.lead();
  d.now += k_hour;
  d.ok("request_return", k_return_args, unit("350602.cgj"));  // before signing
  d.now += k_hour;
  d.ok("review_return", {{"decision", "decline"}, {"note", "street lights are yours"}}, k_op);
  CHECK(d.c.state == CaseState::awaiting_sign_for);  // back where it was: the unit never signed
  CHECK(d.c.returns == 0);
  CHECK(d.c.return_requests == 1);
  CHECK(d.lead() == before);  // clocks unchanged: they kept running
  d.ok("request_return", k_return_args, unit("350602.cgj"));
  d.ok("review_return", {{"decision", "approve"}, {"unit", "350603.cgj"}}, k_op);
  CHECK(d.c.returns == 1);
  CHECK(d.c.return_requests == 2);
  CHECK(d.ok("request_return", k_return_args, unit("350603.cgj")).front().kind == "arbitration_requested");
  d.check_replay();
}

TEST_CASE("a return after the return window is refused and a new round opens a new window", "[routing][lifecycle]") {
  Driver d;
  d.create("350602.cgj");
  d.now = k_t0 + 2 * k_day;  // the window ends at dispatch + 2 days, exclusive
  const Refusal r = d.refused("request_return", k_return_args, unit("350602.cgj"));
  CHECK(r.kind == RefusalKind::invalid);
  CHECK_THAT(r.reason, Catch::Contains("return window closed"));
  d.now = k_t0 + 2 * k_day - 1;
  d.ok("request_return", k_return_args, unit("350602.cgj"));
  d.ok("review_return", {{"decision", "approve"}, {"unit", "350603.cgj"}}, k_op);
  d.now = k_t0 + 3 * k_day;  // past the first window, inside the new lead's
  d.ok("request_return", k_return_args, unit("350603.cgj"));
  CHECK(d.c.state == CaseState::return_requested);
  d.check_replay();
}

TEST_CASE("an extension must be asked before the deadline", "[routing][lifecycle]") {
  Driver d;
  d.create("350602.cgj");
  d.ok("sign_for", {}, unit("350602.cgj"));
  const Args ext{{"working_days", "2"}, {"reason", "contractor delayed"}};
  d.now = d.lead().reply_due.ms;
  const Refusal r = d.refused("request_extension", ext, unit("350602.cgj"));
  CHECK(r.kind == RefusalKind::invalid);
  CHECK_THAT(r.reason, Catch::Contains("before the deadline"));
  d.now = d.lead().reply_due.ms - 1;
  d.ok("request_extension", ext, unit("350602.cgj"));
  d.check_replay();
}

TEST_CASE("extensions are capped in total and the reviewer may grant fewer days", "[routing][lifecycle]") {
  Driver d;
  d.create("350602.cgj");
  const Actor lead = unit("350602.cgj");
  d.ok("sign_for", {}, lead);
  const Due original = d.lead().reply_due;
  d.ok("request_extension", {{"working_days", "6"}, {"reason", "survey"}}, lead);
  d.ok("review_extension", {{"decision", "approve"}}, k_op);
  CHECK(d.lead().extension_days == 6);
  CHECK(d.refused_kind("request_extension", {{"working_days", "5"}, {"reason", "more"}}, lead) == RefusalKind::invalid);
  d.ok("request_extension", {{"working_days", "4"}, {"reason", "more"}}, lead);
  CHECK(d.refused_kind("review_extension", {{"decision", "approve"}, {"working_days", "5"}}, k_op) ==
        RefusalKind::invalid);
  const auto granted = d.ok("review_extension", {{"decision", "approve"}, {"working_days", "2"}}, k_op);
  CHECK(granted.at(0).data.at("working_days") == "2");
  CHECK(d.lead().extension_days == 8);
  CHECK(d.lead().reply_due.ms == original.ms + 8 * k_day);
  CHECK(d.lead().original_reply_due == original);
  d.ok("request_extension", {{"working_days", "2"}, {"reason", "last"}}, lead);
  d.ok("review_extension", {{"decision", "approve"}}, k_op);
  CHECK(d.lead().extension_days == 10);
  CHECK(d.refused_kind("request_extension", {{"working_days", "1"}, {"reason", "one more"}}, lead) ==
        RefusalKind::invalid);
  d.check_replay();
}

TEST_CASE("co-units sign and reply independently of the lead", "[routing][lifecycle]") {
  Driver d;
  const std::string lead = "350602.cgj", co1 = "350602.zjj", co2 = "350602.sthj";
  d.create(lead, {co1, co2});
  REQUIRE(d.c.assignments.size() == 3);
  CHECK(d.of(co1).lead == false);
  CHECK(d.of(co1).reply_due == Due{k_t0 + 5 * k_day, false});

  d.now += k_hour;
  d.ok("sign_for", {}, unit(co1));
  CHECK(d.of(co1).state == AssignmentState::in_progress);
  CHECK(d.c.state == CaseState::awaiting_sign_for);  // the case waits for the lead
  d.ok("reply", {{"text", "our part is done"}}, unit(co1));
  CHECK(d.of(co1).state == AssignmentState::replied);
  CHECK(d.c.state == CaseState::awaiting_sign_for);
  CHECK(d.refused_kind("reply", {{"text", "twice"}}, unit(co1)) == RefusalKind::wrong_state);
  CHECK(d.refused_kind("request_return", k_return_args, unit(co1)) == RefusalKind::forbidden);
  CHECK(d.refused_kind("request_extension", {{"working_days", "1"}, {"reason", "x"}}, unit(co2)) ==
        RefusalKind::forbidden);
  CHECK(d.refused_kind("reply", {{"text", "not signed"}}, unit(co2)) == RefusalKind::wrong_state);

  d.ok("sign_for", {}, unit(lead));
  CHECK(d.c.state == CaseState::in_progress);
  CHECK(d.of(co2).state == AssignmentState::awaiting_sign_for);
  d.ok("reply", {{"text", "lead reply"}}, unit(lead));
  CHECK(d.c.state == CaseState::reply_review);
  // A late co-unit still works its own assignment while the reply is reviewed.
  d.ok("sign_for", {}, unit(co2));
  d.ok("reply", {{"text", "late co reply"}}, unit(co2));
  CHECK(d.of(co2).state == AssignmentState::replied);
  CHECK(d.c.state == CaseState::reply_review);
  d.check_replay();
}

TEST_CASE("pass down goes only to a child unit and the child can then reply", "[routing][lifecycle]") {
  Driver d;
  const std::string parent = "350602.cgj", child = "350602001.gov", sibling = "350602002.gov";
  d.create(parent);
  CHECK(d.refused_kind("pass_down", {{"child", child}}, unit(parent)) == RefusalKind::wrong_state);  // not signed
  d.ok("sign_for", {}, unit(parent));
  CHECK(d.refused_kind("pass_down", {{"child", "350603.cgj"}}, unit(parent)) == RefusalKind::invalid);
  CHECK(d.refused_kind("pass_down", {{"child", "350602999.gov"}}, unit(parent)) == RefusalKind::invalid);
  CHECK(d.refused_kind("pass_down", {{"child", child}}, unit(sibling)) == RefusalKind::forbidden);
  // Before the pass-down, the child is not on the case.
  CHECK(d.refused_kind("reply", {{"text", "x"}}, unit(child)) == RefusalKind::forbidden);

  const auto passed = d.ok("pass_down", {{"child", child}}, unit(parent));
  CHECK(passed.at(0).kind == "passed_down");
  CHECK(passed.at(0).unit == parent);
  CHECK(d.lead().handler == child);
  CHECK(d.lead().unit == parent);  // the parent stays accountable
  CHECK(d.c.state == CaseState::in_progress);
  CHECK(d.refused_kind("pass_down", {{"child", child}}, unit(parent)) == RefusalKind::invalid);  // already there
  CHECK(d.refused_kind("reply", {{"text", "x"}}, unit(sibling)) == RefusalKind::forbidden);

  const auto replied = d.ok("reply", {{"text", "the street office fixed it"}}, unit(child));
  CHECK(replied.at(0).unit == parent);
  CHECK(replied.at(0).data.at("handler") == child);
  CHECK(d.c.state == CaseState::reply_review);
  CHECK(d.lead().state == AssignmentState::replied);
  d.check_replay();
}

TEST_CASE("a handler may pass the case further down to its own child", "[routing][lifecycle]") {
  Driver d;
  d.create("350602.cgj");
  d.ok("sign_for", {}, unit("350602.cgj"));
  d.ok("pass_down", {{"child", "350602001.gov"}}, unit("350602.cgj"));
  d.ok("pass_down", {{"child", "350602001.team"}}, unit("350602001.gov"));
  CHECK(d.lead().handler == "350602001.team");
  // The middle unit handed the case on and is no longer on it; the accountable unit still is.
  CHECK(d.refused_kind("reply", {{"text", "x"}}, unit("350602001.gov")) == RefusalKind::forbidden);
  d.ok("urge", {{"unit", "350602.cgj"}, {"note", "hurry"}}, k_sup);
  d.ok("reply", {{"text", "done by the team"}}, unit("350602001.team"));
  d.check_replay();
}

TEST_CASE("decline and reject paths keep the clocks running", "[routing][lifecycle]") {
  Driver d;
  const Actor lead = unit("350602.cgj");
  d.create("350602.cgj");
  d.now += k_hour;
  d.ok("sign_for", {}, lead);
  const Assignment signed_state = d.lead();

  d.now += k_hour;
  d.ok("request_return", k_return_args, lead);
  CHECK(d.refused_kind("review_return", {{"decision", "decline"}}, k_op) == RefusalKind::invalid);  // needs a note
  d.ok("review_return", {{"decision", "decline"}, {"note", "it is in your district"}}, k_op);
  CHECK(d.c.state == CaseState::in_progress);
  CHECK(d.lead() == signed_state);

  d.now += k_hour;
  d.ok("request_extension", {{"working_days", "2"}, {"reason", "rain"}}, lead);
  d.ok("review_extension", {{"decision", "decline"}, {"note", "rain stops tomorrow"}}, k_op);
  CHECK(d.c.state == CaseState::in_progress);
  CHECK(d.lead() == signed_state);

  d.now += k_hour;
  d.ok("reply", {{"text", "we looked"}}, lead);
  d.ok("review_reply", {{"decision", "reject"}, {"note", "the reply does not answer the question"}}, k_op);
  CHECK(d.c.state == CaseState::in_progress);
  CHECK(d.lead() == signed_state);  // back in progress, reply cleared, same deadlines
  d.ok("reply", {{"text", "we fixed it"}}, lead);
  CHECK(d.c.state == CaseState::reply_review);
  d.check_replay();
}

TEST_CASE("a return approved with co-units dispatches a whole new round", "[routing][lifecycle]") {
  Driver d;
  d.create("350602.cgj", {"350602.zjj"});
  d.ok("sign_for", {}, unit("350602.zjj"));
  d.ok("request_return", k_return_args, unit("350602.cgj"));
  CHECK(d.refused_kind("review_return", {{"decision", "approve"}, {"unit", "350602.cgj"}}, k_op) ==
        RefusalKind::invalid);
  d.now += k_hour;
  d.ok("review_return", {{"decision", "approve"}, {"unit", "350603.cgj"}, {"co", " 350602.sthj , 350602.cgj"}}, k_op);
  REQUIRE(d.c.assignments.size() == 5);
  CHECK(d.c.assignments[0].state == AssignmentState::withdrawn);
  CHECK(d.c.assignments[1].state == AssignmentState::withdrawn);
  CHECK(d.lead().unit == "350603.cgj");
  CHECK(d.of("350602.sthj").dispatched_ms == d.now);
  CHECK(d.of("350602.cgj").lead == false);  // the old lead now co-handles
  CHECK(d.of("350602.cgj").state == AssignmentState::awaiting_sign_for);
  // The old co-unit's withdrawn assignment no longer binds it.
  CHECK(d.refused_kind("reply", {{"text", "x"}}, unit("350602.zjj")) == RefusalKind::forbidden);
  d.check_replay();
}

TEST_CASE("intake dispositions create terminal or dispatched cases", "[routing][lifecycle]") {
  Driver d;
  const auto create = [&](const std::string& disposition, const std::string& lead, const std::vector<std::string>& co,
                          const Args& args, const Actor& actor) {
    return create_case(d.facts, disposition, lead, co, args, actor, d.ctx());
  };
  const auto kind_of = [](const Outcome& out) {
    return std::holds_alternative<Refusal>(out) ? std::optional(std::get<Refusal>(out).kind) : std::nullopt;
  };
  CHECK(kind_of(create("dispatch", "350602.cgj", {}, {}, unit("350602.cgj"))) == RefusalKind::forbidden);
  CHECK(kind_of(create("dispatch", "350602.cgj", {}, {}, k_admin)) == RefusalKind::forbidden);
  CHECK(kind_of(create("dispatch", "350602.cgj", {}, {}, k_sup)) == RefusalKind::forbidden);
  CHECK(kind_of(create("forward", "350602.cgj", {}, {}, k_op)) == RefusalKind::invalid);
  CHECK(kind_of(create("dispatch", "", {}, {}, k_op)) == RefusalKind::invalid);
  CHECK(kind_of(create("dispatch", "nowhere", {}, {}, k_op)) == RefusalKind::invalid);
  CHECK(kind_of(create("dispatch", "350602.cgj", {"350602.cgj"}, {}, k_op)) == RefusalKind::invalid);
  CHECK(kind_of(create("dispatch", "350602.cgj", {"350602.zjj", "350602.zjj"}, {}, k_op)) == RefusalKind::invalid);
  CHECK(kind_of(create("not_accepted", "", {}, {}, k_op)) == RefusalKind::invalid);
  CHECK(kind_of(create("answered_directly", "", {}, {}, k_op)) == RefusalKind::invalid);
  CHECK(kind_of(create("merged", "", {}, {}, k_op)) == RefusalKind::invalid);
  CHECK(kind_of(create("merged", "", {}, {{"into", d.facts.id}}, k_op)) == RefusalKind::invalid);
  CHECK(kind_of(create("dispatch", "350602.cgj", {}, {}, k_sys)) == std::nullopt);  // automatic intake

  struct Terminal {
    const char* disposition;
    Args args;
    CaseState state;
  };
  const std::vector<Terminal> terminals{
      {"not_accepted", {{"reason", "a private dispute between neighbours"}}, CaseState::not_accepted},
      {"answered_directly", {{"answer", "the office opens at 9"}}, CaseState::answered_directly},
      {"merged", {{"into", "ZZ20251231000007"}}, CaseState::merged},
  };
  for (const auto& t : terminals) {
    INFO(t.disposition);
    const Outcome out = create(t.disposition, "", {}, t.args, k_op);
    REQUIRE(std::holds_alternative<std::vector<Event>>(out));
    const auto& events = std::get<std::vector<Event>>(out);
    REQUIRE(events.size() == 2);
    CHECK(events[0].kind == "received");
    CHECK(events[0].data.at("type") == "complaint");
    CHECK(events[0].data.at("channel") == "phone");
    const Case c = replay(d.facts, events);
    CHECK(c.state == t.state);
    CHECK(c.closed_ms == d.now);
    CHECK(c.assignments.empty());
    CHECK(c.lead() == nullptr);
    if (t.state == CaseState::merged) CHECK(c.merged_into == "ZZ20251231000007");
  }
}

TEST_CASE("merge ends an open case and refuses a merge into itself", "[routing][lifecycle]") {
  Driver d;
  d.create("350602.cgj");
  d.ok("sign_for", {}, unit("350602.cgj"));
  d.ok("request_extension", {{"working_days", "1"}, {"reason", "x"}}, unit("350602.cgj"));
  CHECK(d.refused_kind("merge", {{"into", d.facts.id}}, k_op) == RefusalKind::invalid);
  CHECK(d.refused_kind("merge", {{"into", "ZZ20251231000001"}}, k_sup) == RefusalKind::forbidden);
  d.now += k_hour;
  d.ok("merge", {{"into", "ZZ20251231000001"}, {"note", "same lamp as yesterday"}}, k_op);
  CHECK(d.c.state == CaseState::merged);
  CHECK(d.c.merged_into == "ZZ20251231000001");
  CHECK(d.c.closed_ms == d.now);
  CHECK_FALSE(d.c.pending_extension);
  CHECK(d.refused_kind("review_extension", {{"decision", "approve"}}, k_op) == RefusalKind::wrong_state);
  CHECK(d.refused_kind("merge", {{"into", "ZZ20251231000002"}}, k_op) == RefusalKind::wrong_state);
  d.check_replay();
}

TEST_CASE("unmerge the same day gives the case back as it was before the merge", "[routing][lifecycle][merge]") {
  Driver d;
  d.create("350602.cgj");
  d.ok("sign_for", {}, unit("350602.cgj"));
  d.ok("request_extension", {{"working_days", "1"}, {"reason", "parts"}}, unit("350602.cgj"));
  const Case before = d.c;
  // Not merged: nothing to undo.
  CHECK(d.refused_kind("unmerge", {}, k_op) == RefusalKind::wrong_state);
  d.now += k_hour;
  d.ok("merge", {{"into", "ZZ20251231000001"}}, k_op);
  REQUIRE(d.c.before_merge);
  CHECK(d.refused_kind("unmerge", {}, k_sup) == RefusalKind::forbidden);
  CHECK(d.refused_kind("unmerge", {}, unit("350602.cgj")) == RefusalKind::forbidden);
  d.now += k_hour;
  const auto events = d.ok("unmerge", {{"note", "wrong ticket"}}, k_op);
  REQUIRE(events.size() == 1);
  CHECK(events[0].kind == "unmerged");
  CHECK(events[0].field("from") == "ZZ20251231000001");
  CHECK(events[0].field("state") == "extension_requested");
  CHECK(d.c.state == CaseState::extension_requested);
  CHECK(d.c.pending_extension == before.pending_extension);
  CHECK(d.c.closed_ms == before.closed_ms);
  CHECK(d.c.merged_into.empty());
  CHECK_FALSE(d.c.before_merge);
  // The extension request is live again.
  d.ok("review_extension", {{"decision", "approve"}}, k_op);
  d.check_replay();
}

TEST_CASE("unmerge is refused on a later day than the merge", "[routing][lifecycle][merge]") {
  Driver d;
  d.create("350602.cgj");
  d.now = k_t0 + 23 * k_hour;  // 23:00 UTC, the fake clocks' offset being 0
  d.ok("merge", {{"into", "ZZ20251231000001"}}, k_op);
  d.now = k_t0 + 24 * k_hour;  // midnight: the next day
  CHECK(d.refused_kind("unmerge", {}, k_op) == RefusalKind::invalid);
  CHECK(d.c.state == CaseState::merged);
  d.check_replay();
}

TEST_CASE("a master refuses merges when unknown closed merged or the case itself", "[routing][lifecycle][merge]") {
  Case open;
  open.id = "ZZ20260101000001";
  open.state = CaseState::in_progress;
  CHECK_FALSE(check_merge_master("ZZ20260101000002", open.id, &open));
  CHECK(check_merge_master("ZZ20260101000002", "ZZ20260101000009", nullptr)->kind == RefusalKind::invalid);
  CHECK(check_merge_master(open.id, open.id, &open)->kind == RefusalKind::invalid);
  CHECK(check_merge_master("ZZ20260101000002", "", &open)->kind == RefusalKind::invalid);
  for (const CaseState s :
       {CaseState::closed, CaseState::merged, CaseState::not_accepted, CaseState::answered_directly}) {
    INFO(to_string(s));
    Case master = open;
    master.state = s;
    const auto refusal = check_merge_master("ZZ20260101000002", open.id, &master);
    REQUIRE(refusal);
    CHECK(refusal->kind == RefusalKind::wrong_state);
    CHECK_FALSE(refusal->reason.empty());
  }
  Case awaiting = open;
  awaiting.state = CaseState::awaiting_follow_up;
  CHECK_FALSE(check_merge_master("ZZ20260101000002", open.id, &awaiting));
}

TEST_CASE("a master lists its merged tickets and a merged case follows its master's reply",
          "[routing][lifecycle][merge]") {
  Driver master;
  master.create("350602.cgj");
  const Context ctx = master.ctx();
  evolve(master.c, master_note("merge_received", "ZZ20260101000050", k_op, ctx));
  evolve(master.c, master_note("merge_received", "ZZ20260101000051", k_op, ctx));
  evolve(master.c, master_note("merge_undone", "ZZ20260101000050", k_op, ctx));
  CHECK(master.c.merged == std::vector<std::string>{"ZZ20260101000051"});

  Driver d;
  d.facts.id = d.c.id = "ZZ20260101000051";
  d.create("350603.cgj");
  // Not merged: nothing to follow.
  CHECK_FALSE(follow_master(d.c, master.facts.id, "repaired", k_op, d.ctx()));
  d.now += k_hour;
  d.ok("merge", {{"into", master.facts.id}}, k_op);
  d.now += k_day;
  const auto follow = follow_master(d.c, master.facts.id, "repaired on Monday", k_op, d.ctx());
  REQUIRE(follow);
  CHECK(follow->kind == "master_replied");
  CHECK(follow->field("text") == "repaired on Monday");
  d.keep(std::vector<Event>{*follow});
  CHECK(d.c.state == CaseState::awaiting_follow_up);
  CHECK(d.c.master_reply == "repaired on Monday");
  REQUIRE(d.c.follow_up_due);
  CHECK(d.c.follow_up_due->ms == d.now + k_day);
  CHECK(d.c.lead() == nullptr);  // its own units are done with it
  CHECK(d.refused_kind("unmerge", {}, k_op) == RefusalKind::wrong_state);
  // Its caller is followed up like any case; a redo goes to the master.
  CHECK(d.refused_kind("follow_up", {{"satisfaction", "unsatisfied"}, {"resolution", "unresolved"}, {"redo", "true"}},
                       k_op) == RefusalKind::invalid);
  d.ok("follow_up", {{"satisfaction", "satisfied"}, {"resolution", "resolved"}}, k_op);
  CHECK(d.c.state == CaseState::closed);
  d.check_replay();
}

TEST_CASE("urge supervise and warn record events without changing the state", "[routing][lifecycle]") {
  Driver d;
  d.create("350602.cgj", {"350602.zjj"});
  const CaseState before = d.c.state;
  d.now += k_day;
  const auto warned = d.ok("warn", {{"stage", "yellow"}, {"clock", "sign_for"}, {"unit", "350602.zjj"}}, k_sys);
  CHECK(warned.at(0).unit == "350602.zjj");
  CHECK(warned.at(0).data == Args{{"stage", "yellow"}, {"clock", "sign_for"}});
  d.ok("warn", {{"stage", "red"}, {"clock", "reply"}, {"unit", "350602.cgj"}}, k_sys);
  d.ok("urge", {}, k_sys);
  d.ok("urge", {{"note", "call them"}}, k_op);
  d.ok("urge", {{"unit", "350602.cgj"}, {"note", "overdue"}}, k_sup);
  d.ok("supervise", {{"note", "on the supervision list"}}, k_sup);
  CHECK(d.refused_kind("supervise", {}, k_op) == RefusalKind::forbidden);
  CHECK(d.refused_kind("warn", {{"stage", "red"}, {"clock", "reply"}, {"unit", "350602.cgj"}}, k_op) ==
        RefusalKind::forbidden);
  CHECK(d.refused_kind("urge", {}, k_admin) == RefusalKind::forbidden);
  CHECK(d.c.state == before);
  CHECK(d.c.urges == 3);
  CHECK(d.c.supervisions == 1);
  REQUIRE(d.c.warnings.size() == 2);
  CHECK(d.c.warnings[0] == Warning{"yellow", "sign_for", "350602.zjj", d.now});
  CHECK(d.c.warnings[1].stage == "red");
  d.check_replay();
}

TEST_CASE("provisional deadlines travel in the events and replay needs no clocks", "[routing][lifecycle]") {
  Driver d;
  d.clocks.provisional_from = k_t0 + 3 * k_day;  // reply deadlines fall in a year with no published table
  d.create("350602.cgj");
  CHECK_FALSE(d.lead().sign_for_due.provisional);
  CHECK(d.lead().reply_due.provisional);
  CHECK(d.log.back().data.at("reply_provisional") == "true");
  CHECK(d.log.back().data.at("sign_for_provisional") == "false");
  d.ok("sign_for", {}, unit("350602.cgj"));
  d.ok("request_extension", {{"working_days", "2"}, {"reason", "x"}}, unit("350602.cgj"));
  d.ok("review_extension", {{"decision", "approve"}}, k_op);
  CHECK(d.lead().reply_due.provisional);
  d.ok("reply", {{"text", "done"}}, unit("350602.cgj"));
  d.now = k_t0 + 3 * k_day;
  d.ok("review_reply", {{"decision", "approve"}}, k_op);
  REQUIRE(d.c.follow_up_due);
  CHECK(d.c.follow_up_due->provisional);
  d.check_replay();
}

TEST_CASE("evolve ignores unknown event kinds", "[routing][lifecycle]") {
  Driver d;
  d.create("350602.cgj");
  d.ok("sign_for", {}, unit("350602.cgj"));
  std::vector<Event> with_future = d.log;
  with_future.insert(with_future.begin() + 2,
                     Event{"deadline_recomputed", k_t0, "calendar", "system", "350602.cgj", {{"reply_due", "1"}}});
  CHECK(replay(d.facts, with_future) == d.c);
  d.check_replay();
}

TEST_CASE("unknown actions are invalid for every role", "[routing][lifecycle]") {
  Driver d;
  d.create("350602.cgj");
  for (const Actor& a : {k_op, k_sup, k_admin, k_sys, unit("350602.cgj"), unit("350604.cgj")}) {
    INFO(a.id);
    CHECK(d.refused_kind("escalate", {}, a) == RefusalKind::invalid);
  }
}

TEST_CASE("roles and case states print and parse by name", "[routing][lifecycle]") {
  const std::pair<Role, const char*> roles[] = {{Role::operator_, "operator"},
                                                {Role::unit, "unit"},
                                                {Role::supervisor, "supervisor"},
                                                {Role::admin, "admin"},
                                                {Role::system, "system"}};
  for (const auto& [role, name] : roles) {
    CHECK(to_string(role) == name);
    CHECK(parse_role(name) == role);
  }
  CHECK_FALSE(parse_role("operator_"));
  CHECK_FALSE(parse_role(""));
  for (int i = 0; i < k_case_state_count; ++i) {
    const auto s = static_cast<CaseState>(i);
    CHECK(parse_case_state(to_string(s)) == s);
    CHECK(is_open(s) == (i < 7));
  }
  CHECK(to_string(CaseState::awaiting_follow_up) == std::string_view("awaiting_follow_up"));
  CHECK(to_string(CaseState::arbitration_requested) == std::string_view("arbitration_requested"));
  CHECK_FALSE(parse_case_state("open"));
  CHECK(parse_assignment_state("withdrawn") == AssignmentState::withdrawn);
  CHECK(to_string(RefusalKind::wrong_state) == std::string_view("wrong_state"));
}
