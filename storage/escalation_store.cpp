#include "storage/escalation_store.hpp"

#include <array>
#include <string_view>

namespace hotline::storage {
namespace {

// The plan columns' stages, in firing order (routing::k_stages; storage does not link routing).
constexpr std::array<std::string_view, 4> k_stage_names{"yellow", "red", "urge", "supervise"};

// The position of stage `name` in the plan; -1 for "pending" (or anything else).
int stage_position(std::string_view name) {
  for (std::size_t i = 0; i < k_stage_names.size(); ++i) {
    if (k_stage_names[i] == name) return static_cast<int>(i);
  }
  return -1;
}

// The first stage of `plan` after position `from` (exclusive; -1 = from the start).
std::optional<std::size_t> next_in_plan(const std::array<std::optional<std::int64_t>, 4>& plan, int from) {
  for (std::size_t i = static_cast<std::size_t>(from + 1); i < plan.size(); ++i) {
    if (plan[i]) return i;
  }
  return std::nullopt;
}

std::optional<std::int64_t> optional_int(const Statement& st, int column) {
  if (!st.column_optional_text(column)) return std::nullopt;
  return st.column_int(column);
}

// The first column of the one row `st` yields (NULL: nullopt); leaves the statement reset for reuse.
Result<std::optional<std::int64_t>> single_value(Statement& st) {
  auto row = st.step();
  if (!row) {
    st.reset();
    return row.error();
  }
  auto out = *row ? optional_int(st, 0) : std::nullopt;
  st.reset();
  return out;
}

// Steps `st` to the end, turning each row into a T with `read`; leaves the statement reset for reuse.
template <class T, class Read>
Result<std::vector<T>> collect(Statement& st, Read read) {
  std::vector<T> out;
  if (auto r = st.each_row([&] { out.push_back(read(st)); }); !r) return r.error();
  return out;
}

}  // namespace

namespace escalation_sql {

const char* const earliest_stage = "SELECT min(next_ms) FROM deadlines WHERE next_ms IS NOT NULL";
const char* const due_stages =
    "SELECT d.ticket_id, d.unit_id, d.clock, d.due_ms, d.next_stage, d.next_ms, d.yellow_ms, d.red_ms,"
    " d.urge_ms, d.supervise_ms, t.urgency FROM deadlines d JOIN tickets t ON t.id = d.ticket_id"
    " WHERE d.next_ms IS NOT NULL AND d.next_ms <= ?1 ORDER BY d.next_ms LIMIT ?2";
const char* const count_armed = "SELECT count(*) FROM deadlines WHERE next_ms IS NOT NULL";
const char* const earliest_delivery = "SELECT min(next_attempt_ms) FROM notifications WHERE delivery = 'pending'";
const char* const due_notifications =
    "SELECT seq, event_seq, ticket_id, unit_id, kind, urgent, created_ms, payload, target, attempts,"
    " next_attempt_ms, digest FROM notifications WHERE delivery = 'pending' AND next_attempt_ms <= ?1"
    " ORDER BY next_attempt_ms, seq LIMIT ?2";
const char* const count_pending = "SELECT count(*) FROM notifications WHERE delivery = 'pending'";

std::string escalations(const EscalationQuery& q) {
  // Every condition repeats the partial index's own term, so SQLite can use deadlines_by_stage.
  std::string sql =
      "SELECT ticket_id, unit_id, clock, stage, due_ms, next_stage, next_ms FROM deadlines WHERE stage <> 'pending'";
  if (q.stage) sql += " AND stage = ?1";
  if (q.unit_id) sql += " AND unit_id = ?2";
  if (q.after) sql += " AND (due_ms, ticket_id, unit_id, clock) > (?3, ?4, ?5, ?6)";
  sql += " ORDER BY due_ms, ticket_id, unit_id, clock LIMIT ?7";
  return sql;
}

std::string stage_counts(bool one_unit) {
  std::string sql = "SELECT unit_id, stage, count(*) FROM deadlines WHERE stage <> 'pending'";
  if (one_unit) sql += " AND unit_id = ?1";
  sql += " GROUP BY stage, unit_id ORDER BY unit_id, stage";
  return sql;
}

}  // namespace escalation_sql

void bind_stage_plan(Statement& st, int first, const DeadlineRow& row) {
  for (std::size_t i = 0; i < row.stage_ms.size(); ++i) {
    if (row.stage_ms[i]) {
      st.bind(first + static_cast<int>(i), *row.stage_ms[i]);
    } else {
      st.bind_null(first + static_cast<int>(i));
    }
  }
  if (const auto next = next_in_plan(row.stage_ms, -1)) {
    st.bind(first + 4, k_stage_names[*next]);
    st.bind(first + 5, *row.stage_ms[*next]);
  } else {
    st.bind_null(first + 4).bind_null(first + 5);
  }
}

Result<std::unique_ptr<EscalationStore>> EscalationStore::open(const std::string& path, const OpenOptions& options) {
  auto db = open_database(path, options);
  if (!db) return db.error();
  return std::unique_ptr<EscalationStore>(new EscalationStore(std::move(*db)));
}

EscalationStore::EscalationStore(Connection owned) : owned_(std::move(owned)), db_(owned_->get()) {}

Statement& EscalationStore::cached(std::optional<Statement>& slot, const char* sql) {
  if (!slot) slot.emplace(db_, sql);
  return *slot;
}

std::int64_t EscalationStore::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(db_);
}

Result<std::optional<std::int64_t>> EscalationStore::earliest_stage() {
  return single_value(cached(earliest_, escalation_sql::earliest_stage));
}

Result<std::vector<DueStage>> EscalationStore::due_stages(std::int64_t now_ms, int limit) {
  auto& st = cached(due_, escalation_sql::due_stages);
  st.bind(1, now_ms).bind(2, static_cast<std::int64_t>(limit));
  return collect<DueStage>(st, [](const Statement& r) {
    DueStage s{
        r.column_text(0), r.column_text(1), r.column_text(2), r.column_int(3), r.column_text(4), r.column_int(5), {},
        r.column_text(10)};
    for (int i = 0; i < 4; ++i) s.plan[static_cast<std::size_t>(i)] = optional_int(r, 6 + i);
    return s;
  });
}

Result<std::int64_t> EscalationStore::count_armed() {
  auto n = single_value(cached(armed_count_, escalation_sql::count_armed));
  if (!n) return n.error();
  return n->value_or(0);
}

Result<bool> EscalationStore::advance(const DueStage& s) {
  const int position = stage_position(s.stage);
  auto& st = cached(advance_,
                    "UPDATE deadlines SET stage = ?4, next_stage = ?5, next_ms = ?6 WHERE ticket_id = ?1 AND"
                    " unit_id = ?2 AND clock = ?3 AND next_stage = ?4 AND next_ms = ?7");
  st.bind(1, s.ticket_id).bind(2, s.unit_id).bind(3, s.clock).bind(4, s.stage).bind(7, s.stage_ms);
  if (const auto next = next_in_plan(s.plan, position); next && position >= 0) {
    st.bind(5, k_stage_names[*next]).bind(6, *s.plan[*next]);
  } else {
    st.bind_null(5).bind_null(6);
  }
  if (auto r = st.run(); !r) return r.error();
  return sqlite3_changes(db_) == 1;
}

Result<std::vector<ArmedClock>> EscalationStore::armed_page(const std::optional<std::array<std::string, 3>>& after,
                                                            int limit) {
  auto& st = cached(armed_,
                    "SELECT d.ticket_id, d.unit_id, d.clock, d.due_ms, d.stage, d.yellow_ms, d.red_ms, d.urge_ms,"
                    " d.supervise_ms, d.next_stage, d.next_ms, t.type, t.urgency, coalesce(t.channel, '')"
                    " FROM deadlines d JOIN tickets t ON t.id = d.ticket_id WHERE d.next_ms IS NOT NULL AND"
                    " (d.ticket_id, d.unit_id, d.clock) > (?1, ?2, ?3) ORDER BY d.ticket_id, d.unit_id, d.clock"
                    " LIMIT ?4");
  const std::array<std::string, 3> start = after.value_or(std::array<std::string, 3>{});
  st.bind(1, start[0]).bind(2, start[1]).bind(3, start[2]).bind(4, static_cast<std::int64_t>(limit));
  return collect<ArmedClock>(st, [](const Statement& r) {
    ArmedClock c{
        r.column_text(0),          r.column_text(1),    r.column_text(2),  r.column_int(3),   r.column_text(4), {},
        r.column_optional_text(9), optional_int(r, 10), r.column_text(11), r.column_text(12), r.column_text(13)};
    for (int i = 0; i < 4; ++i) c.plan[static_cast<std::size_t>(i)] = optional_int(r, 5 + i);
    return c;
  });
}

Result<bool> EscalationStore::replan(const ArmedClock& c, const std::array<std::optional<std::int64_t>, 4>& plan) {
  const int position = stage_position(c.stage);
  auto& st = cached(replan_,
                    "UPDATE deadlines SET yellow_ms = ?5, red_ms = ?6, urge_ms = ?7, supervise_ms = ?8,"
                    " next_stage = ?9, next_ms = ?10 WHERE ticket_id = ?1 AND unit_id = ?2 AND clock = ?3"
                    " AND stage = ?4 AND next_ms IS NOT NULL");
  st.bind(1, c.ticket_id).bind(2, c.unit_id).bind(3, c.clock).bind(4, c.stage);
  DeadlineRow row;
  row.stage_ms = plan;
  // Stages up to the one last fired stay fired: the next one is the first planned after it.
  for (int i = 0; i <= position; ++i) row.stage_ms[static_cast<std::size_t>(i)].reset();
  bind_stage_plan(st, 5, row);
  for (int i = 0; i <= position; ++i) {  // the plan columns keep the whole plan
    if (const auto& at = plan[static_cast<std::size_t>(i)]) {
      st.bind(5 + i, *at);
    } else {
      st.bind_null(5 + i);
    }
  }
  if (auto r = st.run(); !r) return r.error();
  return sqlite3_changes(db_) == 1;
}

Result<std::int64_t> EscalationStore::insert_notification(const NewNotification& n) {
  auto& st =
      cached(insert_n_,
             "INSERT INTO notifications(event_seq, ticket_id, unit_id, kind, urgent, created_ms, payload, target,"
             " delivery, next_attempt_ms, digest) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)");
  if (n.event_seq) {
    st.bind(1, *n.event_seq);
  } else {
    st.bind_null(1);
  }
  st.bind(2, n.ticket_id).bind(3, n.unit_id).bind(4, n.kind).bind(5, std::int64_t{n.urgent}).bind(6, n.created_ms);
  st.bind(7, n.payload).bind(8, n.target).bind(9, n.target ? "pending" : "none");
  if (n.target) {
    st.bind(10, n.next_attempt_ms);
  } else {
    st.bind_null(10);
  }
  st.bind(11, std::int64_t{n.digest});
  if (auto r = st.run(); !r) return r.error();
  return last_insert_rowid();
}

Result<std::optional<std::int64_t>> EscalationStore::earliest_delivery() {
  return single_value(cached(earliest_n_, escalation_sql::earliest_delivery));
}

Result<std::vector<Notification>> EscalationStore::due_notifications(std::int64_t now_ms, int limit) {
  auto& st = cached(due_n_, escalation_sql::due_notifications);
  st.bind(1, now_ms).bind(2, static_cast<std::int64_t>(limit));
  return collect<Notification>(st, [](const Statement& r) {
    return Notification{r.column_int(0),  optional_int(r, 1),
                        r.column_text(2), r.column_text(3),
                        r.column_text(4), r.column_int(5) != 0,
                        r.column_int(6),  r.column_text(7),
                        r.column_text(8), static_cast<int>(r.column_int(9)),
                        r.column_int(10), r.column_int(11) != 0};
  });
}

Result<void> EscalationStore::mark_delivered(std::int64_t seq, std::int64_t now_ms) {
  auto& st = cached(delivered_,
                    "UPDATE notifications SET delivery = 'delivered', attempts = attempts + 1, next_attempt_ms = NULL,"
                    " delivered_ms = ?2, last_error = NULL WHERE seq = ?1 AND delivery = 'pending'");
  st.bind(1, seq).bind(2, now_ms);
  return st.run();
}

Result<void> EscalationStore::mark_failed(std::int64_t seq, const std::string& error,
                                          std::optional<std::int64_t> retry_ms) {
  auto& st = cached(failed_,
                    "UPDATE notifications SET attempts = attempts + 1, last_error = ?2,"
                    " delivery = CASE WHEN ?3 IS NULL THEN 'dead' ELSE 'pending' END, next_attempt_ms = ?3"
                    " WHERE seq = ?1 AND delivery = 'pending'");
  st.bind(1, seq).bind(2, error);
  if (retry_ms) {
    st.bind(3, *retry_ms);
  } else {
    st.bind_null(3);
  }
  return st.run();
}

Result<std::vector<EscalationStore::PendingTarget>> EscalationStore::pending_targets() {
  Statement st(db_, "SELECT seq, unit_id, kind, coalesce(target, '') FROM notifications WHERE delivery = 'pending'");
  return collect<PendingTarget>(st, [](const Statement& r) {
    return PendingTarget{r.column_int(0), r.column_text(1), r.column_text(2), r.column_text(3)};
  });
}

Result<void> EscalationStore::retarget(std::int64_t seq, const std::optional<std::string>& url) {
  Statement st(db_,
               "UPDATE notifications SET target = ?2,"
               " delivery = CASE WHEN ?2 IS NULL THEN 'none' ELSE delivery END,"
               " next_attempt_ms = CASE WHEN ?2 IS NULL THEN NULL ELSE next_attempt_ms END"
               " WHERE seq = ?1 AND delivery = 'pending'");
  st.bind(1, seq);
  if (url) {
    st.bind(2, *url);
  } else {
    st.bind_null(2);
  }
  return st.run();
}

Result<std::vector<std::pair<std::string, std::int64_t>>> EscalationStore::count_by_delivery() {
  Statement st(db_, "SELECT delivery, count(*) FROM notifications GROUP BY delivery ORDER BY delivery");
  return collect<std::pair<std::string, std::int64_t>>(st, [](const Statement& r) {
    return std::pair{r.column_text(0), r.column_int(1)};
  });
}

Result<std::vector<EscalationStore::DeadNotification>> EscalationStore::dead_notifications(int limit) {
  Statement st(db_,
               "SELECT seq, created_ms, ticket_id, unit_id, kind, coalesce(target, ''), coalesce(last_error, ''),"
               " attempts FROM notifications WHERE delivery = 'dead' ORDER BY seq LIMIT ?1");
  st.bind(1, static_cast<std::int64_t>(limit));
  return collect<DeadNotification>(st, [](const Statement& r) {
    return DeadNotification{r.column_int(0),  r.column_int(1),  r.column_text(2), r.column_text(3),
                            r.column_text(4), r.column_text(5), r.column_text(6), static_cast<int>(r.column_int(7))};
  });
}

Result<std::int64_t> EscalationStore::requeue_dead(std::int64_t now_ms) {
  Statement st(db_,
               "UPDATE notifications SET delivery = 'pending', attempts = 0, next_attempt_ms = ?1"
               " WHERE delivery = 'dead'");
  st.bind(1, now_ms);
  if (auto r = st.run(); !r) return r.error();
  return static_cast<std::int64_t>(sqlite3_changes(db_));
}

Result<std::int64_t> EscalationStore::count_pending() {
  auto n = single_value(cached(pending_, escalation_sql::count_pending));
  if (!n) return n.error();
  return n->value_or(0);
}

Result<std::vector<EscalationRow>> EscalationStore::escalations(const EscalationQuery& q) {
  Statement st(db_, escalation_sql::escalations(q));
  if (q.stage) st.bind(1, *q.stage);
  if (q.unit_id) st.bind(2, *q.unit_id);
  if (q.after)
    st.bind(3, q.after->due_ms).bind(4, q.after->ticket_id).bind(5, q.after->unit_id).bind(6, q.after->clock);
  st.bind(7, static_cast<std::int64_t>(q.limit));
  return collect<EscalationRow>(st, [](const Statement& r) {
    return EscalationRow{r.column_text(0), r.column_text(1),          r.column_text(2),  r.column_text(3),
                         r.column_int(4),  r.column_optional_text(5), optional_int(r, 6)};
  });
}

Result<std::vector<StageCount>> EscalationStore::stage_counts(const std::optional<std::string>& unit_id) {
  Statement st(db_, escalation_sql::stage_counts(unit_id.has_value()));
  if (unit_id) st.bind(1, *unit_id);
  return collect<StageCount>(st, [](const Statement& r) {
    return StageCount{r.column_text(0), r.column_text(1), r.column_int(2)};
  });
}

}  // namespace hotline::storage
