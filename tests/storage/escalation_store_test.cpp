#include "storage/escalation_store.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "storage/ticket_store.hpp"
#include "tests/storage/store_fixture.hpp"

using namespace hotline::storage;
using hotline::storage::test::TempDb;

namespace {

// A ticket with one reply clock for `unit` whose plan is `plan` (yellow, red, urge, supervise).
void add_ticket(TicketStore& s, const std::string& id, const std::string& unit,
                std::array<std::optional<std::int64_t>, 4> plan) {
  NewTicket t = test::sample("20261126", "text");
  t.id = id;
  t.unit_id = unit;
  t.events.clear();
  REQUIRE(s.insert_ticket(t));
  Projection p{"in_progress", 1000, {}, {{unit, "reply", 500, false, {}, plan}}};
  REQUIRE(s.write_projection(id, p, true));
}

std::string plan_of(sqlite3* db, const std::string& query) {
  Statement st(db, "EXPLAIN QUERY PLAN " + query);
  std::string out;
  while (*st.step()) out += st.column_text(3) + "\n";
  return out;
}

// A line of the plan that reads a whole table ("SCAN deadlines"), not a range of an index ("SEARCH ...") or
// the rows of a partial index ("SCAN deadlines USING COVERING INDEX deadlines_next_stage": armed rows only).
bool scans_a_table(const std::string& plan) {
  for (std::size_t at = 0; at < plan.size();) {
    const auto end = plan.find('\n', at);
    const std::string line = plan.substr(at, end - at);
    if (line.starts_with("SCAN") && line.find(" USING ") == std::string::npos) return true;
    at = end == std::string::npos ? plan.size() : end + 1;
  }
  return false;
}

}  // namespace

TEST_CASE("armed stages come out in due order and advance through the plan once each", "[storage][escalation]") {
  TempDb tmp;
  auto store = std::move(*TicketStore::open(tmp.path));
  EscalationStore esc(store->handle());
  add_ticket(*store, "A", "u1", {100, 200, std::nullopt, 400});
  add_ticket(*store, "B", "u2", {std::nullopt, 150, 150, 300});
  CHECK(*esc.earliest_stage() == 100);

  std::vector<std::string> fired;
  for (int guard = 0; guard < 20; ++guard) {
    auto due = esc.due_stages(1000, 1);
    REQUIRE(due.has_value());
    if (due->empty()) break;
    REQUIRE(*esc.advance(due->front()));
    CHECK_FALSE(*esc.advance(due->front()));  // the same stage never advances twice
    fired.push_back(due->front().ticket_id + ":" + due->front().stage);
  }
  CHECK(fired == std::vector<std::string>{"A:yellow", "B:red", "B:urge", "A:red", "B:supervise", "A:supervise"});
  CHECK_FALSE(*esc.earliest_stage());
  CHECK(esc.due_stages(99, 10)->empty());

  const auto board = esc.escalations({"supervise", std::nullopt, std::nullopt, 10});
  REQUIRE(board.has_value());
  REQUIRE(board->size() == 2);
  CHECK((*board)[0].ticket_id == "A");
  const auto counts = esc.stage_counts(std::string("u2"));
  REQUIRE(counts->size() == 1);
  CHECK((*counts)[0].stage == "supervise");
  CHECK((*counts)[0].count == 1);
}

TEST_CASE("a deadline that keeps its due instant keeps its stage when the projection is rewritten",
          "[storage][escalation]") {
  TempDb tmp;
  auto store = std::move(*TicketStore::open(tmp.path));
  EscalationStore esc(store->handle());
  add_ticket(*store, "A", "u1", {100, 200, 300, 400});
  REQUIRE(*esc.advance(esc.due_stages(150, 1)->front()));
  // Same due instant: stage and plan stay. A moved deadline (an extension) starts again with its new plan.
  REQUIRE(store->write_projection("A", {"in_progress", 2000, {}, {{"u1", "reply", 500, false, {}, {1, 1, 1, 1}}}}));
  CHECK(esc.escalations({"yellow", std::nullopt, std::nullopt, 10})->size() == 1);
  CHECK(*esc.earliest_stage() == 200);
  REQUIRE(store->write_projection(
      "A", {"in_progress", 3000, {}, {{"u1", "reply", 900, false, {}, {800, 900, 1000, 1100}}}}));
  CHECK(esc.escalations({std::nullopt, std::nullopt, std::nullopt, 10})->empty());
  CHECK(*esc.earliest_stage() == 800);
}

TEST_CASE("notifications go pending to delivered or after failures to dead", "[storage][escalation]") {
  TempDb tmp;
  auto store = std::move(*TicketStore::open(tmp.path));
  EscalationStore esc(store->handle());
  NewNotification n{std::nullopt, "A",  "u1", "stage_red", true, 10, "{}", std::string("http://127.0.0.1:1/"),
                    10,           false};
  const auto first = *esc.insert_notification(n);
  const auto second = *esc.insert_notification(n);
  NewNotification none = n;
  none.target.reset();
  (void)*esc.insert_notification(none);
  CHECK(*esc.count_pending() == 2);
  CHECK(*esc.earliest_delivery() == 10);
  REQUIRE(esc.due_notifications(10, 10)->size() == 2);
  REQUIRE(esc.mark_delivered(first, 20));
  REQUIRE(esc.mark_failed(second, "HTTP 503", 50));
  CHECK(esc.due_notifications(49, 10)->empty());
  const auto retry = *esc.due_notifications(50, 10);
  REQUIRE(retry.size() == 1);
  CHECK(retry[0].attempts == 1);
  REQUIRE(esc.mark_failed(second, "HTTP 503", std::nullopt));
  CHECK(*esc.count_pending() == 0);
  CHECK_FALSE(*esc.earliest_delivery());
}

TEST_CASE("the scheduler outbox and board queries read indexes and never scan", "[storage][escalation]") {
  // The store's own SQL (escalation_sql), so a changed query or a dropped index shows here.
  TempDb tmp;
  auto store = std::move(*TicketStore::open(tmp.path));
  sqlite3* db = store->handle();
  const auto uses = [&](const std::string& sql, const char* index) {
    const auto plan = plan_of(db, sql);
    CAPTURE(sql, plan);
    CHECK(plan.find(index) != std::string::npos);
    CHECK_FALSE(scans_a_table(plan));
  };
  uses(escalation_sql::earliest_stage, "deadlines_next_stage");
  uses(escalation_sql::due_stages, "deadlines_next_stage");
  uses(escalation_sql::count_armed, "deadlines_next_stage");
  uses(escalation_sql::earliest_delivery, "notifications_due");
  uses(escalation_sql::due_notifications, "notifications_due");
  uses(escalation_sql::count_pending, "notifications_due");
  // The board, with each combination of filters and a cursor.
  for (const bool stage : {false, true}) {
    for (const bool unit : {false, true}) {
      EscalationQuery q;
      if (stage) q.stage = "red";
      if (unit) q.unit_id = "u1";
      q.after = EscalationQuery::Cursor{1, "A", "u1", "reply"};
      uses(escalation_sql::escalations(q), "deadlines_by_stage");
      q.after.reset();
      uses(escalation_sql::escalations(q), "deadlines_by_stage");
    }
    uses(escalation_sql::stage_counts(stage), "deadlines_by_stage");
  }
}
