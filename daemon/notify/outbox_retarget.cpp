#include "daemon/notify/outbox_retarget.hpp"

#include <spdlog/spdlog.h>

#include <optional>

namespace hotline::daemon {

RetargetSummary retarget_pending(TicketWriter& writer, const Outbox& outbox, const routing::RuleSet& rules,
                                 const std::string& sms_url) {
  RetargetSummary summary;
  const auto result = writer.run_blocking([&](storage::TicketStore& store) -> WriteResult {
    auto& esc = store.escalations();
    auto pending = esc.pending_targets();
    if (!pending) return pending.error();
    for (const auto& p : *pending) {
      std::optional<std::string> wanted;
      if (p.kind.starts_with("sms.")) {
        if (!sms_url.empty()) wanted = sms_url;
      } else if (const auto* w = outbox.webhook_for(p.unit_id, rules)) {
        wanted = w->url;
      }
      if (wanted && *wanted == p.target) continue;
      if (auto r = esc.retarget(p.seq, wanted); !r) return r.error();
      ++(wanted ? summary.moved : summary.dropped);
    }
    return {};
  });
  if (!result) {
    summary = {.error = result.error().message};
    spdlog::error("outbox: cannot bring the pending notifications to the configured URLs: {}", summary.error);
  } else if (summary.moved + summary.dropped > 0) {
    spdlog::warn(
        "outbox: {} pending notification(s) now go to the URL configured for their unit; {} no longer "
        "sent, as no webhook serves their unit any more",
        summary.moved, summary.dropped);
  }
  return summary;
}

}  // namespace hotline::daemon
