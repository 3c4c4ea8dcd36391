// Row types of the case projection (assignments and deadlines, derived from events) and of queue and search
// results. Plain values.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hotline::storage {

// How far a resumable background job got (table background_jobs).
struct JobProgress {
  std::string target;  // what it works toward
  std::string cursor;  // the last key done, "" before the first
  bool done = false;   // every key was handled for `target`
  friend bool operator==(const JobProgress&, const JobProgress&) = default;
};

struct AssignmentRow {
  int seq = 0;
  std::string unit_id;
  std::optional<std::string> handler_id;
  bool lead = false;
  std::string state;
  bool open = false;
  std::int64_t dispatched_ms = 0;
  std::int64_t reply_due_ms = 0;
  friend bool operator==(const AssignmentRow&, const AssignmentRow&) = default;
};

struct DeadlineRow {
  std::string unit_id;  // "" for ticket-level clocks
  std::string clock;    // sign_for, reply, follow_up
  std::int64_t due_ms = 0;
  bool provisional = false;
  std::optional<std::int64_t> original_due_ms;
  // Escalation plan, written with a NEW row only (a row whose due instant is kept keeps its plan and stage):
  // the instants of the yellow, red, urge and supervise stages (routing::k_stages order), nullopt = no such stage.
  // Not read back by read_projection().
  std::array<std::optional<std::int64_t>, 4> stage_ms{};
  friend bool operator==(const DeadlineRow&, const DeadlineRow&) = default;
};

// Everything derived from a ticket's events that queries need; replaced whole after every change.
struct Projection {
  std::string state;
  std::int64_t updated_ms = 0;
  std::vector<AssignmentRow> assignments;
  std::vector<DeadlineRow> deadlines;  // stages are kept across replacements (the escalation engine owns them)
  friend bool operator==(const Projection&, const Projection&) = default;
};

struct QueueQuery {
  std::string unit_id;
  bool include_closed = false;       // false: open cases only; true: closed ones only
  std::optional<std::string> state;  // case state
  std::optional<std::int64_t> due_before_ms;
  // cursor: (reply_due_ms, ticket_id) of the last row; (dispatched_ms, ticket_id) when oldest_first
  std::optional<std::pair<std::int64_t, std::string>> after;
  int limit = 50;
  // The dispatch desk's queue: lead assignments only, oldest first (by when the unit got the case), instead of
  // every assignment in due order.
  bool oldest_first = false;
};

struct QueueRow {
  std::string ticket_id, state, received_at, type, content, unit_id;
  std::optional<std::string> handler_id;
  bool lead = false;
  std::string assignment_state;
  std::int64_t reply_due_ms = 0;
  std::int64_t dispatched_ms = 0;
  std::string stage;  // the reply clock's escalation stage last fired (pending, yellow, red, urge, supervise)
};

// A unit's open work by case state, and how much of it is past its reply deadline (the terminal's dashboard).
struct UnitCounts {
  std::vector<std::pair<std::string, std::int64_t>> by_state;  // state name, count; states with none left out
  std::int64_t overdue = 0;
};

struct SearchQuery {
  std::string text;  // substring of content or address; empty = any
  std::optional<std::string> state;
  std::optional<std::string> unit_id;          // tickets with a live assignment of this unit
  std::vector<std::string> unit_ids;           // or of any of these (a unit and the units below it)
  std::optional<std::string> caller_key;       // tickets of this caller (daemon/access/caller_key)
  std::optional<std::int64_t> from_ms, to_ms;  // received in [from, to)
  std::optional<std::string> before_id;        // cursor: newest first, strictly older ticket ids
  int limit = 50;
};

struct SearchRow {
  // unit_id: the current lead unit; unit_name: its name when it is the first routing's unit, else empty (the
  // caller names it from the rules).
  std::string ticket_id, state, received_at, type, content, unit_id, unit_name;
};

}  // namespace hotline::storage
