// Between the life-cycle model (routing::Case, routing::Event) and what is stored (events rows, the projection)
// and shown (JSON). Pure functions; safe from any thread.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <vector>

#include "routing/lifecycle.hpp"
#include "routing/work_calendar.hpp"
#include "storage/case_rows.hpp"
#include "storage/ticket_store.hpp"

namespace hotline::daemon {

// An event as stored: data becomes a JSON object of strings; `at` is RFC 3339 in the deployment's zone.
storage::NewEvent to_stored(const routing::Event& e);
routing::Event from_stored(const storage::StoredEvent& e);

// The case facts of a stored ticket (id, type, urgency, channel) and its state rebuilt from its events.
routing::Case facts_of(const storage::StoredTicket& t);
routing::Case replay_ticket(const storage::StoredTicket& t);

// What queries need of a case: state, assignments, deadlines, and `updated_ms`: when the case last changed — the
// instant of its last event other than the escalation scheduler's stage_* events. Those record that a clock reached
// a stage; the scheduler appends them without rewriting the projection, so they do not move it (changed_ms below).
storage::Projection project(const routing::Case& c, std::int64_t updated_ms);
// updated_ms as a ticket's events define it: the at_ms of its last event that is not a stage_* event (0 for none).
std::int64_t changed_ms(const std::vector<storage::StoredEvent>& events);

// The case for API views: state, counters, and every assignment with its clocks — due instants, provisional
// flags and working days left at `now_ms`.
boost::json::object case_to_json(const routing::Case& c, const routing::WorkCalendar& calendar, std::int64_t now_ms,
                                 int utc_offset_minutes);

}  // namespace hotline::daemon
