// The TicketStore contract for the case projection (assignments, deadlines) and what is read through it: unit
// queues and search.
#include <catch2/catch.hpp>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "tests/storage/contract/engines.hpp"

using namespace hotline::storage;
using namespace hotline::storage::contract;
using hotline::storage::test::sample;

namespace {

// A committed ticket (numbered by the store) and its projection; returns its id.
std::string add_case(TicketStore& s, const std::string& content, const std::string& state,
                     std::vector<AssignmentRow> assignments, std::int64_t received_ms = 1'795'000'000'000,
                     std::optional<std::string> address = std::nullopt) {
  std::vector<NewTicket> one{sample("20261126", content)};
  one[0].state = state;
  one[0].received_ms = received_ms;
  one[0].address = std::move(address);
  must(s.insert_tickets(one));
  must(s.write_projection(one[0].id, {state, received_ms, std::move(assignments), {}}));
  return one[0].id;
}

// An open assignment of `unit`, the case's `seq`th.
AssignmentRow open_at(const std::string& unit, std::int64_t due, int seq = 1) {
  return {seq, unit, std::nullopt, seq == 1, "in_progress", true, 0, due};
}

std::vector<std::string> ids_of(const std::vector<QueueRow>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.ticket_id);
  return out;
}

std::vector<std::string> ids_of(const std::vector<SearchRow>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.ticket_id);
  return out;
}

// What read_projection gives back of `p`: everything but the stage plans (the escalation engine's).
Projection without_plans(Projection p) {
  for (auto& d : p.deadlines) d.stage_ms = {};
  return p;
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------------
// The projection

TEMPLATE_TEST_CASE("contract: a projection reads back as written, fresh and replaced", "[storage][contract]",
                   HOTLINE_STORAGE_ENGINES) {
  Scratch<TestType> s;
  const std::int64_t r = 1'795'000'000'000;
  // As the intake job does: number, insert with the state already, write the fresh projection, one transaction.
  NewTicket t = sample("20261126", "a");
  t.received_ms = r;
  Projection fresh{t.state,
                   r,
                   {{1, "u1", std::nullopt, true, "awaiting_sign_for", true, r, r + 5000},
                    {2, "u2", std::string("u2.a"), false, "awaiting_sign_for", true, r, r + 6000}},
                   {{"", "follow_up", r + 9000, false, std::nullopt, {r + 8000, std::nullopt, std::nullopt, r + 9500}},
                    {"u1", "reply", r + 5000, true, r + 4000, {std::nullopt, r + 5000, std::nullopt, std::nullopt}},
                    {"u1", "sign_for", r + 1000, false, std::nullopt, {}}}};
  s.in_transaction([&] {
    t.id = must(s.store->next_ticket_id(t.prefix, t.day));
    must(s.store->insert_ticket(t));
    must(s.store->write_projection(t.id, fresh, true));
  });
  CHECK(must(s.store->read_projection(t.id)) == std::optional<Projection>(without_plans(fresh)));

  // Replaced whole: rows no longer in it are gone, changed ones changed, the state is the ticket's.
  Projection replaced{"in_progress",
                      r + 10,
                      {{1, "u1", std::string("u1.x"), true, "in_progress", true, r, r + 7000}},
                      {{"u1", "reply", r + 7000, false, r + 5000, {}}}};
  must(s.store->write_projection(t.id, replaced));
  for (const bool reopened : {false, true}) {
    CAPTURE(reopened);
    if (reopened) s.reopen();
    CHECK(must(s.store->read_projection(t.id)) == std::optional<Projection>(replaced));
    CHECK(must(s.store->find_ticket(t.id))->state == "in_progress");
  }
  must(s.store->write_projection(t.id, {"closed", r + 20, {}, {}}));
  CHECK(must(s.store->read_projection(t.id)) == std::optional<Projection>(Projection{"closed", r + 20, {}, {}}));
  CHECK(must(s.store->find_ticket(t.id))->events.size() == 2);  // the projection never touches the log
}

TEMPLATE_TEST_CASE("contract: tickets with provisional deadlines are listed in id order, in pages",
                   "[storage][contract]", HOTLINE_STORAGE_ENGINES) {
  Scratch<TestType> s;
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) {
    ids.push_back(add_case(*s.store, "t", "in_progress", {}));
    // Tickets 0, 2 and 3 have a provisional clock (ticket 3 two of them); ticket 1 none.
    std::vector<DeadlineRow> clocks{{"u1", "reply", 100, i != 1, std::nullopt, {}}};
    if (i == 3) clocks.push_back({"u1", "sign_for", 50, true, std::nullopt, {}});
    must(s.store->write_projection(ids.back(), {"in_progress", 1, {}, clocks}));
  }
  std::vector<std::string> listed;
  std::string after;
  for (int guard = 0; guard < 10; ++guard) {
    const auto page = must(s.store->provisional_ticket_ids(after, 2));
    if (page.empty()) break;
    listed.insert(listed.end(), page.begin(), page.end());
    after = page.back();
  }
  CHECK(listed == std::vector<std::string>{ids[0], ids[2], ids[3]});
}

// ---------------------------------------------------------------------------------------------------------------
// Unit queues

TEMPLATE_TEST_CASE("contract: a unit's queue holds its open cases by reply due, then id, and no one else's",
                   "[storage][contract]", HOTLINE_STORAGE_ENGINES) {
  Scratch<TestType> s;
  auto& st = *s.store;
  const auto c1 = add_case(st, "c1", "in_progress",
                           {open_at("u1", 3000), {2, "u2", std::nullopt, false, "in_progress", true, 0, 1800}});
  const auto c2 = add_case(st, "c2", "in_progress", {open_at("u1", 1000)});
  const auto c3 = add_case(st, "c3", "awaiting_sign_for", {open_at("u1", 2000)});
  const auto c4 = add_case(st, "c4", "in_progress", {open_at("u1", 2000)});
  const auto c5 = add_case(st, "c5", "closed", {{1, "u1", std::nullopt, true, "replied", false, 0, 500}});
  const auto c6 = add_case(st, "c6", "in_progress",
                           {{1, "u1", std::nullopt, true, "withdrawn", false, 0, 400}, open_at("u3", 400, 2)});
  const auto c7 =
      add_case(st, "c7", "in_progress", {{1, "u1", std::string("u1.sub"), true, "in_progress", true, 0, 2500}});
  const auto c8 = add_case(st, "c8", "in_progress", {open_at("u10", 100)});  // a unit whose id starts like u1's
  const auto c9 = add_case(st, "c9", "in_progress", {open_at("u2", 1500)});

  const auto queue = [&](QueueQuery q) { return ids_of(must(st.queue(q))); };
  using Ids = std::vector<std::string>;
  CHECK(queue(Queue("u1")) == Ids{c2, c3, c4, c7, c1});
  CHECK(queue(Queue("u2")) == Ids{c9, c1});  // a co-unit's assignment
  CHECK(queue(Queue("u1.sub")) == Ids{c7});  // passed down to a child unit
  CHECK(queue(Queue("u10")) == Ids{c8});
  CHECK(queue(Queue("u3")) == Ids{c6});
  CHECK(queue(Queue("u")).empty());
  CHECK(queue(Queue("nobody")).empty());
  // Closed cases only (a withdrawn assignment is in neither list).
  CHECK(queue(Queue("u1").closed()) == Ids{c5});
  // The ticket's state; reply due strictly before.
  CHECK(queue(Queue("u1").state("awaiting_sign_for")) == Ids{c3});
  CHECK(queue(Queue("u1").state("replied")).empty());
  CHECK(queue(Queue("u1").due_before(2000)) == Ids{c2});
  CHECK(queue(Queue("u1").due_before(2001)) == Ids{c2, c3, c4});
  CHECK(queue(Queue("u1").limit(3)) == Ids{c2, c3, c4});

  // Isolation, row by row: every row is an assignment of the unit asked for (or passed down to it).
  for (const char* unit : {"u1", "u2", "u3", "u10", "u1.sub"}) {
    for (const auto& row : must(st.queue(Queue(unit)))) {
      CAPTURE(unit, row.ticket_id);
      CHECK((row.unit_id == unit || row.handler_id == std::optional<std::string>(unit)));
    }
  }

  // Every field of a row.
  const auto rows = must(st.queue(Queue("u2")));
  REQUIRE(rows.size() == 2);
  const auto& co = rows[1];
  CHECK(co.ticket_id == c1);
  CHECK(co.state == "in_progress");
  CHECK(co.received_at == sample("20261126", "").received_at);
  CHECK(co.type == "complaint");
  CHECK(co.content == "c1");
  CHECK(co.unit_id == "u2");
  CHECK_FALSE(co.handler_id);
  CHECK_FALSE(co.lead);
  CHECK(co.assignment_state == "in_progress");
  CHECK(co.reply_due_ms == 1800);
  const auto sub = must(st.queue(Queue("u1.sub")));
  REQUIRE(sub.size() == 1);
  CHECK(sub[0].unit_id == "u1");
  CHECK(sub[0].handler_id == std::optional<std::string>("u1.sub"));
  CHECK(sub[0].lead);
}

TEMPLATE_TEST_CASE("contract: the desk's queue holds its open lead cases oldest first and pages by that order",
                   "[storage][contract]", HOTLINE_STORAGE_ENGINES) {
  Scratch<TestType> s;
  auto& st = *s.store;
  // (seq, unit, handler, lead, state, open, dispatched_ms, reply_due_ms): due order differs from age order.
  const auto at_desk = [](std::int64_t dispatched, std::int64_t due) {
    return AssignmentRow{1, "desk", std::nullopt, true, "awaiting_sign_for", true, dispatched, due};
  };
  const auto young = add_case(st, "young", "awaiting_sign_for", {at_desk(300, 400)});
  const auto old = add_case(st, "old", "awaiting_sign_for", {at_desk(100, 900)});
  const auto middle = add_case(st, "middle", "in_progress", {at_desk(200, 250)});
  add_case(st, "gone", "awaiting_sign_for",
           {{1, "desk", std::nullopt, true, "withdrawn", false, 50, 60}, open_at("u1", 5000, 2)});
  add_case(st, "co", "in_progress",
           {open_at("u1", 5000), {2, "desk", std::nullopt, false, "in_progress", true, 10, 20}});

  QueueQuery q;
  q.unit_id = "desk";
  q.oldest_first = true;
  using Ids = std::vector<std::string>;
  const auto rows = must(st.queue(q));
  CHECK(ids_of(rows) == Ids{old, middle, young});
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].dispatched_ms == 100);
  CHECK(rows[0].reply_due_ms == 900);
  q.limit = 2;
  const auto first = must(st.queue(q));
  CHECK(ids_of(first) == Ids{old, middle});
  q.after = std::pair{first.back().dispatched_ms, first.back().ticket_id};
  CHECK(ids_of(must(st.queue(q))) == Ids{young});
}

TEMPLATE_TEST_CASE("contract: a queue pages by its (reply due, id) cursor without gaps or repeats",
                   "[storage][contract]", HOTLINE_STORAGE_ENGINES) {
  Scratch<TestType> s;
  auto& st = *s.store;
  // Many cases sharing a few due instants, some passed down to u1 by handler, some of another unit.
  for (int i = 0; i < 23; ++i) {
    const std::int64_t due = 1000 + 100 * (i % 4);
    if (i % 5 == 0) {
      add_case(st, "h" + std::to_string(i), "in_progress",
               {{1, "p", std::string("u1"), true, "in_progress", true, 0, due}});
    } else if (i % 7 == 0) {
      add_case(st, "o" + std::to_string(i), "in_progress", {open_at("u9", due)});
    } else {
      add_case(st, "u" + std::to_string(i), "in_progress", {open_at("u1", due)});
    }
  }
  const auto all = must(st.queue(Queue("u1").limit(500)));
  REQUIRE(all.size() == 20);
  for (std::size_t i = 1; i < all.size(); ++i) {
    CHECK(std::pair(all[i - 1].reply_due_ms, all[i - 1].ticket_id) < std::pair(all[i].reply_due_ms, all[i].ticket_id));
  }
  for (const int limit : {1, 3, 4, 20}) {
    CAPTURE(limit);
    std::vector<std::string> paged;
    QueueQuery q = Queue("u1").limit(limit);
    for (int guard = 0; guard < 30; ++guard) {
      const auto page = must(st.queue(q));
      CHECK(page.size() <= static_cast<std::size_t>(limit));
      for (const auto& row : page) paged.push_back(row.ticket_id);
      if (page.size() < static_cast<std::size_t>(limit)) break;
      q.after = std::pair(page.back().reply_due_ms, page.back().ticket_id);
    }
    CHECK(paged == ids_of(all));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Search

TEMPLATE_TEST_CASE("contract: search matches text and filters the same before, during and after indexing",
                   "[storage][contract]", HOTLINE_STORAGE_ENGINES) {
  Scratch<TestType> s;
  auto& st = *s.store;
  const auto s1 = add_case(st, "小区门口路灯不亮已经一周", "in_progress", {open_at("u1", 1)}, 1000, "胜利西路12号");
  const auto s2 = add_case(st, "路灯不好使，灯不亮了没人管", "awaiting_sign_for", {open_at("u2", 1)}, 2000);
  const auto s3 = add_case(st, "工地夜间施工噪音扰民", "closed",
                           {{1, "u1", std::nullopt, true, "replied", false, 0, 1}}, 3000, "路灯不亮的路口");
  const auto s4 = add_case(st, "Noise at night, 100% unbearable", "in_progress",
                           {{1, "u2", std::nullopt, true, "withdrawn", false, 0, 1}, open_at("u3", 1, 2)}, 4000);
  const auto s5 = add_case(st, "路灯不亮", "in_progress",
                           {{1, "u1", std::string("u1.sub"), true, "in_progress", true, 0, 1}}, 5000);
  using Ids = std::vector<std::string>;
  const auto search = [&](SearchQuery q) { return ids_of(must(st.search(q))); };

  const auto check_answers = [&] {
    // Newest first (by id); a substring of the content or of the address, Chinese or not, of any length.
    CHECK(search({}) == Ids{s5, s4, s3, s2, s1});
    CHECK(search(Search().text("路灯不亮")) == Ids{s5, s3, s1});  // s2 has every character, not the phrase
    CHECK(search(Search().text("路灯")) == Ids{s5, s3, s2, s1});
    CHECK(search(Search().text("灯")) == Ids{s5, s3, s2, s1});
    CHECK(search(Search().text("胜利西路12号")) == Ids{s1});
    CHECK(search(Search().text("施工噪音扰民")) == Ids{s3});
    CHECK(search(Search().text("night, 100%")) == Ids{s4});
    CHECK(search(Search().text("%")) == Ids{s4});  // text, never a pattern
    CHECK(search(Search().text("_")).empty());
    CHECK(search(Search().text("'; DROP TABLE tickets; --")).empty());
    CHECK(search(Search().text("\"路灯\"")).empty());
    CHECK(search(Search().text("不存在的内容")).empty());
    // Filters: the ticket's state; a unit with a live (not withdrawn) assignment, or a case passed down to it;
    // received in [from, to).
    CHECK(search(Search().state("in_progress")) == Ids{s5, s4, s1});
    CHECK(search(Search().unit("u1")) == Ids{s5, s3, s1});
    CHECK(search(Search().unit("u1.sub")) == Ids{s5});
    CHECK(search(Search().unit("u2")) == Ids{s2});
    CHECK(search(Search().unit("u3")) == Ids{s4});
    CHECK(search(Search().unit("u")).empty());
    CHECK(search(Search().from(2000).to(4000)) == Ids{s3, s2});
    CHECK(search(Search().from(4000)) == Ids{s5, s4});
    CHECK(search(Search().to(1000)).empty());
    CHECK(search(Search().text("路灯").state("in_progress").unit("u1")) == Ids{s5, s1});
    // A limit, and paging by the last id seen.
    CHECK(search(Search().limit(2)) == Ids{s5, s4});
    CHECK(search(Search().text("路灯").before(s5).limit(2)) == Ids{s3, s2});
    CHECK(search(Search().text("路灯").before(s2).limit(2)) == Ids{s1});
    Ids paged;
    SearchQuery q = Search().limit(2);
    for (int guard = 0; guard < 10; ++guard) {
      const auto page = search(q);
      paged.insert(paged.end(), page.begin(), page.end());
      if (page.size() < 2) break;
      q.before_id = page.back();
    }
    CHECK(paged == Ids{s5, s4, s3, s2, s1});
  };

  // The index is filled off the commit path: a committed ticket is found at once, whatever the index holds.
  SECTION("nothing indexed yet") {
    CHECK(must(st.search_backlog()) == 5);
    check_answers();
  }
  SECTION("partly indexed") {
    CHECK(must(st.index_search(2)) == 2);
    CHECK(must(st.search_backlog()) == 3);
    check_answers();
  }
  SECTION("fully indexed, then more committed") {
    CHECK(must(st.index_search(100)) == 5);
    CHECK(must(st.search_backlog()) == 0);
    CHECK(must(st.index_search(100)) == 0);
    check_answers();
    const auto s6 = add_case(st, "又一盏路灯不亮", "in_progress", {open_at("u1", 1)}, 6000);
    CHECK(must(st.search_backlog()) == 1);
    CHECK(search(Search().text("路灯不亮")) == Ids{s6, s5, s3, s1});
    CHECK(must(st.index_search(100)) == 1);
    CHECK(search(Search().text("路灯不亮")) == Ids{s6, s5, s3, s1});
  }
  SECTION("indexed across a reopen") {
    CHECK(must(st.index_search(3)) == 3);
    s.reopen();
    CHECK(must(s.store->search_backlog()) == 2);
    CHECK(must(s.store->index_search(100)) == 2);
    CHECK(must(s.store->search_backlog()) == 0);
    CHECK(ids_of(must(s.store->search(Search().text("路灯不亮")))) == Ids{s5, s3, s1});
  }
}

TEMPLATE_TEST_CASE("contract: search sees a ticket's current state and units", "[storage][contract]",
                   HOTLINE_STORAGE_ENGINES) {
  Scratch<TestType> s;
  auto& st = *s.store;
  const auto id = add_case(st, "路灯不亮", "awaiting_sign_for", {open_at("u1", 1)});
  CHECK(must(st.index_search(10)) == 1);
  must(st.write_projection(id, {"in_progress",
                                2,
                                {{1, "u1", std::nullopt, true, "withdrawn", false, 0, 1},
                                 {2, "u2", std::nullopt, true, "in_progress", true, 0, 1}},
                                {}}));
  const auto rows = must(st.search(Search().text("路灯不亮")));
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].ticket_id == id);
  CHECK(rows[0].state == "in_progress");
  CHECK(rows[0].content == "路灯不亮");
  CHECK(rows[0].type == "complaint");
  CHECK(rows[0].unit_id == "u2");    // the current lead, not the unit routed at intake (350602.cgj)
  CHECK(rows[0].unit_name.empty());  // named by the caller from the rules: only the routed unit's name is stored
  must(st.write_projection(id,
                           {"in_progress", 3, {{1, "350602.cgj", std::nullopt, true, "in_progress", true, 0, 1}}, {}}));
  const auto back = must(st.search(Search().text("路灯不亮")));
  REQUIRE(back.size() == 1);
  CHECK(back[0].unit_id == "350602.cgj");  // the routed unit again, with its stored name
  CHECK(back[0].unit_name == "芗城区城市管理局");
  CHECK(rows[0].received_at == sample("20261126", "").received_at);
  CHECK(must(st.search(Search().state("awaiting_sign_for"))).empty());
  CHECK(must(st.search(Search().unit("u1"))).empty());
  CHECK(must(st.search(Search().unit("350602.cgj"))).size() == 1);
}
