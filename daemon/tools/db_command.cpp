#include "daemon/tools/db_command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <ostream>
#include <thread>

#include "daemon/runtime/database_lock.hpp"
#include "daemon/runtime/local_time.hpp"
#include "daemon/runtime/private_folders.hpp"
#include "daemon/runtime/scheduler_clock.hpp"
#include "daemon/tools/backup_rotation.hpp"
#include "daemon/tools/database_path.hpp"
#include "daemon/wire/case_codec.hpp"
#include "storage/backup.hpp"
#include "storage/ticket_store.hpp"

namespace hotline::daemon {
namespace {

namespace json = boost::json;

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

int db_verify(const std::string& database, bool as_json, std::ostream& out, std::ostream& err) {
  if (!require_database("db verify", database, err)) return 1;
  auto store = storage::TicketStore::open(database, {.create = false, .read_only = true});
  if (!store) {
    err << "db verify: " << store.error().message << '\n';
    return 1;
  }
  std::size_t checked = 0;
  std::size_t different = 0;
  json::array differences;
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
        if (as_json) {
          differences.push_back({{"ticket", id}, {"stored", describe(actual)}, {"rebuilt", describe(rebuilt)}});
        } else {
          out << id << ": stored   " << describe(actual) << "\n" << id << ": rebuilt  " << describe(rebuilt) << '\n';
        }
      }
      if (checked % 100000 == 0) err << "db verify: " << checked << " tickets checked\n";
    }
    after = ids->back();
  }
  if (as_json) {
    out << json::serialize(json::object{{"checked", checked}, {"differences", std::move(differences)}}) << '\n';
  } else {
    out << checked << " ticket(s) rebuilt from their events, " << different << " difference(s)\n";
  }
  return different == 0 ? 0 : 1;
}

int db_access_log(const std::string& database, const std::string& ticket, std::ostream& out, std::ostream& err) {
  if (!require_database("db access-log", database, err)) return 1;
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

int db_notifications(const std::string& database, bool retry_dead, std::ostream& out, std::ostream& err) {
  if (!require_database("db notifications", database, err)) return 1;
  auto store = storage::TicketStore::open(database, {.create = false, .read_only = !retry_dead, .migrate = false});
  if (!store) {
    err << "db notifications: " << store.error().message << '\n';
    return 1;
  }
  auto& esc = (*store)->escalations();
  if (retry_dead) {
    auto n = esc.requeue_dead(wall_clock().now_ms());
    if (!n) {
      err << "db notifications: " << n.error().message << '\n';
      return 1;
    }
    out << *n
        << " dead notification(s) queued again: a running hotlined sends them within a minute (if a webhook's "
           "URL was corrected in the config, restart hotlined now: pending notifications follow the config at start)\n";
    return 0;
  }
  auto counts = esc.count_by_delivery();
  auto dead = esc.dead_notifications(50);
  if (!counts || !dead) {
    err << "db notifications: " << (!counts ? counts.error().message : dead.error().message) << '\n';
    return 1;
  }
  out << "notifications:";
  for (const auto& [delivery, n] : *counts) out << ' ' << delivery << ' ' << n;
  out << (counts->empty() ? " none\n" : "\n");
  for (const auto& d : *dead) {
    out << "dead " << d.seq << '\t' << local_stamp_ms(d.created_ms).rfc3339 << '\t' << d.ticket_id << '\t'
        << (d.unit_id.empty() ? "-" : d.unit_id) << '\t' << d.kind << '\t' << d.target << '\t' << d.attempts
        << " tries: " << d.last_error << '\n';
  }
  if (!dead->empty()) out << "(hotlinectl db notifications --retry-dead queues them again)\n";
  return 0;
}

int db_backup(const std::string& database, const std::string& to, std::ostream& out, std::ostream& err) {
  if (!require_database("db backup", database, err)) return 1;
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

int db_backup_rotated(const std::string& database, const std::string& into, std::size_t keep, std::ostream& out,
                      std::ostream& err) {
  if (!require_database("db backup", database, err)) return 1;
  if (const auto ec = create_private_folders(into)) {
    err << "db backup: cannot create " << into << ": " << ec.message() << '\n';
    return 1;
  }
  std::error_code scan;
  const auto leftovers =
      remove_interrupted_backups(into, std::filesystem::file_time_type::clock::now(), std::chrono::hours(1), scan);
  for (const auto& path : leftovers) out << "removed " << path.string() << ", left by an interrupted backup\n";
  // Named by the second: a second run within the same second (by hand, beside the daily timer) waits for the
  // next one rather than fail on the name the first one took.
  auto now_ms = wall_clock().now_ms();
  auto name = rotated_backup_name(local_stamp_ms(now_ms).rfc3339);
  std::error_code ec;
  if (std::filesystem::exists(std::filesystem::path(into) / name, ec)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1000 - now_ms % 1000 + 5));
    now_ms = wall_clock().now_ms();
    name = rotated_backup_name(local_stamp_ms(now_ms).rfc3339);
  }
  if (const int failed = db_backup(database, (std::filesystem::path(into) / name).string(), out, err)) return failed;
  if (keep == 0) return 0;
  std::error_code error;
  const auto removed = prune_rotated_backups(into, keep, error);
  for (const auto& path : removed) out << "removed the older backup " << path.string() << '\n';
  if (error) {
    err << "db backup: cannot prune the backups in " << into << ": " << error.message() << '\n';
    return 1;
  }
  return 0;
}

int db_restore(const std::string& database, const std::string& from, std::ostream& out, std::ostream& err) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(from, ec)) {
    err << "db restore: no backup at " << from << '\n';
    return 1;
  }
  const auto folder = std::filesystem::path(database).parent_path();
  if (!folder.empty() && !std::filesystem::is_directory(folder, ec)) {
    err << "db restore: no folder " << folder.string() << " for the database " << database << '\n';
    return 1;
  }
  const bool existed = std::filesystem::exists(database, ec);
  storage::Result<storage::RestoreSummary> restored = storage::Error{storage::ErrorCategory::io, ""};
  {
    // Held for the whole restore: a hotlined that starts meanwhile is refused instead of reading half a restore.
    const DatabaseLock lock(database, "hotlinectl db restore");
    if (lock.outcome() != DatabaseLock::Outcome::held) {
      err << "db restore: " << lock.message()
          << (lock.outcome() == DatabaseLock::Outcome::in_use ? "; stop it first (systemctl stop hotline)\n" : "\n");
      return 1;
    }
    restored = storage::restore_database(from, database);
  }
  if (!restored) {
    // A restore that was to create the database leaves nothing behind, not even the lock's file.
    if (!existed) std::filesystem::remove(DatabaseLock::path_for(database), ec);
    err << "db restore: " << restored.error().message << "; " << database
        << (existed ? " is unchanged\n" : " was not created\n");
    return 1;
  }
  out << fmt::format("{} restored from {}: {} pages, schema version {}{}\n", database, from, restored->pages,
                     restored->schema_version, restored->created ? " (a new file)" : "");
  return 0;
}

}  // namespace hotline::daemon
