#include "storage/ticket_store.hpp"

#include <fmt/format.h>


namespace hotline::storage {

Result<std::unique_ptr<TicketStore>> TicketStore::open(const std::string& path, const OpenOptions& options) {
  auto db = open_database(path, options);
  if (!db) return db.error();
  return std::unique_ptr<TicketStore>(new TicketStore(std::move(*db)));
}

TicketStore::TicketStore(Connection db) : db_(std::move(db)) {}

Result<std::int64_t> TicketStore::next_sequence(const std::string& day, std::int64_t count) {
  // The counter row is bumped inside the batch's transaction, so numbers are never reused after a crash.
  if (!bump_sequence_) {
    bump_sequence_.emplace(db_.get(),
                           "INSERT INTO daily_sequence(day, last) VALUES(?1, ?2) "
                           "ON CONFLICT(day) DO UPDATE SET last = last + ?2 RETURNING last");
  }
  bump_sequence_->bind(1, day).bind(2, count);
  auto row = bump_sequence_->step();
  if (!row) return row.error();
  const std::int64_t last = bump_sequence_->column_int(0);
  bump_sequence_->reset();
  return last - count;  // the sequence before this batch's first ticket
}

Result<void> TicketStore::insert_one(NewTicket& t) {
  if (!insert_ticket_) {
    insert_ticket_.emplace(db_.get(),
                           "INSERT INTO tickets(id, received_at, received_ms, type, urgency, channel, category, area,"
                           " address, caller_name, caller_phone, content, state, unit_id, unit_name, rule_id,"
                           " rules_version, decision) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,"
                           "?16,?17,?18)");
    insert_event_.emplace(db_.get(),
                          "INSERT INTO events(ticket_id, at, at_ms, kind, actor, role, unit_id, payload)"
                          " VALUES(?1,?2,?3,?4,?5,?6,?7,?8)");
  }
  auto& s = *insert_ticket_;
  s.bind(1, t.id).bind(2, t.received_at).bind(3, t.received_ms).bind(4, t.type).bind(5, t.urgency);
  s.bind(6, t.channel).bind(7, t.category).bind(8, t.area).bind(9, t.address).bind(10, t.caller_name);
  s.bind(11, t.caller_phone).bind(12, t.content).bind(13, t.state).bind(14, t.unit_id).bind(15, t.unit_name);
  s.bind(16, t.rule_id).bind(17, t.rules_version).bind(18, t.decision);
  if (auto r = s.run(); !r) return r.error();
  for (const auto& e : t.events) {
    auto& ev = *insert_event_;
    ev.bind(1, t.id).bind(2, t.received_at).bind(3, t.received_ms).bind(4, e.kind).bind(5, e.actor).bind(6, e.role);
    if (e.unit_id.empty()) {
      ev.bind_null(7);
    } else {
      ev.bind(7, e.unit_id);
    }
    ev.bind(8, e.payload);
    if (auto r = ev.run(); !r) return r.error();
  }
  return {};
}

Result<void> TicketStore::insert_tickets(std::span<NewTicket> tickets) {
  if (tickets.empty()) return {};
  if (auto r = db_.exec("BEGIN IMMEDIATE"); !r) return r.error();
  const auto fail = [&](Error e) -> Result<void> {
    (void)db_.exec("ROLLBACK");
    for (auto& t : tickets) t.id.clear();
    return e;
  };
  // Number tickets per day in arrival order: one counter bump per distinct day in the batch.
  std::size_t i = 0;
  while (i < tickets.size()) {
    std::size_t j = i;
    while (j < tickets.size() && tickets[j].day == tickets[i].day) ++j;
    auto first = next_sequence(tickets[i].day, static_cast<std::int64_t>(j - i));
    if (!first) return fail(first.error());
    for (std::size_t k = i; k < j; ++k) {
      tickets[k].id = fmt::format("{}{}{:06d}", tickets[k].prefix, tickets[k].day,
                                  *first + static_cast<std::int64_t>(k - i) + 1);
    }
    i = j;
  }
  for (auto& t : tickets) {
    if (auto r = insert_one(t); !r) return fail(r.error());
  }
  if (auto r = db_.exec("COMMIT"); !r) return fail(r.error());
  return {};
}

Result<std::optional<StoredTicket>> TicketStore::find_ticket(const std::string& id) {
  if (!find_ticket_) {
    find_ticket_.emplace(db_.get(),
                         "SELECT id, received_at, received_ms, type, urgency, channel, category, area, address,"
                         " caller_name, caller_phone, content, state, unit_id, unit_name, rule_id, rules_version,"
                         " decision FROM tickets WHERE id = ?1");
    find_events_.emplace(db_.get(),
                         "SELECT seq, at, kind, actor, role, unit_id, payload FROM events WHERE ticket_id = ?1"
                         " ORDER BY seq");
  }
  // One read transaction, so the ticket and its events are a consistent snapshot.
  if (auto r = db_.exec("BEGIN"); !r) return r.error();
  auto& s = *find_ticket_;
  s.bind(1, id);
  auto row = s.step();
  if (!row || !*row) {
    s.reset();
    (void)db_.exec("COMMIT");
    if (!row) return row.error();
    return std::optional<StoredTicket>{};
  }
  StoredTicket t;
  t.id = s.column_text(0);
  t.received_at = s.column_text(1);
  t.received_ms = s.column_int(2);
  t.type = s.column_text(3);
  t.urgency = s.column_text(4);
  t.channel = s.column_optional_text(5);
  t.category = s.column_optional_text(6);
  t.area = s.column_optional_text(7);
  t.address = s.column_optional_text(8);
  t.caller_name = s.column_optional_text(9);
  t.caller_phone = s.column_optional_text(10);
  t.content = s.column_text(11);
  t.state = s.column_text(12);
  t.unit_id = s.column_text(13);
  t.unit_name = s.column_text(14);
  t.rule_id = s.column_text(15);
  t.rules_version = s.column_text(16);
  t.decision = s.column_text(17);
  s.reset();
  auto& e = *find_events_;
  e.bind(1, id);
  while (true) {
    auto r = e.step();
    if (!r) {
      e.reset();
      (void)db_.exec("COMMIT");
      return r.error();
    }
    if (!*r) break;
    t.events.push_back({e.column_int(0), e.column_text(1), e.column_text(2), e.column_text(3), e.column_text(4),
                        e.column_optional_text(5), e.column_text(6)});
  }
  e.reset();
  (void)db_.exec("COMMIT");
  return std::optional<StoredTicket>(std::move(t));
}

Result<std::int64_t> TicketStore::count_tickets() {
  if (!count_) count_.emplace(db_.get(), "SELECT count(*) FROM tickets");
  auto row = count_->step();
  if (!row) return row.error();
  const auto n = count_->column_int(0);
  count_->reset();
  return n;
}

}  // namespace hotline::storage
