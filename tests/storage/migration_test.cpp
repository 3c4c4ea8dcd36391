// Upgrading a database of every earlier schema version that holds open tickets: their clocks still escalate.
#include <catch2/catch.hpp>
#include <string>

#include "storage/escalation_store.hpp"
#include "storage/migrations.hpp"
#include "storage/statement.hpp"
#include "storage/ticket_store.hpp"
#include "storage/token_store.hpp"
#include "tests/storage/store_fixture.hpp"

using namespace hotline::storage;
using hotline::storage::test::TempDb;

namespace {

constexpr std::int64_t k_due = 1'795'600'000'000;  // the open reply clock's deadline
constexpr std::int64_t k_day = 86'400'000;

// An open ticket with the columns every schema has had since version 1.
void insert_ticket(Connection& db, const std::string& id) {
  REQUIRE(db.exec("INSERT INTO tickets(id, received_at, received_ms, type, urgency, channel, content, state, unit_id,"
                  " unit_name, rule_id, rules_version, decision) VALUES('" +
                  id +
                  "', '2026-11-26T09:30:00.000+08:00', 1795000000000, 'complaint', 'normal', 'phone', '路灯不亮',"
                  " 'in_progress', 'u1', '城管局', 'r', 'v', '{}')")
              .has_value());
}

// A database at schema `version` as that release wrote it: ticket T open with its reply clock running out at
// k_due (schema 3 on: the deadlines table; schema 6 on: with its stage plan, yellow a day before). From
// schema 6 on also ticket F, a clock whose every stage has fired.
void build_old_database(const std::string& path, int version) {
  auto db = Connection::open(path, /*create=*/true, /*read_only=*/false);
  REQUIRE(db.has_value());
  REQUIRE(migrate_to(*db, version).has_value());
  insert_ticket(*db, "T");
  if (version < 3) return;  // no case projection yet: nothing stores a clock
  if (version < 6) {
    REQUIRE(
        db->exec("INSERT INTO deadlines(ticket_id, unit_id, clock, due_ms, provisional) VALUES('T', 'u1', 'reply', " +
                 std::to_string(k_due) + ", 0)")
            .has_value());
    return;
  }
  REQUIRE(db->exec("INSERT INTO deadlines(ticket_id, unit_id, clock, due_ms, provisional, yellow_ms, red_ms,"
                   " next_stage, next_ms) VALUES('T', 'u1', 'reply', " +
                   std::to_string(k_due) + ", 0, " + std::to_string(k_due - k_day) + ", " + std::to_string(k_due) +
                   ", 'yellow', " + std::to_string(k_due - k_day) + ")")
              .has_value());
  insert_ticket(*db, "F");
  REQUIRE(db->exec("INSERT INTO deadlines(ticket_id, unit_id, clock, due_ms, provisional, red_ms, supervise_ms, stage)"
                   " VALUES('F', 'u1', 'reply', 1000, 0, 1000, 2000, 'supervise')")
              .has_value());
}

}  // namespace

TEST_CASE("open tickets of every earlier schema still escalate after the upgrade", "[storage][migration]") {
  for (int version = 1; version < schema_version(); ++version) {
    CAPTURE(version);
    TempDb tmp;
    build_old_database(tmp.path, version);

    auto opened = EscalationStore::open(tmp.path);  // the current code: migrates on open
    REQUIRE(opened.has_value());
    EscalationStore& esc = **opened;
    if (version < 3) {
      CHECK_FALSE(*esc.earliest_stage());  // no clock was stored, so none can be armed
      continue;
    }
    CHECK(*esc.count_armed() == 1);  // T only: F's stages have all fired
    // Whatever fires before the deadline (a planned yellow card), the red card fires at the deadline itself.
    for (int guard = 0; guard < 4; ++guard) {
      const auto early = *esc.due_stages(k_due - 1, 10);
      if (early.empty()) break;
      CHECK(early.front().stage != "red");
      REQUIRE(*esc.advance(early.front()));
    }
    const auto due = *esc.due_stages(k_due, 10);
    REQUIRE(due.size() == 1);
    CHECK(due[0].ticket_id == "T");
    CHECK(due[0].clock == "reply");
    CHECK(due[0].stage == "red");
    CHECK(due[0].stage_ms == k_due);
    REQUIRE(*esc.advance(due[0]));
    CHECK(esc.escalations({"red", std::nullopt, std::nullopt, 10})->size() == 1);
  }
}

TEST_CASE("schema 11: tickets of earlier schemas are not confidential, and the caller access log starts empty",
          "[storage][migration]") {
  for (int version = 1; version < 11; ++version) {
    CAPTURE(version);
    TempDb tmp;
    build_old_database(tmp.path, version);
    auto opened = TicketStore::open(tmp.path);  // migrates on open
    REQUIRE(opened.has_value());
    TicketStore& store = **opened;
    const auto t = store.find_ticket("T");
    REQUIRE(t.has_value());
    REQUIRE(t->has_value());
    CHECK_FALSE((*t)->confidential);
    CHECK(store.caller_access("", 0, 10)->empty());

    const CallerAccess row{0,
                           "2026-11-26T09:30:00.000+08:00",
                           1795000000000,
                           "T",
                           "1a2b3c4d",
                           "operator",
                           std::nullopt,
                           "GET /v1/tickets/{id}"};
    REQUIRE(store.exec("BEGIN IMMEDIATE").has_value());
    REQUIRE(store.append_caller_access(std::span<const CallerAccess>(&row, 1)).has_value());
    REQUIRE(store.exec("COMMIT").has_value());
    const auto log = store.caller_access("T", 0, 10);
    REQUIRE(log.has_value());
    REQUIRE(log->size() == 1);
    CHECK((*log)[0].seq > 0);
    auto expected = row;
    expected.seq = (*log)[0].seq;
    CHECK((*log)[0] == expected);
    CHECK(store.caller_access("F", 0, 10)->empty());
    CHECK(store.caller_access("T", (*log)[0].seq, 10)->empty());
    // Append-only, like the event log.
    CHECK_FALSE(store.exec("UPDATE caller_access_log SET role = 'admin'").has_value());
    CHECK_FALSE(store.exec("DELETE FROM caller_access_log").has_value());
    CHECK(store.caller_access("T", 0, 10)->size() == 1);
  }
}

TEST_CASE("schema 13: earlier tickets get the matter and area they were routed on, and open ones are found by them",
          "[storage][migration]") {
  TempDb tmp;
  {
    auto db = Connection::open(tmp.path, /*create=*/true, /*read_only=*/false);
    REQUIRE(db.has_value());
    REQUIRE(migrate_to(*db, 12).has_value());
    insert_ticket(*db, "T");  // routed on no matter ('{}')
    const auto routed = [&](const std::string& id, const std::string& state, std::int64_t received_ms) {
      REQUIRE(db->exec("INSERT INTO tickets(id, received_at, received_ms, type, urgency, content, state, unit_id,"
                       " unit_name, rule_id, rules_version, decision) VALUES('" +
                       id + "', '2026-11-26T09:30:00.000+08:00', " + std::to_string(received_ms) +
                       ", 'complaint', 'normal', '路灯不亮', '" + state +
                       "', 'u1', '城管局', 'r', 'v', '{\"category\":{\"code\":\"010101\",\"inferred\":true},"
                       "\"area\":{\"code\":\"350602\",\"inferred\":false}}')")
                  .has_value());
    };
    routed("A", "in_progress", 1795000000000);
    routed("B", "closed", 1795000001000);
    routed("C", "awaiting_sign_for", 1795000002000);
    routed("OLD", "in_progress", 1794000000000);
  }
  auto opened = TicketStore::open(tmp.path);  // migrates on open
  REQUIRE(opened.has_value());
  TicketStore& store = **opened;
  // Open tickets of that matter and area since the given instant, newest first: not the closed one, not the
  // older one, not the one routed on nothing.
  const auto like = store.open_tickets_like("010101", "350602", 1795000000000, 10);
  REQUIRE(like.has_value());
  REQUIRE(like->size() == 2);
  CHECK((*like)[0].first == "C");
  CHECK((*like)[1].first == "A");
  CHECK((*like)[0].second == "路灯不亮");
  CHECK(store.open_tickets_like("010101", "350602", 1795000000000, 1)->size() == 1);
  CHECK(store.open_tickets_like("010101", "350603", 0, 10)->empty());
  CHECK(store.open_tickets_like("0101", "350602", 0, 10)->empty());  // the exact matter, not a class
  CHECK(store.open_tickets_like("010101", "350602", 0, 10)->size() == 3);
}

TEST_CASE("schema 14: a caller's refusal of SMS is kept by caller key, recorded once and withdrawn",
          "[storage][migration]") {
  TempDb tmp;
  {
    auto db = Connection::open(tmp.path, /*create=*/true, /*read_only=*/false);
    REQUIRE(db.has_value());
    REQUIRE(migrate_to(*db, 13).has_value());
    insert_ticket(*db, "T");
  }
  auto opened = TicketStore::open(tmp.path);  // migrates on open
  REQUIRE(opened.has_value());
  TicketStore& store = **opened;
  CHECK(*store.sms_opted_out("k1") == false);
  CHECK(*store.set_sms_opt_out("k1", true, 1795000000000, "tok1") == true);
  CHECK(*store.set_sms_opt_out("k1", true, 1795000005000, "tok2") == false);  // already: the first record stays
  CHECK(*store.sms_opted_out("k1") == true);
  CHECK(*store.sms_opted_out("k2") == false);
  CHECK(*store.set_sms_opt_out("k1", false, 1795000009000, "tok1") == true);
  CHECK(*store.sms_opted_out("k1") == false);
  CHECK(*store.set_sms_opt_out("k1", false, 1795000009000, "tok1") == false);
}

TEST_CASE("schema 15: people's accounts beside tokens; an enabled account counts as a credential",
          "[storage][migration]") {
  TempDb tmp;
  {
    auto db = Connection::open(tmp.path, /*create=*/true, /*read_only=*/false);
    REQUIRE(db.has_value());
    REQUIRE(migrate_to(*db, 14).has_value());
  }
  auto opened = TokenStore::open(tmp.path);  // migrates on open
  REQUIRE(opened.has_value());
  TokenStore& store = **opened;
  CHECK(*store.count_active() == 0);
  const UserRecord op{"wangmin", "王敏", "operator", std::nullopt, "$argon2id$x", "2026-12-05T09:00:00+08:00", {}};
  REQUIRE(store.create_user(op).has_value());
  CHECK_FALSE(store.create_user(op).has_value());  // a duplicate login
  // The schema refuses a unit account without its unit, and a unit on another role.
  CHECK_FALSE(store.create_user({"liyun", "李芸", "unit", std::nullopt, "h", "t", {}}).has_value());
  CHECK_FALSE(store.create_user({"x1", "甲", "operator", std::string("350602.cgj"), "h", "t", {}}).has_value());
  CHECK_FALSE(store.create_user({"x2", "乙", "root", std::nullopt, "h", "t", {}}).has_value());
  REQUIRE(store.create_user({"liyun", "李芸", "unit", std::string("350602.cgj"), "h", "t", {}}).has_value());
  CHECK(*store.count_active() == 2);
  CHECK(store.find_user("wangmin")->value() == op);
  CHECK_FALSE(store.find_user("nobody")->has_value());
  CHECK(*store.set_user_disabled("liyun", std::string("2026-12-05T10:00:00+08:00")));
  CHECK(*store.count_active() == 1);
  CHECK(store.find_user("liyun")->value().disabled_at == "2026-12-05T10:00:00+08:00");
  CHECK_FALSE(*store.set_user_disabled("nobody", std::nullopt));
  CHECK(*store.set_user_password("wangmin", "$argon2id$y"));
  CHECK(store.find_user("wangmin")->value().password_hash == "$argon2id$y");
  const auto all = store.list_users();
  REQUIRE(all->size() == 2);
  CHECK(all->front().login == "liyun");
}

TEST_CASE("schema 16: a search by case state (the review queues) reads the state index, not every ticket",
          "[storage][migration]") {
  TempDb tmp;
  auto db = Connection::open(tmp.path, /*create=*/true, /*read_only=*/false);
  REQUIRE(db.has_value());
  REQUIRE(migrate_to(*db, 15).has_value());
  insert_ticket(*db, "T1");
  REQUIRE(migrate_to(*db, 16).has_value());
  Statement plan(db->get(), "EXPLAIN QUERY PLAN SELECT id FROM tickets WHERE state = 'in_progress' ORDER BY id DESC");
  std::string lines;
  while (*plan.step()) lines += plan.column_text(3) + "\n";
  CHECK(lines.find("tickets_by_state") != std::string::npos);
  CHECK(lines.find("TEMP B-TREE") == std::string::npos);  // already in id order
  Statement found(db->get(), "SELECT id FROM tickets WHERE state = 'in_progress'");
  REQUIRE(*found.step());
  CHECK(found.column_text(0) == "T1");
}
