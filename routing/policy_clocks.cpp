#include "routing/policy_clocks.hpp"

namespace hotline::routing {

TimePolicy PolicyClocks::policy_for(const Case& c, const std::string& unit) const {
  const Unit* u = unit.empty() ? nullptr : rules_.find_unit(unit);
  return policy_.select(c.type, c.urgency, c.channel, u ? u->level : std::nullopt);
}

Due PolicyClocks::due(std::int64_t start_ms, const TimeLimit& limit) const {
  const auto d = compute_deadline(calendar_, start_ms, limit, offset_);
  return {d.due_ms, d.provisional};
}

bool PolicyClocks::is_desk(const std::string& unit) const {
  return unit == rules_.fallback().id;
}

// The desk neither signs for nor replies: both its clocks are the dispatch limit (派单时限).
Due PolicyClocks::sign_for_due(const Case& c, const std::string& unit, std::int64_t start_ms) const {
  const auto policy = policy_for(c, unit);
  return due(start_ms, is_desk(unit) ? policy.dispatch : policy.sign_for);
}

Due PolicyClocks::reply_due(const Case& c, const std::string& unit, std::int64_t start_ms) const {
  const auto policy = policy_for(c, unit);
  return due(start_ms, is_desk(unit) ? policy.dispatch : policy.reply);
}

Due PolicyClocks::extend(const Case& c, const Due& reply_due, int working_days) const {
  // The stored due instant is the local midnight ending the last counted day; the day before it is that day.
  Deadline old;
  old.due_ms = reply_due.ms;
  old.provisional = reply_due.provisional;
  old.last_day = local_day(reply_due.ms - 1, offset_);
  const auto* lead = c.lead();
  const auto policy = policy_for(c, lead ? lead->unit : std::string());
  TimeLimit extra{working_days, LimitUnit::working_days, policy.reply.counting};
  if (policy.reply.unit != LimitUnit::working_days) {
    // Natural-time policies (urgent tickets) extend by whole days of natural time.
    extra = {working_days * 24, LimitUnit::hours, Counting::natural};
  }
  const auto d = extend_deadline(calendar_, old, extra, offset_);
  return {d.due_ms, d.provisional};
}

std::int64_t PolicyClocks::return_window_end(const Case& c, std::int64_t dispatched_ms) const {
  const auto* lead = c.lead();
  return due(dispatched_ms, policy_for(c, lead ? lead->unit : std::string()).return_window).ms;
}

Clocks::Window PolicyClocks::dispute_window(const Case& c, std::int64_t declined_ms) const {
  const auto* lead = c.lead();
  const auto limit = policy_for(c, lead ? lead->unit : std::string()).dispute;
  std::string length = to_string(limit);  // "2 h", "30 min"
  if (limit.unit == LimitUnit::working_days) {
    length = std::to_string(limit.amount) + (limit.amount == 1 ? " working day" : " working days");
  }
  return {due(declined_ms, limit).ms, std::move(length)};
}

Due PolicyClocks::follow_up_due(const Case& c, std::int64_t replied_ms) const {
  const auto* lead = c.lead();
  return due(replied_ms, policy_for(c, lead ? lead->unit : std::string()).follow_up_delay);
}

int PolicyClocks::max_returns(const Case& c) const {
  const auto* lead = c.lead();
  return policy_for(c, lead ? lead->unit : std::string()).max_returns;
}

int PolicyClocks::extension_cap_days(const Case& c) const {
  const auto* lead = c.lead();
  const auto cap = policy_for(c, lead ? lead->unit : std::string()).extension_cap;
  // A cap in hours or minutes (natural-time policies) is expressed in whole days for the machine.
  switch (cap.unit) {
    case LimitUnit::working_days:
      return cap.amount;
    case LimitUnit::hours:
      return cap.amount / 24;
    case LimitUnit::minutes:
      return cap.amount / 1440;
    case LimitUnit::seconds:
      return cap.amount / 86400;
  }
  return 0;
}

}  // namespace hotline::routing
