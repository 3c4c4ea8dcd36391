#include "storage/ticket_store.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace hotline::storage {

Result<std::unique_ptr<TicketStore>> TicketStore::open(const std::string& path, const OpenOptions& options) {
  auto db = open_database(path, options);
  if (!db) return db.error();
  return std::unique_ptr<TicketStore>(new TicketStore(std::move(*db)));
}

TicketStore::TicketStore(Connection db) : db_(std::move(db)) {}

EscalationStore& TicketStore::escalations() {
  if (!escalations_) escalations_ = std::make_unique<EscalationStore>(db_.get());
  return *escalations_;
}

Statement& TicketStore::cached(std::optional<Statement>& slot, const char* sql) {
  if (!slot) slot.emplace(db_.get(), sql);
  return *slot;
}

Result<void> TicketStore::exec(const std::string& sql) {
  // Whatever a rollback undoes, the cached counter may be ahead of the table: read it again when next needed.
  if (sql.starts_with("ROLLBACK")) sequence_.reset();
  return db_.exec(sql);
}

std::int64_t TicketStore::total_changes() const {
  return sqlite3_total_changes64(db_.get());
}

Result<std::string> TicketStore::next_ticket_id(const std::string& prefix, const std::string& day) {
  // The counter row is bumped inside the caller's transaction, so numbers are never reused after a crash. Only
  // this connection writes it, so its value is cached between tickets: a plain update by key is all a ticket costs.
  if (!sequence_ || sequence_->day != day) {
    Statement read(db_.get(), "SELECT last FROM daily_sequence WHERE day = ?1");
    read.bind(1, day);
    auto row = read.step();
    if (!row) return row.error();
    const std::int64_t last = *row ? read.column_int(0) : 0;
    if (!*row) {
      Statement add(db_.get(), "INSERT INTO daily_sequence(day, last) VALUES(?1, 0)");
      add.bind(1, day);
      if (auto r = add.run(); !r) return r.error();
    }
    sequence_ = Sequence{day, last};
  }
  auto& bump = cached(bump_sequence_, "UPDATE daily_sequence SET last = ?2 WHERE day = ?1");
  bump.bind(1, day).bind(2, sequence_->last + 1);
  if (auto r = bump.run(); !r) {
    sequence_.reset();
    return r.error();
  }
  ++sequence_->last;
  return fmt::format("{}{}{:06d}", prefix, day, sequence_->last);
}

Result<void> TicketStore::insert_ticket(const NewTicket& t) {
  auto& s = cached(insert_ticket_,
                   "INSERT INTO tickets(id, received_at, received_ms, type, urgency, channel, category, area,"
                   " address, caller_name, caller_phone, content, state, unit_id, unit_name, rule_id,"
                   " rules_version, decision, updated_ms, caller_key, confidential, lookup_hash, routed_matter,"
                   " routed_area) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?3,?19,?20,"
                   "?21,?22,?23)");
  s.bind(1, t.id).bind(2, t.received_at).bind(3, t.received_ms).bind(4, t.type).bind(5, t.urgency);
  s.bind(6, t.channel).bind(7, t.category).bind(8, t.area).bind(9, t.address).bind(10, t.caller_name);
  s.bind(11, t.caller_phone).bind(12, t.content).bind(13, t.state).bind(14, t.unit_id).bind(15, t.unit_name);
  s.bind(16, t.rule_id).bind(17, t.rules_version).bind(18, t.decision).bind(19, t.caller_key);
  s.bind(20, std::int64_t{t.confidential ? 1 : 0});
  s.bind(21, t.lookup_hash).bind(22, t.routed_matter).bind(23, t.routed_area);
  if (auto r = s.run(); !r) return r.error();
  newest_rowid_ = std::max(newest_rowid_.value_or(0), std::int64_t{sqlite3_last_insert_rowid(db_.get())});
  std::vector<NewEvent> events = t.events;
  for (auto& e : events) {
    if (e.at.empty()) {
      e.at = t.received_at;
      e.at_ms = t.received_ms;
    }
  }
  return append_events(t.id, events);
}

Result<void> TicketStore::append_events(const std::string& ticket_id, const std::vector<NewEvent>& events) {
  auto& ev = cached(insert_event_,
                    "INSERT INTO events(ticket_id, at, at_ms, kind, actor, role, unit_id, payload)"
                    " VALUES(?1,?2,?3,?4,?5,?6,?7,?8)");
  for (const auto& e : events) {
    ev.bind(1, ticket_id).bind(2, e.at).bind(3, e.at_ms).bind(4, e.kind).bind(5, e.actor).bind(6, e.role);
    if (e.unit_id.empty()) {
      ev.bind_null(7);
    } else {
      ev.bind(7, e.unit_id);
    }
    ev.bind(8, e.payload);
    if (auto r = ev.run(); !r) return r.error();
    if (record_appended_) appended_.push_back({sqlite3_last_insert_rowid(db_.get()), ticket_id, e});
  }
  return {};
}

Result<void> TicketStore::insert_tickets(std::span<NewTicket> tickets) {
  if (tickets.empty()) return {};
  if (auto r = db_.exec("BEGIN IMMEDIATE"); !r) return r.error();
  const auto fail = [&](Error e) -> Result<void> {
    (void)exec("ROLLBACK");
    for (auto& t : tickets) t.id.clear();
    return e;
  };
  for (auto& t : tickets) {
    auto id = next_ticket_id(t.prefix, t.day);
    if (!id) return fail(id.error());
    t.id = std::move(*id);
    if (auto r = insert_ticket(t); !r) return fail(r.error());
  }
  if (auto r = db_.exec("COMMIT"); !r) return fail(r.error());
  return {};
}

Result<std::optional<StoredTicket>> TicketStore::find_ticket(const std::string& id) {
  auto& s = cached(find_ticket_,
                   "SELECT id, received_at, received_ms, type, urgency, channel, category, area, address,"
                   " caller_name, caller_phone, content, state, unit_id, unit_name, rule_id, rules_version,"
                   " decision, confidential FROM tickets WHERE id = ?1");
  auto& e = cached(find_events_,
                   "SELECT seq, at, at_ms, kind, actor, role, unit_id, payload FROM events WHERE ticket_id = ?1"
                   " ORDER BY seq");
  // One read transaction (unless the writer's is already open), so the ticket and its events agree.
  const bool own_txn = sqlite3_get_autocommit(db_.get()) != 0;
  if (own_txn) {
    if (auto r = db_.exec("BEGIN"); !r) return r.error();
  }
  const auto done = [&] {
    if (own_txn) (void)db_.exec("COMMIT");
  };
  s.bind(1, id);
  auto row = s.step();
  if (!row || !*row) {
    s.reset();
    done();
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
  t.confidential = s.column_int(18) != 0;
  s.reset();
  e.bind(1, id);
  const auto walked = e.each_row([&] {
    t.events.push_back({e.column_int(0), e.column_text(1), e.column_int(2), e.column_text(3), e.column_text(4),
                        e.column_text(5), e.column_optional_text(6), e.column_text(7)});
  });
  done();
  if (!walked) return walked.error();
  return std::optional<StoredTicket>(std::move(t));
}

Result<std::int64_t> TicketStore::count_tickets() {
  auto& s = cached(count_, "SELECT count(*) FROM tickets");
  auto row = s.step();
  if (!row) return row.error();
  const auto n = s.column_int(0);
  s.reset();
  return n;
}

Result<std::string> TicketStore::secret(const std::string& name) {
  Statement s(db_.get(), "SELECT value FROM secrets WHERE name = ?1");
  s.bind(1, name);
  auto row = s.step();
  if (!row) return row.error();
  if (!*row) return Error{ErrorCategory::not_found, "no secret '" + name + "' in the database"};
  return s.column_text(0);
}

Result<std::vector<std::pair<std::string, std::string>>> TicketStore::open_tickets_like(const std::string& matter,
                                                                                        const std::string& area,
                                                                                        std::int64_t since_ms,
                                                                                        int limit) {
  auto& s = cached(tickets_like_,
                   "SELECT id, content FROM tickets INDEXED BY tickets_by_matter_area"
                   " WHERE routed_matter = ?1 AND routed_area = ?2 AND received_ms >= ?3"
                   " AND state NOT IN ('closed', 'merged', 'not_accepted', 'answered_directly')"
                   " ORDER BY received_ms DESC LIMIT ?4");
  s.bind(1, matter).bind(2, area).bind(3, since_ms).bind(4, static_cast<std::int64_t>(limit));
  std::vector<std::pair<std::string, std::string>> out;
  if (auto r = s.each_row([&] { out.emplace_back(s.column_text(0), s.column_text(1)); }); !r) return r.error();
  return out;
}

Result<std::optional<std::string>> TicketStore::lookup_hash(const std::string& id) {
  Statement s(db_.get(), "SELECT coalesce(lookup_hash, '') FROM tickets WHERE id = ?1");
  s.bind(1, id);
  auto row = s.step();
  if (!row) return row.error();
  if (!*row) return std::optional<std::string>{};
  return std::optional<std::string>{s.column_text(0)};
}

Result<std::vector<std::string>> TicketStore::tickets_of_caller(const std::string& caller_key, std::int64_t since_ms,
                                                                int limit) {
  auto& s = cached(of_caller_,
                   "SELECT id FROM tickets WHERE caller_key = ?1 AND received_ms >= ?2"
                   " ORDER BY received_ms DESC, id DESC LIMIT ?3");
  s.bind(1, caller_key).bind(2, since_ms).bind(3, static_cast<std::int64_t>(limit));
  std::vector<std::string> out;
  if (auto r = s.each_row([&] { out.push_back(s.column_text(0)); }); !r) return r.error();
  return out;
}

Result<int> TicketStore::fill_caller_keys(const std::function<std::optional<std::string>(const std::string&)>& key_of,
                                          int batch) {
  Statement pick(db_.get(),
                 "SELECT rowid, caller_phone FROM tickets WHERE caller_key IS NULL AND caller_phone IS NOT NULL"
                 " LIMIT ?1");
  pick.bind(1, static_cast<std::int64_t>(batch));
  std::vector<std::pair<std::int64_t, std::string>> rows;
  if (auto r = pick.each_row([&] { rows.emplace_back(pick.column_int(0), pick.column_text(1)); }); !r) return r.error();
  Statement set(db_.get(), "UPDATE tickets SET caller_key = ?2 WHERE rowid = ?1");
  for (const auto& [rowid, phone] : rows) {
    set.bind(1, rowid).bind(2, key_of(phone).value_or(""));
    if (auto r = set.run(); !r) return r.error();
  }
  return static_cast<int>(rows.size());
}

Result<std::vector<std::string>> TicketStore::provisional_ticket_ids(const std::string& after, int limit) {
  return ids_of(
      "SELECT DISTINCT ticket_id FROM deadlines WHERE provisional = 1 AND ticket_id > ?1"
      " ORDER BY ticket_id LIMIT ?2",
      after, limit);
}

Result<std::optional<JobProgress>> TicketStore::job_progress(const std::string& name) {
  Statement s(db_.get(), "SELECT target, cursor, done FROM background_jobs WHERE name = ?1");
  s.bind(1, name);
  auto row = s.step();
  if (!row) return row.error();
  if (!*row) return std::optional<JobProgress>();
  return std::optional<JobProgress>(JobProgress{s.column_text(0), s.column_text(1), s.column_int(2) != 0});
}

Result<void> TicketStore::save_job_progress(const std::string& name, const JobProgress& progress) {
  Statement s(
      db_.get(),
      "INSERT INTO background_jobs(name, target, cursor, done) VALUES (?1, ?2, ?3, ?4)"
      " ON CONFLICT(name) DO UPDATE SET target = excluded.target, cursor = excluded.cursor, done = excluded.done");
  s.bind(1, name).bind(2, progress.target).bind(3, progress.cursor).bind(4, std::int64_t{progress.done ? 1 : 0});
  auto row = s.step();
  if (!row) return row.error();
  return {};
}

Result<std::vector<std::string>> TicketStore::ticket_ids(const std::string& after, int limit) {
  return ids_of("SELECT id FROM tickets WHERE id > ?1 ORDER BY id LIMIT ?2", after, limit);
}

Result<std::vector<std::pair<std::string, std::string>>> TicketStore::labelled_texts() {
  Statement s(db_.get(), "SELECT content, category FROM tickets WHERE category IS NOT NULL ORDER BY rowid");
  std::vector<std::pair<std::string, std::string>> out;
  if (auto r = s.each_row([&] { out.emplace_back(s.column_text(0), s.column_text(1)); }); !r) return r.error();
  return out;
}

Result<std::vector<std::string>> TicketStore::ids_of(const char* sql, const std::string& after, int limit) {
  Statement s(db_.get(), sql);
  s.bind(1, after).bind(2, static_cast<std::int64_t>(limit));
  std::vector<std::string> out;
  if (auto r = s.each_row([&] { out.push_back(s.column_text(0)); }); !r) return r.error();
  return out;
}

}  // namespace hotline::storage
