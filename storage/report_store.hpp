// ReportStore: read-only, streaming queries for the nightly report over the event log. Never creates, migrates or
// writes a database. One instance per thread (it owns its own read-only connection).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "storage/error.hpp"
#include "storage/statement.hpp"

namespace hotline::storage {

// One stored event as the report reads it. The views point into SQLite's row buffer: valid only during the
// visitor call that receives them.
struct EventView {
  std::int64_t seq = 0;
  std::string_view ticket_id;
  std::int64_t at_ms = 0;
  std::string_view kind;
  std::string_view unit_id;  // "" when NULL
  std::string_view payload;  // JSON object text
};

class ReportStore {
 public:
  // Opens an existing database read-only and checks that it is a hotline database this build can read.
  // Errors (one readable line each): the file is missing, is not a database, is locked, or has a newer schema.
  static Result<std::unique_ptr<ReportStore>> open(const std::string& path);

  // Calls `visit` for every event with at_ms < until_ms, in seq order, in one pass and one read transaction.
  // Returns the number of events visited; an error when the database cannot be read.
  Result<std::int64_t> for_each_event(std::int64_t until_ms, const std::function<void(const EventView&)>& visit);

  // Row estimates for progress messages (max(seq) and max(rowid) of tickets): cheap, not exact counts.
  Result<std::int64_t> approximate_events();

 private:
  explicit ReportStore(Connection db) : db_(std::move(db)) {}
  Connection db_;
};

}  // namespace hotline::storage
