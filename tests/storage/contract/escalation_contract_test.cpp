// The EscalationStore contract: armed stages for the scheduler (due in order, fired exactly once), the notification
// outbox, the supervisors' board and reload walks.
#include <catch2/catch.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tests/storage/contract/engines.hpp"

using namespace hotline::storage;
using namespace hotline::storage::contract;
using hotline::storage::test::sample;

namespace {

using Plan = std::array<std::optional<std::int64_t>, 4>;  // yellow, red, urge, supervise
constexpr auto none = std::nullopt;

// A committed ticket with one clock per entry of `clocks` (unit, clock, due, plan); returns its id.
struct Clock {
  std::string unit, clock;
  std::int64_t due_ms;
  Plan plan;
};
std::string add_ticket(TicketStore& s, const std::vector<Clock>& clocks, const std::string& urgency = "normal") {
  std::vector<NewTicket> one{sample("20261126", "text")};
  one[0].urgency = urgency;
  one[0].state = "in_progress";
  must(s.insert_tickets(one));
  Projection p{"in_progress", 1, {}, {}};
  for (const auto& c : clocks) p.deadlines.push_back({c.unit, c.clock, c.due_ms, false, std::nullopt, c.plan});
  must(s.write_projection(one[0].id, p));
  return one[0].id;
}

std::vector<std::string> fired(const std::vector<DueStage>& due) {
  std::vector<std::string> out;
  for (const auto& d : due) out.push_back(d.ticket_id.substr(d.ticket_id.size() - 1) + ":" + d.stage);
  return out;
}

NewNotification notification(const std::string& ticket, std::int64_t next_attempt_ms,
                             std::optional<std::string> target = std::string("https://hooks.example/u1")) {
  return {std::nullopt,      ticket,          "u1", "stage_red", false, 5, R"({"stage":"red"})",
          std::move(target), next_attempt_ms, false};
}

std::vector<std::int64_t> seqs(const std::vector<Notification>& rows) {
  std::vector<std::int64_t> out;
  for (const auto& n : rows) out.push_back(n.seq);
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------------
// Armed stages

TEMPLATE_TEST_CASE("contract: armed stages are due at their instant, earliest first, up to the limit",
                   "[storage][contract][escalation]", HOTLINE_STORAGE_ENGINES) {
  Scratch<TestType> s;
  auto& esc = s.store->escalations();
  CHECK_FALSE(must(esc.earliest_stage()));
  CHECK(must(esc.count_armed()) == 0);
  CHECK(must(esc.due_stages(1'000'000, 10)).empty());

  const auto t1 = add_ticket(*s.store, {{"u1", "reply", 500, {100, 200, none, 400}}}, "urgent");
  const auto t2 = add_ticket(
      *s.store, {{"u2", "reply", 600, {none, 150, 300, none}}, {"", "follow_up", 900, {}}});  // no plan: never armed
  CHECK(must(esc.earliest_stage()) == std::optional<std::int64_t>(100));
  CHECK(must(esc.count_armed()) == 2);
  CHECK(must(esc.due_stages(99, 10)).empty());
  CHECK(fired(must(esc.due_stages(100, 10))) == std::vector<std::string>{"1:yellow"});  // at the instant itself
  CHECK(fired(must(esc.due_stages(1000, 10))) == std::vector<std::string>{"1:yellow", "2:red"});
  CHECK(fired(must(esc.due_stages(1000, 1))) == std::vector<std::string>{"1:yellow"});

  const auto due = must(esc.due_stages(1000, 10));
  REQUIRE(due.size() == 2);
  CHECK(due[0].ticket_id == t1);
  CHECK(due[0].unit_id == "u1");
  CHECK(due[0].clock == "reply");
  CHECK(due[0].due_ms == 500);
  CHECK(due[0].stage == "yellow");
  CHECK(due[0].stage_ms == 100);
  CHECK(due[0].plan == Plan{100, 200, none, 400});
  CHECK(due[0].urgency == "urgent");
  CHECK(due[1].ticket_id == t2);
  CHECK(due[1].stage == "red");  // a plan without yellow starts at its first stage
  CHECK(due[1].stage_ms == 150);
  CHECK(due[1].urgency == "normal");
}

TEMPLATE_TEST_CASE("contract: a stage advances exactly once, and then the plan's next one is armed",
                   "[storage][contract][escalation]", HOTLINE_STORAGE_ENGINES) {
  Scratch<TestType> s;
  auto* esc = &s.store->escalations();
  add_ticket(*s.store, {{"u1", "reply", 500, {100, 200, none, 400}}});
  add_ticket(*s.store, {{"u2", "reply", 600, {none, 150, 300, none}}});

  const auto yellow = must(esc->due_stages(1000, 1)).at(0);
  CHECK(must(esc->advance(yellow)));
  CHECK_FALSE(must(esc->advance(yellow)));  // a second scheduler pass, or a retried job: nothing fires twice
  CHECK(must(esc->earliest_stage()) == std::optional<std::int64_t>(150));
  CHECK(fired(must(esc->due_stages(1000, 10))) == std::vector<std::string>{"2:red", "1:red"});

  // Fired stages stay fired across a reopen; the next armed one is still due.
  s.reopen();
  esc = &s.store->escalations();
  CHECK_FALSE(must(esc->advance(yellow)));
  std::vector<std::string> order;
  for (int guard = 0; guard < 10; ++guard) {
    const auto due = must(esc->due_stages(1000, 1));
    if (due.empty()) break;
    REQUIRE(must(esc->advance(due[0])));
    CHECK_FALSE(must(esc->advance(due[0])));
    order.push_back(fired(due)[0]);
  }
  CHECK(order == std::vector<std::string>{"2:red", "1:red", "2:urge", "1:supervise"});  // urge skipped where unplanned
  CHECK_FALSE(must(esc->earliest_stage()));
  CHECK(must(esc->count_armed()) == 0);

  // Stages planned at the same instant fire one after the other, each once.
  add_ticket(*s.store, {{"u3", "reply", 900, {none, 700, 700, 700}}});
  const auto red = must(esc->due_stages(700, 10)).at(0);
  CHECK(red.stage == "red");
  CHECK(must(esc->advance(red)));
  CHECK_FALSE(must(esc->advance(red)));
  const auto urge = must(esc->due_stages(700, 10)).at(0);
  CHECK(urge.stage == "urge");
  CHECK(urge.stage_ms == 700);
  CHECK(must(esc->advance(urge)));
  CHECK_FALSE(must(esc->advance(urge)));
  CHECK_FALSE(must(esc->advance(red)));
  CHECK(fired(must(esc->due_stages(700, 10))) == std::vector<std::string>{"3:supervise"});
}

TEMPLATE_TEST_CASE("contract: an advance rolled back with its transaction fires again",
                   "[storage][contract][escalation]", HOTLINE_STORAGE_ENGINES) {
  // The writer may roll a scheduler job back (a failed group) and run it again.
  Scratch<TestType> s;
  auto& esc = s.store->escalations();
  add_ticket(*s.store, {{"u1", "reply", 500, {100, 200, none, none}}});
  const auto due = must(esc.due_stages(150, 1)).at(0);
  must(s.store->exec("BEGIN IMMEDIATE"));
  must(s.store->exec("SAVEPOINT job"));
  CHECK(must(esc.advance(due)));
  must(s.store->exec("ROLLBACK TO job"));
  must(s.store->exec("RELEASE job"));
  must(s.store->exec("COMMIT"));
  CHECK(fired(must(esc.due_stages(150, 1))) == std::vector<std::string>{"1:yellow"});
  CHECK(must(esc.advance(due)));
  CHECK(must(esc.due_stages(150, 1)).empty());
}

TEMPLATE_TEST_CASE("contract: a rewritten projection keeps the stage of a clock whose due instant is kept",
                   "[storage][contract][escalation]", HOTLINE_STORAGE_ENGINES) {
  Scratch<TestType> s;
  auto& esc = s.store->escalations();
  const auto id = add_ticket(*s.store, {{"u1", "reply", 500, {100, 200, 300, 400}}});
  REQUIRE(must(esc.advance(must(esc.due_stages(150, 1)).at(0))));
  // The same due instant with another plan: the stage fired and the plan stay.
  must(
      s.store->write_projection(id, {"in_progress", 2, {}, {{"u1", "reply", 500, false, std::nullopt, {1, 1, 1, 1}}}}));
  CHECK(must(esc.earliest_stage()) == std::optional<std::int64_t>(200));
  CHECK(must(esc.escalations(Board().stage("yellow"))).size() == 1);
  // A moved deadline (an extension) starts again with its new plan.
  must(s.store->write_projection(id,
                                 {"in_progress", 3, {}, {{"u1", "reply", 900, false, 500, {800, 850, none, none}}}}));
  CHECK(must(esc.escalations({})).empty());
  CHECK(must(esc.earliest_stage()) == std::optional<std::int64_t>(800));
  // A clock no longer in the projection is disarmed.
  must(s.store->write_projection(id, {"closed", 4, {}, {}}));
  CHECK_FALSE(must(esc.earliest_stage()));
}

// ---------------------------------------------------------------------------------------------------------------
// The board and reloads

TEMPLATE_TEST_CASE("contract: the board lists clocks past their first stage by due instant, in pages",
                   "[storage][contract][escalation]", HOTLINE_STORAGE_ENGINES) {
  Scratch<TestType> s;
  auto& esc = s.store->escalations();
  const auto a = add_ticket(*s.store, {{"u1", "reply", 700, {10, 20, none, none}}});
  const auto b = add_ticket(*s.store, {{"u2", "reply", 500, {10, none, none, none}}});
  const auto c = add_ticket(*s.store, {{"u1", "reply", 600, {none, 20, 30, none}}});
  add_ticket(*s.store, {{"u1", "reply", 100, {5000, none, none, none}}});  // nothing fired: not on the board
  // Fire every stage due at 25: a -> red, b -> yellow (its last), c -> red.
  for (int guard = 0; guard < 10; ++guard) {
    const auto due = must(esc.due_stages(25, 1));
    if (due.empty()) break;
    REQUIRE(must(esc.advance(due[0])));
  }
  const auto board = must(esc.escalations({}));
  REQUIRE(board.size() == 3);
  CHECK(board[0].ticket_id == b);
  CHECK(board[0].stage == "yellow");
  CHECK(board[0].due_ms == 500);
  CHECK_FALSE(board[0].next_stage);
  CHECK_FALSE(board[0].next_ms);
  CHECK(board[1].ticket_id == c);
  CHECK(board[1].next_stage == std::optional<std::string>("urge"));
  CHECK(board[1].next_ms == std::optional<std::int64_t>(30));
  CHECK(board[2].ticket_id == a);
  CHECK(board[2].stage == "red");
  CHECK(must(esc.escalations(Board().stage("red"))).size() == 2);
  CHECK(must(esc.escalations(Board().unit("u2"))).size() == 1);
  CHECK(must(esc.escalations(Board().stage("red").unit("u2"))).empty());
  // Paging by the last row's key.
  std::vector<std::string> paged;
  EscalationQuery q = Board().limit(1);
  for (int guard = 0; guard < 10; ++guard) {
    const auto page = must(esc.escalations(q));
    if (page.empty()) break;
    paged.push_back(page[0].ticket_id);
    q.after = EscalationQuery::Cursor{page[0].due_ms, page[0].ticket_id, page[0].unit_id, page[0].clock};
  }
  CHECK(paged == std::vector<std::string>{b, c, a});
  // Counts per unit and stage; the same through a board reader's own store.
  const auto counts = must(esc.stage_counts(std::nullopt));
  REQUIRE(counts.size() == 2);
  CHECK((counts[0].unit_id == "u1" && counts[0].stage == "red" && counts[0].count == 2));
  CHECK((counts[1].unit_id == "u2" && counts[1].stage == "yellow" && counts[1].count == 1));
  auto board_reader = must(s.engine.open_escalations(s.tmp.path, {.create = false, .read_only = true}));
  CHECK(must(board_reader->escalations({})).size() == 3);
  const auto u2 = must(board_reader->stage_counts(std::string("u2")));
  REQUIRE(u2.size() == 1);
  CHECK(u2[0].count == 1);
}

TEMPLATE_TEST_CASE("contract: a reload walks every armed clock once and re-plans only clocks that did not move on",
                   "[storage][contract][escalation]", HOTLINE_STORAGE_ENGINES) {
  Scratch<TestType> s;
  auto& esc = s.store->escalations();
  const auto a = add_ticket(
      *s.store, {{"u1", "reply", 700, {10, 20, none, none}}, {"u1", "sign_for", 300, {5, none, none, none}}});
  const auto b = add_ticket(*s.store, {{"u2", "reply", 500, {none, 40, none, none}}});
  add_ticket(*s.store, {{"u3", "reply", 500, {}}});  // not armed
  std::vector<ArmedClock> walked;
  std::optional<std::array<std::string, 3>> after;
  for (int guard = 0; guard < 10; ++guard) {
    const auto page = must(esc.armed_page(after, 2));
    if (page.empty()) break;
    walked.insert(walked.end(), page.begin(), page.end());
    after = std::array<std::string, 3>{page.back().ticket_id, page.back().unit_id, page.back().clock};
  }
  REQUIRE(walked.size() == 3);
  CHECK((walked[0].ticket_id == a && walked[0].clock == "reply"));
  CHECK((walked[1].ticket_id == a && walked[1].clock == "sign_for"));
  CHECK(walked[2].ticket_id == b);
  CHECK(walked[2].stage == "pending");
  CHECK(walked[2].next_stage == std::optional<std::string>("red"));
  CHECK(walked[2].type == "complaint");
  CHECK(walked[2].channel == "phone");

  // A clock whose stage fired since it was read is left alone; one that did not gets its new plan.
  REQUIRE(must(esc.advance(must(esc.due_stages(10, 10)).at(0))));  // a's sign_for fires yellow at 5
  CHECK_FALSE(must(esc.replan(walked[1], {1, 2, 3, 4})));
  CHECK(must(esc.replan(walked[2], {none, 60, 70, none})));
  const auto due = must(esc.due_stages(1000, 10));
  std::vector<std::string> stages;
  for (const auto& d : due) stages.push_back(d.clock + "@" + std::to_string(d.stage_ms));
  CHECK(stages == std::vector<std::string>{"reply@10", "reply@60"});
}

// ---------------------------------------------------------------------------------------------------------------
// The outbox

TEMPLATE_TEST_CASE("contract: the outbox hands out pending notifications in order, once delivered never again",
                   "[storage][contract][escalation]", HOTLINE_STORAGE_ENGINES) {
  Scratch<TestType> s;
  auto* esc = &s.store->escalations();
  CHECK_FALSE(must(esc->earliest_delivery()));
  CHECK(must(esc->count_pending()) == 0);
  NewNotification full{std::int64_t{42},
                       "ZZ1",
                       "u1",
                       "dispatched",
                       true,
                       7,
                       R"({"id":"ZZ1"})",
                       std::string("https://hooks.example/u1"),
                       300,
                       true};
  const auto n1 = must(esc->insert_notification(full));
  const auto n2 = must(esc->insert_notification(notification("ZZ2", 100)));
  const auto n3 = must(esc->insert_notification(notification("ZZ3", 300)));
  const auto quiet = must(esc->insert_notification(notification("ZZ4", 50, std::nullopt)));  // no webhook: none
  CHECK(n1 < n2);
  CHECK(n2 < n3);
  CHECK(n3 < quiet);
  CHECK(must(esc->count_pending()) == 3);
  CHECK(must(esc->earliest_delivery()) == std::optional<std::int64_t>(100));
  CHECK(must(esc->due_notifications(99, 10)).empty());
  CHECK(seqs(must(esc->due_notifications(100, 10))) == std::vector<std::int64_t>{n2});
  // By next attempt, then by seq; up to the limit.
  CHECK(seqs(must(esc->due_notifications(1000, 10))) == std::vector<std::int64_t>{n2, n1, n3});
  CHECK(seqs(must(esc->due_notifications(1000, 2))) == std::vector<std::int64_t>{n2, n1});

  const auto rows = must(esc->due_notifications(300, 10));
  REQUIRE(rows.size() == 3);
  const auto& row = rows[1];
  CHECK(row.seq == n1);
  CHECK(row.event_seq == std::optional<std::int64_t>(42));
  CHECK(row.ticket_id == "ZZ1");
  CHECK(row.unit_id == "u1");
  CHECK(row.kind == "dispatched");
  CHECK(row.urgent);
  CHECK(row.created_ms == 7);
  CHECK(row.payload == R"({"id":"ZZ1"})");
  CHECK(row.target == "https://hooks.example/u1");
  CHECK(row.attempts == 0);
  CHECK(row.next_attempt_ms == 300);
  CHECK(row.digest);
  CHECK_FALSE(rows[0].event_seq);
  CHECK_FALSE(rows[0].urgent);
  CHECK_FALSE(rows[0].digest);

  must(esc->mark_delivered(n2, 150));
  CHECK(seqs(must(esc->due_notifications(1000, 10))) == std::vector<std::int64_t>{n1, n3});
  must(esc->mark_failed(n2, "late failure report", 200));  // a delivered one stays delivered
  must(esc->mark_delivered(n2, 160));
  CHECK(seqs(must(esc->due_notifications(1000, 10))) == std::vector<std::int64_t>{n1, n3});
  CHECK(must(esc->count_pending()) == 2);
  CHECK(must(esc->earliest_delivery()) == std::optional<std::int64_t>(300));

  s.reopen();
  esc = &s.store->escalations();
  CHECK(seqs(must(esc->due_notifications(1000, 10))) == std::vector<std::int64_t>{n1, n3});
  // A new notification comes after every earlier one, also after a reopen.
  CHECK(must(esc->insert_notification(notification("ZZ5", 1))) > quiet);
}

TEMPLATE_TEST_CASE("contract: a failed delivery is retried at its backoff instant, or dead-lettered",
                   "[storage][contract][escalation]", HOTLINE_STORAGE_ENGINES) {
  Scratch<TestType> s;
  auto& esc = s.store->escalations();
  const auto n = must(esc.insert_notification(notification("ZZ1", 100)));
  const auto other = must(esc.insert_notification(notification("ZZ2", 400)));
  must(esc.mark_failed(n, "HTTP 503", 500));
  CHECK(seqs(must(esc.due_notifications(499, 10))) == std::vector<std::int64_t>{other});  // not before its backoff
  CHECK(must(esc.earliest_delivery()) == std::optional<std::int64_t>(400));
  auto due = must(esc.due_notifications(500, 10));
  CHECK(seqs(due) == std::vector<std::int64_t>{other, n});
  CHECK(due[1].attempts == 1);
  CHECK(due[1].next_attempt_ms == 500);
  must(esc.mark_failed(n, "timeout", 900));
  due = must(esc.due_notifications(900, 10));
  REQUIRE(due.size() == 2);
  CHECK(due[1].attempts == 2);
  CHECK(due[1].next_attempt_ms == 900);
  must(esc.mark_failed(n, "HTTP 410", std::nullopt));  // given up: dead
  CHECK(seqs(must(esc.due_notifications(1'000'000, 10))) == std::vector<std::int64_t>{other});
  must(esc.mark_failed(n, "again", 1000));  // a dead one stays dead
  CHECK(seqs(must(esc.due_notifications(1'000'000, 10))) == std::vector<std::int64_t>{other});
  CHECK(must(esc.count_pending()) == 1);
  must(esc.mark_delivered(other, 950));
  CHECK(must(esc.count_pending()) == 0);
  CHECK_FALSE(must(esc.earliest_delivery()));
}
