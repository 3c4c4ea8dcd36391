#include "storage/migrations.hpp"

#include <array>
#include <string>

namespace hotline::storage {
namespace {

// Never edit a shipped step: append a new one. Step i brings user_version from i to i + 1.
constexpr std::array<const char*, 16> k_steps{
    // 1: tickets, the append-only event log, and the daily sequence behind ticket numbers.
    R"sql(
CREATE TABLE tickets (
  id            TEXT PRIMARY KEY,
  received_at   TEXT NOT NULL,      -- RFC 3339 with the deployment's offset
  received_ms   INTEGER NOT NULL,   -- Unix milliseconds
  type          TEXT NOT NULL,
  urgency       TEXT NOT NULL,
  channel       TEXT,
  category      TEXT,               -- as given by the operator
  area          TEXT,               -- as given by the operator
  address       TEXT,
  caller_name   TEXT,
  caller_phone  TEXT,
  content       TEXT NOT NULL,
  state         TEXT NOT NULL,
  unit_id       TEXT NOT NULL,      -- lead unit
  unit_name     TEXT NOT NULL,
  rule_id       TEXT NOT NULL,
  rules_version TEXT NOT NULL,
  decision      TEXT NOT NULL       -- JSON: co-units, matter and area used, whether inferred
);  -- a rowid table: rows are large (the citizen's text), which WITHOUT ROWID handles poorly
CREATE INDEX tickets_by_unit ON tickets(unit_id, received_ms);

CREATE TABLE events (
  seq        INTEGER PRIMARY KEY,
  ticket_id  TEXT NOT NULL REFERENCES tickets(id),
  at         TEXT NOT NULL,
  at_ms      INTEGER NOT NULL,
  kind       TEXT NOT NULL,
  actor      TEXT NOT NULL,
  role       TEXT NOT NULL,
  unit_id    TEXT,
  payload    TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX events_by_ticket ON events(ticket_id, seq);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

CREATE TABLE daily_sequence (
  day  TEXT PRIMARY KEY,   -- local date, YYYYMMDD
  last INTEGER NOT NULL
) WITHOUT ROWID;
)sql",
    // 2: access tokens. Only a hash of each token's secret is stored.
    R"sql(
CREATE TABLE tokens (
  id          TEXT PRIMARY KEY,   -- public part of the token, shown in listings
  name        TEXT NOT NULL,
  role        TEXT NOT NULL CHECK (role IN ('operator', 'unit', 'supervisor', 'admin')),
  unit_id     TEXT,               -- set for role 'unit'
  secret_hash TEXT NOT NULL,      -- SHA-256 of the secret part, hex
  created_at  TEXT NOT NULL,
  revoked_at  TEXT,
  CHECK ((role = 'unit') = (unit_id IS NOT NULL))
) WITHOUT ROWID;
)sql",
    // 3: the case projection derived from events (rebuilt by `hotlinectl db verify`), and full-text search.
    R"sql(
ALTER TABLE tickets ADD COLUMN updated_ms INTEGER;
-- Queues and unit searches go through assignments; every index on tickets is paid for on every intake.
DROP INDEX tickets_by_unit;

CREATE TABLE assignments (
  ticket_id     TEXT NOT NULL REFERENCES tickets(id),
  seq           INTEGER NOT NULL,   -- position in the case's assignment history
  unit_id       TEXT NOT NULL,      -- accountable unit
  handler_id    TEXT,               -- child unit it was passed down to
  lead          INTEGER NOT NULL,
  state         TEXT NOT NULL,      -- awaiting_sign_for, in_progress, replied, withdrawn
  open          INTEGER NOT NULL,   -- 1 while the case is open and the assignment not withdrawn
  dispatched_ms INTEGER NOT NULL,
  reply_due_ms  INTEGER NOT NULL,
  PRIMARY KEY (ticket_id, seq)
) WITHOUT ROWID;
CREATE INDEX assignments_queue ON assignments(unit_id, open, reply_due_ms, ticket_id);
CREATE INDEX assignments_handler_queue ON assignments(handler_id, open, reply_due_ms, ticket_id)
  WHERE handler_id IS NOT NULL;

CREATE TABLE deadlines (
  ticket_id       TEXT NOT NULL REFERENCES tickets(id),
  unit_id         TEXT NOT NULL,    -- '' for clocks of the whole ticket (follow-up)
  clock           TEXT NOT NULL,    -- sign_for, reply, follow_up
  due_ms          INTEGER NOT NULL,
  provisional     INTEGER NOT NULL,
  original_due_ms INTEGER,          -- the reply deadline before extensions, for on-time statistics
  stage           TEXT NOT NULL DEFAULT 'pending',
  PRIMARY KEY (ticket_id, unit_id, clock)
) WITHOUT ROWID;
CREATE INDEX deadlines_by_due ON deadlines(due_ms);

-- detail=none keeps the index small and fast to write; matches are confirmed against the text (see search()).
CREATE VIRTUAL TABLE tickets_fts USING fts5(id UNINDEXED, content, address, tokenize = 'trigram',
                                            detail = 'none', columnsize = 0);
)sql",
    // 4: search is indexed off the commit path, in large batches (TicketStore::index_search): a group commit of a
    // few dozen tickets made FTS5 write and merge a small segment each time, a third of the writer's time. The
    // index refers to tickets' own text (external content) instead of keeping a second copy, and
    // search_progress.indexed_rowid says how far it reaches; search() scans the few tickets beyond it directly.
    R"sql(
DROP TABLE tickets_fts;
CREATE VIRTUAL TABLE tickets_fts USING fts5(content, address, content = 'tickets', content_rowid = 'rowid',
                                            tokenize = 'trigram', detail = 'none', columnsize = 0);
CREATE TABLE search_progress (
  one           INTEGER PRIMARY KEY CHECK (one = 1),
  indexed_rowid INTEGER NOT NULL   -- every ticket with rowid <= this is in tickets_fts
);
INSERT INTO search_progress VALUES (1, 0);
)sql",
    // 5: the tickets whose deadlines are provisional (beyond the last published holiday table), found without a
    // scan when a newer calendar is loaded. Few rows ever have provisional = 1, so the index costs intake little.
    R"sql(
CREATE INDEX deadlines_provisional ON deadlines(ticket_id) WHERE provisional = 1;
)sql",
    // 6: escalation stages and the notification outbox. Each deadline carries its stage plan (the instants of
    // its yellow, red, urge and supervise stages; NULL = none) and the next stage to fire; the scheduler reads
    // only the partial index of armed rows, never all tickets. Notifications are an append-mostly rowid table;
    // only rows waiting for delivery are indexed.
    R"sql(
ALTER TABLE deadlines ADD COLUMN yellow_ms INTEGER;
ALTER TABLE deadlines ADD COLUMN red_ms INTEGER;
ALTER TABLE deadlines ADD COLUMN urge_ms INTEGER;
ALTER TABLE deadlines ADD COLUMN supervise_ms INTEGER;
ALTER TABLE deadlines ADD COLUMN next_stage TEXT;     -- the stage to fire next; NULL when every stage has fired
ALTER TABLE deadlines ADD COLUMN next_ms INTEGER;     -- its instant
CREATE INDEX deadlines_next_stage ON deadlines(next_ms) WHERE next_ms IS NOT NULL;
-- The supervisors' board: clocks past their first stage, by stage and unit (fresh clocks stay out of it).
CREATE INDEX deadlines_by_stage ON deadlines(stage, unit_id, due_ms) WHERE stage <> 'pending';

CREATE TABLE notifications (
  seq             INTEGER PRIMARY KEY,
  event_seq       INTEGER,            -- the event announced (events.seq)
  ticket_id       TEXT NOT NULL,
  unit_id         TEXT NOT NULL,      -- recipient unit; '' for the hotline's own clocks
  kind            TEXT NOT NULL,      -- dispatched, stage_yellow, stage_red, stage_urge, stage_supervise
  urgent          INTEGER NOT NULL,   -- urgent ones ignore quiet hours
  created_ms      INTEGER NOT NULL,
  payload         TEXT NOT NULL,      -- the JSON body sent
  target          TEXT,               -- webhook URL chosen when the row was written; NULL for 'none'
  delivery        TEXT NOT NULL CHECK (delivery IN ('none', 'pending', 'delivered', 'dead')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms INTEGER,            -- when 'pending': the next try
  last_error      TEXT,
  digest          INTEGER NOT NULL DEFAULT 0,  -- held by quiet hours: goes out in one digest with its peers
  delivered_ms    INTEGER
);
CREATE INDEX notifications_due ON notifications(next_attempt_ms) WHERE delivery = 'pending';
)sql",
    // 7: no query reads deadlines by due_ms alone (the scheduler goes by next_ms, the board by stage), yet every
    // intake paid for the index: three insertion points per group commit, an eighth of the WAL pages written.
    R"sql(
DROP INDEX deadlines_by_due;
)sql",
    // 8: clocks open across an upgrade from schema 3, 4 or 5 never escalated: step 6 added their plan columns as
    // NULL, so no stage was armed for them (the scheduler reads armed rows only, and a reload re-plans armed rows
    // only). Arm each such clock with its red card at the deadline itself (red_after is 0 in every shipped time
    // limit: after_deadline with 0 is due_ms). SQL knows neither the calendar nor the policy, so the yellow card
    // is left out; the next start (or rules reload) re-plans the armed clock, adding its urge and supervise
    // stages. A row written since step 6 always has a plan (red at least) or a fired stage, so only unarmed clocks
    // match.
    R"sql(
UPDATE deadlines SET red_ms = due_ms, next_stage = 'red', next_ms = due_ms
  WHERE stage = 'pending' AND next_ms IS NULL AND yellow_ms IS NULL AND red_ms IS NULL AND urge_ms IS NULL
    AND supervise_ms IS NULL;
)sql",
    // 9: background work that must survive a crash: how far it got, committed with each step of the work itself,
    // so a restart resumes exactly there (today: bringing provisional deadlines to a new holiday calendar).
    R"sql(
CREATE TABLE background_jobs (
  name   TEXT PRIMARY KEY,
  target TEXT NOT NULL,                       -- what the job works toward (a calendar version)
  cursor TEXT NOT NULL,                       -- the last key done, '' before the first
  done   INTEGER NOT NULL CHECK (done IN (0, 1))
) WITHOUT ROWID;
)sql",
    // 10: callers by phone. A ticket carries the HMAC-SHA256 of its caller's normalised number under this
    // database's own secret (made here, never leaving the file), indexed; the number itself is in no index.
    // Tickets taken in before this step get their key at the next start (filled in batches).
    R"sql(
CREATE TABLE secrets (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO secrets(name, value) VALUES ('caller_key', lower(hex(randomblob(32))));
ALTER TABLE tickets ADD COLUMN caller_key TEXT;
CREATE INDEX tickets_by_caller ON tickets(caller_key, received_ms) WHERE caller_key IS NOT NULL;
)sql",
    // 11: confidential tickets (保密件) and the log of who read callers' names and phone numbers. A confidential
    // ticket's caller is never shown to unit tokens; every answer that shows a caller (any ticket, any role)
    // appends one row here, committed before the answer is sent. Append-only like the event log.
    R"sql(
ALTER TABLE tickets ADD COLUMN confidential INTEGER NOT NULL DEFAULT 0 CHECK (confidential IN (0, 1));
CREATE TABLE caller_access_log (
  seq       INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,      -- RFC 3339 with the deployment's offset
  at_ms     INTEGER NOT NULL,   -- Unix milliseconds
  ticket_id TEXT NOT NULL,
  token_id  TEXT,               -- the token's public id; NULL for token-less loopback access
  role      TEXT NOT NULL,      -- operator, unit, supervisor, admin, local
  unit_id   TEXT,               -- for role 'unit'
  endpoint  TEXT NOT NULL       -- e.g. 'GET /v1/tickets/{id}'
);
CREATE INDEX caller_access_by_ticket ON caller_access_log(ticket_id, seq);
CREATE TRIGGER caller_access_no_update BEFORE UPDATE ON caller_access_log
  BEGIN SELECT RAISE(ABORT, 'the caller access log is append-only'); END;
CREATE TRIGGER caller_access_no_delete BEFORE DELETE ON caller_access_log
  BEGIN SELECT RAISE(ABORT, 'the caller access log is append-only'); END;
)sql",
    // 12: the citizen's lookup code (查询码). A ticket keeps only an HMAC-SHA256 of the code given at intake,
    // under the caller key's secret with its own prefix; the public status endpoint finds the ticket by its id,
    // so the column needs no index. Tickets taken in before this step have no code.
    R"sql(
ALTER TABLE tickets ADD COLUMN lookup_hash TEXT;
)sql",
    // 13: likely duplicates. The matter and area the ticket was routed on (given or inferred; the category and
    // area columns hold only what the operator typed) as columns of their own, indexed with the intake time, so
    // intake finds the open tickets of the same matter and area of the last days without a scan. Earlier tickets
    // get theirs from the stored decision.
    R"sql(
ALTER TABLE tickets ADD COLUMN routed_matter TEXT;
ALTER TABLE tickets ADD COLUMN routed_area TEXT;
UPDATE tickets SET routed_matter = json_extract(decision, '$.category.code'),
                   routed_area = json_extract(decision, '$.area.code')
 WHERE json_valid(decision);
CREATE INDEX tickets_by_matter_area ON tickets(routed_matter, routed_area, received_ms)
 WHERE routed_matter IS NOT NULL AND routed_area IS NOT NULL;
)sql",
    // 14: callers who asked for no SMS (短信退订), by the keyed hash of their phone (tickets.caller_key): the
    // hotline texts them nothing, for any ticket, until they ask again. No phone number is stored here.
    R"sql(
CREATE TABLE sms_opt_out (
  caller_key TEXT PRIMARY KEY,
  at_ms      INTEGER NOT NULL,  -- when it was recorded (Unix milliseconds)
  actor      TEXT NOT NULL      -- who recorded it: a token's public id, or 'local'
) WITHOUT ROWID;
)sql",
    // 15: people's accounts (operators, liaison officers, supervisors, admins) for the web terminal, beside the
    // machines' tokens. Only an Argon2id hash of each password (libsodium's crypto_pwhash_str text) is stored.
    R"sql(
CREATE TABLE users (
  login         TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('operator', 'unit', 'supervisor', 'admin')),
  unit_id       TEXT,
  password_hash TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  disabled_at   TEXT,
  CHECK ((role = 'unit') = (unit_id IS NOT NULL))
) WITHOUT ROWID;
)sql",
    // 16: the hotline's review queues (returns, extensions, replies, follow-ups due) are searches by case state,
    // newest first; without an index each one scanned every ticket.
    R"sql(
CREATE INDEX tickets_by_state ON tickets(state, id);
)sql",
};

Result<int> user_version(Connection& db) {
  Statement s(db.get(), "PRAGMA user_version");
  auto row = s.step();
  if (!row) return row.error();
  return static_cast<int>(s.column_int(0));
}

}  // namespace

int schema_version() {
  return static_cast<int>(k_steps.size());
}

Result<void> migrate(Connection& db) {
  return migrate_to(db, schema_version());
}

Result<void> migrate_to(Connection& db, int version) {
  if (version < 0 || version > schema_version()) {
    return Error{ErrorCategory::schema, "no schema version " + std::to_string(version)};
  }
  // One write transaction around the version check and every step, so two processes opening a fresh database at
  // once cannot both apply the same step.
  if (auto r = db.exec("BEGIN IMMEDIATE"); !r) return Error{r.error().code, "cannot migrate: " + r.error().message};
  const auto fail = [&](Error e) -> Result<void> {
    (void)db.exec("ROLLBACK");
    return e;
  };
  auto current = user_version(db);
  if (!current) return fail(current.error());
  if (*current > schema_version()) {
    return fail(Error{ErrorCategory::schema, "database schema version " + std::to_string(*current) +
                                                 " is newer than this build's (" + std::to_string(schema_version()) +
                                                 "); refusing to touch it"});
  }
  for (int v = *current; v < version; ++v) {
    if (auto r = db.exec(k_steps[static_cast<std::size_t>(v)]); !r) {
      return fail(Error{r.error().code,
                        "migration to schema version " + std::to_string(v + 1) + " failed: " + r.error().message});
    }
  }
  if (*current < version) {
    if (auto r = db.exec("PRAGMA user_version=" + std::to_string(version)); !r) return fail(r.error());
  }
  if (auto r = db.exec("COMMIT"); !r) return fail(r.error());
  return {};
}

}  // namespace hotline::storage
