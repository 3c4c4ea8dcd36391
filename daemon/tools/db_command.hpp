// hotlinectl db verify: rebuilds every ticket's state from its events and compares it with the stored projection.
// hotlinectl db access-log: prints the caller access log. db backup and db restore: a copy out and back in.
#pragma once

#include <iosfwd>
#include <string>

namespace hotline::daemon {

// Exit code 0 when every ticket matches, 1 on any difference (each listed) or when the database cannot be read.
// With `as_json` the result is one document: {"checked": N, "differences": [{"ticket", "stored", "rebuilt"}]}.
int db_verify(const std::string& database, bool as_json, std::ostream& out, std::ostream& err);

// hotlinectl db access-log: the caller access log (every ticket's, or `ticket`'s when not empty), oldest first,
// one tab-separated line a read: seq, at, ticket, token id ("-" for token-less access), role, unit ("-"), endpoint.
// Exit code 0, or 1 when the database cannot be read.
int db_access_log(const std::string& database, const std::string& ticket, std::ostream& out, std::ostream& err);

// hotlinectl db backup: a consistent copy of the database into the new file `to`, while the daemon runs; prints
// what it copied. 0 on success; 1 when `to` exists, the database cannot be read or the copy fails (nothing is
// left behind then).
// The notification outbox: rows per delivery state and the dead-lettered ones (at most 50, oldest first); with
// `retry_dead`, those queued again (a running hotlined sends them within a minute). 0, or 1 when the database
// cannot be read or written.
int db_notifications(const std::string& database, bool retry_dead, std::ostream& out, std::ostream& err);

int db_backup(const std::string& database, const std::string& to, std::ostream& out, std::ostream& err);

// hotlinectl db backup --into DIR --keep N: the same copy into DIR/hotline-YYYYMMDD-HHMMSS.db (local time; DIR is
// created 0750 when missing), then the oldest such copies in DIR removed until `keep` remain (0: none removed).
// 0 on success; 1 when the copy fails (nothing pruned then) or a copy cannot be removed.
int db_backup_rotated(const std::string& database, const std::string& into, std::size_t keep, std::ostream& out,
                      std::ostream& err);

// hotlinectl db restore: replaces `database` with the backup `from` (see storage::restore_database), holding the
// database's lock throughout. 0 restored; 1 when a hotlined has the database open (the lock is held), the backup
// is missing or not a sound hotline database of a schema this build reads, or the copy fails (the database is
// then as it was).
int db_restore(const std::string& database, const std::string& from, std::ostream& out, std::ostream& err);

}  // namespace hotline::daemon
