// Clocks for the life-cycle machine from the working-day calendar and the time-limit policy: the deadline
// arithmetic a deployment actually uses. Immutable; safe from any thread while its calendar, policy and rule
// set live.
#pragma once

#include "routing/deadline.hpp"
#include "routing/lifecycle.hpp"
#include "routing/rule_set.hpp"
#include "routing/time_policy.hpp"
#include "routing/work_calendar.hpp"

namespace hotline::routing {

class PolicyClocks final : public Clocks {
 public:
  // `offset_minutes`: the deployment's UTC offset (+480 for Asia/Shanghai), computed by the caller.
  PolicyClocks(const WorkCalendar& calendar, const TimePolicyTable& policy, const RuleSet& rules, int offset_minutes)
      : calendar_(calendar), policy_(policy), rules_(rules), offset_(offset_minutes) {}

  // For the dispatch desk (the rule set's fallback unit) both are the policy's dispatch limit (派单时限).
  Due sign_for_due(const Case& c, const std::string& unit, std::int64_t start_ms) const override;
  Due reply_due(const Case& c, const std::string& unit, std::int64_t start_ms) const override;
  Due extend(const Case& c, const Due& reply_due, int working_days) const override;
  std::int64_t return_window_end(const Case& c, std::int64_t dispatched_ms) const override;
  Window dispute_window(const Case& c, std::int64_t declined_ms) const override;
  Due follow_up_due(const Case& c, std::int64_t replied_ms) const override;
  int max_returns(const Case& c) const override;
  int extension_cap_days(const Case& c) const override;
  int utc_offset_minutes() const override { return offset_; }

  // The policy for a case handled by `unit` (its level from the directory; any level when unknown).
  TimePolicy policy_for(const Case& c, const std::string& unit) const;

 private:
  Due due(std::int64_t start_ms, const TimeLimit& limit) const;
  bool is_desk(const std::string& unit) const;

  const WorkCalendar& calendar_;
  const TimePolicyTable& policy_;
  const RuleSet& rules_;
  const int offset_;
};

}  // namespace hotline::routing
