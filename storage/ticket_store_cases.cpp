// TicketStore: the case projection (assignments, deadlines, state), unit queues and search.
#include "storage/ticket_store.hpp"

#include <algorithm>
#include <tuple>

namespace hotline::storage {

Result<void> TicketStore::write_projection(const std::string& ticket_id, const Projection& p, bool fresh) {
  if (fresh) return insert_projection_rows(ticket_id, p);
  auto& state = cached(update_state_, "UPDATE tickets SET state = ?2, updated_ms = ?3 WHERE id = ?1");
  state.bind(1, ticket_id).bind(2, p.state).bind(3, p.updated_ms);
  if (auto r = state.run(); !r) return r.error();

  auto& del_a = cached(delete_assignments_, "DELETE FROM assignments WHERE ticket_id = ?1");
  del_a.bind(1, ticket_id);
  if (auto r = del_a.run(); !r) return r.error();

  // Deadlines whose due instant did not move keep their escalation stage; the others start again.
  auto& del_d = cached(delete_deadlines_,
                       "DELETE FROM deadlines WHERE ticket_id = ?1 AND NOT EXISTS (SELECT 1 FROM json_each(?2) j"
                       " WHERE json_extract(j.value, '$.u') = deadlines.unit_id"
                       " AND json_extract(j.value, '$.c') = deadlines.clock"
                       " AND json_extract(j.value, '$.d') = deadlines.due_ms)");
  std::string keep = "[";
  for (const auto& d : p.deadlines) {
    if (keep.size() > 1) keep += ',';
    keep += "{\"u\":\"" + d.unit_id + "\",\"c\":\"" + d.clock + "\",\"d\":" + std::to_string(d.due_ms) + "}";
  }
  keep += "]";
  del_d.bind(1, ticket_id).bind(2, keep);
  if (auto r = del_d.run(); !r) return r.error();
  return insert_projection_rows(ticket_id, p);
}

Result<void> TicketStore::insert_projection_rows(const std::string& ticket_id, const Projection& p) {
  auto& ins_a = cached(insert_assignment_,
                       "INSERT INTO assignments(ticket_id, seq, unit_id, handler_id, lead, state, open,"
                       " dispatched_ms, reply_due_ms) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)");
  for (const auto& a : p.assignments) {
    ins_a.bind(1, ticket_id).bind(2, std::int64_t{a.seq}).bind(3, a.unit_id).bind(4, a.handler_id);
    ins_a.bind(5, std::int64_t{a.lead}).bind(6, a.state).bind(7, std::int64_t{a.open}).bind(8, a.dispatched_ms);
    ins_a.bind(9, a.reply_due_ms);
    if (auto r = ins_a.run(); !r) return r.error();
  }

  auto& ins_d = cached(insert_deadline_,
                       "INSERT INTO deadlines(ticket_id, unit_id, clock, due_ms, provisional, original_due_ms)"
                       " VALUES(?1,?2,?3,?4,?5,?6) ON CONFLICT(ticket_id, unit_id, clock) DO UPDATE SET"
                       " provisional = excluded.provisional, original_due_ms = excluded.original_due_ms");
  for (const auto& d : p.deadlines) {
    ins_d.bind(1, ticket_id).bind(2, d.unit_id).bind(3, d.clock).bind(4, d.due_ms);
    ins_d.bind(5, std::int64_t{d.provisional});
    if (d.original_due_ms) {
      ins_d.bind(6, *d.original_due_ms);
    } else {
      ins_d.bind_null(6);
    }
    if (auto r = ins_d.run(); !r) return r.error();
  }
  return {};
}

Result<std::optional<Projection>> TicketStore::read_projection(const std::string& ticket_id) {
  auto& st = cached(read_state_, "SELECT state, coalesce(updated_ms, received_ms) FROM tickets WHERE id = ?1");
  st.bind(1, ticket_id);
  auto row = st.step();
  if (!row) return row.error();
  if (!*row) {
    st.reset();
    return std::optional<Projection>{};
  }
  Projection p;
  p.state = st.column_text(0);
  p.updated_ms = st.column_int(1);
  st.reset();
  auto& a = cached(read_assignments_,
                   "SELECT seq, unit_id, handler_id, lead, state, open, dispatched_ms, reply_due_ms FROM assignments"
                   " WHERE ticket_id = ?1 ORDER BY seq");
  a.bind(1, ticket_id);
  while (true) {
    auto r = a.step();
    if (!r) return r.error();
    if (!*r) break;
    p.assignments.push_back({static_cast<int>(a.column_int(0)), a.column_text(1), a.column_optional_text(2),
                             a.column_int(3) != 0, a.column_text(4), a.column_int(5) != 0, a.column_int(6),
                             a.column_int(7)});
  }
  a.reset();
  auto& d = cached(read_deadlines_,
                   "SELECT unit_id, clock, due_ms, provisional, original_due_ms FROM deadlines WHERE ticket_id = ?1"
                   " ORDER BY unit_id, clock");
  d.bind(1, ticket_id);
  while (true) {
    auto r = d.step();
    if (!r) return r.error();
    if (!*r) break;
    std::optional<std::int64_t> original;
    if (auto text = d.column_optional_text(4)) original = d.column_int(4);
    p.deadlines.push_back({d.column_text(0), d.column_text(1), d.column_int(2), d.column_int(3) != 0, original});
  }
  d.reset();
  return std::optional<Projection>(std::move(p));
}

Result<std::vector<QueueRow>> TicketStore::queue(const QueueQuery& q) {
  // Both the unit's own assignments and those passed down to it, each read by an index range scan in due order.
  std::string sql =
      "SELECT t.id, t.state, t.received_at, t.type, t.content, a.unit_id, a.handler_id, a.lead, a.state,"
      " a.reply_due_ms FROM assignments a JOIN tickets t ON t.id = a.ticket_id WHERE ";
  const char* who[] = {"a.unit_id = ?1", "a.handler_id = ?1"};
  std::vector<QueueRow> out;
  for (const char* condition : who) {
    std::string s = sql + condition;
    // Open and closed rows are separate ranges of the queue index: (unit, open, due, ticket).
    s += q.include_closed ? " AND a.open = 0 AND a.state != 'withdrawn'" : " AND a.open = 1";
    if (q.state) s += " AND t.state = ?2";
    if (q.due_before_ms) s += " AND a.reply_due_ms < ?3";
    if (q.after) s += " AND (a.reply_due_ms, a.ticket_id) > (?4, ?5)";
    s += " ORDER BY a.reply_due_ms, a.ticket_id LIMIT ?6";
    Statement st(db_.get(), s);
    st.bind(1, q.unit_id);
    if (q.state) st.bind(2, *q.state);
    if (q.due_before_ms) st.bind(3, *q.due_before_ms);
    if (q.after) st.bind(4, q.after->first).bind(5, q.after->second);
    st.bind(6, static_cast<std::int64_t>(q.limit));
    while (true) {
      auto r = st.step();
      if (!r) return r.error();
      if (!*r) break;
      out.push_back({st.column_text(0), st.column_text(1), st.column_text(2), st.column_text(3), st.column_text(4),
                     st.column_text(5), st.column_optional_text(6), st.column_int(7) != 0, st.column_text(8),
                     st.column_int(9)});
    }
  }
  // Merge the two ordered lists and keep the first `limit`.
  std::sort(out.begin(), out.end(), [](const QueueRow& a, const QueueRow& b) {
    return std::tie(a.reply_due_ms, a.ticket_id) < std::tie(b.reply_due_ms, b.ticket_id);
  });
  if (out.size() > static_cast<std::size_t>(q.limit)) out.resize(static_cast<std::size_t>(q.limit));
  return out;
}

Result<std::vector<SearchRow>> TicketStore::search(const SearchQuery& q) {
  std::string sql = "SELECT t.id, t.state, t.received_at, t.type, t.content, t.unit_id, t.unit_name FROM tickets t";
  std::vector<std::string> where;
  // The trigram index answers substrings of three characters or more; shorter text falls back to a scan.
  std::size_t chars = 0;
  for (const char c : q.text) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  if (!q.text.empty()) {
    if (chars >= 3) {
      // The index narrows the candidates (detail=none can over-match a long phrase); instr() confirms each.
      where.push_back("t.id IN (SELECT id FROM tickets_fts WHERE tickets_fts MATCH ?1)"
                      " AND (instr(t.content, ?8) > 0 OR instr(coalesce(t.address, ''), ?8) > 0)");
    } else {
      where.push_back("(instr(t.content, ?1) > 0 OR instr(coalesce(t.address, ''), ?1) > 0)");
    }
  }
  if (q.state) where.push_back("t.state = ?2");
  if (q.unit_id) {
    where.push_back("EXISTS (SELECT 1 FROM assignments a WHERE a.ticket_id = t.id AND a.state != 'withdrawn'"
                    " AND (a.unit_id = ?3 OR a.handler_id = ?3))");
  }
  if (q.from_ms) where.push_back("t.received_ms >= ?4");
  if (q.to_ms) where.push_back("t.received_ms < ?5");
  if (q.before_id) where.push_back("t.id < ?6");
  for (std::size_t i = 0; i < where.size(); ++i) sql += (i == 0 ? " WHERE " : " AND ") + where[i];
  sql += " ORDER BY t.id DESC LIMIT ?7";
  Statement st(db_.get(), sql);
  if (!q.text.empty()) {
    if (chars >= 3) {
      // detail=none stores no positions, so no phrase queries: ask for every trigram of the text (AND) and let
      // instr() confirm the order.
      std::vector<std::string> chars_of;
      for (std::size_t i = 0; i < q.text.size();) {
        std::size_t n = 1;
        while (i + n < q.text.size() && (static_cast<unsigned char>(q.text[i + n]) & 0xC0) == 0x80) ++n;
        chars_of.push_back(q.text.substr(i, n));
        i += n;
      }
      std::string match;
      for (std::size_t i = 0; i + 3 <= chars_of.size(); ++i) {
        std::string gram = "\"";
        for (std::size_t k = i; k < i + 3; ++k) gram += chars_of[k] == "\"" ? std::string("\"\"") : chars_of[k];
        match += (match.empty() ? "" : " AND ") + gram + "\"";
      }
      st.bind(1, match);
      st.bind(8, q.text);
    } else {
      st.bind(1, q.text);
    }
  }
  if (q.state) st.bind(2, *q.state);
  if (q.unit_id) st.bind(3, *q.unit_id);
  if (q.from_ms) st.bind(4, *q.from_ms);
  if (q.to_ms) st.bind(5, *q.to_ms);
  if (q.before_id) st.bind(6, *q.before_id);
  st.bind(7, static_cast<std::int64_t>(q.limit));
  std::vector<SearchRow> out;
  while (true) {
    auto r = st.step();
    if (!r) return r.error();
    if (!*r) break;
    out.push_back({st.column_text(0), st.column_text(1), st.column_text(2), st.column_text(3), st.column_text(4),
                   st.column_text(5), st.column_text(6)});
  }
  return out;
}

}  // namespace hotline::storage
