// TicketStore: reads for the live feed and the metrics (the event log by seq, tickets per state).
#include "storage/ticket_store.hpp"

namespace hotline::storage {

Result<std::vector<LoggedEvent>> TicketStore::events_after(std::int64_t after_seq, int limit) {
  auto& s = cached(events_after_,
                   "SELECT seq, at, at_ms, kind, actor, role, unit_id, payload, ticket_id FROM events"
                   " WHERE seq > ?1 ORDER BY seq LIMIT ?2");
  s.bind(1, after_seq).bind(2, static_cast<std::int64_t>(limit));
  std::vector<LoggedEvent> out;
  const auto walked = s.each_row([&] {
    out.push_back({s.column_text(8),
                   {s.column_int(0), s.column_text(1), s.column_int(2), s.column_text(3), s.column_text(4),
                    s.column_text(5), s.column_optional_text(6), s.column_text(7)}});
  });
  if (!walked) return walked.error();
  return out;
}

Result<std::vector<std::pair<std::string, std::int64_t>>> TicketStore::count_by_state() {
  Statement s(db_.get(), "SELECT state, count(*) FROM tickets GROUP BY state");
  std::vector<std::pair<std::string, std::int64_t>> out;
  if (auto r = s.each_row([&] { out.emplace_back(s.column_text(0), s.column_int(1)); }); !r) return r.error();
  return out;
}

}  // namespace hotline::storage
