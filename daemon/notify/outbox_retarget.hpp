// At start-up: the pending notifications follow the config the daemon starts with. A row keeps the URL chosen
// when it was written, so without this a webhook URL corrected in the config (and the daemon restarted) would
// leave what was queued retrying the old address until dead-lettered.
#pragma once

#include <string>

#include "daemon/notify/outbox.hpp"
#include "daemon/writer/ticket_writer.hpp"

namespace hotline::daemon {

struct RetargetSummary {
  std::size_t moved = 0;    // now sent to the URL configured for their unit (or the SMS gateway's)
  std::size_t dropped = 0;  // no webhook serves their unit any more: delivery 'none'
  std::string error;        // the job failed; nothing changed
};

// Each pending row's URL becomes the one `outbox` (or, for a citizen message, `sms_url`) gives now; a row whose
// unit no webhook serves any more (or an SMS with no gateway configured) is not sent. Logs what it changed.
RetargetSummary retarget_pending(TicketWriter& writer, const Outbox& outbox, const routing::RuleSet& rules,
                                 const std::string& sms_url);

}  // namespace hotline::daemon
