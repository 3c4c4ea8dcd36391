// What a citizen sees of their case (GET /v1/public/tickets/{id}?code=…): the state, the handling unit's name,
// the dates and, once the hotline approved it, the reply — nothing else (no caller, no text, no events).
#pragma once

#include <boost/json.hpp>

#include "routing/case_model.hpp"
#include "routing/rule_set.hpp"
#include "storage/ticket_store.hpp"

namespace hotline::daemon {

// {id, state, state_name, unit (name or null), received_at, reply_due_at (open cases), closed_at (or null),
//  reply (or null)}
boost::json::object public_status_json(const storage::StoredTicket& t, const routing::Case& c,
                                       const routing::RuleSet& rules);

}  // namespace hotline::daemon
