#include "daemon/escalation/deadline_recompute_job.hpp"

#include <spdlog/spdlog.h>

#include <vector>

#include "daemon/runtime/local_time.hpp"
#include "daemon/wire/case_codec.hpp"
#include "routing/deadline_recompute.hpp"
#include "routing/policy_clocks.hpp"

namespace hotline::daemon {

namespace {

// One batch: the tickets after `cursor`, their changes and the job's progress in one writer transaction.
struct Batch {
  RecomputeSummary counts;
  std::string cursor;
  bool more = false;
};

WriteResult recompute_batch(storage::TicketStore& store, const RulesInfo& live, const routing::Clocks& clocks,
                            std::int64_t now_ms, const EscalationHooks* hooks, const std::string& job_name, int limit,
                            Batch& batch) {
  const std::string calendar = live.calendar->version();
  auto ids = store.provisional_ticket_ids(batch.cursor, limit);
  if (!ids) return ids.error();
  batch.more = static_cast<int>(ids->size()) == limit;
  for (const auto& id : *ids) {
    batch.cursor = id;
    auto found = store.find_ticket(id);
    if (!found) return found.error();
    if (!*found) continue;
    ++batch.counts.tickets_checked;
    std::vector<routing::Event> history;
    for (const auto& e : (*found)->events) history.push_back(from_stored(e));
    const auto facts = facts_of(**found);
    const auto events = routing::recompute_provisional(facts, history, clocks, now_ms, calendar);
    if (events.empty()) continue;
    std::vector<storage::NewEvent> stored;
    for (const auto& e : events) {
      stored.push_back(to_stored(e));
      history.push_back(e);
    }
    if (auto r = store.append_events(id, stored); !r) return r.error();
    const auto c = routing::replay(facts, history);
    auto projection = project(c, now_ms);
    if (hooks != nullptr) hooks->plan(projection, c, live, now_ms);  // moved deadlines escalate anew
    if (auto r = store.write_projection(id, projection); !r) return r.error();
    ++batch.counts.tickets_changed;
    batch.counts.changes += static_cast<std::int64_t>(events.size());
  }
  if (job_name.empty()) return {};
  return store.save_job_progress(job_name, {calendar, batch.cursor, !batch.more});
}

RecomputeSummary run_batches(TicketWriter& writer, const RulesInfo& live, std::int64_t now_ms,
                             const EscalationHooks* hooks, const std::string& job_name, std::string cursor, int limit,
                             const std::atomic<bool>* stop) {
  RecomputeSummary summary;
  summary.ran = true;
  const routing::PolicyClocks clocks(*live.calendar, *live.policy, *live.rules, utc_offset_minutes(now_ms));
  bool more = true;
  while (more) {
    if (stop != nullptr && stop->load()) {
      summary.error = "stopped before the end; the next start resumes after ticket '" + cursor + "'";
      return summary;
    }
    // One batch per job: the ticket's events are read and the change written in the writer's transaction, so no
    // action on the same ticket can slip in between.
    Batch batch;
    const auto job = [&](storage::TicketStore& store) -> WriteResult {
      batch = Batch{{}, cursor, false};
      return recompute_batch(store, live, clocks, now_ms, hooks, job_name, limit, batch);
    };
    if (auto r = writer.run_blocking(job); !r) {
      summary.error = r.error().message;
      return summary;
    }
    summary.tickets_checked += batch.counts.tickets_checked;
    summary.tickets_changed += batch.counts.tickets_changed;
    summary.changes += batch.counts.changes;
    cursor = batch.cursor;
    more = batch.more;
  }
  return summary;
}

}  // namespace

RecomputeSummary bring_deadlines_to_calendar(TicketWriter& writer, const RulesInfo& live, std::int64_t now_ms,
                                             const EscalationHooks* hooks, const std::atomic<bool>* stop, int batch) {
  const std::string calendar = live.calendar->version();
  std::optional<storage::JobProgress> progress;
  if (auto r = writer.run_blocking([&](storage::TicketStore& store) -> WriteResult {
        auto p = store.job_progress(k_recompute_job);
        if (!p) return p.error();
        progress = *p;
        return {};
      });
      !r) {
    spdlog::error("calendar {}: cannot read the deadline recompute's progress: {}", calendar, r.error().message);
    return {.error = r.error().message};
  }
  if (progress && progress->target == calendar && progress->done) return {};
  const bool resumed = progress && progress->target == calendar;
  auto summary =
      run_batches(writer, live, now_ms, hooks, k_recompute_job, resumed ? progress->cursor : "", batch, stop);
  summary.resumed = resumed;
  if (!summary.error.empty()) {
    spdlog::error("calendar {}: recomputing provisional deadlines stopped: {}", calendar, summary.error);
  } else {
    spdlog::info("calendar {}: {}{} ticket(s) with provisional deadlines, {} changed ({} deadline change(s))", calendar,
                 resumed ? "resumed after an interruption: " : "", summary.tickets_checked, summary.tickets_changed,
                 summary.changes);
  }
  return summary;
}

}  // namespace hotline::daemon
