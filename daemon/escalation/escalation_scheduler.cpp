#include "daemon/escalation/escalation_scheduler.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <limits>

#include "daemon/runtime/local_time.hpp"
#include "routing/escalation_stages.hpp"
#include "storage/escalation_store.hpp"

namespace hotline::daemon {
namespace asio = boost::asio;

namespace {

// The completion of a background coroutine: an exception is logged (a broken invariant), never rethrown.
auto log_failure(const char* what) {
  return [what](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      spdlog::critical("{}: {}", what, ex.what());
    }
  };
}

}  // namespace

struct EscalationScheduler::Fired {
  std::uint64_t count = 0;
  std::optional<std::int64_t> earliest;           // the earliest stage still armed after the job
  std::optional<std::int64_t> earliest_delivery;  // the earliest notification it queued
  std::array<std::uint64_t, 4> by_stage{};        // stages fired, by routing::Stage
  std::int64_t lag_ms = 0;                        // the latest any of them fired after its instant
};

EscalationScheduler::EscalationScheduler(asio::io_context& ioc, TicketWriter& writer, SchedulerClock& clock,
                                         const RulesHolder& rules, const Outbox& outbox, EscalationStats& stats,
                                         std::size_t batch)
    : writer_(writer),
      clock_(clock),
      rules_(rules),
      outbox_(outbox),
      stats_(stats),
      batch_(batch == 0 ? 1 : batch),
      strand_(asio::make_strand(ioc)),
      timer_(strand_) {}

void EscalationScheduler::record(const Fired& fired, bool catching_up) {
  for (std::size_t i = 0; i < fired.by_stage.size(); ++i) {
    stats_.stages_fired[i].fetch_add(fired.by_stage[i], std::memory_order_relaxed);
  }
  if (catching_up) {
    stats_.catch_up_stages.fetch_add(fired.count, std::memory_order_relaxed);
  } else if (fired.count > 0) {
    stats_.record_lag(fired.lag_ms);
  }
  if (fired.earliest_delivery && offer_delivery_) offer_delivery_(*fired.earliest_delivery);
}

WriteJob EscalationScheduler::fire_job(std::shared_ptr<Fired> out) {
  // The writer may run a job twice (its group rolled back in between): it reports through `out` only, which it
  // starts afresh, and the counters are updated once it has committed (record()).
  return [this, out](storage::TicketStore& store) -> WriteResult {
    storage::EscalationStore& esc = store.escalations();
    const auto rules = rules_.get();
    *out = Fired{};
    for (std::size_t i = 0; i < batch_; ++i) {
      // One stage at a time, so stages of different clocks fire in due order even while catching up (a clock
      // whose next stage is also due comes back in its turn).
      const std::int64_t now = clock_.now_ms();
      auto due = esc.due_stages(now, 1);
      if (!due) return due.error();
      if (due->empty()) break;
      const auto& s = due->front();
      auto advanced = esc.advance(s);
      if (!advanced) return advanced.error();
      if (!*advanced) continue;
      const std::string kind = "stage_" + s.stage;
      boost::json::object payload{{"clock", s.clock},       {"stage", s.stage},
                                  {"due_ms", s.due_ms},     {"due_at", local_stamp_ms(s.due_ms).rfc3339},
                                  {"stage_ms", s.stage_ms}, {"stage_at", local_stamp_ms(s.stage_ms).rfc3339}};
      storage::NewEvent e{local_stamp_ms(now).rfc3339,    now, kind, "scheduler", "system", s.unit_id,
                          boost::json::serialize(payload)};
      if (auto r = store.append_events(s.ticket_id, {e}); !r) return r.error();
      const std::int64_t seq = esc.last_insert_rowid();
      payload["kind"] = kind;
      payload["ticket_id"] = s.ticket_id;
      payload["unit"] = s.unit_id;
      payload["event_seq"] = seq;
      payload["at"] = e.at;
      // Only the yellow card may wait for the end of quiet hours, and only on a normal ticket.
      const bool urgent = s.stage != "yellow" || s.urgency != "normal";
      const auto n =
          outbox_.make(s.ticket_id, s.unit_id, kind, urgent, seq, boost::json::serialize(payload), now, *rules);
      if (auto r = esc.insert_notification(n); !r) return r.error();
      if (n.target && (!out->earliest_delivery || n.next_attempt_ms < *out->earliest_delivery)) {
        out->earliest_delivery = n.next_attempt_ms;
      }
      ++out->count;
      if (const auto stage = routing::parse_stage(s.stage)) ++out->by_stage[static_cast<std::size_t>(*stage)];
      out->lag_ms = std::max(out->lag_ms, now - s.stage_ms);
    }
    auto earliest = esc.earliest_stage();
    if (!earliest) return earliest.error();
    out->earliest = *earliest;
    return {};
  };
}

storage::Result<std::uint64_t> EscalationScheduler::catch_up() {
  std::uint64_t total = 0;
  // Each round fires up to batch_ stages; the loop ends when nothing is due (bounded by the armed stages, which
  // only ever advance).
  while (true) {
    auto fired = std::make_shared<Fired>();
    if (auto r = writer_.run_blocking(fire_job(fired)); !r) return r.error();
    total += fired->count;
    record(*fired, true);
    wanted_.reset(fired->earliest);
    if (fired->count < batch_) break;
  }
  return total;
}

void EscalationScheduler::start() {
  asio::co_spawn(strand_, run(), log_failure("the escalation scheduler stopped"));
}

void EscalationScheduler::replan_all(std::string why) {
  asio::co_spawn(strand_, replan(std::move(why)), log_failure("re-planning escalation stages failed"));
}

asio::awaitable<void> EscalationScheduler::replan(std::string why) {
  const auto live = rules_.info();
  std::optional<std::array<std::string, 3>> after;
  std::uint64_t seen = 0, changed = 0;
  for (bool more = true; more && !stopped_;) {
    struct Page {
      std::optional<std::array<std::string, 3>> last;
      std::uint64_t rows = 0, changed = 0;
      std::optional<std::int64_t> earliest;
    };
    auto page = std::make_shared<Page>();
    const auto job = [page, after, &live](storage::TicketStore& store) -> WriteResult {
      *page = Page{};
      storage::EscalationStore& esc = store.escalations();
      auto clocks = esc.armed_page(after, 2000);
      if (!clocks) return clocks.error();
      for (const auto& c : *clocks) {
        const auto* unit = c.unit_id.empty() ? nullptr : live.rules->find_unit(c.unit_id);
        const auto policy =
            live.policy->select(routing::parse_request_type(c.type).value_or(routing::RequestType::complaint),
                                routing::parse_urgency(c.urgency).value_or(routing::Urgency::normal), c.channel,
                                unit != nullptr ? unit->level : std::nullopt);
        std::array<std::optional<std::int64_t>, 4> plan{};
        // The start of the clock is not stored; a clock planned without a yellow card stays without one.
        for (const auto& s : routing::plan_stages(*live.calendar, policy, std::numeric_limits<std::int64_t>::min(),
                                                  c.due_ms, utc_offset_minutes(c.due_ms))) {
          plan[static_cast<std::size_t>(s.stage)] = s.due_ms;
        }
        if (!c.plan[0]) plan[0].reset();
        if (plan != c.plan) {
          auto r = esc.replan(c, plan);
          if (!r) return r.error();
          page->changed += *r ? 1u : 0u;
        }
      }
      page->rows = clocks->size();
      if (!clocks->empty())
        page->last = std::array<std::string, 3>{clocks->back().ticket_id, clocks->back().unit_id, clocks->back().clock};
      auto e = esc.earliest_stage();
      if (!e) return e.error();
      page->earliest = *e;
      return {};
    };
    const auto r = co_await writer_.async_write(job, asio::bind_executor(strand_, asio::use_awaitable));
    if (!r) {
      spdlog::error("re-planning escalation stages stopped: {}", r.error().message);
      co_return;
    }
    seen += page->rows;
    changed += page->changed;
    after = page->last;
    more = page->rows == 2000;
    if (page->earliest) offer(*page->earliest);
  }
  spdlog::info("escalation stages re-planned {}: {} of {} armed clock(s) changed", why, changed, seen);
}

void EscalationScheduler::stop() {
  stopped_ = true;
  asio::post(strand_, [this] { timer_.cancel(); });
}

void EscalationScheduler::offer(std::int64_t ms) {
  // Wake the loop so it re-arms for the earlier instant.
  if (wanted_.offer(ms)) asio::post(strand_, [this] { timer_.cancel(); });
}

asio::awaitable<void> EscalationScheduler::run() {
  while (!stopped_) {
    if (wanted_.take_due(clock_.now_ms())) {  // the job looks at the index itself
      auto fired = std::make_shared<Fired>();
      const auto r = co_await writer_.async_write(fire_job(fired), asio::bind_executor(strand_, asio::use_awaitable));
      if (!r) {
        spdlog::error("firing escalation stages failed, retrying in 1 s: {}", r.error().message);
        fired->earliest = clock_.now_ms() + 1000;
      } else {
        record(*fired, false);
        if (fired->count > 0) spdlog::debug("fired {} escalation stage(s), {} ms late", fired->count, fired->lag_ms);
      }
      if (fired->earliest) wanted_.offer(*fired->earliest);  // on the loop itself: nothing to wake
      continue;
    }
    const auto target = wanted_.peek();
    timer_.expires_after(target ? clock_.wait_for(*target) : std::chrono::milliseconds(60'000));
    co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));  // cancelled by offer() and stop()
  }
}

}  // namespace hotline::daemon
