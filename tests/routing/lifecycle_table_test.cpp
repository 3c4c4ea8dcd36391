// The exhaustive (state, action, actor) table of the case life cycle. The expected outcomes are written out
// by hand below, NOT derived from the implementation's table: every case state x every action x every role
// (the unit role three ways: the lead, a co-unit that has not signed, a co-unit that has signed, plus a unit
// with no assignment on the case).
#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <vector>

#include "routing/lifecycle.hpp"

using namespace hotline::routing;

namespace {

constexpr std::int64_t k_hour = 3'600'000;
constexpr std::int64_t k_day = 24 * k_hour;
constexpr std::int64_t k_t0 = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

class TableClocks final : public Clocks {
 public:
  static Due at(std::int64_t ms) { return Due{ms, false}; }
  Due sign_for_due(const Case&, const std::string&, std::int64_t start) const override { return at(start + k_day); }
  Due reply_due(const Case&, const std::string&, std::int64_t start) const override { return at(start + 5 * k_day); }
  Due extend(const Case&, const Due& due, int days) const override { return at(due.ms + days * k_day); }
  std::int64_t return_window_end(const Case&, std::int64_t dispatched) const override { return dispatched + 2 * k_day; }
  Window dispute_window(const Case&, std::int64_t declined) const override { return {declined + k_day, "1 day"}; }
  Due follow_up_due(const Case&, std::int64_t replied) const override { return at(replied + k_day); }
  int max_returns(const Case&) const override { return 2; }
  int extension_cap_days(const Case&) const override { return 10; }
};

const std::string k_lead = "350602.cgj";
const std::string k_co_unsigned = "350602.zjj";
const std::string k_co_signed = "350602.sthj";
const std::string k_foreign = "350603.cgj";
const std::string k_desk = "12345.desk";

// The columns of the expected table.
enum Column { op, lead, co_unsigned, co_signed, foreign, sup, adm, sys, k_columns };
constexpr std::array<const char*, k_columns> k_column_names{
    "operator", "lead unit", "unsigned co-unit", "signed co-unit", "foreign unit", "supervisor", "admin", "system"};

Actor actor_for(Column column) {
  switch (column) {
    case op:
      return {Role::operator_, "op-1", ""};
    case lead:
      return {Role::unit, "liaison-lead", k_lead};
    case co_unsigned:
      return {Role::unit, "liaison-co1", k_co_unsigned};
    case co_signed:
      return {Role::unit, "liaison-co2", k_co_signed};
    case foreign:
      return {Role::unit, "liaison-x", k_foreign};
    case sup:
      return {Role::supervisor, "sup-1", ""};
    case adm:
      return {Role::admin, "root", ""};
    case sys:
      return {Role::system, "scheduler", ""};
    case k_columns:
      break;
  }
  return {};
}

struct Machine {
  TableClocks clocks;
  std::int64_t now = k_t0;
  Case c;

  Context ctx() const {
    return Context{
        now, clocks,
        [](std::string_view parent, std::string_view child) { return child == std::string(parent) + ".sub"; },
        [](std::string_view unit) { return !unit.empty() && !unit.starts_with("ghost"); }, k_desk};
  }
  void apply(const Outcome& out) {
    if (const auto* refusal = std::get_if<Refusal>(&out)) FAIL("building the case was refused: " << refusal->reason);
    for (const auto& e : std::get<std::vector<Event>>(out)) evolve(c, e);
  }
  void run(const std::string& action, std::map<std::string, std::string> args, const Actor& actor) {
    now += k_hour;
    apply(decide(c, Command{action, std::move(args)}, actor, ctx()));
  }
};

// Builds a case in `state` by legal commands: lead + two co-units, the second co-unit signed.
Case build(CaseState state) {
  Machine m;
  m.c.id = "ZZ20260101000001";
  const Actor op_actor = actor_for(op);
  if (state == CaseState::not_accepted) {
    m.apply(create_case(m.c, "not_accepted", "", {}, {{"reason", "not a government matter"}}, op_actor, m.ctx()));
    return m.c;
  }
  if (state == CaseState::answered_directly) {
    m.apply(create_case(m.c, "answered_directly", "", {}, {{"answer", "the office opens at 9"}}, op_actor, m.ctx()));
    return m.c;
  }
  m.apply(create_case(m.c, "dispatch", k_lead, {k_co_unsigned, k_co_signed}, {}, op_actor, m.ctx()));
  m.run("sign_for", {}, actor_for(co_signed));
  if (state == CaseState::awaiting_sign_for) return m.c;
  m.run("sign_for", {}, actor_for(lead));
  switch (state) {
    case CaseState::in_progress:
      return m.c;
    case CaseState::return_requested:
      m.run("request_return", {{"reason_code", "not_our_duty"}, {"reason", "belongs to housing"}}, actor_for(lead));
      return m.c;
    case CaseState::extension_requested:
      m.run("request_extension", {{"working_days", "3"}, {"reason", "site survey"}}, actor_for(lead));
      return m.c;
    case CaseState::arbitration_requested:
      m.run("request_return", {{"reason_code", "not_our_duty"}, {"reason", "belongs to housing"}}, actor_for(lead));
      m.run("review_return", {{"decision", "decline"}, {"note", "street lamps are yours"}}, op_actor);
      m.run("dispute", {{"reason", "the lamp belongs to the power company"}}, actor_for(lead));
      return m.c;
    case CaseState::merged:
      m.run("merge", {{"into", "ZZ20251231000009"}}, op_actor);
      return m.c;
    default:
      break;
  }
  m.run("reply", {{"text", "repaired"}}, actor_for(lead));
  if (state == CaseState::reply_review) return m.c;
  m.run("review_reply", {{"decision", "approve"}}, op_actor);
  if (state == CaseState::awaiting_follow_up) return m.c;
  m.run("follow_up", {{"satisfaction", "satisfied"}, {"resolution", "resolved"}}, op_actor);
  return m.c;  // closed
}

// Valid arguments for each action (they may name the actor's own unit).
std::map<std::string, std::string> valid_args(const std::string& action, const Actor& actor) {
  if (action == "pass_down") return {{"child", (actor.unit.empty() ? k_lead : actor.unit) + ".sub"}};
  if (action == "request_return") return {{"reason_code", "not_our_territory"}, {"reason", "wrong district"}};
  if (action == "review_return") return {{"decision", "approve"}, {"unit", "350604.cgj"}};
  if (action == "dispatch" || action == "redispatch") return {{"unit", "350604.cgj"}, {"note", "housing's"}};
  if (action == "dispute") return {{"reason", "the lamp belongs to the power company"}};
  if (action == "arbitrate") return {{"unit", "350604.cgj"}, {"note", "the lamp is on a housing estate"}};
  if (action == "request_extension") return {{"working_days", "2"}, {"reason", "parts on order"}};
  if (action == "review_extension") return {{"decision", "approve"}};
  if (action == "reply") return {{"text", "done"}, {"basis", "city regulation 12"}};
  if (action == "review_reply") return {{"decision", "approve"}};
  if (action == "follow_up") return {{"satisfaction", "satisfied"}, {"resolution", "resolved"}};
  if (action == "urge") return {{"note", "please hurry"}};
  if (action == "supervise") return {{"note", "supervised by the office"}};
  if (action == "merge") return {{"into", "ZZ20251231000009"}};
  if (action == "warn") return {{"stage", "yellow"}, {"clock", "reply"}, {"unit", k_lead}};
  return {};
}

// The first event kind each allowed action produces.
std::string first_event_kind(const std::string& action) {
  static const std::map<std::string, std::string> kinds{{"sign_for", "signed_for"},
                                                        {"pass_down", "passed_down"},
                                                        {"request_return", "return_requested"},
                                                        {"review_return", "return_approved"},
                                                        {"dispatch", "desk_dispatched"},
                                                        {"redispatch", "redispatched"},
                                                        {"dispute", "arbitration_requested"},
                                                        {"arbitrate", "arbitrated"},
                                                        {"request_extension", "extension_requested"},
                                                        {"review_extension", "extension_approved"},
                                                        {"reply", "replied"},
                                                        {"review_reply", "reply_approved"},
                                                        {"follow_up", "followed_up"},
                                                        {"urge", "urged"},
                                                        {"supervise", "supervised"},
                                                        {"merge", "merged"},
                                                        {"unmerge", "unmerged"},
                                                        {"warn", "warned"}};
  return kinds.at(action);
}

struct Expectation {
  const char* action;
  // One letter per column: A allowed, W wrong_state, F forbidden, I invalid; w wrong_state although the action
  // table allows the triple: the case's own facts refuse it (dispatch: the desk does not hold the case; redispatch:
  // a unit signed for it; dispute: no declined return to dispute). The positive paths are in desk_moves_test.cpp.
  const char* outcomes;
};

struct StateBlock {
  CaseState state;
  std::vector<Expectation> rows;
};

// clang-format off
// Columns:                 op L  C1 C2 X  su ad sy
//   op = operator, L = lead unit, C1 = co-unit not signed, C2 = co-unit signed, X = unit not on the case,
//   su = supervisor, ad = admin, sy = system.
const std::vector<StateBlock> k_expected{
  {CaseState::awaiting_sign_for, {
    {"sign_for",            "F  A  A  W  F  F  F  F"},
    {"pass_down",           "F  W  W  A  F  F  F  F"},
    {"request_return",      "F  A  F  F  F  F  F  F"},
    {"review_return",       "W  F  F  F  F  F  F  F"},
    {"dispatch",            "w  F  F  F  F  F  F  F"},
    {"redispatch",          "w  F  F  F  F  F  F  F"},
    {"dispute",             "F  w  F  F  F  F  F  F"},
    {"arbitrate",           "F  F  F  F  F  W  F  F"},
    {"request_extension",   "F  W  F  F  F  F  F  F"},
    {"review_extension",    "W  F  F  F  F  F  F  F"},
    {"reply",               "F  W  W  A  F  F  F  F"},
    {"review_reply",        "W  F  F  F  F  F  F  F"},
    {"follow_up",           "W  F  F  F  F  F  F  F"},
    {"urge",                "A  F  F  F  F  A  F  A"},
    {"supervise",           "F  F  F  F  F  A  F  F"},
    {"merge",               "A  F  F  F  F  F  F  F"},
    {"unmerge",             "W  F  F  F  F  F  F  F"},
    {"warn",                "F  F  F  F  F  F  F  A"}}},
  {CaseState::in_progress, {
    {"sign_for",            "F  W  A  W  F  F  F  F"},
    {"pass_down",           "F  A  W  A  F  F  F  F"},
    {"request_return",      "F  A  F  F  F  F  F  F"},
    {"review_return",       "W  F  F  F  F  F  F  F"},
    {"dispatch",            "w  F  F  F  F  F  F  F"},
    {"redispatch",          "W  F  F  F  F  F  F  F"},
    {"dispute",             "F  w  F  F  F  F  F  F"},
    {"arbitrate",           "F  F  F  F  F  W  F  F"},
    {"request_extension",   "F  A  F  F  F  F  F  F"},
    {"review_extension",    "W  F  F  F  F  F  F  F"},
    {"reply",               "F  A  W  A  F  F  F  F"},
    {"review_reply",        "W  F  F  F  F  F  F  F"},
    {"follow_up",           "W  F  F  F  F  F  F  F"},
    {"urge",                "A  F  F  F  F  A  F  A"},
    {"supervise",           "F  F  F  F  F  A  F  F"},
    {"merge",               "A  F  F  F  F  F  F  F"},
    {"unmerge",             "W  F  F  F  F  F  F  F"},
    {"warn",                "F  F  F  F  F  F  F  A"}}},
  {CaseState::return_requested, {
    {"sign_for",            "F  W  A  W  F  F  F  F"},
    {"pass_down",           "F  W  W  A  F  F  F  F"},
    {"request_return",      "F  W  F  F  F  F  F  F"},
    {"review_return",       "A  F  F  F  F  F  F  F"},
    {"dispatch",            "W  F  F  F  F  F  F  F"},
    {"redispatch",          "W  F  F  F  F  F  F  F"},
    {"dispute",             "F  W  F  F  F  F  F  F"},
    {"arbitrate",           "F  F  F  F  F  W  F  F"},
    {"request_extension",   "F  W  F  F  F  F  F  F"},
    {"review_extension",    "W  F  F  F  F  F  F  F"},
    {"reply",               "F  W  W  A  F  F  F  F"},
    {"review_reply",        "W  F  F  F  F  F  F  F"},
    {"follow_up",           "W  F  F  F  F  F  F  F"},
    {"urge",                "A  F  F  F  F  A  F  A"},
    {"supervise",           "F  F  F  F  F  A  F  F"},
    {"merge",               "A  F  F  F  F  F  F  F"},
    {"unmerge",             "W  F  F  F  F  F  F  F"},
    {"warn",                "F  F  F  F  F  F  F  A"}}},
  {CaseState::extension_requested, {
    {"sign_for",            "F  W  A  W  F  F  F  F"},
    {"pass_down",           "F  W  W  A  F  F  F  F"},
    {"request_return",      "F  W  F  F  F  F  F  F"},
    {"review_return",       "W  F  F  F  F  F  F  F"},
    {"dispatch",            "W  F  F  F  F  F  F  F"},
    {"redispatch",          "W  F  F  F  F  F  F  F"},
    {"dispute",             "F  W  F  F  F  F  F  F"},
    {"arbitrate",           "F  F  F  F  F  W  F  F"},
    {"request_extension",   "F  W  F  F  F  F  F  F"},
    {"review_extension",    "A  F  F  F  F  F  F  F"},
    {"reply",               "F  W  W  A  F  F  F  F"},
    {"review_reply",        "W  F  F  F  F  F  F  F"},
    {"follow_up",           "W  F  F  F  F  F  F  F"},
    {"urge",                "A  F  F  F  F  A  F  A"},
    {"supervise",           "F  F  F  F  F  A  F  F"},
    {"merge",               "A  F  F  F  F  F  F  F"},
    {"unmerge",             "W  F  F  F  F  F  F  F"},
    {"warn",                "F  F  F  F  F  F  F  A"}}},
  {CaseState::reply_review, {
    {"sign_for",            "F  W  A  W  F  F  F  F"},
    {"pass_down",           "F  W  W  A  F  F  F  F"},
    {"request_return",      "F  W  F  F  F  F  F  F"},
    {"review_return",       "W  F  F  F  F  F  F  F"},
    {"dispatch",            "W  F  F  F  F  F  F  F"},
    {"redispatch",          "W  F  F  F  F  F  F  F"},
    {"dispute",             "F  W  F  F  F  F  F  F"},
    {"arbitrate",           "F  F  F  F  F  W  F  F"},
    {"request_extension",   "F  W  F  F  F  F  F  F"},
    {"review_extension",    "W  F  F  F  F  F  F  F"},
    {"reply",               "F  W  W  A  F  F  F  F"},
    {"review_reply",        "A  F  F  F  F  F  F  F"},
    {"follow_up",           "W  F  F  F  F  F  F  F"},
    {"urge",                "A  F  F  F  F  A  F  A"},
    {"supervise",           "F  F  F  F  F  A  F  F"},
    {"merge",               "A  F  F  F  F  F  F  F"},
    {"unmerge",             "W  F  F  F  F  F  F  F"},
    {"warn",                "F  F  F  F  F  F  F  A"}}},
  {CaseState::awaiting_follow_up, {
    {"sign_for",            "F  W  A  W  F  F  F  F"},
    {"pass_down",           "F  W  W  A  F  F  F  F"},
    {"request_return",      "F  W  F  F  F  F  F  F"},
    {"review_return",       "W  F  F  F  F  F  F  F"},
    {"dispatch",            "W  F  F  F  F  F  F  F"},
    {"redispatch",          "W  F  F  F  F  F  F  F"},
    {"dispute",             "F  W  F  F  F  F  F  F"},
    {"arbitrate",           "F  F  F  F  F  W  F  F"},
    {"request_extension",   "F  W  F  F  F  F  F  F"},
    {"review_extension",    "W  F  F  F  F  F  F  F"},
    {"reply",               "F  W  W  A  F  F  F  F"},
    {"review_reply",        "W  F  F  F  F  F  F  F"},
    {"follow_up",           "A  F  F  F  F  F  F  F"},
    {"urge",                "A  F  F  F  F  A  F  A"},
    {"supervise",           "F  F  F  F  F  A  F  F"},
    {"merge",               "A  F  F  F  F  F  F  F"},
    {"unmerge",             "W  F  F  F  F  F  F  F"},
    {"warn",                "F  F  F  F  F  F  F  A"}}},
  {CaseState::arbitration_requested, {  // the lead disputed a declined return
    {"sign_for",            "F  W  A  W  F  F  F  F"},
    {"pass_down",           "F  W  W  A  F  F  F  F"},
    {"request_return",      "F  W  F  F  F  F  F  F"},
    {"review_return",       "W  F  F  F  F  F  F  F"},
    {"dispatch",            "W  F  F  F  F  F  F  F"},
    {"redispatch",          "W  F  F  F  F  F  F  F"},
    {"dispute",             "F  W  F  F  F  F  F  F"},
    {"arbitrate",           "F  F  F  F  F  A  F  F"},
    {"request_extension",   "F  W  F  F  F  F  F  F"},
    {"review_extension",    "W  F  F  F  F  F  F  F"},
    {"reply",               "F  W  W  A  F  F  F  F"},
    {"review_reply",        "W  F  F  F  F  F  F  F"},
    {"follow_up",           "W  F  F  F  F  F  F  F"},
    {"urge",                "A  F  F  F  F  A  F  A"},
    {"supervise",           "F  F  F  F  F  A  F  F"},
    {"merge",               "A  F  F  F  F  F  F  F"},
    {"unmerge",             "W  F  F  F  F  F  F  F"},
    {"warn",                "F  F  F  F  F  F  F  A"}}},
  {CaseState::closed, {
    {"sign_for",            "F  W  W  W  F  F  F  F"},
    {"pass_down",           "F  W  W  W  F  F  F  F"},
    {"request_return",      "F  W  F  F  F  F  F  F"},
    {"review_return",       "W  F  F  F  F  F  F  F"},
    {"dispatch",            "W  F  F  F  F  F  F  F"},
    {"redispatch",          "W  F  F  F  F  F  F  F"},
    {"dispute",             "F  W  F  F  F  F  F  F"},
    {"arbitrate",           "F  F  F  F  F  W  F  F"},
    {"request_extension",   "F  W  F  F  F  F  F  F"},
    {"review_extension",    "W  F  F  F  F  F  F  F"},
    {"reply",               "F  W  W  W  F  F  F  F"},
    {"review_reply",        "W  F  F  F  F  F  F  F"},
    {"follow_up",           "W  F  F  F  F  F  F  F"},
    {"urge",                "W  F  F  F  F  W  F  W"},
    {"supervise",           "F  F  F  F  F  W  F  F"},
    {"merge",               "W  F  F  F  F  F  F  F"},
    {"unmerge",             "W  F  F  F  F  F  F  F"},
    {"warn",                "F  F  F  F  F  F  F  W"}}},
  {CaseState::merged, {  // merged after dispatch: the units still hold their (stopped) assignments
    {"sign_for",            "F  W  W  W  F  F  F  F"},
    {"pass_down",           "F  W  W  W  F  F  F  F"},
    {"request_return",      "F  W  F  F  F  F  F  F"},
    {"review_return",       "W  F  F  F  F  F  F  F"},
    {"dispatch",            "W  F  F  F  F  F  F  F"},
    {"redispatch",          "W  F  F  F  F  F  F  F"},
    {"dispute",             "F  W  F  F  F  F  F  F"},
    {"arbitrate",           "F  F  F  F  F  W  F  F"},
    {"request_extension",   "F  W  F  F  F  F  F  F"},
    {"review_extension",    "W  F  F  F  F  F  F  F"},
    {"reply",               "F  W  W  W  F  F  F  F"},
    {"review_reply",        "W  F  F  F  F  F  F  F"},
    {"follow_up",           "W  F  F  F  F  F  F  F"},
    {"urge",                "W  F  F  F  F  W  F  W"},
    {"supervise",           "F  F  F  F  F  W  F  F"},
    {"merge",               "W  F  F  F  F  F  F  F"},
    {"unmerge",             "A  F  F  F  F  F  F  F"},
    {"warn",                "F  F  F  F  F  F  F  W"}}},
  {CaseState::not_accepted, {  // never dispatched: no unit is on the case, so every unit is forbidden
    {"sign_for",            "F  F  F  F  F  F  F  F"},
    {"pass_down",           "F  F  F  F  F  F  F  F"},
    {"request_return",      "F  F  F  F  F  F  F  F"},
    {"review_return",       "W  F  F  F  F  F  F  F"},
    {"dispatch",            "W  F  F  F  F  F  F  F"},
    {"redispatch",          "W  F  F  F  F  F  F  F"},
    {"dispute",             "F  F  F  F  F  F  F  F"},
    {"arbitrate",           "F  F  F  F  F  W  F  F"},
    {"request_extension",   "F  F  F  F  F  F  F  F"},
    {"review_extension",    "W  F  F  F  F  F  F  F"},
    {"reply",               "F  F  F  F  F  F  F  F"},
    {"review_reply",        "W  F  F  F  F  F  F  F"},
    {"follow_up",           "W  F  F  F  F  F  F  F"},
    {"urge",                "W  F  F  F  F  W  F  W"},
    {"supervise",           "F  F  F  F  F  W  F  F"},
    {"merge",               "W  F  F  F  F  F  F  F"},
    {"unmerge",             "W  F  F  F  F  F  F  F"},
    {"warn",                "F  F  F  F  F  F  F  W"}}},
  {CaseState::answered_directly, {
    {"sign_for",            "F  F  F  F  F  F  F  F"},
    {"pass_down",           "F  F  F  F  F  F  F  F"},
    {"request_return",      "F  F  F  F  F  F  F  F"},
    {"review_return",       "W  F  F  F  F  F  F  F"},
    {"dispatch",            "W  F  F  F  F  F  F  F"},
    {"redispatch",          "W  F  F  F  F  F  F  F"},
    {"dispute",             "F  F  F  F  F  F  F  F"},
    {"arbitrate",           "F  F  F  F  F  W  F  F"},
    {"request_extension",   "F  F  F  F  F  F  F  F"},
    {"review_extension",    "W  F  F  F  F  F  F  F"},
    {"reply",               "F  F  F  F  F  F  F  F"},
    {"review_reply",        "W  F  F  F  F  F  F  F"},
    {"follow_up",           "W  F  F  F  F  F  F  F"},
    {"urge",                "W  F  F  F  F  W  F  W"},
    {"supervise",           "F  F  F  F  F  W  F  F"},
    {"merge",               "W  F  F  F  F  F  F  F"},
    {"unmerge",             "W  F  F  F  F  F  F  F"},
    {"warn",                "F  F  F  F  F  F  F  W"}}},
};
// clang-format on

std::string letters(const char* outcomes) {
  std::string out;
  for (const char* p = outcomes; *p != '\0'; ++p) {
    if (*p != ' ') out += *p;
  }
  return out;
}

char letter_of(const Outcome& out) {
  if (std::holds_alternative<std::vector<Event>>(out)) return 'A';
  switch (std::get<Refusal>(out).kind) {
    case RefusalKind::wrong_state:
      return 'W';  // 'w' in the table reads as 'W' here (see Expectation)
    case RefusalKind::forbidden:
      return 'F';
    case RefusalKind::invalid:
      return 'I';
  }
  return '?';
}

const std::array<CaseState, k_case_state_count> k_all_states{
    CaseState::awaiting_sign_for,     CaseState::in_progress,      CaseState::return_requested,
    CaseState::extension_requested,   CaseState::reply_review,     CaseState::awaiting_follow_up,
    CaseState::arbitration_requested, CaseState::closed,           CaseState::merged,
    CaseState::not_accepted,          CaseState::answered_directly};

}  // namespace

TEST_CASE("the expected table covers every state and every action exactly once", "[routing][lifecycle]") {
  REQUIRE(k_expected.size() == k_all_states.size());
  for (std::size_t i = 0; i < k_all_states.size(); ++i) {
    CHECK(k_expected[i].state == k_all_states[i]);
    REQUIRE(k_expected[i].rows.size() == case_actions().size());
    for (std::size_t j = 0; j < case_actions().size(); ++j) {
      CHECK(k_expected[i].rows[j].action == case_actions()[j]);
      CHECK(letters(k_expected[i].rows[j].outcomes).size() == k_columns);
    }
  }
}

TEST_CASE("the builder reaches every case state by legal commands", "[routing][lifecycle]") {
  for (const CaseState s : k_all_states) {
    INFO(to_string(s));
    CHECK(build(s).state == s);
  }
}

TEST_CASE("every state x action x role combination is allowed or refused as the table says", "[routing][lifecycle]") {
  int checked = 0;
  for (const auto& block : k_expected) {
    const Case c = build(block.state);
    REQUIRE(c.state == block.state);
    for (const auto& row : block.rows) {
      const std::string expected = letters(row.outcomes);
      for (int col = 0; col < k_columns; ++col) {
        const Actor actor = actor_for(static_cast<Column>(col));
        Machine m;
        m.now = k_t0 + 12 * k_hour;  // inside the return window and before every deadline
        const Outcome out = decide(c, Command{row.action, valid_args(row.action, actor)}, actor, m.ctx());
        const char got = letter_of(out);
        const char want =
            expected[static_cast<std::size_t>(col)] == 'w' ? 'W' : expected[static_cast<std::size_t>(col)];
        INFO("state " << to_string(block.state) << " / action " << row.action << " / "
                      << k_column_names[static_cast<std::size_t>(col)]);
        if (const auto* refusal = std::get_if<Refusal>(&out)) {
          INFO("reason given: " << refusal->reason);
          CHECK(got == want);
          CHECK_FALSE(refusal->reason.empty());
        } else {
          CHECK(got == want);
          const auto& events = std::get<std::vector<Event>>(out);
          REQUIRE_FALSE(events.empty());
          CHECK(events.front().kind == first_event_kind(row.action));
          CHECK(events.front().at_ms == m.now);
          CHECK(events.front().role == to_string(actor.role));
        }
        ++checked;
      }
    }
  }
  CHECK(checked == k_case_state_count * 18 * k_columns);
}

TEST_CASE("the public action table agrees with the expected table", "[routing][lifecycle]") {
  const std::array<std::pair<Column, Role>, 4> hotline{
      {{op, Role::operator_}, {sup, Role::supervisor}, {adm, Role::admin}, {sys, Role::system}}};
  for (const auto& block : k_expected) {
    for (const auto& row : block.rows) {
      const std::string expected = letters(row.outcomes);
      INFO("state " << to_string(block.state) << " / action " << row.action);
      CHECK(is_case_action(row.action));
      for (const auto& [col, role] : hotline) {
        INFO(to_string(role));
        const char want = expected[static_cast<std::size_t>(col)];
        const bool table_allows = want == 'A' || want == 'w';
        const auto refusal = table_refusal(block.state, row.action, role);
        CHECK(table_allows == !refusal.has_value());
        if (refusal) CHECK((want == 'W' ? RefusalKind::wrong_state : RefusalKind::forbidden) == *refusal);
        const auto allowed = allowed_actions(block.state, role);
        CHECK((std::find(allowed.begin(), allowed.end(), std::string_view(row.action)) != allowed.end()) ==
              table_allows);
      }
      // The unit role: the table allows the triple exactly when some unit on the case may take it.
      const auto allows = [&](Column c) { return expected[c] == 'A' || expected[c] == 'w'; };
      const bool some_unit = allows(lead) || allows(co_unsigned) || allows(co_signed);
      CHECK(!table_refusal(block.state, row.action, Role::unit).has_value() == some_unit);
      CHECK(expected[foreign] == 'F');
    }
  }
  CHECK(lead_only("request_return"));
  CHECK(lead_only("request_extension"));
  CHECK(lead_only("dispute"));
  CHECK_FALSE(lead_only("dispatch"));
  CHECK_FALSE(lead_only("reply"));
  CHECK_FALSE(lead_only("merge"));
  CHECK(table_refusal(CaseState::in_progress, "teleport", Role::operator_) == RefusalKind::invalid);
}

namespace {

struct ArgumentCase {
  CaseState state;
  Column who;
  const char* action;
  std::map<std::string, std::string> args;
  const char* why;
};

}  // namespace

TEST_CASE("argument problems are refused as invalid after every other check", "[routing][lifecycle]") {
  const std::vector<ArgumentCase> table{
      {CaseState::in_progress, lead, "pass_down", {}, "no child"},
      {CaseState::in_progress, lead, "pass_down", {{"child", "350603.cgj"}}, "not a child"},
      {CaseState::in_progress, lead, "pass_down", {{"child", "ghost.sub"}}, "unknown unit"},
      {CaseState::in_progress, lead, "request_return", {{"reason_code", "too_busy"}, {"reason", "x"}}, "bad code"},
      {CaseState::in_progress, lead, "request_return", {{"reason_code", "not_our_duty"}}, "no reason text"},
      {CaseState::return_requested, op, "review_return", {{"decision", "maybe"}}, "bad decision"},
      {CaseState::return_requested, op, "review_return", {{"decision", "approve"}}, "no new lead"},
      {CaseState::return_requested, op, "review_return", {{"decision", "approve"}, {"unit", k_lead}}, "same lead"},
      {CaseState::return_requested, op, "review_return", {{"decision", "approve"}, {"unit", "ghost.1"}}, "unknown"},
      {CaseState::return_requested,
       op,
       "review_return",
       {{"decision", "approve"}, {"unit", "350604.cgj"}, {"co", "350604.cgj"}},
       "lead also co"},
      {CaseState::return_requested,
       op,
       "review_return",
       {{"decision", "approve"}, {"unit", "350604.cgj"}, {"co", "a.1,a.1"}},
       "co twice"},
      {CaseState::return_requested, op, "review_return", {{"decision", "decline"}}, "decline without note"},
      {CaseState::in_progress, lead, "request_extension", {{"working_days", "0"}, {"reason", "x"}}, "zero days"},
      {CaseState::in_progress, lead, "request_extension", {{"working_days", "2d"}, {"reason", "x"}}, "not a number"},
      {CaseState::in_progress, lead, "request_extension", {{"working_days", "2"}}, "no reason"},
      {CaseState::in_progress, lead, "request_extension", {{"working_days", "11"}, {"reason", "x"}}, "over cap"},
      {CaseState::extension_requested, op, "review_extension", {{"decision", "yes"}}, "bad decision"},
      {CaseState::extension_requested,
       op,
       "review_extension",
       {{"decision", "approve"}, {"working_days", "4"}},
       "grants more than asked"},
      {CaseState::extension_requested, op, "review_extension", {{"decision", "decline"}}, "decline without note"},
      {CaseState::in_progress, lead, "reply", {{"basis", "rule 3"}}, "no text"},
      {CaseState::reply_review, op, "review_reply", {{"decision", "decline"}}, "reply review says reject"},
      {CaseState::reply_review, op, "review_reply", {{"decision", "reject"}}, "reject without note"},
      {CaseState::awaiting_follow_up,
       op,
       "follow_up",
       {{"satisfaction", "happy"}, {"resolution", "resolved"}},
       "bad satisfaction"},
      {CaseState::awaiting_follow_up,
       op,
       "follow_up",
       {{"satisfaction", "satisfied"}, {"resolution", "done"}},
       "bad resolution"},
      {CaseState::awaiting_follow_up,
       op,
       "follow_up",
       {{"satisfaction", "satisfied"}, {"resolution", "resolved"}, {"redo", "true"}},
       "redo when satisfied"},
      {CaseState::awaiting_follow_up,
       op,
       "follow_up",
       {{"satisfaction", "unsatisfied"}, {"resolution", "resolved"}, {"redo", "yes"}},
       "redo not a boolean"},
      {CaseState::in_progress, sup, "urge", {{"unit", k_foreign}}, "urged unit not on the case"},
      {CaseState::in_progress, sup, "supervise", {{"unit", k_foreign}}, "supervised unit not on the case"},
      {CaseState::in_progress, op, "merge", {}, "no target"},
      {CaseState::in_progress, op, "merge", {{"into", "ZZ20260101000001"}}, "into itself"},
      {CaseState::in_progress, sys, "warn", {{"stage", "orange"}, {"clock", "reply"}, {"unit", k_lead}}, "stage"},
      {CaseState::in_progress, sys, "warn", {{"stage", "red"}, {"clock", "lunch"}, {"unit", k_lead}}, "clock"},
      {CaseState::in_progress, sys, "warn", {{"stage", "red"}, {"clock", "reply"}}, "no unit"},
      {CaseState::in_progress, sys, "warn", {{"stage", "red"}, {"clock", "reply"}, {"unit", k_foreign}}, "foreign"},
  };
  for (const auto& t : table) {
    INFO(t.action << " " << t.why);
    const Case c = build(t.state);
    Machine m;
    m.now = k_t0 + 12 * k_hour;
    const Outcome out = decide(c, Command{t.action, t.args}, actor_for(t.who), m.ctx());
    REQUIRE(std::holds_alternative<Refusal>(out));
    CHECK(std::get<Refusal>(out).kind == RefusalKind::invalid);
    CHECK_FALSE(std::get<Refusal>(out).reason.empty());
  }
}

TEST_CASE("refusal precedence puts unknown action before role before binding before state before arguments",
          "[routing][lifecycle]") {
  Machine m;
  const Case closed = build(CaseState::closed);
  const auto kind = [&](const Case& c, const char* action, std::map<std::string, std::string> args, Column who) {
    const Outcome out = decide(c, Command{action, std::move(args)}, actor_for(who), m.ctx());
    return std::holds_alternative<Refusal>(out) ? std::optional(std::get<Refusal>(out).kind) : std::nullopt;
  };
  CHECK(kind(closed, "teleport", {}, adm) == RefusalKind::invalid);     // unknown action first
  CHECK(kind(closed, "merge", {}, adm) == RefusalKind::forbidden);      // role before state and arguments
  CHECK(kind(closed, "reply", {}, foreign) == RefusalKind::forbidden);  // binding before state
  CHECK(kind(closed, "reply", {}, lead) == RefusalKind::wrong_state);   // state before arguments
  CHECK(kind(closed, "merge", {}, op) == RefusalKind::wrong_state);
  CHECK(kind(build(CaseState::in_progress), "merge", {}, op) == RefusalKind::invalid);
  CHECK(kind(build(CaseState::in_progress), "request_extension", {}, co_signed) == RefusalKind::forbidden);
}

TEST_CASE("each action names the arguments it reads, and only those", "[routing][lifecycle]") {
  using V = std::vector<std::string_view>;
  CHECK(action_arguments("sign_for").empty());
  CHECK(action_arguments("pass_down") == V{"child"});
  CHECK(action_arguments("review_return") == V{"decision", "note", "unit", "co"});
  CHECK(action_arguments("request_extension") == V{"working_days", "reason"});
  CHECK(action_arguments("dispatch") == V{"unit", "co", "note"});
  CHECK(action_arguments("redispatch") == V{"unit", "co", "note"});
  CHECK(action_arguments("dispute") == V{"reason"});
  CHECK(action_arguments("arbitrate") == V{"unit", "co", "note"});
  CHECK(action_arguments("follow_up") == V{"satisfaction", "resolution", "redo", "note"});
  CHECK(action_arguments("no_such_action").empty());
  for (const auto action : case_actions()) {
    INFO(action);
    const auto args = action_arguments(action);
    for (const auto a : args) {
      CHECK_FALSE(a.empty());
      CHECK(std::count(args.begin(), args.end(), a) == 1);
    }
  }
}
