// Recomputing provisional deadlines when a newer holiday calendar is loaded. Deadlines that fell in a year with no
// published table were computed as if it had no holidays (Due::provisional); with the new table, every clock of
// the case is worked out again from its own event and the ones that come out differently are recorded as events.
// Pure: no I/O and no clock; safe from any thread.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "routing/case_model.hpp"
#include "routing/lifecycle.hpp"

namespace hotline::routing {

// The `deadline_recomputed` events that bring `history` (the case's stored events, replayed from `facts`) up to
// date with `clocks` (built on the newer calendar). A due instant is recomputed when it was provisional, or when
// it was derived from one that moved (an extension counted from a provisional reply deadline). Each event names
// the assignment (its index in Case::assignments, or "" for the follow-up clock), the clock (sign_for, reply,
// original_reply, follow_up), the old and new instant and flag, and `calendar` = `calendar_version`; its time is
// `now_ms` and its actor the system. Empty when nothing changes — including when the case has no provisional
// deadline at all. Applying the events with evolve() gives exactly the recomputed clocks.
std::vector<Event> recompute_provisional(const Case& facts, const std::vector<Event>& history, const Clocks& clocks,
                                         std::int64_t now_ms, std::string_view calendar_version);

}  // namespace hotline::routing
