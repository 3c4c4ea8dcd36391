// TicketStore: tickets and their append-only events in SQLite. Synchronous; one instance per thread.
// The daemon keeps one writable store on its writer thread and read-only stores for request handlers.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "storage/case_rows.hpp"
#include "storage/database.hpp"
#include "storage/error.hpp"
#include "storage/escalation_store.hpp"
#include "storage/statement.hpp"

namespace hotline::storage {

struct NewEvent {
  std::string at;  // RFC 3339; empty = the ticket's received_at (insert_tickets only)
  std::int64_t at_ms = 0;
  std::string kind;     // "received", "dispatched", ...
  std::string actor;    // who did it
  std::string role;     // operator, unit, supervisor, admin, system
  std::string unit_id;  // unit concerned, empty when none
  std::string payload;  // JSON object text
};

struct NewTicket {
  std::string prefix;       // ticket number prefix, e.g. "ZZ"
  std::string day;          // local date YYYYMMDD; the number is prefix + day + 6-digit daily sequence
  std::string received_at;  // RFC 3339 with offset
  std::int64_t received_ms = 0;
  std::string type, urgency;
  std::optional<std::string> channel, category, area, address, caller_name, caller_phone;
  std::optional<std::string> caller_key;  // keyed hash of the normalised phone (daemon/access/caller_key)
  bool confidential = false;              // 保密件: units never see the caller
  std::optional<std::string> routed_matter, routed_area;  // what routing used (given or inferred): duplicates
  std::optional<std::string> lookup_hash;  // keyed hash of the citizen's lookup code (daemon/access/lookup_code)
  std::string content;
  std::string state;
  std::string unit_id, unit_name, rule_id, rules_version;
  std::string decision;  // JSON object text
  std::vector<NewEvent> events;

  std::string id;  // out: the ticket number, set by insert_tickets on success
};

struct StoredEvent {
  std::int64_t seq = 0;
  std::string at;
  std::int64_t at_ms = 0;
  std::string kind, actor, role;
  std::optional<std::string> unit_id;
  std::string payload;
};

// An event appended in the writer's open transaction, with the seq it was given (see record_appended).
struct AppendedEvent {
  std::int64_t seq = 0;
  std::string ticket_id;
  NewEvent event;
};

// One row of the event log with its ticket, for resumable feeds.
struct LoggedEvent {
  std::string ticket_id;
  StoredEvent event;
};

struct StoredTicket {
  std::string id, received_at;
  std::int64_t received_ms = 0;
  std::string type, urgency;
  std::optional<std::string> channel, category, area, address, caller_name, caller_phone;
  bool confidential = false;
  std::string content, state, unit_id, unit_name, rule_id, rules_version, decision;
  std::vector<StoredEvent> events;
};

// One read of a ticket's caller (name, phone): who read it, when, through which endpoint (caller_access_log).
struct CallerAccess {
  std::int64_t seq = 0;  // set when read back; ignored by append_caller_access
  std::string at;        // RFC 3339
  std::int64_t at_ms = 0;
  std::string ticket_id;
  std::optional<std::string> token_id;  // nullopt: token-less loopback access
  std::string role;
  std::optional<std::string> unit_id;
  std::string endpoint;
  friend bool operator==(const CallerAccess&, const CallerAccess&) = default;
};

class TicketStore {
 public:
  // Opens the database at `path` (migrating a writable one). Errors: cannot open, newer schema, locked.
  static Result<std::unique_ptr<TicketStore>> open(const std::string& path, const OpenOptions& options = {});

  // Inserts every ticket and its events in ONE transaction, assigning numbers; all or nothing.
  // On success the transaction is durably committed (WAL, synchronous=FULL) and each ticket's `id` is set.
  Result<void> insert_tickets(std::span<NewTicket> tickets);

  // The ticket with its events in order; nullopt when absent.
  Result<std::optional<StoredTicket>> find_ticket(const std::string& id);

  Result<std::int64_t> count_tickets();

  // A secret of this database by name (the caller key's: "caller_key"); not_found when absent.
  Result<std::string> secret(const std::string& name);
  // Ids of the tickets whose caller has `caller_key`, received at or after `since_ms`, newest first, at most
  // `limit`.
  Result<std::vector<std::string>> tickets_of_caller(const std::string& caller_key, std::int64_t since_ms, int limit);
  // Open tickets routed on `matter` and `area`, received at or after `since_ms`, newest first, at most `limit`:
  // (id, content) for the likely-duplicate check at intake. Served by the index on (routed_matter, routed_area,
  // received_ms).
  Result<std::vector<std::pair<std::string, std::string>>> open_tickets_like(const std::string& matter,
                                                                             const std::string& area,
                                                                             std::int64_t since_ms, int limit);
  // The keyed hash of a ticket's lookup code: nullopt for an unknown ticket, "" for one taken in without a code.
  Result<std::optional<std::string>> lookup_hash(const std::string& id);
  // Gives up to `batch` tickets with a phone and no caller key their key (`key_of`; a number that does not
  // normalise gets ''). Returns how many it updated: 0 when none is left.
  Result<int> fill_caller_keys(const std::function<std::optional<std::string>(const std::string&)>& key_of, int batch);

  // --- Primitives for the writer thread, which wraps them in its own (group) transaction. ---
  // BEGIN IMMEDIATE, COMMIT, SAVEPOINT x, ROLLBACK [TO x]... Use it (not a connection of its own) for every
  // rollback, so cached state is dropped with what the rollback undid.
  Result<void> exec(const std::string& sql);
  // Rows inserted, updated or deleted on this connection since it opened: tells whether a failed job wrote.
  std::int64_t total_changes() const;
  // The connection, for stores of other tables that must write in the same transaction (EscalationStore).
  sqlite3* handle() const { return db_.get(); }
  // The escalation tables on this same connection, kept for the store's life: a write job's statements are
  // prepared once per connection, not once per job. Same thread rules as the TicketStore.
  EscalationStore& escalations();
  // See Connection::hand_off_checkpoints: the writer's connection leaves checkpoints to another thread.
  void hand_off_checkpoints(Connection::CommitHook* on_commit) { db_.hand_off_checkpoints(on_commit); }
  // The next number for `day` (prefix + day + 6-digit sequence); the counter advances in the transaction.
  Result<std::string> next_ticket_id(const std::string& prefix, const std::string& day);
  // The ticket row (t.id set) and its events. Search indexing follows later, in batches (index_search).
  Result<void> insert_ticket(const NewTicket& t);
  Result<void> append_events(const std::string& ticket_id, const std::vector<NewEvent>& events);
  // Replaces the ticket's projection; escalation stages of deadlines that keep their due instant survive.
  // `fresh`: the ticket was inserted in this transaction with p.state already, so there is nothing to replace.
  Result<void> write_projection(const std::string& ticket_id, const Projection& p, bool fresh = false);
  // Tickets stored but not yet in the search index (an estimate kept in memory; exact after index_search).
  Result<std::int64_t> search_backlog();
  // Adds up to `limit` of the oldest unindexed tickets to the search index in a transaction of its own (call it
  // between the writer's groups, never inside one). Returns how many it added (0: the index is complete).
  Result<std::int64_t> index_search(std::int64_t limit);

  // Post-commit publication: while on, append_events also records each event with its seq in appended(). The
  // writer truncates the list on ROLLBACK TO (a failed job publishes nothing) and drains it after COMMIT. Off by
  // default, so costs nothing when nobody listens.
  void record_appended(bool on) { record_appended_ = on; }
  std::vector<AppendedEvent>& appended() { return appended_; }

  // Appends rows to the caller access log (writer thread, inside its transaction).
  Result<void> append_caller_access(std::span<const CallerAccess> rows);
  // Whether the caller with this key asked for no SMS.
  Result<bool> sms_opted_out(const std::string& caller_key);
  // Records (opted_out) or withdraws the caller's refusal of SMS; returns whether it changed anything.
  Result<bool> set_sms_opt_out(const std::string& caller_key, bool opted_out, std::int64_t at_ms,
                               const std::string& actor);

  // --- Reads ---
  // The caller access log of `ticket_id` (every ticket when empty), oldest first, `limit` rows with seq > `after`.
  Result<std::vector<CallerAccess>> caller_access(const std::string& ticket_id, std::int64_t after, int limit);
  Result<std::optional<Projection>> read_projection(const std::string& ticket_id);
  Result<std::vector<QueueRow>> queue(const QueueQuery& q);
  // The unit's open work by case state and how much is past its reply deadline at now_ms (its dashboard).
  Result<UnitCounts> unit_counts(const std::string& unit_id, std::int64_t now_ms);
  // Tickets matching the query, newest first. Text matches come from the search index plus a direct scan of the
  // tickets not indexed yet, so a ticket is found as soon as it is committed. With a positive `budget` the search
  // is stopped once it has run that long: an Error of category over_budget (a broad scan, not a failure).
  Result<std::vector<SearchRow>> search(const SearchQuery& q,
                                        std::chrono::milliseconds budget = std::chrono::milliseconds::zero());
  // Tickets with a provisional deadline, in id order, `limit` at a time after `after` (index deadlines_provisional).
  Result<std::vector<std::string>> provisional_ticket_ids(const std::string& after, int limit);
  // A background job's progress; nullopt when it never ran. Saved inside the job's own write transaction, so
  // what it did and how far it got commit together.
  Result<std::optional<JobProgress>> job_progress(const std::string& name);
  Result<void> save_job_progress(const std::string& name, const JobProgress& progress);
  // (content, category) of every ticket whose matter the operator gave, oldest first: the hotline's own labelled
  // history, for `hotlinectl rules learn --database`.
  Result<std::vector<std::pair<std::string, std::string>>> labelled_texts();
  // Every ticket id, oldest first, `limit` at a time after `after` (for db verify).
  Result<std::vector<std::string>> ticket_ids(const std::string& after, int limit);
  // Up to `limit` events with seq > `after_seq`, in seq order (a range of the primary key: cost ~ the rows read).
  Result<std::vector<LoggedEvent>> events_after(std::int64_t after_seq, int limit);
  // (state, number of tickets) for every state present: one grouped scan, for start-up gauges.
  Result<std::vector<std::pair<std::string, std::int64_t>>> count_by_state();

 private:
  explicit TicketStore(Connection db);
  Statement& cached(std::optional<Statement>& slot, const char* sql);
  Result<void> insert_projection_rows(const std::string& ticket_id, const Projection& p);
  Result<std::int64_t> index_search_batch(std::int64_t limit);
  // The first column of `sql` (?1 = after, ?2 = limit) for every row.
  Result<std::vector<std::string>> ids_of(const char* sql, const std::string& after, int limit);

  Connection db_;
  std::optional<Statement> insert_ticket_, insert_event_, bump_sequence_, find_ticket_, find_events_, count_,
      index_search_, delete_assignments_, insert_assignment_, insert_deadline_, delete_deadlines_, update_state_,
      read_assignments_, read_deadlines_, read_state_, events_after_, of_caller_, insert_access_, tickets_like_,
      opted_out_;
  std::optional<std::int64_t> newest_rowid_, indexed_rowid_;  // for search_backlog(); loaded on first use
  struct Sequence {
    std::string day;
    std::int64_t last = 0;
  };
  std::optional<Sequence> sequence_;  // daily_sequence's row for the day in use; dropped on every rollback
  bool record_appended_ = false;
  std::vector<AppendedEvent> appended_;
  std::unique_ptr<EscalationStore> escalations_;  // declared after db_: its statements are finalised first
};

}  // namespace hotline::storage
