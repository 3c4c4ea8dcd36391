// The caller access log: who read a ticket's caller (name, phone), appended by the writer, read by admins.
#include "storage/ticket_store.hpp"

namespace hotline::storage {

Result<void> TicketStore::append_caller_access(std::span<const CallerAccess> rows) {
  auto& s = cached(insert_access_,
                   "INSERT INTO caller_access_log(at, at_ms, ticket_id, token_id, role, unit_id, endpoint)"
                   " VALUES(?1,?2,?3,?4,?5,?6,?7)");
  for (const auto& a : rows) {
    s.bind(1, a.at).bind(2, a.at_ms).bind(3, a.ticket_id).bind(4, a.token_id).bind(5, a.role).bind(6, a.unit_id);
    s.bind(7, a.endpoint);
    if (auto r = s.run(); !r) return r.error();
  }
  return {};
}

Result<bool> TicketStore::sms_opted_out(const std::string& caller_key) {
  auto& s = cached(opted_out_, "SELECT 1 FROM sms_opt_out WHERE caller_key = ?1");
  s.bind(1, caller_key);
  auto row = s.step();
  if (!row) return row.error();
  const bool found = *row;
  s.reset();
  return found;
}

Result<bool> TicketStore::set_sms_opt_out(const std::string& caller_key, bool opted_out, std::int64_t at_ms,
                                          const std::string& actor) {
  // Rare (a caller's request): prepared per call.
  Statement s(db_.get(), opted_out ? "INSERT OR IGNORE INTO sms_opt_out(caller_key, at_ms, actor) VALUES(?1,?2,?3)"
                                   : "DELETE FROM sms_opt_out WHERE caller_key = ?1");
  s.bind(1, caller_key);
  if (opted_out) s.bind(2, at_ms).bind(3, actor);
  if (auto r = s.run(); !r) return r.error();
  return sqlite3_changes(db_.get()) > 0;
}

Result<std::vector<CallerAccess>> TicketStore::caller_access(const std::string& ticket_id, std::int64_t after,
                                                             int limit) {
  // Read rarely (an admin's question): prepared per call rather than cached on every connection.
  Statement s(db_.get(),
              ticket_id.empty()
                  ? "SELECT seq, at, at_ms, ticket_id, token_id, role, unit_id, endpoint FROM caller_access_log"
                    " WHERE seq > ?2 ORDER BY seq LIMIT ?3"
                  : "SELECT seq, at, at_ms, ticket_id, token_id, role, unit_id, endpoint FROM caller_access_log"
                    " WHERE ticket_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3");
  if (!ticket_id.empty()) s.bind(1, ticket_id);
  s.bind(2, after).bind(3, static_cast<std::int64_t>(limit));
  std::vector<CallerAccess> out;
  const auto walked = s.each_row([&] {
    out.push_back({s.column_int(0), s.column_text(1), s.column_int(2), s.column_text(3), s.column_optional_text(4),
                   s.column_text(5), s.column_optional_text(6), s.column_text(7)});
  });
  if (!walked) return walked.error();
  return out;
}

}  // namespace hotline::storage
