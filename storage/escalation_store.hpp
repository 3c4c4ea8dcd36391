// EscalationStore: the scheduler's armed stages (deadlines.next_stage/next_ms), the notification outbox and the
// supervisors' board, on a connection it borrows (the writer's, inside its transaction) or owns (a reader).
// Synchronous; one instance per thread, like its connection. Every query uses an index range, never a scan.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/case_rows.hpp"
#include "storage/database.hpp"
#include "storage/error.hpp"
#include "storage/statement.hpp"

namespace hotline::storage {

// Binds a new deadline row's stage plan to parameters first..first+5: yellow_ms, red_ms, urge_ms, supervise_ms,
// next_stage, next_ms (the first stage of the plan; NULLs when it has none).
void bind_stage_plan(Statement& st, int first, const DeadlineRow& row);

// An armed stage whose instant has come.
struct DueStage {
  std::string ticket_id, unit_id, clock;
  std::int64_t due_ms = 0;    // the clock's deadline
  std::string stage;          // yellow, red, urge, supervise
  std::int64_t stage_ms = 0;  // the stage's instant
  std::array<std::optional<std::int64_t>, 4> plan{};
  std::string urgency;  // the ticket's
};

struct NewNotification {
  std::optional<std::int64_t> event_seq;
  std::string ticket_id, unit_id, kind;
  bool urgent = false;
  std::int64_t created_ms = 0;
  std::string payload;                // JSON object text
  std::optional<std::string> target;  // webhook URL; nullopt: delivery 'none'
  std::int64_t next_attempt_ms = 0;   // first try (the end of quiet hours for a held one)
  bool digest = false;                // held by quiet hours
};

struct Notification {
  std::int64_t seq = 0;
  std::optional<std::int64_t> event_seq;
  std::string ticket_id, unit_id, kind;
  bool urgent = false;
  std::int64_t created_ms = 0;
  std::string payload, target;
  int attempts = 0;
  std::int64_t next_attempt_ms = 0;
  bool digest = false;
};

struct EscalationQuery {
  std::optional<std::string> stage;  // the stage last fired; nullopt = any fired stage
  std::optional<std::string> unit_id;
  struct Cursor {
    std::int64_t due_ms = 0;
    std::string ticket_id, unit_id, clock;
  };
  std::optional<Cursor> after;  // the last row of the previous page
  int limit = 50;
};

struct EscalationRow {
  std::string ticket_id, unit_id, clock, stage;
  std::int64_t due_ms = 0;
  std::optional<std::string> next_stage;
  std::optional<std::int64_t> next_ms;
};

// An armed clock with what its policy depends on, for re-planning after a calendar or policy reload.
struct ArmedClock {
  std::string ticket_id, unit_id, clock;
  std::int64_t due_ms = 0;
  std::string stage;  // last fired, or "pending"
  std::array<std::optional<std::int64_t>, 4> plan{};
  std::optional<std::string> next_stage;
  std::optional<std::int64_t> next_ms;
  std::string type, urgency, channel;  // the ticket's
};

struct StageCount {
  std::string unit_id, stage;
  std::int64_t count = 0;
};

// The text of the store's timer-path and board queries, exactly as it prepares them: tests check their query
// plans against the schema's indexes.
namespace escalation_sql {
extern const char* const earliest_stage;
extern const char* const due_stages;
extern const char* const count_armed;
extern const char* const earliest_delivery;
extern const char* const due_notifications;
extern const char* const count_pending;
std::string escalations(const EscalationQuery& q);
std::string stage_counts(bool one_unit);
}  // namespace escalation_sql

class EscalationStore {
 public:
  explicit EscalationStore(sqlite3* db) : db_(db) {}  // borrows: `db` must outlive the store
  // Owns a connection (read-only for the board). Errors: cannot open, newer schema.
  static Result<std::unique_ptr<EscalationStore>> open(const std::string& path, const OpenOptions& options = {});

  // --- Scheduler (on the writer's connection) ---
  // The earliest armed stage instant; nullopt when nothing is armed.
  Result<std::optional<std::int64_t>> earliest_stage();
  // Up to `limit` armed stages with instant <= now_ms, earliest first.
  Result<std::vector<DueStage>> due_stages(std::int64_t now_ms, int limit);
  // How many clocks have a stage armed (the next stage of each; a count over the partial index).
  Result<std::int64_t> count_armed();
  // Records `s.stage` as fired and arms the plan's next stage (none left: next_ms NULL). Only a row still armed
  // with exactly that stage changes; returns false when it was not (so a stage is never fired twice).
  Result<bool> advance(const DueStage& s);
  // The rowid of the last row this connection inserted (the seq of an event just appended).
  std::int64_t last_insert_rowid() const;

  // Armed clocks in key order after `after` (ticket_id, unit_id, clock; nullopt = from the start), `limit` of
  // them: a walk over every armed clock, for reloads only (never on a timer tick).
  Result<std::vector<ArmedClock>> armed_page(const std::optional<std::array<std::string, 3>>& after, int limit);
  // Replaces a clock's plan and next stage, unless its stage moved on meanwhile (false then).
  Result<bool> replan(const ArmedClock& c, const std::array<std::optional<std::int64_t>, 4>& plan);

  // --- Outbox ---
  Result<std::int64_t> insert_notification(const NewNotification& n);
  Result<std::optional<std::int64_t>> earliest_delivery();
  // Up to `limit` pending notifications due at now_ms, earliest first.
  Result<std::vector<Notification>> due_notifications(std::int64_t now_ms, int limit);
  Result<void> mark_delivered(std::int64_t seq, std::int64_t now_ms);
  // A failed attempt: attempts + 1, and either another try at `retry_ms` or (nullopt) dead-lettered.
  Result<void> mark_failed(std::int64_t seq, const std::string& error, std::optional<std::int64_t> retry_ms);
  Result<std::int64_t> count_pending();
  // The pending notifications' recipients and URLs, for a start-up that finds the configured URLs changed.
  struct PendingTarget {
    std::int64_t seq = 0;
    std::string unit_id, kind, target;
  };
  Result<std::vector<PendingTarget>> pending_targets();
  // Sends a pending notification to `url` from now on; nullopt: to no one any more (delivery 'none').
  Result<void> retarget(std::int64_t seq, const std::optional<std::string>& url);
  // The outbox as an admin inspects it: rows per delivery state, and the dead-lettered rows, oldest first.
  struct DeadNotification {
    std::int64_t seq = 0, created_ms = 0;
    std::string ticket_id, unit_id, kind, target, last_error;
    int attempts = 0;
  };
  Result<std::vector<std::pair<std::string, std::int64_t>>> count_by_delivery();
  Result<std::vector<DeadNotification>> dead_notifications(int limit);
  // Dead-lettered rows queued again, due at `now_ms`, their attempts counted afresh; returns how many.
  Result<std::int64_t> requeue_dead(std::int64_t now_ms);

  // --- The board ---
  // Open clocks past their first stage, by due instant.
  Result<std::vector<EscalationRow>> escalations(const EscalationQuery& q);
  // How many open clocks are at each fired stage, per unit (optionally one unit).
  Result<std::vector<StageCount>> stage_counts(const std::optional<std::string>& unit_id);

 private:
  EscalationStore(Connection owned);
  Statement& cached(std::optional<Statement>& slot, const char* sql);

  std::optional<Connection> owned_;
  sqlite3* db_;
  std::optional<Statement> earliest_, due_, advance_, insert_n_, earliest_n_, due_n_, armed_, replan_, delivered_,
      failed_, pending_, armed_count_;
};

}  // namespace hotline::storage
