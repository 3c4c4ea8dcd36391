#include "storage/report_store.hpp"

#include <filesystem>

#include "storage/migrations.hpp"

namespace hotline::storage {
namespace {

Error describe(const std::string& path, const Error& e) {
  const int primary = e.code & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return {e.code, "database '" + path + "' is locked by another process: " + e.message};
  }
  if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT) {
    return {e.code, "'" + path + "' is not a readable hotline database: " + e.message};
  }
  return {e.code, "cannot read database '" + path + "': " + e.message};
}

}  // namespace

Result<std::unique_ptr<ReportStore>> ReportStore::open(const std::string& path) {
  // SQLite would report a missing file as "unable to open database file"; say plainly what is wrong, and never
  // let a typo create an empty database (the connection is read-only as well).
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    return Error{ErrorCategory::not_found, "database '" + path + "' does not exist"};
  auto db = Connection::open(path, false, true);
  if (!db) return describe(path, db.error());
  // No mmap: mapped pages of a 1.5 GB file would count as the process's resident memory. A modest page cache;
  // the scan reads every page once anyway.
  (void)db->exec("PRAGMA cache_size=-16384");
  // The first read touches the header and the schema: corrupt files and foreign databases fail here.
  Statement version(db->get(), "PRAGMA user_version");
  auto row = version.step();
  if (!row) return describe(path, row.error());
  const auto v = version.column_int(0);
  if (v > schema_version()) {
    return Error{ErrorCategory::schema, "database '" + path + "' has schema version " + std::to_string(v) +
                                            ", newer than this build's " + std::to_string(schema_version())};
  }
  if (v < 3)
    return Error{ErrorCategory::schema,
                 "'" + path + "' is not a hotline database (schema version " + std::to_string(v) + ")"};
  return std::unique_ptr<ReportStore>(new ReportStore(std::move(*db)));
}

Result<std::int64_t> ReportStore::approximate_events() {
  Statement s(db_.get(), "SELECT coalesce(max(seq), 0) FROM events");
  auto row = s.step();
  if (!row) return row.error();
  return s.column_int(0);
}

Result<std::int64_t> ReportStore::for_each_event(std::int64_t until_ms,
                                                 const std::function<void(const EventView&)>& visit) {
  // One statement in rowid (= seq) order: a single sequential scan, one implicit read transaction, so the
  // report sees one consistent snapshot even while the daemon keeps writing.
  Statement s(db_.get(),
              "SELECT seq, ticket_id, at_ms, kind, unit_id, payload FROM events WHERE at_ms < ?1 ORDER BY seq");
  s.bind(1, until_ms);
  std::int64_t count = 0;
  EventView v;
  const auto walked = s.each_row([&] {
    v.seq = s.column_int(0);
    v.ticket_id = s.column_view(1);
    v.at_ms = s.column_int(2);
    v.kind = s.column_view(3);
    v.unit_id = s.column_view(4);
    v.payload = s.column_view(5);
    visit(v);
    ++count;
  });
  if (!walked) return walked.error();
  return count;
}

}  // namespace hotline::storage
