#include "daemon/nightly/report_announcer.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <chrono>
#include <optional>

#include "daemon/runtime/local_time.hpp"
#include "daemon/runtime/scheduler_clock.hpp"
#include "storage/escalation_store.hpp"

namespace hotline::daemon {

std::string report_payload(const Publication& p, const std::string& unit, std::int64_t now_ms) {
  boost::json::array files;
  for (const auto& f : p.files) files.emplace_back(f);
  return boost::json::serialize(boost::json::object{{"kind", "report_published"},
                                                    {"as_of", routing::format_day(p.as_of)},
                                                    {"unit", unit},
                                                    {"at", local_stamp_ms(now_ms).rfc3339},
                                                    {"dir", p.dir},
                                                    {"files", std::move(files)}});
}

ReportAnnouncer::ReportAnnouncer(TicketWriter& writer, const Outbox& outbox, const RulesHolder& rules,
                                 std::vector<std::string> recipients, std::function<void(std::int64_t)> offer_delivery,
                                 SchedulerClock& clock)
    : writer_(writer),
      outbox_(outbox),
      rules_(rules),
      recipients_(std::move(recipients)),
      offer_delivery_(std::move(offer_delivery)),
      clock_(clock) {}

std::size_t ReportAnnouncer::operator()(const Publication& p) const {
  const auto live = rules_.get();
  const auto now_ms = clock_.now_ms();
  const std::vector<std::string> units = recipients_.empty() ? std::vector{live->fallback().id} : recipients_;
  std::size_t written = 0;
  std::optional<std::int64_t> earliest;
  const auto r = writer_.run_blocking([&](storage::TicketStore& store) -> storage::Result<void> {
    storage::EscalationStore& esc = store.escalations();
    written = 0;  // the job may run again after a rollback: start over
    earliest.reset();
    for (const auto& unit : units) {
      const auto n = outbox_.make("", unit, "report_published", false, std::nullopt, report_payload(p, unit, now_ms),
                                  now_ms, *live);
      if (auto id = esc.insert_notification(n); !id) return id.error();
      ++written;
      if (n.target && (!earliest || n.next_attempt_ms < *earliest)) earliest = n.next_attempt_ms;
    }
    return {};
  });
  if (!r) {
    spdlog::error("cannot announce the report for {}: {}", routing::format_day(p.as_of), r.error().message);
    return 0;
  }
  if (earliest && offer_delivery_) offer_delivery_(*earliest);
  spdlog::info("report {} announced to {} unit(s)", routing::format_day(p.as_of), written);
  return written;
}

}  // namespace hotline::daemon
