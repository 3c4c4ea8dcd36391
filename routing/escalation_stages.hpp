// Escalation stages of one clock (黄牌 yellow, 红牌 red, 催办 urge, 督办 supervise): when each falls due, from the
// clock's deadline, the time-limit policy and the working-day calendar. Pure functions; safe from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "routing/deadline.hpp"
#include "routing/time_policy.hpp"
#include "routing/work_calendar.hpp"

namespace hotline::routing {

// In the order they fire; each fires at most once per clock.
enum class Stage { yellow, red, urge, supervise };
inline constexpr std::array<Stage, 4> k_stages{Stage::yellow, Stage::red, Stage::urge, Stage::supervise};
std::string_view to_string(Stage stage);                  // "yellow", "red", "urge", "supervise"
std::optional<Stage> parse_stage(std::string_view text);  // nullopt for anything else

struct StageDue {
  Stage stage = Stage::yellow;
  std::int64_t due_ms = 0;  // Unix milliseconds
  friend bool operator==(const StageDue&, const StageDue&) = default;
};

// The stages of a clock that runs out at `due_ms` and was (re)started at `start_ms`, in firing order with
// non-decreasing instants:
//   yellow    before_deadline(due, policy.yellow_before) — left out when it is not strictly after start_ms (the
//             whole clock lies inside the warning window) or not strictly before the red card;
//   red       after_deadline(due, policy.red_after);
//   urge      after_deadline(due, policy.urge_after), never before the red card;
//   supervise after_deadline(due, policy.supervise_after), never before the urge.
// Working-day offsets skip holidays and count make-up days (WorkCalendar); the deadline's last day is the local day
// holding due_ms - 1, as stored deadlines run out at the midnight that ends their last day.
std::vector<StageDue> plan_stages(const WorkCalendar& calendar, const TimePolicy& policy, std::int64_t start_ms,
                                  std::int64_t due_ms, int utc_offset_minutes);

}  // namespace hotline::routing
