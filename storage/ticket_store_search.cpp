// TicketStore: full-text search over tickets, and the batch indexer that keeps the search index up to date.
#include <algorithm>

#include "storage/ticket_store.hpp"
#include "storage/time_budget.hpp"

namespace hotline::storage {

Result<std::int64_t> TicketStore::search_backlog() {
  if (!indexed_rowid_) {
    Statement s(db_.get(), "SELECT indexed_rowid, (SELECT coalesce(max(rowid), 0) FROM tickets) FROM search_progress");
    auto row = s.step();
    if (!row) return row.error();
    if (!*row) return Error{ErrorCategory::corrupt, "search_progress is empty"};
    indexed_rowid_ = s.column_int(0);
    newest_rowid_ = std::max(newest_rowid_.value_or(0), s.column_int(1));
  }
  return std::max<std::int64_t>(0, newest_rowid_.value_or(0) - *indexed_rowid_);
}

Result<std::int64_t> TicketStore::index_search(std::int64_t limit) {
  if (auto r = db_.exec("BEGIN IMMEDIATE"); !r) return r.error();
  auto added = index_search_batch(limit);
  if (added) {
    if (auto r = db_.exec("COMMIT"); !r) added = r.error();
  }
  if (!added) {
    (void)exec("ROLLBACK");
    indexed_rowid_.reset();  // reread: the progress row may not say what this connection last wrote
  }
  return added;
}

Result<std::int64_t> TicketStore::index_search_batch(std::int64_t limit) {
  if (auto backlog = search_backlog(); !backlog) return backlog.error();
  Statement range(db_.get(),
                  "SELECT count(*), max(rowid) FROM (SELECT rowid FROM tickets WHERE rowid > ?1 ORDER BY rowid"
                  " LIMIT ?2)");
  range.bind(1, *indexed_rowid_).bind(2, limit);
  if (auto row = range.step(); !row) return row.error();
  const std::int64_t count = range.column_int(0);
  if (count == 0) {
    newest_rowid_ = *indexed_rowid_;  // nothing beyond the index: the in-memory estimate was high
    return 0;
  }
  const std::int64_t last = range.column_int(1);
  // One statement adds the batch: FTS5 builds one segment for all of it, which costs a fraction per ticket of
  // what a segment per group commit did.
  auto& add = cached(index_search_,
                     "INSERT INTO tickets_fts(rowid, content, address) SELECT rowid, content, coalesce(address, '')"
                     " FROM tickets WHERE rowid > ?1 AND rowid <= ?2");
  add.bind(1, *indexed_rowid_).bind(2, last);
  if (auto r = add.run(); !r) return r.error();
  Statement progress(db_.get(), "UPDATE search_progress SET indexed_rowid = ?1");
  progress.bind(1, last);
  if (auto r = progress.run(); !r) return r.error();
  indexed_rowid_ = last;
  return count;
}

Result<std::vector<SearchRow>> TicketStore::search(const SearchQuery& q, std::chrono::milliseconds budget) {
  // The unit shown is the current lead (the newest lead assignment not withdrawn by a return, a re-dispatch or an
  // arbitration), not the first routing's; its name is stored only for the first routing's unit.
  std::string sql =
      "SELECT t.id, t.state, t.received_at, t.type, t.content,"
      " (SELECT a.unit_id FROM assignments a WHERE a.ticket_id = t.id AND a.lead = 1 AND a.state != 'withdrawn'"
      " ORDER BY a.seq DESC LIMIT 1), t.unit_id, t.unit_name FROM tickets t";
  std::vector<std::string> where;
  // The trigram index answers substrings of three characters or more; shorter text falls back to a scan.
  std::size_t chars = 0;
  for (const char c : q.text) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  if (!q.text.empty()) {
    if (chars >= 3) {
      // The index narrows the candidates (detail=none can over-match a long phrase); instr() confirms each.
      // Candidates: the index's matches plus every ticket beyond its reach (search_progress), both by rowid.
      where.push_back(
          "t.rowid IN (SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH ?1 UNION ALL"
          " SELECT rowid FROM tickets WHERE rowid > (SELECT indexed_rowid FROM search_progress))"
          " AND (instr(t.content, ?8) > 0 OR instr(coalesce(t.address, ''), ?8) > 0)");
    } else {
      where.push_back("(instr(t.content, ?1) > 0 OR instr(coalesce(t.address, ''), ?1) > 0)");
    }
  }
  if (q.state) where.push_back("t.state = ?2");
  // The units asked for: one (unit_id), or a unit and those below it (unit_ids), as one JSON array for json_each().
  std::vector<std::string> units = q.unit_ids;
  if (q.unit_id) units.push_back(*q.unit_id);
  if (!units.empty()) {
    where.push_back(
        "EXISTS (SELECT 1 FROM assignments a WHERE a.ticket_id = t.id AND a.state != 'withdrawn'"
        " AND (a.unit_id IN (SELECT value FROM json_each(?3)) OR a.handler_id IN (SELECT value FROM "
        "json_each(?3))))");
  }
  if (q.caller_key) where.push_back("t.caller_key = ?9");
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
  if (!units.empty()) {
    std::string ids = "[";
    for (const auto& id : units) {
      if (ids.size() > 1) ids += ',';
      ids += '"';
      for (const char c : id) {
        if (c == '"' || c == '\\') ids += '\\';
        ids += c;
      }
      ids += '"';
    }
    st.bind(3, ids + "]");
  }
  if (q.caller_key) st.bind(9, *q.caller_key);
  if (q.from_ms) st.bind(4, *q.from_ms);
  if (q.to_ms) st.bind(5, *q.to_ms);
  if (q.before_id) st.bind(6, *q.before_id);
  st.bind(7, static_cast<std::int64_t>(q.limit));
  std::vector<SearchRow> out;
  TimeBudget deadline(db_.get(), budget);
  while (true) {
    auto r = st.step();
    if (!r && deadline.exceeded()) {
      return Error{ErrorCategory::over_budget, "search stopped after " + std::to_string(budget.count()) + " ms"};
    }
    if (!r) return r.error();
    if (!*r) break;
    auto lead = st.column_text(5);  // NULL (empty) for a ticket with no live lead assignment
    auto routed = st.column_text(6);
    const bool first_unit = lead.empty() || lead == routed;
    out.push_back({st.column_text(0), st.column_text(1), st.column_text(2), st.column_text(3), st.column_text(4),
                   first_unit ? routed : lead, first_unit ? st.column_text(7) : std::string()});
  }
  return out;
}

}  // namespace hotline::storage
