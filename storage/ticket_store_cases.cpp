// TicketStore: the case projection (assignments, deadlines, state) and unit queues.
#include <algorithm>
#include <string>
#include <string_view>
#include <tuple>

#include "storage/escalation_store.hpp"
#include "storage/ticket_store.hpp"

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

  auto& ins_d =
      cached(insert_deadline_,
             "INSERT INTO deadlines(ticket_id, unit_id, clock, due_ms, provisional, original_due_ms,"
             " yellow_ms, red_ms, urge_ms, supervise_ms, next_stage, next_ms)"
             " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12) ON CONFLICT(ticket_id, unit_id, clock) DO UPDATE SET"
             " provisional = excluded.provisional, original_due_ms = excluded.original_due_ms");
  for (const auto& d : p.deadlines) {
    ins_d.bind(1, ticket_id).bind(2, d.unit_id).bind(3, d.clock).bind(4, d.due_ms);
    ins_d.bind(5, std::int64_t{d.provisional});
    if (d.original_due_ms) {
      ins_d.bind(6, *d.original_due_ms);
    } else {
      ins_d.bind_null(6);
    }
    bind_stage_plan(ins_d, 7, d);
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
  const auto assignments = a.each_row([&] {
    p.assignments.push_back({static_cast<int>(a.column_int(0)), a.column_text(1), a.column_optional_text(2),
                             a.column_int(3) != 0, a.column_text(4), a.column_int(5) != 0, a.column_int(6),
                             a.column_int(7)});
  });
  if (!assignments) return assignments.error();
  auto& d = cached(read_deadlines_,
                   "SELECT unit_id, clock, due_ms, provisional, original_due_ms FROM deadlines WHERE ticket_id = ?1"
                   " ORDER BY unit_id, clock");
  d.bind(1, ticket_id);
  const auto deadlines = d.each_row([&] {
    std::optional<std::int64_t> original;
    if (auto text = d.column_optional_text(4)) original = d.column_int(4);
    p.deadlines.push_back({d.column_text(0), d.column_text(1), d.column_int(2), d.column_int(3) != 0, original});
  });
  if (!deadlines) return deadlines.error();
  return std::optional<Projection>(std::move(p));
}

Result<std::vector<QueueRow>> TicketStore::queue(const QueueQuery& q) {
  // Both the unit's own assignments and those passed down to it, each read by an index range scan in due order.
  // The desk's queue (oldest_first) reads the same range of open rows and sorts it by age: it holds only what
  // waits for a human dispatcher, never the whole history.
  const char* key = q.oldest_first ? "a.dispatched_ms" : "a.reply_due_ms";
  std::string sql =
      "SELECT t.id, t.state, t.received_at, t.type, t.content, a.unit_id, a.handler_id, a.lead, a.state,"
      " a.reply_due_ms, a.dispatched_ms, coalesce(d.stage, 'pending') FROM assignments a"
      " JOIN tickets t ON t.id = a.ticket_id"
      " LEFT JOIN deadlines d ON d.ticket_id = a.ticket_id AND d.unit_id = a.unit_id AND d.clock = 'reply' WHERE ";
  const char* who[] = {"a.unit_id = ?1", "a.handler_id = ?1"};
  std::vector<QueueRow> out;
  for (const char* condition : who) {
    std::string s = sql + condition;
    // Open and closed rows are separate ranges of the queue index: (unit, open, due, ticket).
    s += q.include_closed ? " AND a.open = 0 AND a.state != 'withdrawn'" : " AND a.open = 1";
    if (q.oldest_first) s += " AND a.lead = 1";
    if (q.state) s += " AND t.state = ?2";
    if (q.due_before_ms) s += " AND a.reply_due_ms < ?3";
    if (q.after) s += std::string(" AND (") + key + ", a.ticket_id) > (?4, ?5)";
    s += std::string(" ORDER BY ") + key + ", a.ticket_id LIMIT ?6";
    Statement st(db_.get(), s);
    st.bind(1, q.unit_id);
    if (q.state) st.bind(2, *q.state);
    if (q.due_before_ms) st.bind(3, *q.due_before_ms);
    if (q.after) st.bind(4, q.after->first).bind(5, q.after->second);
    st.bind(6, static_cast<std::int64_t>(q.limit));
    const auto walked = st.each_row([&] {
      out.push_back({st.column_text(0), st.column_text(1), st.column_text(2), st.column_text(3), st.column_text(4),
                     st.column_text(5), st.column_optional_text(6), st.column_int(7) != 0, st.column_text(8),
                     st.column_int(9), st.column_int(10), st.column_text(11)});
    });
    if (!walked) return walked.error();
  }
  // Merge the two ordered lists and keep the first `limit`.
  std::sort(out.begin(), out.end(), [&q](const QueueRow& a, const QueueRow& b) {
    if (q.oldest_first) return std::tie(a.dispatched_ms, a.ticket_id) < std::tie(b.dispatched_ms, b.ticket_id);
    return std::tie(a.reply_due_ms, a.ticket_id) < std::tie(b.reply_due_ms, b.ticket_id);
  });
  if (out.size() > static_cast<std::size_t>(q.limit)) out.resize(static_cast<std::size_t>(q.limit));
  return out;
}

namespace {
// The ids of the unit's open tickets, each range read by its queue index.
constexpr std::string_view k_open_of_unit =
    "SELECT ticket_id FROM assignments WHERE unit_id = ?1 AND open = 1 UNION"
    " SELECT ticket_id FROM assignments WHERE handler_id = ?1 AND open = 1";
constexpr std::string_view k_overdue_of_unit =
    "SELECT ticket_id FROM assignments WHERE unit_id = ?1 AND open = 1 AND reply_due_ms <= ?2 UNION"
    " SELECT ticket_id FROM assignments WHERE handler_id = ?1 AND open = 1 AND reply_due_ms <= ?2";
}  // namespace

Result<UnitCounts> TicketStore::unit_counts(const std::string& unit_id, std::int64_t now_ms) {
  // The same two ranges of the queue indexes as queue(): the unit's own open assignments and those passed down
  // to it. A ticket it holds twice (lead and passed down from a co-unit) counts once.
  Statement by_state(db_.get(), "SELECT t.state, count(*) FROM tickets t WHERE t.id IN (" +
                                    std::string(k_open_of_unit) + ") GROUP BY t.state ORDER BY t.state");
  by_state.bind(1, unit_id);
  UnitCounts out;
  const auto states =
      by_state.each_row([&] { out.by_state.emplace_back(by_state.column_text(0), by_state.column_int(1)); });
  if (!states) return states.error();
  Statement overdue(db_.get(), "SELECT count(*) FROM (" + std::string(k_overdue_of_unit) + ")");
  overdue.bind(1, unit_id).bind(2, now_ms);
  auto r = overdue.step();
  if (!r) return r.error();
  out.overdue = *r ? overdue.column_int(0) : 0;
  return out;
}

}  // namespace hotline::storage
