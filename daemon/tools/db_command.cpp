#include "daemon/tools/db_command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ostream>

#include "daemon/wire/case_codec.hpp"
#include "storage/backup.hpp"
#include "storage/ticket_store.hpp"

namespace hotline::daemon {
namespace {

void sort_deadlines(storage::Projection& p) {
  std::sort(p.deadlines.begin(), p.deadlines.end(),
            [](const auto& a, const auto& b) { return std::tie(a.unit_id, a.clock) < std::tie(b.unit_id, b.clock); });
}

std::string describe(const storage::Projection& p) {
  std::string s = "state " + p.state + "; updated " + std::to_string(p.updated_ms) + ";";
  for (const auto& a : p.assignments) {
    s += " [" + std::to_string(a.seq) + " " + a.unit_id + (a.handler_id ? "→" + *a.handler_id : "") + " " + a.state +
         (a.open ? " open" : "") + " reply " + std::to_string(a.reply_due_ms) + "]";
  }
  for (const auto& d : p.deadlines) s += " {" + d.unit_id + " " + d.clock + " " + std::to_string(d.due_ms) + "}";
  return s;
}

}  // namespace

int db_verify(const std::string& database, std::ostream& out, std::ostream& err) {
  auto store = storage::TicketStore::open(database, {.create = false, .read_only = true});
  if (!store) {
    err << "db verify: " << store.error().message << '\n';
    return 1;
  }
  std::size_t checked = 0;
  std::size_t different = 0;
  std::string after;
  while (true) {
    auto ids = (*store)->ticket_ids(after, 1000);
    if (!ids) {
      err << "db verify: " << ids.error().message << '\n';
      return 1;
    }
    if (ids->empty()) break;
    for (const auto& id : *ids) {
      auto ticket = (*store)->find_ticket(id);
      auto stored = (*store)->read_projection(id);
      if (!ticket || !*ticket || !stored || !*stored) {
        err << "db verify: cannot read ticket " << id << '\n';
        return 1;
      }
      const auto& events = (**ticket).events;
      auto rebuilt = project(replay_ticket(**ticket), changed_ms(events));
      auto actual = **stored;
      sort_deadlines(rebuilt);
      sort_deadlines(actual);
      ++checked;
      if (!(rebuilt == actual)) {
        ++different;
        out << id << ": stored   " << describe(actual) << "\n" << id << ": rebuilt  " << describe(rebuilt) << '\n';
      }
      if (checked % 100000 == 0) err << "db verify: " << checked << " tickets checked\n";
    }
    after = ids->back();
  }
  out << checked << " ticket(s) rebuilt from their events, " << different << " difference(s)\n";
  return different == 0 ? 0 : 1;
}

int db_access_log(const std::string& database, const std::string& ticket, std::ostream& out, std::ostream& err) {
  auto store = storage::TicketStore::open(database, {.create = false, .read_only = true});
  if (!store) {
    err << "db access-log: " << store.error().message << '\n';
    return 1;
  }
  std::int64_t after = 0;
  while (true) {
    auto rows = (*store)->caller_access(ticket, after, 1000);
    if (!rows) {
      err << "db access-log: " << rows.error().message << '\n';
      return 1;
    }
    if (rows->empty()) return 0;
    for (const auto& r : *rows) {
      out << r.seq << '\t' << r.at << '\t' << r.ticket_id << '\t' << r.token_id.value_or("-") << '\t' << r.role << '\t'
          << r.unit_id.value_or("-") << '\t' << r.endpoint << '\n';
    }
    after = rows->back().seq;
  }
}

int db_backup(const std::string& database, const std::string& to, std::ostream& out, std::ostream& err) {
  const auto start = std::chrono::steady_clock::now();
  auto copied = storage::backup_database(database, to);
  if (!copied) {
    err << "db backup: " << copied.error().message << '\n';
    return 1;
  }
  const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  out << fmt::format("backup of {} written to {}: {} pages ({:.1f} MiB) in {:.0f} ms; quick_check {}\n", database, to,
                     copied->pages, static_cast<double>(copied->bytes) / (1024.0 * 1024.0), ms, copied->quick_check);
  return 0;
}

}  // namespace hotline::daemon
