// The TokenStore and ReportStore contracts, and how every store fails to open: errors are values with a category.
#include <catch2/catch.hpp>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "tests/storage/contract/engines.hpp"

using namespace hotline::storage;
using namespace hotline::storage::contract;
using hotline::storage::test::sample;

namespace {

TokenRecord token(std::string id, std::string role, std::optional<std::string> unit, std::string created_at) {
  return {std::move(id),
          "name of " + role,
          std::move(role),
          std::move(unit),
          "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
          std::move(created_at),
          std::nullopt};
}

std::vector<std::string> ids_of(const std::vector<TokenRecord>& tokens) {
  std::vector<std::string> out;
  for (const auto& t : tokens) out.push_back(t.id);
  return out;
}

// Replaces the file at `path` with text that is no database of any engine.
void write_garbage(const std::string& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  for (int i = 0; i < 200; ++i) out << "this is not a database, it is a shopping list: rice, tea, 路灯\n";
  REQUIRE(out.good());
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------------
// Tokens

TEMPLATE_TEST_CASE("contract: tokens are stored as given and found by id, hashes only", "[storage][contract]",
                   HOTLINE_STORAGE_ENGINES) {
  Scratch<TestType> s;
  auto tokens = must(s.engine.open_tokens(s.tmp.path, {}));
  CHECK(must(tokens->count_active()) == 0);
  CHECK(must(tokens->list()).empty());
  CHECK_FALSE(must(tokens->find("op1")));

  const auto op = token("op1", "operator", std::nullopt, "2026-11-26T09:00:00+08:00");
  const auto unit = token("un1", "unit", std::string("350602.cgj"), "2026-11-26T10:00:00+08:00");
  const auto admin = token("ad1", "admin", std::nullopt, "2026-11-26T10:00:00+08:00");
  must(tokens->create(op));
  must(tokens->create(unit));
  must(tokens->create(admin));
  const auto found = must(tokens->find("un1"));
  REQUIRE(found);
  CHECK(found->id == unit.id);
  CHECK(found->name == unit.name);
  CHECK(found->role == "unit");
  CHECK(found->unit_id == unit.unit_id);
  CHECK(found->secret_hash == unit.secret_hash);
  CHECK(found->created_at == unit.created_at);
  CHECK_FALSE(found->revoked_at);
  CHECK_FALSE(must(tokens->find("op1"))->unit_id);
  CHECK_FALSE(must(tokens->find("OP1")));  // ids match exactly
  // Newest first; equal instants by id.
  CHECK(ids_of(must(tokens->list())) == std::vector<std::string>{"ad1", "un1", "op1"});
  CHECK(must(tokens->count_active()) == 3);

  // The daemon checks tokens through a read-only store of its own.
  auto reader = must(s.engine.open_tokens(s.tmp.path, {.create = false, .read_only = true}));
  CHECK(must(reader->count_active()) == 3);
  CHECK(must(reader->find("ad1")));
}

TEMPLATE_TEST_CASE("contract: a token the schema refuses is a constraint error", "[storage][contract]",
                   HOTLINE_STORAGE_ENGINES) {
  Scratch<TestType> s;
  auto tokens = must(s.engine.open_tokens(s.tmp.path, {}));
  must(tokens->create(token("op1", "operator", std::nullopt, "t1")));
  for (const auto& bad : {token("op1", "admin", std::nullopt, "t2"),                  // a duplicate id
                          token("un1", "unit", std::nullopt, "t2"),                   // a unit token without its unit
                          token("op2", "operator", std::string("350602.cgj"), "t2"),  // a unit on another role
                          token("xx1", "root", std::nullopt, "t2")}) {                // no such role
    CAPTURE(bad.id, bad.role);
    const auto r = tokens->create(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().category == ErrorCategory::constraint);
  }
  CHECK(ids_of(must(tokens->list())) == std::vector<std::string>{"op1"});
  CHECK(must(tokens->find("op1"))->role == "operator");
}

TEMPLATE_TEST_CASE("contract: a revoked token stays listed with its revocation and is no longer active",
                   "[storage][contract]", HOTLINE_STORAGE_ENGINES) {
  Scratch<TestType> s;
  {
    auto tokens = must(s.engine.open_tokens(s.tmp.path, {}));
    must(tokens->create(token("op1", "operator", std::nullopt, "t1")));
    must(tokens->create(token("op2", "operator", std::nullopt, "t2")));
    CHECK(must(tokens->revoke("op1", "2026-11-27T08:00:00+08:00")));
    CHECK_FALSE(must(tokens->revoke("op1", "2026-11-28T08:00:00+08:00")));  // already revoked: first instant kept
    CHECK_FALSE(must(tokens->revoke("nope", "2026-11-28T08:00:00+08:00")));
    CHECK(must(tokens->count_active()) == 1);
  }
  s.reopen();  // and every token store closed: what was committed is there
  auto tokens = must(s.engine.open_tokens(s.tmp.path, {.create = false, .read_only = true}));
  const auto revoked = must(tokens->find("op1"));
  REQUIRE(revoked);  // found, so the caller can tell "revoked" from "unknown"; it refuses it by revoked_at
  CHECK(revoked->revoked_at == std::optional<std::string>("2026-11-27T08:00:00+08:00"));
  CHECK_FALSE(must(tokens->find("op2"))->revoked_at);
  CHECK(must(tokens->count_active()) == 1);
  CHECK(must(tokens->list()).size() == 2);
}

// ---------------------------------------------------------------------------------------------------------------
// The nightly report's reads

TEMPLATE_TEST_CASE("contract: the report reads every event before an instant, in log order, once",
                   "[storage][contract]", HOTLINE_STORAGE_ENGINES) {
  Scratch<TestType> s;
  std::vector<NewTicket> batch{sample("20261126", "a"), sample("20261126", "b")};
  batch[0].received_ms = 1000;
  batch[1].received_ms = 3000;
  must(s.store->insert_tickets(batch));
  // An event logged later with an earlier instant (a late correction) keeps its place in the log.
  must(s.store->append_events(batch[0].id, {{"x", 2000, "note", "op", "operator", "", R"({"n":1})"},
                                            {"x", 500, "corrected", "op", "operator", "u1", "{}"}}));
  const auto log = must(s.store->events_after(0, 100));
  REQUIRE(log.size() == 6);

  auto report = must(s.engine.open_report(s.tmp.path));
  struct Seen {
    std::int64_t seq, at_ms;
    std::string ticket, kind, unit, payload;
  };
  const auto visit = [&](std::int64_t until) {
    std::vector<Seen> seen;
    const auto n = must(report->for_each_event(until, [&](const EventView& e) {
      seen.push_back({e.seq, e.at_ms, std::string(e.ticket_id), std::string(e.kind), std::string(e.unit_id),
                      std::string(e.payload)});
    }));
    CHECK(n == static_cast<std::int64_t>(seen.size()));
    return seen;
  };
  const auto all = visit(1'000'000);
  REQUIRE(all.size() == 6);
  for (std::size_t i = 0; i < all.size(); ++i) {
    CAPTURE(i);
    CHECK(all[i].seq == log[i].event.seq);
    CHECK(all[i].ticket == log[i].ticket_id);
    CHECK(all[i].kind == log[i].event.kind);
    CHECK(all[i].at_ms == log[i].event.at_ms);
    CHECK(all[i].unit == log[i].event.unit_id.value_or(""));
    CHECK(all[i].payload == log[i].event.payload);
  }
  // Before 2000 (exclusive): the first ticket's two events at 1000 and the correction at 500, in log order.
  const auto early = visit(2000);
  REQUIRE(early.size() == 3);
  CHECK(early[0].seq == log[0].event.seq);
  CHECK(early[1].seq == log[1].event.seq);
  CHECK(early[2].seq == log[5].event.seq);
  CHECK(visit(500).empty());
  CHECK(must(report->approximate_events()) >= 6);
}

// ---------------------------------------------------------------------------------------------------------------
// Opening: errors are values, with the category callers decide by

TEMPLATE_TEST_CASE("contract: a file that is no database is refused by every store as corrupt", "[storage][contract]",
                   HOTLINE_STORAGE_ENGINES) {
  TestType engine;
  test::TempDb tmp;
  write_garbage(tmp.path);
  const auto corrupt = [](const auto& r) {
    REQUIRE_FALSE(r);
    CHECK(r.error().category == ErrorCategory::corrupt);
    CHECK_FALSE(r.error().message.empty());
  };
  const OpenOptions writer{}, reader{.create = false, .read_only = true};
  corrupt(engine.open_tickets(tmp.path, writer));
  corrupt(engine.open_tickets(tmp.path, reader));
  corrupt(engine.open_escalations(tmp.path, writer));
  corrupt(engine.open_escalations(tmp.path, reader));
  corrupt(engine.open_tokens(tmp.path, writer));
  corrupt(engine.open_tokens(tmp.path, reader));
  corrupt(engine.open_report(tmp.path));
  // Untouched by the attempts.
  std::ifstream in(tmp.path);
  std::string first;
  std::getline(in, first);
  CHECK(first.starts_with("this is not a database"));
}

TEMPLATE_TEST_CASE("contract: a store of a newer schema is refused by every store, readers too", "[storage][contract]",
                   HOTLINE_STORAGE_ENGINES) {
  Scratch<TestType> s;
  std::vector<NewTicket> one{sample("20261126", "written by this build")};
  must(s.store->insert_tickets(one));
  s.store.reset();
  s.engine.make_newer(s.tmp.path);
  const auto newer = [](const auto& r) {
    REQUIRE_FALSE(r);
    CHECK(r.error().category == ErrorCategory::schema);
    CHECK(r.error().message.find("newer") != std::string::npos);
  };
  const OpenOptions writer{}, reader{.create = false, .read_only = true};
  newer(s.engine.open_tickets(s.tmp.path, writer));
  newer(s.engine.open_tickets(s.tmp.path, reader));
  newer(s.engine.open_escalations(s.tmp.path, writer));
  newer(s.engine.open_escalations(s.tmp.path, reader));
  newer(s.engine.open_tokens(s.tmp.path, writer));
  newer(s.engine.open_tokens(s.tmp.path, reader));
  newer(s.engine.open_report(s.tmp.path));
}

TEMPLATE_TEST_CASE("contract: a missing store is created by a writer only", "[storage][contract]",
                   HOTLINE_STORAGE_ENGINES) {
  TestType engine;
  test::TempDb tmp;
  const auto reader = engine.open_tickets(tmp.path, {.create = false, .read_only = true});
  REQUIRE_FALSE(reader);
  CHECK(reader.error().category == ErrorCategory::io);
  const auto no_create = engine.open_tickets(tmp.path, {.create = false, .read_only = false});
  REQUIRE_FALSE(no_create);
  CHECK(no_create.error().category == ErrorCategory::io);
  const auto report = engine.open_report(tmp.path);
  REQUIRE_FALSE(report);
  CHECK(report.error().category == ErrorCategory::not_found);
  CHECK_FALSE(std::filesystem::exists(tmp.path));  // no attempt left an empty store behind
  // A writer creates it, empty; then readers open it.
  auto writer = must(engine.open_tickets(tmp.path, {}));
  CHECK(must(writer->count_tickets()) == 0);
  CHECK(must(must(engine.open_tickets(tmp.path, {.create = false, .read_only = true}))->count_tickets()) == 0);
  CHECK(must(must(engine.open_report(tmp.path))->for_each_event(1, [](const EventView&) {})) == 0);
}
