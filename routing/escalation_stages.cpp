#include "routing/escalation_stages.hpp"

#include <algorithm>

namespace hotline::routing {

std::string_view to_string(Stage stage) {
  switch (stage) {
    case Stage::yellow:
      return "yellow";
    case Stage::red:
      return "red";
    case Stage::urge:
      return "urge";
    case Stage::supervise:
      return "supervise";
  }
  return "?";
}

std::optional<Stage> parse_stage(std::string_view text) {
  for (const Stage s : k_stages) {
    if (to_string(s) == text) return s;
  }
  return std::nullopt;
}

std::vector<StageDue> plan_stages(const WorkCalendar& calendar, const TimePolicy& policy, std::int64_t start_ms,
                                  std::int64_t due_ms, int utc_offset_minutes) {
  Deadline due;
  due.due_ms = due_ms;
  due.last_day = local_day(due_ms - 1, utc_offset_minutes);
  const std::int64_t yellow = before_deadline(calendar, due, policy.yellow_before, utc_offset_minutes);
  const std::int64_t red = after_deadline(calendar, due, policy.red_after, utc_offset_minutes);
  // Later stages never overtake earlier ones, whatever the policy says: the order is part of the contract.
  const std::int64_t urge = std::max(red, after_deadline(calendar, due, policy.urge_after, utc_offset_minutes));
  const std::int64_t supervise =
      std::max(urge, after_deadline(calendar, due, policy.supervise_after, utc_offset_minutes));
  std::vector<StageDue> out;
  out.reserve(k_stages.size());
  // A yellow card at or before the start would fire the moment the clock starts: the dispatch says it all.
  if (yellow > start_ms && yellow < red) out.push_back({Stage::yellow, yellow});
  out.push_back({Stage::red, red});
  out.push_back({Stage::urge, urge});
  out.push_back({Stage::supervise, supervise});
  return out;
}

}  // namespace hotline::routing
