// Who a case event concerns (which liaison terminals' live feeds show it) and a one-line summary of it.
// Pure functions of the event; re-entrant, safe from any number of threads.
#pragma once

#include <string>
#include <vector>

#include "routing/case_model.hpp"

namespace hotline::routing {

struct FeedAudience {
  std::vector<std::string> units;  // units the event is addressed to, in no particular order, no duplicates
  // The event names no unit but concerns the whole case (closed, merged, an urge or supervision of the case):
  // every unit with a current assignment on the case is in the audience. Resolving that needs the case, so the
  // caller does it.
  bool whole_case = false;
  // An outcome of what the case's handler did (a reply, a return or extension request it made for the lead): the
  // unit the event's unit passed the case down to, if any, is in the audience too. The caller resolves it from the
  // case's assignments.
  bool handler_too = false;
};

// A unit's feed is its inbox: what the hotline, the escalation engine or another unit did that the unit must see.
//   dispatched                    the unit dispatched to (each assignment has its own event)
//   passed_down                   the child that now handles the case, and the previous handler if any
//   return_approved/declined, extension_approved/declined, reply_approved/rejected, followed_up, redo
//                                 the unit that asked or replied (the event's unit: the lead), and the unit it
//                                 passed the case down to (handler_too), which did the work
//   desk_dispatched, redispatched every unit of the withdrawn round (data "withdrawn"); the new units get their
//                                 own "dispatched" events
//   arbitrated                    the unit that disputed (the previous lead) and the lead decided, and every unit
//                                 of a withdrawn round
//   urged, supervised             the named unit; the whole case when none is named
//   warned, stage_*, deadline_recomputed   the unit whose clock it is
//   closed, merged, unmerged, master_replied   the whole case
//   received, signed_for, replied, return_requested, extension_requested, arbitration_requested, not_accepted,
//   answered_directly
//                                 nobody: the unit's own actions and intake facts are not news to a unit
//   any other kind                the event's unit when it has one (forward compatible: new stages, notices)
// Units above the audience (the parents that supervise them) see it only when they ask for their subtree
// (the daemon's `scope=subtree`): a county government does not want every township's dispatch by default.
FeedAudience feed_audience(const Event& e);

// A short English sentence for terminals: "dispatched to 350602.cgj as lead unit", "return declined: ...".
std::string feed_summary(const Event& e);

}  // namespace hotline::routing
